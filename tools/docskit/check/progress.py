"""A one-line progress bar on stderr, only on a terminal and only for long runs."""

from __future__ import annotations

import sys
import time

THRESHOLD = 300  # files; shorter runs finish before a bar would help


class Progress:
    def __init__(self, total: int, enabled: bool, label: str = "checking") -> None:
        stream = sys.stderr
        self.enabled = enabled and total > THRESHOLD and stream.isatty()
        self.total = total
        self.label = label
        self.done = 0
        self._last = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()
