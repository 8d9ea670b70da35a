"""Python that does not compile: a fenced block, a `:::code` snippet or a notebook cell.

A reader pastes the code into a notebook or a script; code that does not parse
fails at once. Each Python snippet is compiled (to an AST only: nothing runs)
with the checker's own Python, as a notebook would run it, so a top-level
`await` is allowed. What a notebook accepts and Python does not is set aside
first: line magics and shell escapes (`%pip install …`, `!az login`,
`files = !ls`) are read as `pass`, and a cell whose first line is a cell magic
other than a timing one (`%%writefile`, `%%bash`) is not Python and is skipped.
A `<placeholder>` the reader replaces (Learn's convention) reads as a name, and
in a REPL session (`>>> ` prompts) only the input lines are read.

A `:::code` region is often a fragment (an `else:` branch, a method without
its class): when the shown lines do not compile on their own, the whole file
is compiled, and the error is reported only when the file itself does not
compile at a line the snippet shows.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable

from docskit.analysis.context import ArticleContext, Snippet
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.snippets.notebooks import notebook_text as notebook

PYTHON_LANGUAGES = frozenset({"python", "py", "python3", "ipython", "ipython3"})
# cell magics whose body is Python that runs as usual
PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

# commands that, written in a Python block, are a shell step labelled as Python
SHELL_COMMANDS = frozenset(
    {"pip", "pip3", "conda", "az", "python", "python3", "apt-get", "sudo", "git", "export", "cd"}
)

_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
_CELL_MAGIC = re.compile(r"\s*%%(?P<name>\w+)")
_LINE_MAGIC = re.compile(r"(?P<indent>\s*)(?:%%?[A-Za-z_]|!(?!=))")
_ASSIGNED_MAGIC = re.compile(
    r"(?P<target>\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)(?:%%?[A-Za-z_]|!(?!=)).*"
)
_PLACEHOLDER = re.compile(r"<[A-Za-z][\w .-]*>")


def as_python(text: str) -> str | None:
    """The snippet with IPython syntax read as plain Python, line for line; None when it is not Python at all."""
    lines = text.split("\n")
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith(">>>"):  # a REPL session: its input lines, output blanked
        return "\n".join(line.lstrip()[4:] if line.lstrip().startswith((">>>", "...")) else "" for line in lines)
    if first is not None:
        magic = _CELL_MAGIC.match(lines[first])
        if magic:
            if magic.group("name") not in PYTHON_BODY_CELL_MAGICS:
                return None
            lines[first] = ""
    for index, line in enumerate(lines):
        assigned = _ASSIGNED_MAGIC.fullmatch(line)
        if assigned:
            lines[index] = assigned.group("target") + "None"
            continue
        magic = _LINE_MAGIC.match(line)
        if magic:
            lines[index] = magic.group("indent") + "pass"
    return "\n".join(lines)


def syntax_error(text: str) -> SyntaxError | None:
    """Why `text` does not compile, or None. Never runs it; warnings (invalid escapes) stay quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<snippet>", "exec", flags=_FLAGS, dont_inherit=True)
        except SyntaxError as exc:
            return exc
        except (ValueError, RecursionError, MemoryError) as exc:  # a NUL character; nesting the parser refuses
            error = SyntaxError(str(exc) or type(exc).__name__)
            error.lineno, error.offset = 1, 1
            return error
    return None


def _without_placeholders(text: str) -> str:
    """`<resource-group>` → `_resource_group_`: same length, so positions stay where they were."""
    return _PLACEHOLDER.sub(lambda m: re.sub(r"\W", "_", m.group(0)), text)


def snippet_error(text: str) -> SyntaxError | None:
    """The error a reader meets in `text` read as notebook Python; None when it compiles (or is not Python)."""
    python = as_python(text)
    if python is None or not python.strip():
        return None
    error = syntax_error(python)
    if error is not None and _PLACEHOLDER.search(python) and syntax_error(_without_placeholders(python)) is None:
        return None
    return error


def _is_python(snippet: Snippet) -> bool:
    if snippet.language in PYTHON_LANGUAGES:
        return True
    path = snippet.source_path
    return bool(path is not None and path.suffix == ".py")


def _position(error: SyntaxError, lines: int) -> tuple[int, int]:
    """0-based (line index, column) in the checked text, clamped to the text (an EOF error points past it)."""
    index = min(max((error.lineno or 1) - 1, 0), max(lines - 1, 0))
    return index, max((error.offset or 1) - 1, 0)


def _message(error: SyntaxError) -> str:
    return f"Python syntax error: {error.msg}"


def _hint(line: str) -> str | None:
    """A shell command in a Python block (`pip install …`) is the usual cause: say how to fix either way."""
    words = line.split()
    if words and words[0] in SHELL_COMMANDS:
        return f"`{words[0]}` is a shell command: mark the block as a shell language, or write `%{words[0]}` / `!{words[0]}` for a notebook"
    return None


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for snippet in ctx.snippets:
        if not snippet.text.strip() or not _is_python(snippet):
            continue
        error = snippet_error(snippet.text)
        if error is None:
            continue
        if snippet.resolved is not None:
            yield from _in_source_file(ctx, snippet)
            continue
        lines = snippet.lines
        index, column = _position(error, len(lines))
        hint = _hint(lines[index]) if lines else None
        if snippet.cell is not None:
            yield ctx.diag(snippet.line, snippet.column, "PY001", _message(error) + snippet.where(index, column), hint)
        else:
            yield ctx.at_snippet(snippet, index, "PY001", _message(error), hint, column=column)


def _in_source_file(ctx: ArticleContext, snippet: Snippet) -> Iterable[Diagnostic]:
    """A `:::code` fragment that does not compile: an error only if its file does not compile where it shows."""
    resolved = snippet.resolved
    file = resolved.file if resolved is not None else None
    if file is None or not file.ok or snippet.source_path is None:
        return
    error = ctx.memo.once(("PY001", snippet.source_path), lambda: snippet_error(file.text))
    if error is None or error.lineno not in resolved.source_lines:
        return
    column = max((error.offset or 1) - 1, 0)
    yield ctx.diag(
        snippet.line, snippet.column, "PY001", f"{_message(error)} ({snippet.source_name}:{error.lineno}:{column + 1})"
    )


_CELLS_GOOD = [
    ("install", "%pip install azure-ai-ml\n"),
    (
        "ml_client",
        "ml_client = MLClient(\n    DefaultAzureCredential(), subscription_id, resource_group, workspace\n)\n",
    ),
]
_CELLS_BAD = [
    _CELLS_GOOD[0],
    ("ml_client", "ml_client = MLClient(\n    DefaultAzureCredential(), subscription_id, resource_group, workspace\n"),
]
_ARTICLE = "# Connect\n\n[!notebook-python[](~/samples/workspace.ipynb?name=ml_client)]\n"
RULES = (
    Rule(
        "PY001",
        check,
        {"docs/article.md": _ARTICLE, "samples/workspace.ipynb": notebook(_CELLS_BAD)},
        {"docs/article.md": _ARTICLE, "samples/workspace.ipynb": notebook(_CELLS_GOOD)},
    ),
)
