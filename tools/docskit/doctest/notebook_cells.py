"""A notebook cell as a reader who runs the notebook experiences it, turned into plain Python.

`[!notebook-python[](…ipynb?name=CELL)]` shows a Jupyter cell, and a cell may hold
IPython syntax that Python does not parse. The runner does with the few forms
tutorials use what IPython does, within reason:

- `%%writefile [-a] PATH` writes the rest of the cell to PATH, from the notebook's
  folder in the path's scratch copy, and prints `Writing PATH` as Jupyter does.
- `%%bash` and `%%sh` run the rest of the cell in that shell; after `%%time` or
  `%%capture` the rest of the cell runs as Python (no timing is printed).
- `!COMMAND` runs COMMAND in bash, in the interpreter's folder and environment, with
  IPython's `{expression}` and `$name` taken from the notebook's namespace.
- `%pip …`, `%conda …` and `!pip …` lines are left out: the tutorial runs in the
  runner's environment, which the target provides. A cell of nothing else is skipped,
  saying so. `%matplotlib …` is left out too: it only sets up the display of plots.

Any other magic (`%cd`, `%%capture`, `files = !ls`, …) is not emulated, and its cell is
skipped with that reason rather than failing on a syntax error. A command that exits
with a non-zero status fails the step: IPython would print its error and carry on, a
reader would see the error, and a test should stop there.

As in IPython, the magics become calls of `get_ipython()`, one line for one line (so
a traceback's line numbers are the cell's); the interpreter answers them with the
stand-in of `docskit.doctest.ipython_shell`. A cell that parses as Python runs as written.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_PACKAGES = re.compile(r"^(pip3?|conda|mamba|python3?\s+-m\s+pip)(\s|$)")
_LEFT_OUT_MAGICS = frozenset({"pip", "conda", "mamba", "matplotlib"})
_SHELL_CELL_MAGICS = frozenset({"bash", "sh"})
_PYTHON_CELL_MAGICS = frozenset({"time", "capture"})  # the body is Python that runs as usual
_CAPTURE = re.compile(r"^[\w.]+\s*=\s*[!%]")  # `files = !ls`, `out = %sx ls`


@dataclass(frozen=True)
class CellCode:
    code: str  # the cell as Python ("" when skipped)
    skipped: str | None = None  # why the cell is not run
    commands: tuple[str, ...] = ()  # the shell commands it runs (`!` lines, a `%%bash` body)
    only_commands: bool = False  # nothing but shell commands: a cell of `!az login` signs in, as a shell step would


def runnable(cell: str) -> CellCode:
    """What the interpreter runs for `cell`, or why it does not run it."""
    first, _, body = cell.partition("\n")
    if first.startswith("%%") and _magic(first) in _PYTHON_CELL_MAGICS:
        return runnable("\n" + body)  # the magic's line left blank: the body's lines keep their numbers
    if first.startswith("%%"):
        return _cell_magic(first[2:].strip(), body)
    try:
        ast.parse(cell)
        return CellCode(cell)
    except (SyntaxError, ValueError):  # ValueError: a NUL character
        pass
    lines: list[str] = []
    commands: list[str] = []
    left_out: list[str] = []
    for line in cell.split("\n"):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith("!") and not _PACKAGES.match(stripped[1:].strip()):
            commands.append(stripped[1:].strip())
            lines.append(f"{indent}get_ipython().system({commands[-1]!r})")
        elif stripped.startswith("!") or (stripped.startswith("%") and _magic(stripped) in _LEFT_OUT_MAGICS):
            left_out.append(stripped)
            lines.append(f"{indent}pass")
        elif stripped.startswith("%"):
            return CellCode(
                "", skipped=f"it uses the IPython magic %{_magic(stripped)}, which the runner does not emulate"
            )
        elif _CAPTURE.match(stripped):
            return CellCode(
                "", skipped=f"it captures the output of a magic (`{stripped}`), which the runner does not emulate"
            )
        else:
            lines.append(line)
    rest = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if left_out and all(line == "pass" for line in rest):
        packages = [line for line in left_out if _magic(line) != "matplotlib"]
        if packages:
            return CellCode(
                "", skipped=f"it installs packages (`{packages[0]}`), and the tutorial runs in the runner's environment"
            )
        return CellCode("", skipped=f"it only sets up the display of plots (`{left_out[0]}`)")
    only_commands = bool(commands) and all(line.startswith("get_ipython().system(") or line == "pass" for line in rest)
    return CellCode("\n".join(lines), commands=tuple(commands), only_commands=only_commands)


def _magic(line: str) -> str:
    return line.lstrip("%").split(None, 1)[0] if line.lstrip("%").strip() else ""


def _cell_magic(header: str, body: str) -> CellCode:
    name, _, arguments = header.partition(" ")
    if name != "writefile" and name not in _SHELL_CELL_MAGICS:
        return CellCode("", skipped=f"it is a %%{name} cell, which the runner does not emulate")
    # the body one literal per line, so that a placeholder at the start of a line is still found in a literal
    literal = "\n".join(repr(line) for line in body.splitlines(keepends=True)) or "''"
    code = f"get_ipython().run_cell_magic({name!r}, {arguments.strip()!r}, (\n{literal}\n))"
    if name == "writefile":
        return CellCode(code)
    return CellCode(code, commands=(body,), only_commands=True)
