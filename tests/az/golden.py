"""Golden files for `az` calls: stdout, stderr and exit code of one call per file.

A golden file looks like this:

    $ az ml online-endpoint show --name missing
    exit: 3
    --- stdout
    --- stderr
    ERROR: (ResourceNotFound) ...

Only what truly varies between runs is replaced before comparing (ids of the
emulated subscription and service principal, the state folder, keys, random
asset ids, timestamps, progress-bar rates and partial progress lines, process
ids, the polling dots whose number depends on timing). Everything else must match byte for byte.

To regenerate after an intended change, run the tests with
`AMLEMU_AZ_UPDATE_GOLDEN=1` and review the diff:

    AMLEMU_AZ_UPDATE_GOLDEN=1 .venv/bin/pytest tests/az -k golden
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE = os.environ.get("AMLEMU_AZ_UPDATE_GOLDEN") == "1"

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:?\d\d|Z)?")
_LOG_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+")
_ACCESS_TIME = re.compile(r"\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]")
_PID = re.compile(r"(?<=[IWEDC] \[)\d+(?=\])|(?<=with pid: )\d+|(?<=\()\d+(?=\)$)", re.MULTILINE)
_RATE = re.compile(r"\[\d\d:\d\d<\d\d:\d\d, *[\d.]+(it|B)/s\]")
_MS = re.compile(r"\b\d+(\.\d+)?ms\b")
_DOTS = re.compile(r"^\.+", re.MULTILINE)  # the SDK's polling dots: their number depends on timing
_REPEATED_PROGRESS = re.compile(r"^([^\n]*Uploading [^\n]*\n)(\1)+", re.MULTILINE)  # a redraw of the same bar
_PARTIAL_PROGRESS = re.compile(r"^.*Uploading [^\n]*\b(?!100%)\d{1,2}%\|[^\n]*\n", re.MULTILINE)
_PORT = re.compile(r"127\.0\.0\.1:\d+")


@dataclass(frozen=True)
class Call:
    """One recorded `az` call."""

    argv: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    def render(self) -> str:
        command = "$ az " + " ".join(shlex.quote(a) for a in self.argv)
        return (
            f"{command}\nexit: {self.exit_code}\n--- stdout\n{self.stdout}"
            f"{'' if self.stdout.endswith(chr(10)) or not self.stdout else chr(10)}--- stderr\n{self.stderr}"
        )


def run_az(
    argv: list[str], env: dict[str, str], cwd: Path, stdin: int | None = subprocess.DEVNULL, timeout: float = 300
) -> Call:
    """Run the `az` found on `env`'s PATH, as a snippet would."""
    completed = subprocess.run(
        ["az", *argv], env=env, cwd=cwd, stdin=stdin, capture_output=True, text=True, timeout=timeout
    )
    return Call(tuple(argv), completed.returncode, completed.stdout, completed.stderr)


class Normalizer:
    """Replaces the values that differ between runs with stable placeholders."""

    def __init__(self, replacements: dict[str, str] | None = None) -> None:
        # Longest first, so a path is replaced before the folder that contains it.
        self.replacements = sorted((replacements or {}).items(), key=lambda item: -len(item[0]))

    def add(self, value: str, placeholder: str) -> None:
        if value:
            self.replacements.append((value, placeholder))
            self.replacements.sort(key=lambda item: -len(item[0]))

    def __call__(self, text: str) -> str:
        for value, placeholder in self.replacements:
            text = text.replace(value, placeholder)
        text = _UUID.sub("<uuid>", text)
        text = _ISO_TIME.sub("<time>", text)
        text = _LOG_TIME.sub("<time>", text)
        text = _ACCESS_TIME.sub("[<time>]", text)
        text = _RATE.sub("[<rate>]", text)
        text = _PID.sub("<pid>", text)
        text = _MS.sub("<ms>", text)
        text = _PORT.sub("127.0.0.1:<port>", text)
        text = _DOTS.sub("", text)
        text = _PARTIAL_PROGRESS.sub("", text)
        text = _REPEATED_PROGRESS.sub(r"\1", text)
        return text

    def call(self, call: Call) -> Call:
        return Call(call.argv, call.exit_code, self(call.stdout), self(call.stderr))


def check_golden(name: str, call: Call) -> str | None:
    """Compare a normalised call with its golden file; None when equal. Writes it in update mode."""
    path = GOLDEN_DIR / f"{name}.txt"
    actual = call.render()
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
        return None
    if not path.exists():
        return f"{path.name}: no golden file (run with AMLEMU_AZ_UPDATE_GOLDEN=1 to create it)\n{actual}"
    expected = path.read_text()
    if expected == actual:
        return None
    import difflib

    diff = "".join(
        difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), f"golden/{path.name}", "actual")
    )
    return f"{path.name} differs:\n{diff}"
