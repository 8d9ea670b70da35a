"""One run of one path: a scratch folder, a bash session, a Python session, and its clean-up.

The path runs in a scratch folder, never in the reader's checkout: each root its
steps use is copied there, and a step runs from its source's folder in that copy
(the folder the samples' scripts expect) or from a configured work folder. A
`git clone` of a repository a root maps becomes a copy of that root, so the `cd`
that follows works as written, with no network.
"""

from __future__ import annotations

import re
import shlex
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from docskit.doctest.expected import outputs_match
from docskit.doctest.notebook_cells import runnable
from docskit.doctest.paths import Step
from docskit.doctest.placeholders import Placeholders
from docskit.doctest.python_session import PythonSession
from docskit.doctest.settings import TutorialSettings
from docskit.doctest.shell_session import BlockResult, SessionError, ShellSession
from docskit.doctest.target import TargetWorkspace
from docskit.snippets import Roots

_SIGN_IN = re.compile(r"^\s*(az\s+login\b|az\s+account\s+set\b|az\s+configure\s+--defaults\b|Connect-AzAccount\b)")
_GIT_CLONE = re.compile(r"^(?P<indent>\s*)git\s+clone\s+(?P<rest>[^;&|<>`$]*?)\s*$")
_CLONE_OPTIONS_WITH_VALUE = frozenset(
    {
        "--depth",
        "-b",
        "--branch",
        "-o",
        "--origin",
        "--filter",
        "-c",
        "--config",
        "--reference",
        "-j",
        "--jobs",
        "--shallow-since",
        "--shallow-exclude",
    }
)
_IGNORED = shutil.ignore_patterns(".git", "__pycache__", ".venv", "node_modules")


@dataclass(frozen=True)
class StepOutcome:
    passed: bool
    skipped: str | None = None  # the reason a step was not run
    message: str = ""  # the report: command, output, expected output


