"""Per-run shared state: every file read once, every YAML parsed once, tools started once.

Rules ask the memo rather than the file system, so a source shown by a thousand
directives is read, parsed and checked one time, and every file a result
depends on is recorded for the result cache.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docskit.check.plugins import Plugins
from docskit.check.shell_tools import ShellTools
from docskit.check.yamldoc import YamlDocument, load_yaml
from docskit.config import Config
from docskit.learn import parse_article
from docskit.learn.items import Article
from docskit.sourcefile import SourceCache, SourceFile


class RunMemo:
    def __init__(self, config: Config, files: SourceCache, cwd: Path | None = None,
                 stored: dict[str, Any] | None = None) -> None:
        self.config = config
        self.files = files
        self.cwd = cwd or Path(os.getcwd())
        self.plugins = Plugins(config.options.command_checkers, config.options.command_normalizers)
        stored = stored or {}
        self._shell: ShellTools | None = None
        self._stored_shell = stored.get("shell") or {}
        self.azureml_results: dict[str, list] = dict(stored.get("azureml") or {})
        self.azureml_new = False
        self._yaml: dict[Path, YamlDocument] = {}
        self._articles: dict[Path, Article | None] = {}
        self._display: dict[Path, str] = {}

    @property
    def shell(self) -> ShellTools:
        if self._shell is None:
            self._shell = ShellTools(self._stored_shell)
        return self._shell

    def stored(self) -> dict[str, Any]:
        """What the result cache keeps between runs (digest-keyed tool results)."""
        shell = self._shell.stored() if self._shell is not None else self._stored_shell
        return {"shell": shell, "azureml": self.azureml_results}

    def display(self, path: Path) -> str:
        found = self._display.get(path)
        if found is None:
            try:
                found = os.path.relpath(path, self.cwd)
            except ValueError:  # another drive on Windows
                found = str(path)
            found = found.replace(os.sep, "/")
            self._display[path] = found
        return found

    def read(self, path: Path) -> SourceFile:
        return self.files.get(path)

    def yaml_of(self, path: Path) -> YamlDocument | None:
        if path not in self._yaml:
            file = self.read(path)
            self._yaml[path] = load_yaml(file.text) if file.ok else None
        return self._yaml[path]

    def parsed(self, path: Path) -> Article | None:
        """Another Markdown page (an include or a link target), parsed once."""
        if path not in self._articles:
            file = self.read(path)
            self._articles[path] = parse_article(self.display(path), file.text) if file.ok else None
        return self._articles[path]
