"""The pytest plugin: `pytest --learn-tutorials ARTICLE... --learn-root NAME=DIR` runs Learn articles.

Registered through the `pytest11` entry point, so any Learn repository with docskit
installed can run its tutorials. Each article gives one collector per tab path,
each path one item per step, named after the step's heading and line. A path runs
top to bottom against its own fresh target; a failing step stops the rest of its
path (reported as skipped, not run), except the clean-up steps when the target
bills for resources: those run at the end of the path whatever happened, also on
Ctrl-C, SIGTERM and a step timeout.

Roots and settings come from the docset's own mkdocs.yml (the configuration
check-snippets reads), `--learn-root` adding to or overriding its roots.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from docskit.config import ConfigError, build_roots, find_mkdocs_yml, load_config
from docskit.doctest.paths import Step, TutorialPath, tutorial_paths
from docskit.doctest.run import PathRun, interrupts_deferred
from docskit.doctest.settings import TutorialSettings
from docskit.doctest.target import load_target, mode, workspace_from
from docskit.learn import parse_article
from docskit.snippets import Resolver


@dataclass
class _Selection:
    files: set[Path] = field(default_factory=set)
    folders: list[tuple[Path, tuple[str, ...]]] = field(default_factory=list)
    roots: dict[str, Path] = field(default_factory=dict)

    def wants(self, path: Path) -> bool:
        path = path.resolve()
        if path in self.files:
            return True
        return any(
            path.is_relative_to(folder) and any(path.match(p) for p in patterns) for folder, patterns in self.folders
        )


_SELECTION = pytest.StashKey[_Selection]()
_INTERRUPTED = pytest.StashKey[bool]()


def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """Noted so that the clean-up at the end of the path reports its failures without a crash report."""
    config = getattr(excinfo.value, "config", None) or _CURRENT.get("config")
    if config is not None:
        config.stash[_INTERRUPTED] = True


_CURRENT: dict[str, pytest.Config] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("learn", "Learn tutorials as tests (docskit)")
    group.addoption(
        "--learn-tutorials",
        nargs="+",
        metavar="PATH",
        default=[],
        help="run these Learn articles (files, or folders of .md articles) as tests, one run per tab",
    )
    group.addoption(
        "--learn-root",
        action="append",
        metavar="NAME=DIR",
        default=[],
        help="map `~/NAME/` of `:::code source` to DIR (adds to or overrides the docset's roots)",
    )


def _selection(config: pytest.Config) -> _Selection:
    if _SELECTION not in config.stash:
        config.stash[_SELECTION] = _Selection()
    return config.stash[_SELECTION]


def enable(config: pytest.Config, folder: Path, patterns: Iterable[str] = ("*.md",)) -> None:
    """Run the articles under `folder` that match `patterns` whenever pytest collects them (for a conftest)."""
    _selection(config).folders.append((folder.resolve(), tuple(patterns)))


def pytest_configure(config: pytest.Config) -> None:
    _CURRENT["config"] = config
    selection = _selection(config)
    for item in config.getoption("learn_root") or []:
        name, sep, folder = item.partition("=")
        if not sep or not name.strip() or not folder.strip():
            raise pytest.UsageError(
                f"--learn-root {item}: expected NAME=DIR, e.g. azureml-examples-main=../azureml-examples"
            )
        if not Path(folder).is_dir():
            raise pytest.UsageError(f"--learn-root {item}: {folder} is not a folder")
        selection.roots[name.strip().strip("~/")] = Path(folder).resolve()
    tutorials = config.getoption("learn_tutorials") or []
    for given in tutorials:
        path = Path(given)
        if path.is_dir():
            selection.folders.append((path.resolve(), ("*.md",)))
        elif path.is_file():
            selection.files.add(path.resolve())
        else:
            raise pytest.UsageError(f"--learn-tutorials {given}: no such file or folder")
    if tutorials:
        from _pytest.config import Config as _Config

        if config.args_source != _Config.ArgsSource.ARGS:
            config.args[:] = list(tutorials)
        else:
            config.args.extend(t for t in tutorials if t not in config.args)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".md" and _selection(parent.config).wants(file_path):
        return TutorialFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under plain `-n N`, keep each path on one worker (its steps share one session); other tests spread as usual."""
    if config.getoption("dist", None) != "load" or not (_selection(config).files or _selection(config).folders):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PathScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            file, sep, rest = nodeid.partition(".md::")
            return f"{file}{sep}{rest.partition('::')[0]}" if sep else nodeid

    return PathScheduling(config, log)


