"""The deployment error a crashed scoring container produces, as Azure words it."""

from __future__ import annotations

import re

# Azure's message for a container whose init() or import failed (recorded from the service).
CRASHED = (
    "ResourceNotReady: User container has crashed or terminated: "
    "Liveness probe failed: HTTP probe failed with statuscode: 502."
)
# Ours: a container that never became ready within the emulator's start timeout.
NEVER_READY = "ResourceNotReady: User container did not become ready: Readiness probe failed: the scoring server did not answer in time."

_LOG_RECORD = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_MAX_LINES = 12
_TRACEBACK = "Traceback (most recent call last):"
_CHAIN_SEPARATORS = ("The above exception was the direct cause", "During handling of the above exception")


def not_ready_message(log_text: str, *, timed_out: bool) -> str:
    """Azure's wording, followed by the last lines of the exception the server logged."""
    head = NEVER_READY if timed_out else CRASHED
    excerpt = last_exception(log_text)
    return f"{head} The scoring server's log ends with:\n{excerpt}" if excerpt else head


def last_exception(log_text: str) -> str:
    """The root exception of the last traceback chain in the log, cut to its final lines.

    The server wraps the script's exception in its own (`raise ... from ex`); the
    first traceback of the chain is the one that names the user's error.
    """
    lines = log_text.splitlines()
    chain_start = None
    for index, line in enumerate(lines):
        if _TRACEBACK in line and not _continues_chain(lines, index):
            chain_start = index
    if chain_start is None:
        return "\n".join([line for line in lines if line.strip()][-_MAX_LINES:])
    block = [_TRACEBACK]
    for line in lines[chain_start + 1 :]:
        if _LOG_RECORD.match(line) or line.startswith(_CHAIN_SEPARATORS):
            break
        block.append(line)
    while block and not block[-1].strip():
        block.pop()
    return "\n".join(block[-_MAX_LINES:])


def _continues_chain(lines: list[str], index: int) -> bool:
    previous = [line for line in lines[:index] if line.strip()]
    return bool(previous) and previous[-1].startswith(_CHAIN_SEPARATORS)
