"""One bash process that runs an article's blocks in order, keeping variables between them.

Readers paste the blocks of a tutorial into one terminal, one after the other;
`ENDPOINT_NAME` set in one block is used in the next. A session reproduces that:
each block is written to a file and sourced into the same shell, a failing
command stops the block (an ERR trap returns from the sourced file), and the
block's output and exit status come back to the caller.
"""

from __future__ import annotations

import os
import re
import selectors
import shlex
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BlockResult:
    status: int
    output: str  # stdout and stderr, interleaved as a terminal shows them
    seconds: float


class SessionError(RuntimeError):
    """The session cannot go on: it ended, or a step ran past its timeout (not a failing command)."""


ShellError = SessionError


class StepTimedOut(SessionError):
    """A step ran past its timeout; `alive` says whether the session survived its interruption."""

    def __init__(self, message: str, alive: bool) -> None:
        super().__init__(message)
        self.alive = alive


# the end marker of a block whose reader was interrupted (Ctrl-C), left for the next block to skip
_STALE_MARKER = re.compile(r"\n?__docskit_\d+_\d+__ \d+\n")
GRACE_S = 5.0  # how long an interrupted step gets to return before its session is ended


class ShellSession:
    def __init__(self, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 600.0) -> None:
        self._dir: Path | None = Path(tempfile.mkdtemp(prefix="docskit-shell-"))
        self._timeout = timeout
        self._count = 0
        self._process = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=str(cwd) if cwd else None,
            env=env,
            start_new_session=True,
        )

    def run(self, script: str, cwd: Path | None = None, timeout: float | None = None) -> BlockResult:
        """Run one block in the session; returns its exit status and output.

        Past `timeout` seconds the whole session ends (its state cannot be trusted after).
        """
        self._count += 1
        token = f"__docskit_{os.getpid()}_{self._count}__"
        block = self._dir / f"block-{self._count}.sh"
        block.write_text(
            "trap '__docskit_status=$?; trap - ERR; return $__docskit_status' ERR\n" + script + "\ntrap - ERR\n",
            encoding="utf-8",
        )
        prefix = f"cd {shlex.quote(str(cwd))} && " if cwd else ""
        command = f"{prefix}source {shlex.quote(str(block))} </dev/null; printf '\\n{token} %s\\n' \"$?\"\n"
        started = time.monotonic()
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(command.encode())
            self._process.stdin.flush()
        except BrokenPipeError:
            raise SessionError("the shell session has ended") from None
        output, status = self._read_until(token, timeout or self._timeout)
        return BlockResult(status, output, time.monotonic() - started)

    def _read_until(self, token: str, timeout: float) -> tuple[str, int]:
        assert self._process.stdout is not None
        stream = self._process.stdout
        selector = selectors.DefaultSelector()
        selector.register(stream, selectors.EVENT_READ)
        buffer = b""
        marker = f"\n{token} ".encode()
        deadline = time.monotonic() + timeout
        interrupted = False
        try:
            while True:
                at = buffer.find(marker)
                if at >= 0 and buffer.find(b"\n", at + len(marker)) >= 0:
                    end = buffer.find(b"\n", at + len(marker))
                    status = int(buffer[at + len(marker) : end] or b"1")
                    output = _STALE_MARKER.sub("", buffer[:at].decode("utf-8", "replace"))
                    if interrupted:
                        raise StepTimedOut(
                            f"the step did not finish within {timeout:g} s; it printed:\n" + output, alive=True
                        )
                    return output, status
                remaining = deadline - time.monotonic()
                if remaining <= 0 and not interrupted:
                    interrupted = True
                    self._end_running_commands()
                    deadline = time.monotonic() + GRACE_S
                    continue
                if remaining <= 0:
                    self.close()
                    raise StepTimedOut(f"the step did not finish within {timeout:g} s", alive=False)
                if not selector.select(timeout=remaining):
                    continue
                chunk = os.read(stream.fileno(), 65536)
                if not chunk:
                    raise SessionError(
                        "the shell session ended while running a block:\n" + buffer.decode("utf-8", "replace")
                    )
                buffer += chunk
        finally:
            selector.close()

    def _end_running_commands(self) -> None:
        """Kill what the shell runs, not the shell: its variables are needed by the clean-up."""
        for pid in _descendants(self._process.pid):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        if self._dir is None:
            return
        if self._process.poll() is None:
            try:
                os.killpg(self._process.pid, 15)
            except ProcessLookupError:
                pass
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, 9)
                self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream:
                stream.close()
        for path in self._dir.glob("*"):
            path.unlink()
        self._dir.rmdir()
        self._dir = None

    def __enter__(self) -> ShellSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc), deepest last."""
    found: list[int] = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            pending.append(child)
    return found
