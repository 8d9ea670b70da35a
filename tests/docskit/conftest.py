from __future__ import annotations

from pathlib import Path

import pytest
from docset_fixture import Docset


@pytest.fixture
def docset(tmp_path: Path) -> Docset:
    (tmp_path / "samples").mkdir()
    return Docset(tmp_path)
