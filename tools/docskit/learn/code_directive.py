"""The `:::code attr="value" ...:::` directive: attributes, exact columns, syntax problems.

DocFX rules: values must be double-quoted, attribute names are case-insensitive,
`::: code` may have a space, the space before the closing `:::` is optional,
unknown and repeated attributes are errors.
"""

from __future__ import annotations

import re

from docskit.catalog import lookup
from docskit.diagnostics import Diagnostic
from docskit.learn.containers import split_prefix
from docskit.learn.items import Attribute, CodeDirective

KNOWN_ATTRIBUTES = ("source", "language", "id", "range", "highlight", "interactive")
_START = re.compile(r":::\s*code(?=\s|:|$)", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z][\w-]*")


def parse_code_directive(path: str, line_no: int, line: str) -> tuple[CodeDirective | None, list[Diagnostic]]:
    if ":::" not in line:  # most lines: spare the prefix split and the match
        return None, []
    prefix, rest = split_prefix(line)
    start = _START.match(rest)
    if not start:
        return None, []
    column = len(prefix) + 1
    body = rest[start.end() :]
    problems: list[Diagnostic] = []
    stripped = body.rstrip()
    if not stripped.endswith(":::"):
        problems.append(_diag(path, line_no, column, "DIR004", "`:::code` is not closed with `:::` on the same line"))
    else:
        body = stripped[:-3]
    attrs: list[Attribute] = []
    seen: set[str] = set()
    offset = column - 1 + start.end()
    pos = 0
    while pos < len(body):
        if body[pos].isspace():
            pos += 1
            continue
        name_match = _NAME.match(body, pos)
        if not name_match:
            problems.append(
                _diag(path, line_no, offset + pos + 1, "DIR004", f"unexpected text `{body[pos:].strip()}` in `:::code`")
            )
            break
        name = name_match.group(0).lower()
        name_col = offset + pos + 1
        pos = name_match.end()
        if pos >= len(body) or body[pos] != "=":
            problems.append(
                _diag(path, line_no, name_col, "DIR004", f'attribute `{name}` has no value; write {name}="…"')
            )
            value, quoted = "", False
        else:
            pos += 1
            if pos < len(body) and body[pos] == '"':
                close = body.find('"', pos + 1)
                if close < 0:
                    problems.append(
                        _diag(path, line_no, name_col, "DIR004", f"the value of `{name}` has no closing double quote")
                    )
                    value, quoted, pos = body[pos + 1 :], False, len(body)
                else:
                    value, quoted, pos = body[pos + 1 : close], True, close + 1
            else:
                end = pos
                while end < len(body) and not body[end].isspace():
                    end += 1
                value, quoted = body[pos:end].strip("'"), False
                problems.append(
                    _diag(
                        path,
                        line_no,
                        name_col,
                        "DIR004",
                        f'the value of `{name}` must be in double quotes: {name}="{value}"',
                    )
                )
                pos = end
        if name in seen:
            problems.append(_diag(path, line_no, name_col, "DIR002", f"attribute `{name}` is given more than once"))
        elif name not in KNOWN_ATTRIBUTES:
            problems.append(
                _diag(
                    path,
                    line_no,
                    name_col,
                    "DIR001",
                    f"unexpected attribute `{name}`",
                    "known attributes: " + ", ".join(KNOWN_ATTRIBUTES),
                )
            )
        seen.add(name)
        attrs.append(Attribute(name, value, name_col, quoted))
    directive = CodeDirective(line_no, column, line, tuple(attrs), prefix)
    if not directive.source:
        problems.append(_diag(path, line_no, column, "DIR003", "`:::code` needs a `source` attribute"))
    if directive.id is not None and directive.range is not None:
        problems.append(
            _diag(
                path,
                line_no,
                directive.column_of("range"),
                "DIR005",
                "`id` and `range` together: DocFX uses `id` and ignores `range`",
                "remove one of them",
            )
        )
    return directive, problems


def _diag(path: str, line: int, column: int, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(path, line, column, code, message, lookup(code).severity, hint)
