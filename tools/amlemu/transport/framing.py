"""Where a request's head and body end (HTTP/1.1 message framing, RFC 9112), within limits.

The head is read line by line up to its blank line, counted against the header
limits before anything parses it. A body is either `Content-Length` bytes or a
chunked stream; both framings share one size limit, and a chunked body is counted
as it arrives, so a body past the limit is refused at the chunk that would pass it,
not after it has been buffered. Anything that does not follow the grammar is
refused at once instead of being waited on.
"""

from __future__ import annotations

import io
import re
from email.message import Message
from typing import BinaryIO

from amlemu.transport.limits import TransportLimits

_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")  # 16 hex digits: 2**64, far past any body limit
_CHUNK_LINE_LIMIT = 4096  # a size line with its extensions, which are ignored
_CONTENT_LENGTH = re.compile(r"[0-9]{1,20}")
_PIECE = 1024 * 1024  # a large chunk is copied in pieces of this size, never held twice


class Refused(Exception):
    """The request breaks a limit or the framing grammar; `status` and `message` are the answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ClosedEarly(ConnectionError):
    """The client closed the connection in the middle of a request: nobody is left to answer."""


def read_head(stream: BinaryIO, limits: TransportLimits) -> tuple[bytes, bytes]:
    """(request line, header lines with the blank line that ends them); (b"", b"") at end of stream."""
    request_line = stream.readline(limits.max_request_line_bytes + 1)
    if not request_line:
        return b"", b""
    if len(request_line) > limits.max_request_line_bytes:
        raise Refused(414, f"The request line is longer than {limits.max_request_line_bytes} bytes.")
    if not request_line.strip():
        return request_line, b"\r\n"
    return request_line, read_header_lines(stream, limits, "request")


def read_header_lines(stream: BinaryIO, limits: TransportLimits, what: str) -> bytes:
    """Header (or trailer) lines up to and with the blank line, refused past the count or size limit."""
    lines: list[bytes] = []
    size = 0
    while True:
        line = stream.readline(limits.max_header_bytes - size + 1)
        if not line:
            raise ClosedEarly(f"the connection closed in the {what}'s header section")
        if line in (b"\r\n", b"\n"):
            lines.append(line)
            return b"".join(lines)
        size += len(line)
        if size > limits.max_header_bytes:
            raise Refused(431, f"The {what}'s header section is larger than {limits.max_header_bytes} bytes.")
        if len(lines) == limits.max_header_count:
            raise Refused(431, f"The {what} has more than {limits.max_header_count} header fields.")
        lines.append(line)


def declared_length(headers: Message, limits: TransportLimits) -> int | None:
    """The body's length from `Content-Length` (0 without one); None for a chunked body.

    Refuses a framing the emulator does not take: both headers at once (the way
    requests are smuggled past proxies), a transfer coding other than chunked,
    conflicting or malformed lengths, and a length past the body limit.
    """
    codings = [value.strip().lower() for value in headers.get_all("Transfer-Encoding") or []]
    lengths = {value.strip() for value in headers.get_all("Content-Length") or []}
    if codings and lengths:
        raise Refused(400, "The request has both Transfer-Encoding and Content-Length; send one.")
    if codings:
        if codings != ["chunked"]:
            raise Refused(501, f"The transfer coding {', '.join(codings)!r} is not supported; use chunked.")
        return None
    if not lengths:
        return 0
    if len(lengths) > 1 or not _CONTENT_LENGTH.fullmatch(next(iter(lengths))):
        raise Refused(400, "The Content-Length header is not one decimal number.")
    length = int(next(iter(lengths)))
    if length > limits.max_body_bytes:
        raise _too_large(limits)
    return length


def read_body(stream: BinaryIO, headers: Message, limits: TransportLimits) -> bytes:
    """The whole body, never more than `limits.max_body_bytes` of it held."""
    length = declared_length(headers, limits)
    if length is None:
        return _read_chunked(stream, limits)
    return _read_exactly(stream, length)


def _read_chunked(stream: BinaryIO, limits: TransportLimits) -> bytes:
    body = io.BytesIO()  # grows in place, and hands its buffer over without a copy at the end
    while True:
        line = stream.readline(_CHUNK_LINE_LIMIT + 1)
        if not line:
            raise ClosedEarly("the connection closed in a chunked body")
        if len(line) > _CHUNK_LINE_LIMIT or not line.endswith(b"\n"):
            raise Refused(400, f"A chunk size line of the body is longer than {_CHUNK_LINE_LIMIT} bytes.")
        size_text = line.split(b";", 1)[0].strip(b" \t\r\n")
        if not _CHUNK_SIZE.fullmatch(size_text):
            shown = size_text[:40].decode("latin-1")
            raise Refused(
                400, f"The chunked body has an invalid chunk size line ({shown!r}); expected a hexadecimal size."
            )
        size = int(size_text, 16)
        if size == 0:
            read_header_lines(stream, limits, "body")  # trailer fields: counted, then dropped
            return body.getvalue()
        if body.tell() + size > limits.max_body_bytes:
            raise _too_large(limits)
        while size:
            piece = stream.read(min(size, _PIECE))
            if not piece:
                raise ClosedEarly("the connection closed in the body")
            body.write(piece)
            size -= len(piece)
        if stream.readline(3) not in (b"\r\n", b"\n"):
            raise Refused(400, "A chunk of the body is longer than its size line says.")


def _read_exactly(stream: BinaryIO, length: int) -> bytes:
    data = stream.read(length) if length else b""
    if len(data) < length:
        raise ClosedEarly("the connection closed in the body")
    return data


def _too_large(limits: TransportLimits) -> Refused:
    return Refused(413, f"The request body is larger than the emulator accepts ({limits.max_body_bytes} bytes).")
