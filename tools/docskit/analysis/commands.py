"""Simple commands of a shell snippet, each word with its line and column.

Most snippets (command lists, `if`/`for`/`while` around them, `$(…)` captures,
redirections) are read by the one-pass reader of `shell_reader`, which agrees
with bashlex word for word where both read a snippet and is far faster. What it
does not follow (heredocs, `case`, functions) goes to `bashlex`, compound
constructs one at a time where the shape allows; where bashlex gives up too, the
snippet is split line by line with `shlex`, cutting at `;`, `&&`, `||` and `|`.
Results are memoised by text: an article shows the same region many times.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from docskit.analysis.shell_reader import read_commands
from docskit.sourcefile import line_column, line_starts, text_digest

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True)
class Word:
    text: str  # the word with quotes removed (expansions kept, e.g. `$NAME`)
    line: int  # 0-based line of the snippet
    column: int  # 0-based column


@dataclass(frozen=True)
class SimpleCommand:
    words: tuple[Word, ...]

    @property
    def argv(self) -> list[str]:
        return [w.text for w in self.words]

    @property
    def program(self) -> str:
        return self.words[0].text if self.words else ""


def _with_bashlex(text: str, first_line: int = 0) -> list[SimpleCommand] | None:
    try:
        import bashlex
    except ImportError:  # pragma: no cover - bashlex is a dependency
        return None
    try:
        trees = bashlex.parse(text)
    except Exception:  # noqa: BLE001 - bashlex raises its own errors and, on odd input, plain ones
        return None
    starts = line_starts(text)
    found: list[tuple[int, SimpleCommand]] = []

    def walk(node: object) -> None:
        kind = getattr(node, "kind", None)
        if kind == "command":
            words = []
            for part in node.parts:
                if getattr(part, "kind", None) == "word":
                    line, column = line_column(starts, part.pos[0])
                    words.append(Word(part.word, first_line + line, column))
            if words:
                found.append((node.pos[0], SimpleCommand(tuple(words))))
        for attr in ("parts", "list"):
            for child in getattr(node, attr, None) or ():
                walk(child)
        for attr in ("command", "body"):
            child = getattr(node, attr, None)
            if child is not None and hasattr(child, "kind"):
                walk(child)

    for tree in trees:
        walk(tree)
    found.sort(key=lambda item: item[0])
    return [command for _, command in found]


_SUBSTITUTION = re.compile(r"\$\(([^()]*)\)|`([^`]*)`")


def _logical_lines(text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Join `\\` continuations; each character keeps its (line, column) in the snippet."""
    out: list[tuple[str, list[tuple[int, int]]]] = []
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    for number, line in enumerate(text.split("\n")):
        body = line.rstrip()
        continued = body.endswith("\\")
        if continued:
            body = body[:-1]
        for column, ch in enumerate(body):
            chars.append(ch)
            where.append((number, column))
        if continued:
            chars.append(" ")
            where.append((number, len(body)))
            continue
        out.append(("".join(chars), where))
        chars, where = [], []
    if chars:
        out.append(("".join(chars), where))
    return out


