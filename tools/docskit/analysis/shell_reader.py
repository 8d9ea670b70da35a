"""The simple commands of a shell snippet, read in one linear pass: the usual snippet never reaches bashlex.

What a docs snippet holds is a list of commands, now and then an `if`, a `for` or a
`while` around a few of them, a `$(…)` capture, a redirection. This reader knows
that much of the shell grammar: operators and newlines end a command, reserved
words that open or close a construct are not commands (`if`, `then`, `do`, `done`,
`fi`, `!`, …), the head of `for NAME in WORDS` and a `[[ … ]]` or `(( … ))` test
are not commands either, redirections and leading assignments are not words of the
command, and the commands inside `$(…)` and backticks are commands too.

A Learn placeholder (`<resource-group>`) is a word, as the reader will type one there.
Anything else (a heredoc, `case`, a function definition, a brace group, process
substitution, `$'…'` quoting, a quote left open) returns None, and the caller reads
the snippet with a full parser. Words are reported as bashlex reports them: quotes
removed, expansions kept as written, at the position where the word starts.
"""

from __future__ import annotations

import re

from docskit.analysis.placeholders import PLACEHOLDER
from docskit.sourcefile import line_column, line_starts

Word = tuple[str, int]  # (the word with quotes removed, its offset in the text)

