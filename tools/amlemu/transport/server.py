"""One loopback port, two ways in.

A connection whose first byte opens a TLS handshake is direct mode: TLS is terminated
with the emulator's leaf certificate and requests are routed by their `Host` header
(127.0.0.1 for direct clients). A connection that starts in plain text is treated as
an HTTPS proxy client: it may only ask `CONNECT host:443`; the tunnel is answered with
200 and then TLS is terminated inside it, so the client sees the real host names
(`management.azure.com`, `<account>.blob.core.windows.net`, ...) with a certificate
its CA bundle trusts.

Threads, not asyncio: every connection gets a thread from `ThreadingMixIn`, which is
plenty for the few dozen concurrent clients a tutorial or load test opens, and keeps
handlers plain blocking functions. So that no client can hold a thread for ever or
make the emulator buffer without bound, every read is bounded in time and size
(`limits.TransportLimits`, framing in `framing`), and every answer the transport
writes itself, from a malformed request line to a timeout, is ARM's JSON error
envelope, written by `send_error`.
"""

from __future__ import annotations

import io
import os
import socket
import socketserver
import ssl
import sys
import time
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, unquote, urlsplit

from amlemu.http_messages import Request, Response
from amlemu.transport.deadlines import DeadlineReader, ReadTimedOut
from amlemu.transport.framing import ClosedEarly, Refused, declared_length, read_body, read_head
from amlemu.transport.limits import TransportLimits

