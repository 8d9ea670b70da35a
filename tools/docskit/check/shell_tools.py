"""`bash -n` and `shellcheck` over many shell texts with few processes, results cached.

Starting a process per snippet would dominate a run, so texts are written to a
temporary folder and checked in batches, in a background thread: one `bash`
loop running `bash -n` on each file, and one `shellcheck` call per half of the
files, the halves in parallel. Results are keyed by the text's digest and kept
in the run cache, so an unchanged script is never checked twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from docskit.check.placeholders import mask_placeholders
from docskit.check.priority import in_background

_BASH_LINE = re.compile(r"^(?P<file>[^:]*): line (?P<line>\d+): (?P<message>.*)$")
_SEPARATOR = "\x1e"
PARSE_ERROR_CODES = range(1000, 1200)  # shellcheck's SC1xxx: it could not parse


@dataclass(frozen=True)
class ShellFinding:
    tool: str  # "bash" | "shellcheck"
    line: int  # 1-based line of the checked text
    column: int  # 1-based (1 when the tool gives none)
    message: str
    code: str = ""  # e.g. SC2086


def digest_text(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def find_shellcheck() -> str | None:
    beside = Path(sys.executable).parent / "shellcheck"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("shellcheck")


class ShellTools:
    """Checks shell texts in the background; `results(text)` answers from the cache or waits for the batch.

    Texts asked for (`request`) queue up while a batch runs; one thread runs the
    queue batch after batch, so however many articles ask, few processes start.
    """

    def __init__(self, stored: dict[str, list[list]] | None = None) -> None:
        self.bash = shutil.which("bash")
        self.shellcheck = find_shellcheck()
        self.results_by_digest: dict[str, list[ShellFinding]] = {
            k: [ShellFinding(*v) for v in values] for k, values in (stored or {}).items()}
        self.new: set[str] = set()
        self._changed = threading.Condition()
        self._queued: dict[str, str] = {}  # digest -> text, for the next batch
        self._running: set[str] = set()  # digests of the batch under way
        self._failed: dict[str, BaseException] = {}
        self._worker: threading.Thread | None = None
        self._digests: dict[str, str] = {}  # text -> digest: a script is asked about by every snippet of it

    def stored(self) -> dict[str, list[list]]:
        return {k: [[f.tool, f.line, f.column, f.message, f.code] for f in v] for k, v in self.results_by_digest.items()}

    def _digest(self, text: str) -> str:
        found = self._digests.get(text)
        if found is None:
            found = self._digests[text] = digest_text(text)
        return found

    def request(self, texts: list[str]) -> None:
        """Have texts checked in the background (the run goes on meanwhile)."""
        with self._changed:
            for text in texts:
                key = self._digest(text)
                if key not in self.results_by_digest and key not in self._queued and key not in self._running:
                    self._queued[key] = text
            if self._queued and self._worker is None:
                self._worker = threading.Thread(target=self._work, daemon=True)
                self._worker.start()

    def ready(self, text: str) -> bool:
        """Whether `results(text)` answers without waiting."""
        return self._digest(text) in self.results_by_digest

    def results(self, text: str) -> list[ShellFinding]:
        key = self._digest(text)
        self.request([text])
        with self._changed:
            while key not in self.results_by_digest and key not in self._failed:
                self._changed.wait()
            if key in self._failed:
                raise self._failed[key]
            return self.results_by_digest[key]

    def _work(self) -> None:
        while True:
            with self._changed:
                if not self._queued:
                    self._worker = None
                    return
                todo, self._queued = self._queued, {}
                self._running = set(todo)
            try:
                self._run_batch(todo)
            except Exception as exc:  # reported by `results`, in the rule that asked
                with self._changed:
                    self._failed.update((key, exc) for key in todo)
            with self._changed:
                self._running = set()
                self._changed.notify_all()

    # -- running the tools --------------------------------------------------------------

    def _run_batch(self, todo: dict[str, str]) -> None:
        results: dict[str, list[ShellFinding]] = {key: [] for key in todo}
        with tempfile.TemporaryDirectory(prefix="check-snippets-sh-") as folder:
            names: dict[str, str] = {}
            for key, text in todo.items():
                name = os.path.join(folder, key + ".sh")
                with open(name, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as handle:
                    shell = mask_placeholders(text)  # `<subscription-ID>` is a word the reader types, not a redirection
                    handle.write(shell if shell.endswith("\n") else shell + "\n")
                names[name] = key
            files = sorted(names)
            halves = [files[: (len(files) + 1) // 2], files[(len(files) + 1) // 2:]] if len(files) > 8 else [files]
            jobs = []
            for part in halves:
                if not part:
                    continue
                if self.bash:
                    jobs.append(("bash", self._start_bash(part)))
                if self.shellcheck:
                    jobs.append(("shellcheck", self._start_shellcheck(part)))
            for tool, process in jobs:
                try:
                    out, _ = process.communicate(timeout=300)
                except subprocess.TimeoutExpired:
                    process.kill()
                    continue
                parse = self._parse_bash if tool == "bash" else self._parse_shellcheck
                for name, finding in parse(out):
                    key = names.get(name)
                    if key is not None:
                        results[key].append(finding)
        with self._changed:
            for key, found in results.items():
                syntax = any(f.tool == "bash" for f in found)
                kept = [f for f in found if not (syntax and f.tool == "shellcheck" and f.code and
                                                 int(f.code[2:] or 0) in PARSE_ERROR_CODES)]
                self.results_by_digest[key] = kept
                self.new.add(key)

    def _start_bash(self, files: list[str]) -> subprocess.Popen:
        loop = f'for f; do printf "{_SEPARATOR}%s\\n" "$f"; bash -n "$f" 2>&1; done'
        return in_background(subprocess.Popen([self.bash, "-c", loop, "check", *files], stdout=subprocess.PIPE,
                                              stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
                                              errors="replace"))

    def _start_shellcheck(self, files: list[str]) -> subprocess.Popen:
        command = [self.shellcheck, "--norc", "-s", "bash", "-S", "error", "-f", "json1", *files]
        return in_background(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                              stdin=subprocess.DEVNULL, text=True, errors="replace"))

    @staticmethod
    def _parse_bash(out: str) -> list[tuple[str, ShellFinding]]:
        found: list[tuple[str, ShellFinding]] = []
        current = None
        reported: set[str] = set()
        for line in out.split("\n"):
            if line.startswith(_SEPARATOR):
                current = line[1:]
                continue
            match = _BASH_LINE.match(line)
            if current is None or not match or current in reported:
                continue
            message = match.group("message")
            if message.startswith("`"):
                continue
            reported.add(current)
            found.append((current, ShellFinding("bash", int(match.group("line")), 1, message)))
        return found

    @staticmethod
    def _parse_shellcheck(out: str) -> list[tuple[str, ShellFinding]]:
        try:
            data = json.loads(out or "{}")
        except ValueError:
            return []
        found = []
        for comment in data.get("comments", []):
            if comment.get("level") != "error":
                continue
            found.append((comment.get("file", ""), ShellFinding("shellcheck", int(comment.get("line", 1)),
                                                                int(comment.get("column", 1)), str(comment.get("message", "")),
                                                                f"SC{comment.get('code', '')}")))
        return found