_RESERVED = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "time"})
_HEADS = frozenset({"for", "select"})  # `for NAME in WORDS`: words, not a command
_UNSUPPORTED = frozenset({"case", "esac", "function", "{", "}", "coproc"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")

_BLANK = re.compile(r"(?:[ \t]+|\\\n)+")
_OPERATOR = re.compile(r"&&|\|\||;;|\|&|[;&|\n()]")
_REDIRECT = re.compile(r"[0-9]*(?:&>>|&>|>>|>&|<&|<>|>\||>|<(?!<))")
_PLAIN = re.compile(r"[^\s;&|()<>'\"\\$`]+")
_SINGLE = re.compile(r"'[^']*'")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_PARAMETER = re.compile(r"\$(?:\{[^{}'\"`$]*\}|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])")


class Unsupported(Exception):
    """The snippet uses shell this reader does not follow; a full parser must read it."""


class _Reader:
    def __init__(self, text: str, base: int, found: list[tuple[int, list[Word]]]) -> None:
        self.text, self.at, self.base, self.found = text, 0, base, found

    def fail(self) -> None:
        raise Unsupported(self.text[self.at : self.at + 20])

    def read(self) -> None:
        words: list[Word] = []
        skipping = False  # inside a `for` head, `[[ … ]]` or `(( … ))` until the command ends
        closer = ""
        text = self.text
        while True:
            blank = _BLANK.match(text, self.at)
            if blank:
                self.at = blank.end()
            if self.at >= len(text):
                break
            char = text[self.at]
            if char == "#" and (self.at == 0 or text[self.at - 1] in " \t\n;&|()"):
                end = text.find("\n", self.at)
                self.at = len(text) if end < 0 else end
                continue
            operator = _OPERATOR.match(text, self.at)
            if closer:  # inside `[[ … ]]`, `&&`, `<` and `(` are the test's own
                inside = operator or _REDIRECT.match(text, self.at)
                if inside:
                    self.at = inside.end()
                    continue
            if operator:
                self.at = operator.end()
                if operator.group() == "(" and (words or text.startswith("((", operator.start())):
                    self.fail()  # `name()`: a function definition; `(( … ))`: arithmetic
                self._end(words)
                words, skipping = [], False
                continue
            redirect = None if PLACEHOLDER.match(text, self.at) else _REDIRECT.match(text, self.at)
            if redirect:
                self.at = redirect.end()
                blank = _BLANK.match(text, self.at)
                if blank:
                    self.at = blank.end()
                if self.at >= len(text) or text[self.at] in "\n;&|()<>":
                    if redirect.group().endswith("&"):  # `>&` before an operator: bash says it, not us
                        continue
                    self.fail()
                self._word()  # the target is no word of the command
                continue
            if text.startswith("<<", self.at) or text.startswith("<(", self.at) or text.startswith(">(", self.at):
                self.fail()  # heredocs, here-strings and process substitution
            start = self.at
            word = self._word()
            if closer:
                if word == closer:
                    closer = ""
                continue
            if skipping:
                continue
            if not words:
                if word in _UNSUPPORTED:
                    self.fail()
                if word in _RESERVED:
                    continue
                if word in _HEADS:
                    skipping = True
                    continue
                if word == "[[":
                    closer = "]]"
                    continue
                if _ASSIGNMENT.match(word) and text[start] not in "'\"\\":
                    continue
            words.append((word, self.base + start))
        if closer:
            self.fail()
        self._end(words)

    def _end(self, words: list[Word]) -> None:
        if words:
            self.found.append((words[0][1], words))

    def _word(self) -> str:
        """Read one word at `self.at`; return it unquoted, reading the commands of its substitutions."""
        text = self.text
        pieces: list[str] = []
        start = self.at
        while self.at < len(text):
            char = text[self.at]
            if char in " \t\n;&|()<>":
                placeholder = PLACEHOLDER.match(text, self.at) if char == "<" else None
                if placeholder is None:
                    break
                pieces.append(placeholder.group())  # `<resource-group>`: a value the reader types
                self.at = placeholder.end()
                continue
            if char == "\\":
                if self.at + 1 >= len(text):
                    self.fail()
                if text[self.at + 1] != "\n":
                    pieces.append(text[self.at + 1])
                self.at += 2
                continue
            if char == "'":
                match = _SINGLE.match(text, self.at)
                if match is None:
                    self.fail()
                pieces.append(match.group()[1:-1])
                self.at = match.end()
                continue
            if char == '"':
                self._double(pieces)
                continue
            if char == "`":
                end = text.find("`", self.at + 1)
                if end < 0 or "\\" in text[self.at : end]:
                    self.fail()
                self._substitution(self.at + 1, end)
                pieces.append(text[self.at : end + 1])
                self.at = end + 1
                continue
            if char == "$":
                self._dollar(pieces)
                continue
            match = _PLAIN.match(text, self.at)
            assert match is not None  # every other character is plain
            pieces.append(match.group())
            self.at = match.end()
        if self.at == start:
            self.fail()
        return "".join(pieces)

    def _double(self, pieces: list[str]) -> None:
        """A double-quoted part: escapes removed, expansions kept, substitutions read for their commands."""
        text = self.text
        self.at += 1
        while True:
            if self.at >= len(text):
                self.fail()
            char = text[self.at]
            if char == '"':
                self.at += 1
                return
            if char == "\\" and self.at + 1 < len(text):
                following = text[self.at + 1]
                if following in '$`"\\':
                    pieces.append(following)
                elif following != "\n":
                    pieces.append("\\" + following)
                self.at += 2
            elif char == "$":
                self._dollar(pieces)
            elif char == "`":
                self.fail()
            else:
                end = self.at
                while end < len(text) and text[end] not in '"\\$`':
                    end += 1
                pieces.append(text[self.at : end])
                self.at = end

    def _dollar(self, pieces: list[str]) -> None:
        text = self.text
        if text.startswith("$((", self.at):
            end = _closing(text, self.at + 1)
            pieces.append(text[self.at : end + 1])  # arithmetic: no command inside to speak of
            self.at = end + 1
        elif text.startswith("$(", self.at):
            end = _closing(text, self.at + 1)
            if end < 0:
                self.fail()
            self._substitution(self.at + 2, end)
            pieces.append(text[self.at : end + 1])
            self.at = end + 1
        elif text.startswith("$'", self.at) or text.startswith('$"', self.at):
            self.fail()
        else:
            match = _PARAMETER.match(text, self.at)
            if match is None and text.startswith("${", self.at):
                self.fail()
            token = match.group() if match else "$"
            pieces.append(token)
            self.at += len(token)

    def _substitution(self, start: int, end: int) -> None:
        """Read the commands of `$(…)` or backticks, whose text runs from `start` to `end` (excluded)."""
        _Reader(self.text[start:end], self.base + start, self.found).read()


def _closing(text: str, opening: int) -> int:
    """The index of the `)` matching the `(` at `opening`, skipping quoted text; -1 when there is none."""
    depth = 0
    at = opening
    while at < len(text):
        char = text[at]
        if char == "\\":
            at += 2
            continue
        if char == "'":
            end = text.find("'", at + 1)
            if end < 0:
                return -1
            at = end + 1
            continue
        if char == '"':
            match = _QUOTED.match(text, at)
            if match is None:
                return -1
            at = match.end()
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    return -1


def read_commands(text: str) -> list[list[tuple[str, int, int]]] | None:
    """Each simple command of `text` in source order, as (word, 0-based line, 0-based column) triples,
    or None when the snippet needs a full parser."""
    found: list[tuple[int, list[Word]]] = []
    try:
        _Reader(text, 0, found).read()
    except (Unsupported, RecursionError):
        return None
    starts = line_starts(text)
    found.sort(key=lambda item: item[0])
    return [[(word, *line_column(starts, offset)) for word, offset in words] for _, words in found]