def only_signs_in(code: str) -> bool:
    """A step whose every command signs in or sets CLI defaults: the environment has done that."""
    commands = [line for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(commands) and all(_SIGN_IN.match(line) for line in commands)


class PathRun:
    """The live state of one path: created at its first step, closed after its last (or on interrupt)."""

    def __init__(self, workspace: TargetWorkspace, roots: Roots, settings: TutorialSettings, timeout: float) -> None:
        self.workspace = workspace
        self.roots = roots
        self.settings = settings
        self.timeout = timeout
        self.scratch = Path(tempfile.mkdtemp(prefix="docskit-tutorial-"))
        self.work = self.scratch / "work"
        self.work.mkdir()
        self.placeholders = Placeholders(workspace.values, settings.placeholders)
        self._copies: dict[str, Path] = {}
        self._shell: ShellSession | None = None
        self._python: PythonSession | None = None

    # -- where a step runs -------------------------------------------------------

    def _copy_of(self, root: str) -> Path:
        if root not in self._copies:
            origin = self.roots.docset if root == "" else self.roots.named[root]
            copy = self.scratch / "roots" / (root or "docset")
            shutil.copytree(origin, copy, symlinks=True, ignore=_IGNORED)
            self._copies[root] = copy
        return self._copies[root]

    def folder_for(self, step: Step) -> Path | None:
        if step.source_root is None or step.source_folder is None:
            return None  # a fenced block runs wherever the session is
        place = f"{step.source_root}/{step.source_folder}".strip("/") if step.source_root else step.source_folder
        for origin, target in self.settings.workdirs.items():
            if place == origin or place.startswith(origin + "/"):
                root, _, folder = target.partition("/")
                if root in self.roots.named:
                    return self._copy_of(root) / folder
                return self._copy_of("") / target
        return self._copy_of(step.source_root) / step.source_folder

    def clone_as_copy(self, code: str) -> str:
        """`git clone URL [DIR]` of a mapped repository -> a copy of its root at DIR."""
        lines = []
        for line in code.split("\n"):
            match = _GIT_CLONE.match(line)
            url, dest = _clone_arguments(match.group("rest")) if match else (None, None)
            root = self._root_for_url(url) if url else None
            if match is None or url is None or root is None:
                lines.append(line)
                continue
            repository = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
            target = shlex.quote(dest or repository)
            lines.append(f"{match.group('indent')}cp -R {shlex.quote(str(self._copy_of(root)))} {target}")
        return "\n".join(lines)

    def _root_for_url(self, url: str) -> str | None:
        repository = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git").lower()
        if not repository:
            return None
        for name in self.roots.named:
            template = self.roots.urls.get(name, "").lower()
            if name.lower() == repository or name.lower().startswith(repository + "-") or f"/{repository}/" in template:
                return name
        return None

    # -- running -------------------------------------------------------------------

    def shell(self) -> ShellSession:
        if self._shell is None:
            self._shell = ShellSession(env=self.workspace.env, cwd=self.work, timeout=self.timeout)
        return self._shell

    def python(self) -> PythonSession:
        if self._python is None:
            self._python = PythonSession(env=self.workspace.env, cwd=self.work, timeout=self.timeout)
        return self._python

    def run(self, step: Step) -> StepOutcome:
        if step.problem:
            return StepOutcome(False, message=f"the snippet cannot be run: {step.problem}")
        code, signs_in = step.code, step.runner == "shell" and only_signs_in(step.code)
        if step.cell is not None:  # a notebook cell: its IPython magics as the runner does them
            cell = runnable(step.code)
            if cell.skipped:
                return StepOutcome(True, skipped=cell.skipped)
            code, signs_in = cell.code, cell.only_commands and only_signs_in("\n".join(cell.commands))
        if signs_in:
            return StepOutcome(True, skipped="it signs in or sets CLI defaults, which the environment has done")
        fill = self.placeholders.fill if step.runner == "shell" else self.placeholders.fill_python
        code, missing = fill(code)
        if missing:
            return StepOutcome(True, skipped=f"it holds {', '.join(missing)}, which the runner cannot fill")
        folder = self.folder_for(step)
        try:
            if step.runner == "shell":
                result = self.shell().run(self.clone_as_copy(code), folder, self.timeout)
            else:
                result = self.python().run(code, folder, self.timeout, ipython=step.cell is not None)
        except SessionError as error:
            if not getattr(error, "alive", False):
                self._drop_session(step.runner)
            return StepOutcome(False, message=f"{error}\n{_shown(step, code)}")
        return self._judge(step, code, result)

    def _drop_session(self, runner: str) -> None:
        session = self._shell if runner == "shell" else self._python
        if session is not None:
            session.close()
        if runner == "shell":
            self._shell = None
        else:
            self._python = None

    @staticmethod
    def _judge(step: Step, code: str, result: BlockResult) -> StepOutcome:
        if result.status != 0:
            tail = "\n".join(result.output.rstrip().splitlines()[-25:])
            return StepOutcome(
                False,
                message=f"the step failed with status {result.status}:\n{_shown(step, code)}\n--- it printed:\n{tail}",
            )
        if step.expected is not None and not outputs_match(step.expected, result.output):
            return StepOutcome(
                False,
                message=f"the output differs from the `output` block at line {step.expected_line}:\n"
                f"{_shown(step, code)}\n--- it printed:\n{result.output.rstrip()}\n"
                f"--- the article expects:\n{step.expected}",
            )
        return StepOutcome(True)

    def close(self) -> None:
        for runner in ("shell", "python"):
            self._drop_session(runner)
        shutil.rmtree(self.scratch, ignore_errors=True)


def _clone_arguments(rest: str) -> tuple[str | None, str | None]:
    """The URL and the optional folder of `git clone [options] URL [DIR]`."""
    try:
        words = shlex.split(rest)
    except ValueError:
        return None, None
    positional: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in _CLONE_OPTIONS_WITH_VALUE
        else:
            positional.append(word)
    if not positional:
        return None, None
    return positional[0], positional[1] if len(positional) > 1 else None


def _shown(step: Step, code: str) -> str:
    prompt = "$ " if step.runner == "shell" else ">>> "
    return "\n".join(
        prompt + line if i == 0 else ("  " if step.runner == "shell" else "... ") + line
        for i, line in enumerate(code.split("\n"))
    )


@contextmanager
def interrupts_deferred() -> Iterator[list[int]]:
    """While clean-up runs, Ctrl-C and SIGTERM are noted, not obeyed: half a clean-up leaks resources."""
    received: list[int] = []
    saved = {}
    try:
        for number in (signal.SIGINT, signal.SIGTERM):
            saved[number] = signal.signal(number, lambda signum, frame: received.append(signum))
    except ValueError:  # not the main thread: signals cannot be handled here anyway
        pass
    try:
        yield received
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
