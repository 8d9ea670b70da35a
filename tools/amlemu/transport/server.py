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
handlers plain blocking functions.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import sys
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Callable
from urllib.parse import parse_qsl, unquote, urlsplit

from amlemu.http_messages import Request, Response

Handler = Callable[[Request], Response]
TLS_HANDSHAKE = 0x16
MAX_BODY = 512 * 1024 * 1024


class _Connection(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "EmulatorServer"
    tunnel_host: str | None = None

    def setup(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _quickack(sock)
        try:
            first = sock.recv(1, socket.MSG_PEEK)
        except OSError:
            first = b""
        if first and first[0] == TLS_HANDSHAKE:
            self.request = self.server.tls.wrap_socket(sock, server_side=True)
        self.connection = self.request
        super().setup()

    def handle(self) -> None:
        try:
            super().handle()
        except (ssl.SSLError, ConnectionError, TimeoutError, OSError):
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.verbose:
            sys.stderr.write("amlemu: %s\n" % (format % args))

    # -- proxy ---------------------------------------------------------------

    def do_CONNECT(self) -> None:  # noqa: N802
        host = self.path.rsplit(":", 1)[0].lower()
        if isinstance(self.connection, ssl.SSLSocket) or not self.server.accepts_tunnel(host):
            self._send(Response(502, {"Content-Type": "text/plain"},
                                f"amlemu does not emulate {host}; only Azure ML hosts are tunnelled.\n".encode()))
            self.close_connection = True
            return
        self.wfile.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        self.wfile.flush()
        try:
            tls_sock = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.connection = self.request = tls_sock
        self.rfile = tls_sock.makefile("rb", -1)
        self.wfile = socketserver._SocketWriter(tls_sock)  # type: ignore[attr-defined]
        self.tunnel_host = host
        self.close_connection = False
        while not self.close_connection:
            _quickack(tls_sock)
            self.handle_one_request()

    # -- every other method --------------------------------------------------

    def _dispatch(self) -> None:
        if not isinstance(self.connection, ssl.SSLSocket):
            self._send(Response(400, {"Content-Type": "text/plain"},
                                b"amlemu speaks HTTPS only; use it as an HTTPS proxy (CONNECT) or over TLS.\n"))
            self.close_connection = True
            return
        try:
            body = self._read_body()
        except ValueError as error:
            self._send(Response.json(400, {"error": {"code": "InvalidRequestContent", "message": str(error)}}))
            self.close_connection = True
            return
        split = urlsplit(self.path)
        host_header = (self.headers.get("Host") or self.tunnel_host or "127.0.0.1").lower()
        host = host_header.rsplit(":", 1)[0] if not host_header.startswith("[") else host_header
        request = Request(
            method=self.command,
            host=host,
            path=unquote(split.path),
            query={k: v for k, v in parse_qsl(split.query, keep_blank_values=True)},
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.app(request)
        except Exception:  # a handler bug must not reach the client as a traceback
            traceback.print_exc(file=sys.stderr)
            response = Response.json(500, {"error": {"code": "InternalServerError",
                                                     "message": "The emulator failed to process the request."}})
        self._send(response, head_only=self.command == "HEAD")

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _dispatch  # noqa: N815

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("The request body is larger than the emulator accepts.")
        return self.rfile.read(length) if length else b""

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

    def __init__(self, port: int, tls: ssl.SSLContext, app: Handler,
                 accepts_tunnel: Callable[[str], bool], verbose: bool = False) -> None:
        self.tls = tls
        self.app = app
        self.accepts_tunnel = accepts_tunnel
        self.verbose = verbose
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