class TutorialFile(pytest.File):
    """A Learn article: one `TutorialPathNode` per tab id."""

    def collect(self) -> Iterator[pytest.Collector]:
        selection = _selection(self.config)
        try:
            docset = load_config(find_mkdocs_yml(self.path.parent), self.path.parent)
            settings = TutorialSettings.from_mapping(docset.options.tutorial, docset.origin)
            roots = build_roots(docset, selection.roots)
        except ConfigError as error:
            raise self.CollectError(str(error)) from None
        text = self.path.read_text(encoding="utf-8-sig")
        try:
            shown = self.path.resolve().relative_to(docset.docs_dir).as_posix()
        except ValueError:
            shown = self.path.name
        article = parse_article(shown, text, docset.yaml_budget)
        for path in tutorial_paths(article, self.path, Resolver(roots), settings.cleanup_heading):
            yield TutorialPathNode.from_parent(
                self, name=path.tab, model=path, roots=roots, settings=settings, timeout=settings.timeout_for(shown)
            )


class TutorialPathNode(pytest.Collector):
    """One path of an article; its setup starts the target, its teardown ends it (and cleans up)."""

    def __init__(
        self, *, model: TutorialPath, roots: Any, settings: TutorialSettings, timeout: float, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.model = model
        self.roots = roots
        self.settings = settings
        self.timeout = timeout
        self.run: PathRun | None = None
        self.stopped_at: Step | None = None
        self.ran: set[int] = set()
        self._stack = ExitStack()

    def collect(self) -> Iterator[pytest.Item]:
        if not self.model.steps:
            yield NothingToRun.from_parent(self, name="nothing to run")
            return
        for step in self.model.steps:
            yield StepItem.from_parent(self, name=step.name, step=step)

    def setup(self) -> None:
        try:
            target = load_target(self.settings.target)
        except ConfigError as error:
            raise pytest.UsageError(str(error)) from None
        self._stack.callback(_restore_sigterm, _raise_on_sigterm())
        workspace = workspace_from(self._stack.enter_context(target(mode())))
        self.run = PathRun(workspace, self.roots, self.settings, self.timeout)
        self._stack.callback(self.run.close)
        self.addfinalizer(self._finish)

    def _finish(self) -> None:
        """Run the clean-up steps not yet run (when the target bills), then end the target."""
        failures: list[str] = []
        try:
            if self.run is not None and self.run.workspace.cleanup:
                pending = [s for s in self.model.steps if s.cleanup and s.line not in self.ran]
                with interrupts_deferred():
                    for step in pending:
                        self.ran.add(step.line)
                        outcome = self.run.run(step)
                        if not outcome.passed:
                            failures.append(
                                f"{self.path}:{step.line}: clean-up step {step.name} failed: {outcome.message}"
                            )
        finally:
            with interrupts_deferred():
                self._stack.close()
        if failures and self.config.stash.get(_INTERRUPTED, False):
            # pytest is on its way out: a raise would be a crash report, so say it plainly
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            for failure in failures:
                if reporter is not None:
                    reporter.write_line(failure, red=True)
                else:
                    print(failure, file=sys.stderr)
        elif failures:
            raise CleanupFailed("\n".join(failures))


class CleanupFailed(Exception):
    """One or more clean-up steps failed at the end of a path: resources may be left."""


class StepFailed(Exception):
    pass


class StepItem(pytest.Item):
    def __init__(self, *, step: Step, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.step = step

    def runtest(self) -> None:
        path: TutorialPathNode = self.parent  # type: ignore[assignment]
        step = self.step
        assert path.run is not None
        runs_anyway = step.cleanup and path.run.workspace.cleanup
        if path.stopped_at is not None and not runs_anyway:
            _skip(f"not run: the step {path.stopped_at.name} failed")
        path.ran.add(step.line)
        outcome = path.run.run(step)
        if outcome.skipped:
            _skip(outcome.skipped)
        if not outcome.passed:
            if not step.cleanup:
                path.stopped_at = step
            raise StepFailed(outcome.message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, (StepFailed, CleanupFailed)):
            return f"{self.path}:{self.step.line}: {self.step.heading or 'start'} ({self.parent.name} tab)\n{excinfo.value}"
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.step.line - 1, f"{self.parent.name}: {self.step.name}"


class NothingToRun(pytest.Item):
    def runtest(self) -> None:
        _skip(f"the {self.parent.name} path has no step that can run")

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


def _skip(reason: str) -> None:
    """Skip, reported at the step's place in the article rather than at this line of the plugin."""
    raise pytest.skip.Exception(reason, _use_item_location=True)


def _raise_on_sigterm() -> Any:
    """SIGTERM ends pytest like Ctrl-C does, so the teardown (and the clean-up) still runs."""

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt("SIGTERM")

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:
        return None


def _restore_sigterm(previous: Any) -> None:
    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except ValueError:
            pass
