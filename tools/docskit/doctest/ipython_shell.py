"""A stand-in for IPython's shell, inside the interpreter that runs a path's notebook cells.

`docskit.doctest.notebook_cells` turns a cell's magics into calls of `get_ipython()`,
as IPython itself does; this module answers them. It runs in the step's interpreter,
loaded by its file path, and uses the standard library only: that interpreter imports
nothing of docskit, as a reader's kernel would not.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from typing import Any

# IPython's expansion of `!` commands: `{expression}` and `$name` from the namespace, `$$` for `$`
_EXPANDED = re.compile(r"\$\$|\{([^{}]*)\}|\$(\w+)")


class CommandFailed(Exception):
    """A shell command of a cell exited with a non-zero status."""


class Shell:
    """The two calls the transformed cells make: `system` (`!COMMAND`) and `run_cell_magic` (`%%NAME`)."""

    def system(self, command: str) -> None:
        caller = sys._getframe(1)
        _run("bash", expand(command, {**caller.f_globals, **caller.f_locals}))

    def run_cell_magic(self, name: str, line: str, cell: str) -> None:
        if name in ("bash", "sh"):
            _run(name, cell)
        elif name == "writefile":
            _write_file(line, cell)
        else:
            raise ValueError(f"the cell magic %%{name} is not emulated")


_SHELL = Shell()


def get_ipython() -> Shell:
    return _SHELL


def expand(command: str, namespace: dict[str, Any]) -> str:
    """`{expression}` and `$name` with their values; the command unchanged when one cannot be evaluated (as IPython)."""

    def value(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        return str(eval(match.group(1) if match.group(1) is not None else match.group(2), namespace))

    try:
        return _EXPANDED.sub(value, command)
    except Exception:  # noqa: BLE001 - IPython leaves a command whose `{…}` fails to evaluate as written
        return command


def _run(shell: str, script: str) -> None:
    """The output goes to the cell's output, as Jupyter shows it; a failure stops the cell."""
    done = subprocess.run(
        [shell, "-c", script],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    sys.stdout.write(done.stdout)
    if done.returncode != 0:
        raise CommandFailed(f"`{script.strip()}` exited with status {done.returncode}")


def _write_file(line: str, cell: str) -> None:
    """`%%writefile [-a] PATH`: the cell as written, and Jupyter's one line about it."""
    words = shlex.split(line)
    append = bool({"-a", "--append"} & set(words))
    names = [word for word in words if word not in ("-a", "--append")]
    if len(names) != 1:
        raise ValueError(f"%%writefile needs one file name, not `{line}`")
    path = os.path.expanduser(names[0])
    existed = os.path.exists(path)
    with open(path, "a" if append else "w", encoding="utf-8") as file:
        file.write(cell)
    print(f"{'Appending to' if append else 'Overwriting' if existed else 'Writing'} {names[0]}")
