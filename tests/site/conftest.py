"""Fixtures for the site tests."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest

from site_project import ARTICLE, Docset, copy_project, mkdocs_build


@pytest.fixture
def docset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Docset:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DOCSKIT_PREVIEW", raising=False)
    return Docset(tmp_path)


@pytest.fixture
def docskit_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.docskit")
    return caplog


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The repository's docs built with `mkdocs build --strict` (once per test process)."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    return project, mkdocs_build(project)


@pytest.fixture(scope="session")
def article_html(built_project: tuple[Path, subprocess.CompletedProcess[str]]) -> str:
    project, result = built_project
    assert result.returncode == 0, result.stderr[-3000:]
    return (project / "site" / ARTICLE / "index.html").read_text(encoding="utf-8")
