"""The plain request and response values that pass between the transport and the handlers.

The transport (TLS, proxy, routing by host) turns bytes on a socket into a `Request`
and a `Response` back into bytes; every handler, control plane or data plane, sees
only these two types, so each can be read and tested without a socket.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    """One HTTP request as a handler sees it."""

    method: str
    host: str  # the host the client asked for, without port: "management.azure.com"
    path: str  # path without the query string
    query: dict[str, str]  # last value wins, as ARM treats repeated parameters
    headers: dict[str, str]  # keys lower-cased
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError on malformed JSON."""
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclass
class Response:
    """One HTTP response; `headers` keep their canonical spelling."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        merged = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status, merged, json.dumps(payload).encode("utf-8"))

    @classmethod
    def arm_error(cls, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
        """ARM's error envelope, `{"error": {"code": ..., "message": ...}}`, as JSON."""
        return cls.json(status, {"error": {"code": code, "message": message}}, headers)
