from __future__ import annotations

from pathlib import Path

import pytest
from checker_support import check_docset

from docskit.check.runner import Report


@pytest.fixture
def docset(tmp_path: Path):
    def check(files: dict[str, str], options: dict | None = None, **run_options) -> Report:
        return check_docset(tmp_path, files, options, **run_options)

    return check