Handler = Callable[[Request], Response]
TLS_HANDSHAKE = 0x16
# After refusing a request whose body is still arriving, read (and drop) what the client
# sends for this long before closing, so that it gets the answer rather than a reset.
LINGER_S = 2.0
# The `code` of the envelope for each status the transport writes; stable across Python
# versions, whose reason phrases change (413 became "Content Too Large").
ERROR_CODES = {
    400: "BadRequest",
    405: "MethodNotAllowed",
    408: "RequestTimeout",
    413: "RequestEntityTooLarge",
    414: "RequestUriTooLong",
    431: "RequestHeaderFieldsTooLarge",
    500: "InternalServerError",
    501: "NotImplemented",
    502: "BadGateway",
    505: "HttpVersionNotSupported",
}
ALLOWED_METHODS = ("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "CONNECT")


class _Connection(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorServer
    tunnel_host: str | None = None

    def setup(self) -> None:
        sock: socket.socket = self.request
        self.limits = self.server.limits
        self.broken = False
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _quickack(sock)
        sock.settimeout(self.limits.header_timeout_s)
        try:
            first = sock.recv(1, socket.MSG_PEEK)
            if first and first[0] == TLS_HANDSHAKE:
                self.request = self.server.tls.wrap_socket(sock, server_side=True)
        except OSError:  # silence, a failed handshake, a reset: nothing to answer
            self.broken = True
        self.connection = self.request
        super().setup()
        self._use_reader(self.connection)

    def _use_reader(self, sock: socket.socket) -> None:
        self.reader = DeadlineReader(sock)
        self.rfile = io.BufferedReader(self.reader)

    def handle(self) -> None:
        if self.broken:
            return
        try:
            super().handle()
        except (ssl.SSLError, ConnectionError, TimeoutError, OSError):
            self.close_connection = True

    def handle_one_request(self) -> None:
        """One request: wait for it, read its head and body within the limits, answer it."""
        self.command, self.request_version, self.requestline = None, self.default_request_version, ""
        self.reader.expect(idle_s=self.limits.keepalive_timeout_s)
        try:
            if not self.rfile.peek(1):
                self.close_connection = True
                return
        except (TimeoutError, OSError):  # idle between requests: close without an answer
            self.close_connection = True
            return
        self.reader.expect(idle_s=None, total_s=self.limits.header_timeout_s)
        try:
            self.raw_requestline, header_lines = read_head(self.rfile, self.limits)
            if not self._parse(header_lines):
                return  # parse_request has answered
            method = getattr(self, "do_" + self.command, None)
            if method is None:
                self.send_error(HTTPStatus.NOT_IMPLEMENTED, f"The method {self.command!r} is not supported.")
                return
            method()
        except Refused as refusal:
            self.send_error(refusal.status, refusal.message)
        except ReadTimedOut:
            self.send_error(HTTPStatus.REQUEST_TIMEOUT, "The request did not arrive in time; the connection is closed.")
        except ClosedEarly:
            self.close_connection = True

    def _parse(self, header_lines: bytes) -> bool:
        """The standard library's parsing of the request line and of headers already read within limits."""
        stream, self.rfile = self.rfile, io.BytesIO(header_lines)
        try:
            return self.parse_request()
        finally:
            self.rfile = stream

    def handle_expect_100(self) -> bool:
        """Say "100 Continue" only to a body that will be taken."""
        try:
            declared_length(self.headers, self.limits)
        except Refused as refusal:
            self.send_error(refusal.status, refusal.message)
            return False
        return super().handle_expect_100()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every answer the transport writes itself, in ARM's envelope; the connection is then closed."""
        status = int(code)
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        text = message or phrase
        if not text.endswith("."):
            text += "."
        headers = {"Connection": "close"}
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            headers["Allow"] = ", ".join(ALLOWED_METHODS)
        response = Response.arm_error(status, ERROR_CODES.get(status, phrase.replace(" ", "")), text, headers)
        self.close_connection = True
        try:
            self._send(response, head_only=self.command == "HEAD")
        except OSError:
            return
        if status != HTTPStatus.REQUEST_TIMEOUT:
            self._linger()

    def _linger(self) -> None:
        """Drop what the client is still sending, for a moment, so it reads the answer before the close."""
        deadline = time.monotonic() + LINGER_S
        self.reader.expect(idle_s=None, total_s=LINGER_S)
        try:
            while time.monotonic() < deadline and self.rfile.read1(64 * 1024):
                pass
        except (OSError, ValueError):
            pass

    def do_TRACE(self) -> None:
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, "The TRACE method is not allowed")

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            sys.stderr.write("amlemu: %s\n" % (format % args))

    # -- proxy ---------------------------------------------------------------

    def do_CONNECT(self) -> None:
        host = self.path.rsplit(":", 1)[0].lower()
        if isinstance(self.connection, ssl.SSLSocket) or not self.server.accepts_tunnel(host):
            self.send_error(
                HTTPStatus.BAD_GATEWAY, f"amlemu does not emulate {host}; only Azure ML hosts are tunnelled"
            )
            return
        self.wfile.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        self.wfile.flush()
        try:
            self.connection.settimeout(self.limits.header_timeout_s)
            tls_sock = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.connection = self.request = tls_sock
        self._use_reader(tls_sock)
        self.wfile = socketserver._SocketWriter(tls_sock)  # type: ignore[attr-defined]
        self.tunnel_host = host
        self.close_connection = False
        while not self.close_connection:
            _quickack(tls_sock)
            self.handle_one_request()

    # -- every other method --------------------------------------------------

    def _dispatch(self) -> None:
        if not isinstance(self.connection, ssl.SSLSocket):
            self.send_error(
                HTTPStatus.BAD_REQUEST, "amlemu speaks HTTPS only; use it as an HTTPS proxy (CONNECT) or over TLS"
            )
            return
        self.reader.expect(idle_s=self.limits.body_idle_timeout_s, total_s=self.limits.body_timeout_s)
        body = read_body(self.rfile, self.headers, self.limits)
        split = urlsplit(self.path)
        host_header = (self.headers.get("Host") or self.tunnel_host or "127.0.0.1").lower()
        host = host_header.rsplit(":", 1)[0] if not host_header.startswith("[") else host_header
        request = Request(
            method=self.command,
            host=host,
            path=unquote(split.path),
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.app(request)
        except Exception:  # noqa: BLE001 - a handler bug must not reach the client as a traceback
            traceback.print_exc(file=sys.stderr)
            response = Response.json(
                500,
                {"error": {"code": "InternalServerError", "message": "The emulator failed to process the request."}},
            )
        self._send(response, head_only=self.command == "HEAD")

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _dispatch  # noqa: N815

    def _send(self, response: Response, head_only: bool = False) -> None:
        reason = HTTPStatus(response.status).phrase if response.status in HTTPStatus._value2member_map_ else ""
        lines = [f"HTTP/1.1 {response.status} {reason}"]
        headers = dict(response.headers)
        if "Content-Length" not in headers:
            headers["Content-Length"] = str(len(response.body))
        for name, value in headers.items():
            lines.append(f"{name}: {value}")
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if not head_only:
            payload += response.body
        self.reader.use_timeout(self.limits.send_timeout_s)
        self.wfile.write(payload)
        self.wfile.flush()
        self.log_request(response.status)


def _quickack(sock: socket.socket) -> None:
    """Without QUICKACK a client that does not set TCP_NODELAY loses ~40 ms per request body."""
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
        except OSError:
            pass


class EmulatorServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """The listening socket; `app` answers every request, `accepts_tunnel` vets CONNECT hosts."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(
        self,
        port: int,
        tls: ssl.SSLContext,
        app: Handler,
        accepts_tunnel: Callable[[str], bool],
        verbose: bool = False,
        limits: TransportLimits | None = None,
    ) -> None:
        self.tls = tls
        self.app = app
        self.accepts_tunnel = accepts_tunnel
        self.verbose = verbose
        self.limits = limits or TransportLimits.from_environment(os.environ)
        super().__init__(("127.0.0.1", port), _Connection)

    @property
    def port(self) -> int:
        return self.server_address[1]


def server_tls_context(cert_chain: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_chain, key)
    context.set_alpn_protocols(["http/1.1"])
    return context
