"""The transport's own answers: bounded bodies, bounded heads, bounded waiting, ARM's envelope.

Raw sockets over TLS, because every client library would refuse to send most of
these requests. The emulator runs with small limits (set through its environment)
so that no test sends much data or waits long; a client-side socket timeout is
only a safety net, so that a server that never answers fails the test instead of
hanging it.
"""

from __future__ import annotations

import http.client
import json
import os
import select
import socket
import ssl
import time
from collections.abc import Iterator

import pytest

from amlemu.testing import RunningEmulator, running_emulator

BODY_LIMIT = 1024 * 1024
CLIENT_PATIENCE_S = 15.0  # far above the emulator's timeouts below; reached only when it never answers
SMALL_LIMITS = {
    "AMLEMU_MAX_BODY_BYTES": str(BODY_LIMIT),
    "AMLEMU_HEADER_TIMEOUT_S": "1",
    "AMLEMU_BODY_IDLE_TIMEOUT_S": "1",
}


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    saved = {name: os.environ.get(name) for name in SMALL_LIMITS}
    os.environ.update(SMALL_LIMITS)
    try:
        with running_emulator(tmp_path_factory.mktemp("transport") / "state", mode="direct") as emulator:
            yield emulator
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _connect(emu: RunningEmulator) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=str(emu.state_dir / "ca.pem"))
    raw = socket.create_connection(("127.0.0.1", emu.port), timeout=CLIENT_PATIENCE_S)
    return context.wrap_socket(raw, server_hostname="127.0.0.1")


def _answer(sock: ssl.SSLSocket) -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(sock)  # type: ignore[arg-type]
    response.begin()
    return response


def _envelope(response: http.client.HTTPResponse) -> tuple[int, str, str]:
    """(status, error code, message) of an ARM error envelope; fails on anything else."""
    assert response.getheader("Content-Type", "").startswith("application/json")
    payload = json.loads(response.read())
    assert set(payload) == {"error"} and set(payload["error"]) >= {"code", "message"}
    return response.status, payload["error"]["code"], payload["error"]["message"]


def _exchange(emu: RunningEmulator, raw: bytes) -> tuple[int, str, str]:
    with _connect(emu) as sock:
        sock.sendall(raw)
        return _envelope(_answer(sock))


HEAD = b"PUT /x HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def test_chunked_body_over_the_limit_is_refused_before_it_ends(emu: RunningEmulator) -> None:
    """The running total is checked as chunks arrive: the answer comes while the body is unfinished."""
    chunk = b"x" * (64 * 1024)
    with _connect(emu) as sock:
        sock.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
        for _ in range(BODY_LIMIT // len(chunk) + 1):
            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        # No last chunk: a server that buffers to the end of the body never answers.
        status, code, message = _envelope(_answer(sock))
    assert (status, code) == (413, "RequestEntityTooLarge")
    assert str(BODY_LIMIT) in message


def test_one_chunk_larger_than_the_limit_is_refused_by_its_size_line(emu: RunningEmulator) -> None:
    with _connect(emu) as sock:
        sock.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % (2 * BODY_LIMIT) + b"x" * 1000)
        assert _envelope(_answer(sock))[:2] == (413, "RequestEntityTooLarge")


def test_content_length_over_the_limit_is_refused_before_reading(emu: RunningEmulator) -> None:
    status, code, _ = _exchange(emu, HEAD + b"Content-Length: %d\r\n\r\n" % (BODY_LIMIT + 1) + b"x" * 1000)
    assert (status, code) == (413, "RequestEntityTooLarge")


@pytest.mark.parametrize("size_line", [b"-1", b"zz", b"", b"1 2", b"0x10", b"1" * 40])
def test_bad_chunk_size_line_is_answered_400_at_once(emu: RunningEmulator, size_line: bytes) -> None:
    status, code, message = _exchange(emu, HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + size_line + b"\r\n")
    assert (status, code) == (400, "BadRequest")
    assert "chunk" in message