def shell_words(line: str, punctuation: str = ";&|") -> list[str]:
    """The words of one shell line as POSIX shell splits them, `punctuation` runs as words of their own;
    a `#` comment ends the line. ValueError for an unclosed quote or a trailing escape."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=punctuation)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def _split_line(line: str, where: list[tuple[int, int]], commands: list[SimpleCommand]) -> None:
    for match in _SUBSTITUTION.finditer(line):  # commands inside $(…) and `…` count too
        group = 1 if match.group(1) is not None else 2
        _split_line(match.group(group), where[match.start(group) : match.end(group)], commands)
    masked = _SUBSTITUTION.sub(lambda m: "$" + "_" * (len(m.group(0)) - 1), line)
    try:
        tokens = shell_words(masked)
    except ValueError:
        return
    current: list[Word] = []
    search_from = 0
    for token in tokens:
        if token and set(token) <= set(";&|"):
            if current:
                commands.append(SimpleCommand(tuple(current)))
            current = []
            search_from = masked.find(token, search_from) + len(token)
            continue
        at = masked.find(token, search_from)  # the word as written; a quoted one is found by its first character
        width = len(token) if at >= 0 else 1
        if at < 0:
            at = masked.find(token[:1], search_from)
        column = at if at >= 0 else search_from
        search_from = column + width
        if not current and _ASSIGNMENT.match(token):
            continue
        line_no, col = where[column] if column < len(where) else (where[-1] if where else (0, 0))
        current.append(Word(token, line_no, col))
    if current:
        commands.append(SimpleCommand(tuple(current)))


def _with_shlex(text: str, first_line: int = 0) -> list[SimpleCommand]:
    commands: list[SimpleCommand] = []
    for line, where in _logical_lines(text):
        if first_line:
            where = [(number + first_line, column) for number, column in where]
        if line.strip() and not line.lstrip().startswith("#"):
            _split_line(line, where, commands)
    return commands


_MEMO: dict[str, tuple[SimpleCommand, ...]] = {}


_COMPOUND = re.compile(
    r"(?:^|[;&|(]\s*)(?:if|then|else|elif|fi|for|while|until|do|done|case|esac|function|select)\b"
    r"|<<|\(\(|^\s*\(|[{}]\s*$|\[\[",
    re.MULTILINE,
)


_EXPANSION = re.compile(r"\$\([^()\n]*\)|\$\{[^{}\n]*\}")  # `$(…)` and `${…}` on one line: no subshell, no block
_OPENS = re.compile(r"^\s*(?:if|for|while|until|case|select)\b")
_CLOSES = re.compile(r"^\s*(?:fi|done|esac)\b\s*(?:[;&|#].*)?$")
_UNSPLITTABLE = re.compile(
    r"<<|\\$|[{}()]|\b(?:function|then|else|elif|do)\b.*\b(?:if|for|while|until|case|select)\b", re.MULTILINE
)


def _with_chunks(text: str) -> list[SimpleCommand] | None:
    """Compound shell read by bashlex one construct at a time, the plain lines around it by the line reader.

    Only for the simple shape: each construct opens on a line of its own (`if`, `for`,
    `while`, …) and closes on a line of its own at the same nesting (`fi`, `done`, `esac`),
    with no heredoc, continuation, brace or subshell. None otherwise (or when bashlex
    gives up on a construct): the caller reads the whole text as before.
    """
    if _UNSPLITTABLE.search(_EXPANSION.sub("$_", text)):
        return None
    lines = text.split("\n")
    commands: list[SimpleCommand] = []
    depth, start = 0, 0
    for number, line in enumerate(lines):
        if _OPENS.match(line):
            if depth == 0:
                start = number
            depth += 1
            if not _single_line_construct(line):
                continue
            depth -= 1
        elif depth > 0 and _CLOSES.match(line):
            depth -= 1
            if depth > 0:
                continue
        elif depth == 0:
            if _COMPOUND.search(line):
                return None
            commands.extend(_with_shlex(line, number))
            continue
        else:
            continue
        if depth == 0:
            parsed = _with_bashlex("\n".join(lines[start : number + 1]), start)
            if parsed is None:
                return None
            commands.extend(parsed)
    return commands if depth == 0 else None


def _single_line_construct(line: str) -> bool:
    """`if …; then …; fi` or `for …; do …; done` written on one line."""
    return bool(re.search(r"[;&]\s*(?:fi|done|esac)\s*(?:[;&|#].*)?$", line))


def _with_reader(text: str) -> list[SimpleCommand] | None:
    read = read_commands(text)
    if read is None:
        return None
    return [SimpleCommand(tuple(Word(word, line, column) for word, line, column in command)) for command in read]


def simple_commands(text: str) -> tuple[SimpleCommand, ...]:
    """The one-pass reader first; then bashlex for compound shell (construct by construct where it can),
    and the line reader where bashlex gives up. Memoised by the text's digest."""
    key = text_digest(text)
    found = _MEMO.get(key)
    if found is None:
        parsed = _with_reader(text)
        if parsed is None and _COMPOUND.search(text):
            parsed = _with_chunks(text)
            if parsed is None:
                parsed = _with_bashlex(text)
        found = tuple(parsed if parsed is not None else _with_shlex(text))
        if len(_MEMO) > 50_000:
            _MEMO.clear()
        _MEMO[key] = found
    return found
