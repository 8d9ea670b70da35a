"""Per-run shared state: every file read once, every YAML parsed once, tools started once.

Rules ask the memo rather than the file system, so a source shown by a thousand
directives is read, parsed and checked one time, and every file a result
depends on is recorded for the result cache.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from docskit.analysis.azureml_validation import AzureMLValidation
from docskit.analysis.plugins import Plugins
from docskit.analysis.shell_tools import ShellTools
from docskit.config import Config
from docskit.learn import anchors_of, parse_article
from docskit.learn.headings import find_heading, html_anchors
from docskit.learn.items import Article
from docskit.learn.tabs import tab_heading
from docskit.sourcefile import SourceCache, SourceFile
from docskit.yaml_budget import YamlDocument, load_yaml

T = TypeVar("T")


class RunMemo:
    def __init__(
        self, config: Config, files: SourceCache, cwd: Path | None = None, stored: dict[str, Any] | None = None
    ) -> None:
        self.config = config
        self.files = files
        self.cwd = cwd or Path(os.getcwd())
        self._cwd_prefix = os.path.join(os.path.abspath(self.cwd), "")  # the folder with a trailing separator
        self.plugins = Plugins(config.options.command_checkers, config.options.command_normalizers)
        stored = stored or {}
        self._shell: ShellTools | None = None
        self._stored_shell = stored.get("shell") or {}
        self.azureml = AzureMLValidation(stored.get("azureml"))
        self._yaml: dict[Path, YamlDocument] = {}
        self._articles: dict[Path, Article | None] = {}
        self._display: dict[Path, str] = {}
        self._anchors: dict[Path, set[str] | None] = {}
        self._once: dict[Hashable, Any] = {}
        self._kept: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (stored.get("kept") or {}).items()}
        self.kept_new = False

    @property
    def shell(self) -> ShellTools:
        if self._shell is None:
            self._shell = ShellTools(self._stored_shell)
        return self._shell

    @property
    def has_new_results(self) -> bool:
        """Whether the run learnt tool results (shell, Azure ML, kept values) the result cache lacks."""
        shell_new = self._shell is not None and bool(self._shell.new)
        return shell_new or self.azureml.new or self.kept_new

    def stored(self) -> dict[str, Any]:
        """What the result cache keeps between runs (digest-keyed tool results)."""
        shell = self._shell.stored() if self._shell is not None else self._stored_shell
        return {"shell": shell, "azureml": self.azureml.stored(), "kept": self._kept}

    def close(self) -> None:
        """Stop the background workers the run started."""
        self.azureml.close()

    def display(self, path: Path) -> str:
        """How reports name `path`: relative to the working directory, with `/`."""
        found = self._display.get(path)
        if found is None:
            text = str(path)
            if text.startswith(self._cwd_prefix) and f"{os.sep}.." not in text:
                found = text[len(self._cwd_prefix) :]  # what relpath gives, without its cost
            else:
                try:
                    found = os.path.relpath(path, self.cwd)
                except ValueError:  # another drive on Windows
                    found = text
            found = found.replace(os.sep, "/")
            self._display[path] = found
        return found

    def once(self, key: Hashable, compute: Callable[..., T], *args: object) -> T:
        """`compute(*args)` the first time `key` is asked for, the remembered value after that.

        For what rules derive from files and snippet texts: a file does not change
        while a run reads it, and a source is shown by many directives, so work
        keyed by a path or a text is done once. `key` starts with the rule's code.
        """
        try:
            return self._once[key]
        except KeyError:
            value = self._once[key] = compute(*args)
            return value

    def kept(self, kind: str, digest: str, compute: Callable[[], T]) -> T:
        """Like `once`, but remembered across runs in the result cache: for a result that
        depends only on a content digest and costs an import to compute (a JSON value)."""
        bucket = self._kept.setdefault(kind, {})
        if digest not in bucket:
            bucket[digest] = compute()
            self.kept_new = True
        return bucket[digest]

    def read(self, path: Path) -> SourceFile:
        return self.files.get(path)

    def yaml_of(self, path: Path) -> YamlDocument | None:
        if path not in self._yaml:
            file = self.read(path)
            self._yaml[path] = load_yaml(file.text, self.config.yaml_budget) if file.ok else None
        return self._yaml[path]

    def anchors(self, path: Path) -> set[str] | None:
        """Anchors of another page: from its parse when there is one, else from a quick heading scan."""
        found = self._anchors.get(path)
        if found is None and path not in self._anchors:
            parsed = self._articles.get(path)
            if parsed is not None:
                found = set(anchors_of(parsed))
            else:
                file = self.read(path)
                found = scan_anchors(file.lines) if file.ok else None
            self._anchors[path] = found
        return found

    def remember(self, path: Path, article: Article) -> None:
        self._articles[path] = article

    def parsed(self, path: Path) -> Article | None:
        """Another Markdown page (an include or a link target), parsed once."""
        if path not in self._articles:
            file = self.read(path)
            self._articles[path] = (
                parse_article(self.display(path), file.text, self.config.yaml_budget) if file.ok else None
            )
        return self._articles[path]


_FENCE = re.compile(r"^\s*(?:>\s*)*(`{3,}|~{3,})")


def scan_anchors(lines: list[str]) -> set[str]:
    """Heading anchors and explicit HTML anchors of a page, outside fenced code, without a full parse."""
    found: set[str] = set()
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        opened = _FENCE.match(line)
        if opened:
            marker = opened.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        if line.startswith("#") and tab_heading(number, line) is None:
            heading = find_heading(number, line)
            if heading:
                found.add(heading.anchor)
        if "<a " in line:
            found.update(html_anchors(line))
    return found