def test_chunk_without_its_line_end_is_answered_400(emu: RunningEmulator) -> None:
    status, code, _ = _exchange(emu, HEAD + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n")
    assert (status, code) == (400, "BadRequest")


def test_both_framings_at_once_are_refused(emu: RunningEmulator) -> None:
    raw = HEAD + b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
    assert _exchange(emu, raw)[:2] == (400, "BadRequest")


def test_chunked_body_within_the_limit_reaches_the_handlers_and_keeps_the_connection(emu: RunningEmulator) -> None:
    request = (
        b"PUT /subscriptions/s/resourceGroups/g?api-version=2023-04-01 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b'Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{"a":\r\n2\r\n1}\r\n0\r\nX-Trailer: 1\r\n\r\n'
    )
    with _connect(emu) as sock:
        for _ in range(2):  # the same connection serves the next request
            sock.sendall(request)
            response = _answer(sock)
            assert _envelope(response)[:2] == (401, "AuthenticationFailed")  # the handlers' answer


def test_trace_is_refused_with_the_envelope(emu: RunningEmulator) -> None:
    status, code, _ = _exchange(emu, b"TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert (status, code) == (405, "MethodNotAllowed")


def test_unknown_method_is_refused_with_the_envelope(emu: RunningEmulator) -> None:
    status, code, _ = _exchange(emu, b"BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert (status, code) == (501, "NotImplemented")


@pytest.mark.parametrize("line", [b"GARBAGE", b"GET / HTTP/1.1 extra", b"GET / HTTP/one", b"GET / FTP/1.1"])
def test_malformed_request_line_gets_the_envelope(emu: RunningEmulator, line: bytes) -> None:
    status, code, _ = _exchange(emu, line + b"\r\nHost: 127.0.0.1\r\n\r\n")
    assert (status, code) == (400, "BadRequest")


def test_too_many_headers_get_431_with_the_envelope(emu: RunningEmulator) -> None:
    headers = b"".join(b"X-Header-%d: %d\r\n" % (i, i) for i in range(200))
    status, code, message = _exchange(emu, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n")
    assert (status, code) == (431, "RequestHeaderFieldsTooLarge")
    assert "100" in message


def test_too_large_header_section_gets_431_with_the_envelope(emu: RunningEmulator) -> None:
    headers = b"".join(b"X-Header-%d: %s\r\n" % (i, b"v" * 8000) for i in range(10))
    status, code, _ = _exchange(emu, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n")
    assert (status, code) == (431, "RequestHeaderFieldsTooLarge")


def test_too_long_request_line_gets_414_with_the_envelope(emu: RunningEmulator) -> None:
    status, code, _ = _exchange(emu, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    assert (status, code) == (414, "RequestUriTooLong")


def _trickle_until_answered(sock: ssl.SSLSocket, pieces: Iterator[bytes]) -> None:
    """Send a piece every 0.2 s until the server has something to say (or has closed)."""
    give_up = time.monotonic() + CLIENT_PATIENCE_S
    for piece in pieces:
        if time.monotonic() > give_up:
            pytest.fail("the server waited for ever on a trickling client")
        try:
            sock.sendall(piece)
        except OSError:
            return
        if select.select([sock], [], [], 0.2)[0]:
            return


def _endless(first: bytes, then: bytes) -> Iterator[bytes]:
    yield first
    while True:
        yield then


def test_header_trickle_gets_408(emu: RunningEmulator) -> None:
    """A client that keeps the head coming one line at a time is cut off by the head's deadline."""
    with _connect(emu) as sock:
        _trickle_until_answered(sock, _endless(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-Slow: 1\r\n"))
        assert _envelope(_answer(sock))[:2] == (408, "RequestTimeout")


@pytest.mark.parametrize(
    "framing, start",
    [
        (b"Content-Length: 100\r\n\r\n", b"0123456789"),
        (b"Transfer-Encoding: chunked\r\n\r\n", b"64\r\n0123456789"),
        (b"Transfer-Encoding: chunked\r\n\r\n", b"6"),
    ],
)
def test_stalled_body_gets_408(emu: RunningEmulator, framing: bytes, start: bytes) -> None:
    with _connect(emu) as sock:
        sock.sendall(HEAD + framing + start)
        assert _envelope(_answer(sock))[:2] == (408, "RequestTimeout")
        assert sock.recv(1) == b""  # and the connection is closed


def test_plain_text_request_gets_the_envelope(emu: RunningEmulator) -> None:
    with socket.create_connection(("127.0.0.1", emu.port), timeout=CLIENT_PATIENCE_S) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        response = http.client.HTTPResponse(sock)  # type: ignore[arg-type]
        response.begin()
        assert _envelope(response)[0] == 400
