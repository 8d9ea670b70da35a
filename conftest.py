"""Our article runs as a test: `pytest docs` runs each tab of it against a fresh emulated workspace.

The runner is docskit's pytest plugin (`--learn-tutorials`); here it is only switched on
for our own articles. The target it runs against is named in mkdocs.yml. To run against
a real workspace, sign in with `az login`, put your resource group and workspace names in
RESOURCE_GROUP and WORKSPACE and run `DOCSKIT_TUTORIAL_TARGET=azure .venv/bin/pytest docs`:
real resources are created, billed, and deleted by the article's clean-up steps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docskit.doctest.plugin import enable


def pytest_configure(config: pytest.Config) -> None:
    enable(config, Path(__file__).resolve().parent / "docs", patterns=["how-to-*.md"])
