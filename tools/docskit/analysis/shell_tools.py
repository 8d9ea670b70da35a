"""`bash -n` and `shellcheck` over many shell texts with few processes, results cached.

A docset holds thousands of small fenced shell blocks; a process per block would
dominate a cold run. So a batch (texts queued while the previous batch ran,
checked in a background thread) costs:

- one `bash` process: each text is parsed by `eval` in a forked subshell that
  first sets `-n`, which is `bash -n` without starting bash again (a probe makes
  sure nothing runs; see `_EVAL_LOOP`);
- one shellcheck per core over files of about `CHUNK_LINES` lines, each holding
  many texts (shellcheck is slowest on many tiny files). A file only ever answers
  "no finding" for its texts, and only when bash was happy with all of them and
  shellcheck could parse it; a text with a finding, and every text of a doubtful
  file, is checked again alone, so a report is always what the tools say of the
  text by itself.

Results are keyed by the text's digest and kept in the run cache, so an
unchanged text is never checked twice.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from docskit.analysis.placeholders import mask_placeholders
from docskit.analysis.priority import in_background
from docskit.sourcefile import text_digest

_SEPARATOR = "\x1e"
PARSE_ERROR_CODES = range(1000, 1200)  # shellcheck's SC1xxx: it could not parse


@dataclass(frozen=True)
class ShellFinding:
    tool: str  # "bash" | "shellcheck"
    line: int  # 1-based line of the checked text
    column: int  # 1-based (1 when the tool gives none)
    message: str
    code: str = ""  # e.g. SC2086


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
            k: [ShellFinding(*v) for v in values] for k, values in (stored or {}).items()
        }
        self.new: set[str] = set()
        self._changed = threading.Condition()
        self._queued: dict[str, str] = {}  # digest -> text, for the next batch
        self._running: set[str] = set()  # digests of the batch under way
        self._failed: dict[str, BaseException] = {}
        self._worker: threading.Thread | None = None
        self._digests: dict[str, str] = {}  # text -> digest: a script is asked about by every snippet of it

    def stored(self) -> dict[str, list[list]]:
        return {
            k: [[f.tool, f.line, f.column, f.message, f.code] for f in v] for k, v in self.results_by_digest.items()
        }

    def _digest(self, text: str) -> str:
        found = self._digests.get(text)
        if found is None:
            found = self._digests[text] = text_digest(text)
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
            except Exception as exc:  # noqa: BLE001 - reported by `results`, in the rule that asked
                with self._changed:
                    self._failed.update((key, exc) for key in todo)
            with self._changed:
                self._running = set()
                self._changed.notify_all()

    # -- running the tools --------------------------------------------------------------

    def _run_batch(self, todo: dict[str, str]) -> None:
        texts = {key: _as_script(text) for key, text in todo.items()}
        results: dict[str, list[ShellFinding]] = {key: [] for key in texts}
        with tempfile.TemporaryDirectory(prefix="check-snippets-sh-") as folder:
            bash_job = self._start_bash(texts, folder) if self.bash else None
            chunks = plan_chunks(texts) if bash_job is not None else [[key] for key in texts]
            checked = self._start_shellcheck_chunks(texts, chunks, folder) if self.shellcheck else []
            bash_output = bash_job.finish() if bash_job is not None else {}
            for key, found in bash_output.items():
                results[key].extend(found)
            if self.shellcheck:
                alone = self._shellcheck_results(checked, results, texts)
                if alone:
                    again = self._start_shellcheck_chunks(texts, [[key] for key in sorted(alone)], folder, "alone")
                    for chunk, findings in self._finish_shellcheck(again):
                        results[chunk.keys[0]].extend(f for _, f in findings)
        with self._changed:
            for key, found in results.items():
                syntax = any(f.tool == "bash" for f in found)
                kept = [
                    f
                    for f in found
                    if not (syntax and f.tool == "shellcheck" and f.code and int(f.code[2:] or 0) in PARSE_ERROR_CODES)
                ]
                self.results_by_digest[key] = kept
                self.new.add(key)

    def _shellcheck_results(
        self,
        checked: list[tuple[subprocess.Popen, list[_Chunk]]],
        results: dict[str, list[ShellFinding]],
        texts: dict[str, str],
    ) -> set[str]:
        """Take the chunks' answers; return the texts to check again alone.

        A chunk answers only "no finding" for its texts, and only when none of them
        worried bash and shellcheck parsed it: then each text, alone, has no finding
        either. A text with a finding, and every text of a doubtful chunk, is checked
        alone, so what is reported is always what shellcheck says of the text by itself.
        """
        alone: set[str] = set()
        for chunk, findings in self._finish_shellcheck(checked):
            if len(chunk.keys) == 1:
                results[chunk.keys[0]].extend(f for _, f in findings)
                continue
            doubtful = any(results[key] for key in chunk.keys) or any(
                f.code and int(f.code[2:] or 0) in PARSE_ERROR_CODES for _, f in findings
            )
            if doubtful:
                alone.update(chunk.keys)
            else:
                alone.update(key for key, _ in findings)
        return alone

    def _start_bash(self, texts: dict[str, str], folder: str) -> _BashJob:
        return _BashJob(self.bash, texts, folder)

    def _start_shellcheck_chunks(
        self, texts: dict[str, str], chunks: list[list[str]], folder: str, prefix: str = "chunk"
    ) -> list[tuple[subprocess.Popen, list[_Chunk]]]:
        """Write each chunk to a file and start one shellcheck per core over its share of the files."""
        written: list[_Chunk] = []
        for number, keys in enumerate(chunks):
            name = os.path.join(folder, f"{prefix}-{number}.sh")
            starts, line = [], 1
            with open(name, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as handle:
                for key in keys:
                    starts.append(line)
                    handle.write(texts[key])
                    line += texts[key].count("\n")
            written.append(_Chunk(name, keys, starts))
        if not written:
            return []
        shares = max(1, min(os.cpu_count() or 1, len(written)))
        jobs = []
        for share in range(shares):
            part = written[share::shares]
            command = [self.shellcheck, "--norc", "-s", "bash", "-S", "error", "-f", "json1", *(c.file for c in part)]
            jobs.append(
                (
                    in_background(
                        subprocess.Popen(
                            command,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL,
                            text=True,
                            errors="replace",
                        )
                    ),
                    part,
                )
            )
        return jobs

    def _finish_shellcheck(
        self, jobs: list[tuple[subprocess.Popen, list[_Chunk]]]
    ) -> Iterator[tuple[_Chunk, list[tuple[str, ShellFinding]]]]:
        for process, part in jobs:
            try:
                out, _ = process.communicate(timeout=TOOL_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                out = ""
            by_file: dict[str, list[ShellFinding]] = {}
            for name, finding in self._parse_shellcheck(out):
                by_file.setdefault(name, []).append(finding)
            for chunk in part:
                yield chunk, [chunk.locate(f) for f in by_file.get(chunk.file, [])]

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
            found.append(
                (
                    comment.get("file", ""),
                    ShellFinding(
                        "shellcheck",
                        int(comment.get("line", 1)),
                        int(comment.get("column", 1)),
                        str(comment.get("message", "")),
                        f"SC{comment.get('code', '')}",
                    ),
                )
            )
        return found


TOOL_TIMEOUT = 300  # seconds for one bash or shellcheck process; past it, its texts count as checked with no finding
CHUNK_LINES = 120  # shellcheck is fastest on files of about this size: small files cost a start each, big ones grow worse than linearly


def _as_script(text: str) -> str:
    """The text as it is checked: placeholders made words, one newline at the end."""
    shell = mask_placeholders(text)  # `<subscription-ID>` is a word the reader types, not a redirection
    return shell if shell.endswith("\n") else shell + "\n"


def chunkable(text: str) -> bool:
    """Whether `text` can share a shellcheck file with others without changing what shellcheck says of it.

    Not a text with a `# shellcheck` directive (one before the first command applies
    to the whole file), a byte-order mark or NUL, or a last line continued by `\\`.
    """
    return (
        "shellcheck" not in text.lower()
        and "\ufeff" not in text
        and "\0" not in text
        and not text.rstrip("\n").endswith("\\")
    )


def plan_chunks(texts: dict[str, str]) -> list[list[str]]:
    """Group texts into files of about CHUNK_LINES lines; a text with a shebang opens a file (it must be line 1)."""
    chunks: list[list[str]] = []
    current: list[str] = []
    lines = 0
    for key, text in texts.items():
        if not chunkable(text):
            chunks.append([key])
            continue
        count = text.count("\n")
        if current and (lines + count > CHUNK_LINES or text.startswith("#!")):
            chunks.append(current)
            current, lines = [], 0
        current.append(key)
        lines += count
    if current:
        chunks.append(current)
    return chunks


@dataclass
class _Chunk:
    file: str
    keys: list[str]
    starts: list[int]  # the 1-based line of the file where each text begins

    def locate(self, finding: ShellFinding) -> tuple[str, ShellFinding]:
        index = max(bisect.bisect_right(self.starts, finding.line) - 1, 0)
        return self.keys[index], replace(finding, line=finding.line - self.starts[index] + 1)


# Each text is parsed by `eval` in a forked subshell that first sets `-n` (read, never execute):
# what `bash -n` does, at the cost of a fork instead of starting bash again. A probe that would
# print if anything ran comes first; the loop stops (exit 3) before any text if it does, and the
# texts are checked the old way, one `bash -n` each. The probe's syntax error also tells how far
# eval's line numbers are shifted.
_PROBE = "printf '%s\\n' DOCSKIT_EXECUTED\n)\n"
_EVAL_LOOP = (  # one line, so that every eval starts on the same line of it
    "n=$'set -n\\n'; "
    'probe=$( ( eval "$n$1" ) 2>&1 ); case $probe in *DOCSKIT_EXECUTED*) exit 3;; esac; '
    'printf "\\036probe\\n%s\\n" "$probe"; '
    "while IFS= read -r -d '' key && IFS= read -r -d '' text; do "
    'printf "\\036%s\\n" "$key"; ( eval "$n$text" ) 2>&1; done'
)
_FILE_LOOP = 'for f; do printf "\\036%s\\n" "${f##*/}"; bash -n "$f" 2>&1; done'
_BASH_MESSAGE = re.compile(r"^(?:[^:\n]*: )?(?:eval: )?line (?P<line>\d+): (?P<message>.*)$")
_HEREDOC_LINE = re.compile(r"(here-document at line )(\d+)")


class _BashJob:
    """`bash -n` on every text, with one bash process (see `_EVAL_LOOP`)."""

    def __init__(self, bash: str, texts: dict[str, str], folder: str) -> None:
        self.bash, self.texts, self.folder = bash, texts, folder
        stream = "".join(f"{key}\0{text}\0" for key, text in texts.items() if "\0" not in text)
        self.leftover = [key for key, text in texts.items() if "\0" in text]
        stream_file = os.path.join(folder, "texts.bin")
        with open(stream_file, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as handle:
            handle.write(stream)
        with open(stream_file, "rb") as stdin:
            self.process = in_background(
                subprocess.Popen(
                    [bash, "-c", _EVAL_LOOP, "check", _PROBE],
                    stdin=stdin,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    errors="replace",
                )
            )

    def finish(self) -> dict[str, list[ShellFinding]]:
        try:
            out, _ = self.process.communicate(timeout=TOOL_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            return {}
        if self.process.returncode == 3:  # this bash executed the probe: never trust the eval loop
            return self._by_file(list(self.texts))
        sections = _sections(out)
        shift = _probe_shift(sections.pop("probe", []))
        found = {key: _first_error(lines, shift) for key, lines in sections.items()}
        found.update(self._by_file(self.leftover))
        return {key: [f] for key, f in found.items() if f is not None and key in self.texts}

    def _by_file(self, keys: list[str]) -> dict[str, list[ShellFinding]]:
        """One `bash -n` per text: the slow way, for texts the loop cannot take."""
        if not keys:
            return {}
        for key in keys:
            with open(
                os.path.join(self.folder, key + ".sh"), "w", encoding="utf-8", errors="surrogateescape", newline="\n"
            ) as handle:
                handle.write(self.texts[key])
        done = subprocess.run(
            [self.bash, "-c", _FILE_LOOP, "check", *(os.path.join(self.folder, key + ".sh") for key in keys)],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TOOL_TIMEOUT,
        )
        found = {name.removesuffix(".sh"): _first_error(lines, 0) for name, lines in _sections(done.stdout).items()}
        return {key: [f] for key, f in found.items() if f is not None}


def _sections(out: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in out.split("\n"):
        if line.startswith(_SEPARATOR):
            current = sections.setdefault(line[1:], [])
        elif current is not None:
            current.append(line)
    return sections


def _probe_shift(lines: list[str]) -> int:
    """How many lines eval adds before the text (the probe's error is on its line 2)."""
    for line in lines:
        match = _BASH_MESSAGE.match(line)
        if match:
            return int(match.group("line")) - 2
    return 0


def _first_error(lines: list[str], shift: int) -> ShellFinding | None:
    """The first message bash gives for a text (not the echo of the offending line), at the text's own line."""
    for line in lines:
        match = _BASH_MESSAGE.match(line)
        if not match or match.group("message").startswith("`"):
            continue
        message = _HEREDOC_LINE.sub(lambda m: m.group(1) + str(int(m.group(2)) - shift), match.group("message"))
        return ShellFinding("bash", int(match.group("line")) - shift, 1, message)
    return None
