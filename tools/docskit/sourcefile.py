"""Reading a text file once and counting its lines the way an editor does.

A final line without a newline is still a line; CRLF and LF both end a line; a
UTF-8 BOM is dropped. A file that is binary or not UTF-8 is not an exception
but a `SourceFile` carrying the reason, so callers report it and move on.

Every file the toolkit reads (pages, includes, `:::code` sources, notebooks) comes
through here, so one bound holds for all: a file over `MAX_FILE_BYTES` is refused by
its size, read no further than that, and reported like an unreadable file. No page or
sample a reader is shown comes near it; a page that shows a 50 MB file would cost the
site half a minute and gigabytes of highlighting.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

BOM = "\ufeff"
MAX_FILE_BYTES = 16 * 2**20
_NEWLINE = re.compile(r"\n")


@dataclass
class SourceFile:
    path: Path
    text: str = ""
    lines: list[str] = field(default_factory=list)
    ends_with_newline: bool = False
    had_bom: bool = False
    crlf: bool = False
    digest: str = ""
    problem: str | None = None  # "missing" | "binary" | "not-utf8" | "unreadable"
    problem_detail: str = ""
    # (line, column) of the first undecodable byte, for "not-utf8"
    problem_at: tuple[int, int] = (0, 0)

    @property
    def ok(self) -> bool:
        return self.problem is None


def split_lines(text: str) -> tuple[list[str], bool]:
    """Editor-style lines: returns the lines and whether the text ends with a newline."""
    if not text:
        return [], False
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    ends = normalized.endswith("\n")
    lines = normalized.split("\n")
    if ends:
        lines.pop()
    return lines, ends


def line_starts(text: str) -> list[int]:
    """The offset in `text` where each of its `\n`-separated lines starts."""
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]


def line_column(starts: list[int], offset: int) -> tuple[int, int]:
    """The 0-based (line, column) of `offset`, given the `line_starts` of its text."""
    line = bisect.bisect_right(starts, offset) - 1
    return line, offset - starts[line]


def text_digest(text: str) -> str:
    """A short digest of a text (lone surrogates included), for keying work done once per text."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def decode(path: Path, data: bytes) -> SourceFile:
    digest = hashlib.sha256(data).hexdigest()
    if b"\x00" in data[:8192]:
        return SourceFile(path, digest=digest, problem="binary", problem_detail="the file contains NUL bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return SourceFile(
            path,
            digest=digest,
            problem="not-utf8",
            problem_detail=f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid UTF-8",
            problem_at=(line, column),
        )
    had_bom = text.startswith(BOM)
    if had_bom:
        text = text[1:]
    lines, ends = split_lines(text)
    return SourceFile(path, text, lines, ends, had_bom, "\r\n" in text, digest)


def read_source_file(path: Path) -> SourceFile:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return SourceFile(path, problem="missing", problem_detail="no such file")
    except IsADirectoryError:
        return SourceFile(path, problem="unreadable", problem_detail="it is a directory")
    except OSError as exc:
        return SourceFile(path, problem="unreadable", problem_detail=exc.strerror or str(exc))
    if len(data) > MAX_FILE_BYTES:
        return SourceFile(
            path,
            problem="unreadable",
            problem_detail=f"it is larger than {MAX_FILE_BYTES // 2**20} MiB, the limit for any file read",
        )
    return decode(path, data)


class SourceCache:
    """Each file is read and decoded once per run, however many directives use it."""

    def __init__(self) -> None:
        self._files: dict[Path, SourceFile] = {}
        self.reads = 0

    def get(self, path: Path) -> SourceFile:
        found = self._files.get(path)
        if found is None:
            self.reads += 1
            found = read_source_file(path)
            self._files[path] = found
        return found

    def __contains__(self, path: Path) -> bool:
        return path in self._files

    def files(self) -> list[SourceFile]:
        return list(self._files.values())
