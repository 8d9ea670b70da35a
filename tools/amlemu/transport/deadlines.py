"""The receiving side of a connection, where no wait is unbounded.

A socket timeout bounds one `recv`; a client that sends one byte just before each
timeout (a "slowloris") would still hold the connection for ever. This reader
bounds both: the silence between two receives (`idle_s`) and the time left for
the part of the request being read (`total_s`, a deadline). The server sets the
pair before each part: waiting for a request, its head, its body.
"""

from __future__ import annotations

import io
import socket
import time


class ReadTimedOut(TimeoutError):
    """A read passed its bound; unlike a send that timed out, the client can still be told."""


class DeadlineReader(io.RawIOBase):
    """Raw reads from a (TLS) socket that raise TimeoutError once a wait would pass its bound."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._sock = sock
        self._idle_s: float | None = None
        self._deadline: float | None = None
        self._applied: float | None = -1.0  # the socket's current timeout, to skip redundant calls

    def expect(self, idle_s: float | None, total_s: float | None = None) -> None:
        """Bound the coming reads: each by `idle_s`, all of them together by `total_s` from now."""
        self._idle_s = idle_s
        self._deadline = None if total_s is None else time.monotonic() + total_s

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wait = self._idle_s
        if self._deadline is not None:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise ReadTimedOut("the request took longer than the emulator waits")
            wait = left if wait is None else min(wait, left)
        self.use_timeout(wait)
        try:
            return self._sock.recv_into(buffer)
        except TimeoutError as exc:
            raise ReadTimedOut(str(exc)) from None

    def use_timeout(self, seconds: float | None) -> None:
        """Set the socket's timeout (shared by reads and sends), skipping the call when it is already so."""
        if seconds != self._applied:
            self._sock.settimeout(seconds)
            self._applied = seconds
