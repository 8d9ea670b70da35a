"""The layer checker itself: it must see upward imports, relative or absolute, at module level or not."""

from __future__ import annotations

from pathlib import Path

from import_graph import imports_of, layer_of, violations

LAYERS = [["pkg.cli"], ["pkg.engine"], ["pkg", "pkg.base"]]


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_downward_imports_pass(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "cli.py": "from pkg.engine import run\n",
            "engine/__init__.py": "from .core import run\n",
            "engine/core.py": "from ..base import thing\ndef run(): ...\n",
            "base.py": "thing = 1\n",
        },
    )
    assert violations(root, LAYERS) == []


def test_an_upward_import_is_reported_with_its_line(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "cli.py": "",
            "engine.py": "",
            "base.py": "import os\n\nfrom pkg.engine import x\n",
        },
    )
    assert violations(root, LAYERS) == ["pkg.base:3: imports pkg.engine, a higher layer"]


def test_a_relative_import_inside_a_function_is_seen_and_marked_local(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "cli.py": "",
            "engine.py": "",
            "base.py": "def f():\n    from . import cli\n",
        },
    )
    assert violations(root, LAYERS) == ["pkg.base:2: imports pkg.cli, a higher layer"]
    local = [imp for imp in imports_of(root) if imp.target == "pkg.cli"]
    assert local and all(imp.local for imp in local)


def test_a_module_in_no_layer_is_reported(tmp_path: Path) -> None:
    root = _package(tmp_path, {"cli.py": "", "engine.py": "", "extra.py": ""})
    assert violations(root, [["pkg.cli"], ["pkg.engine"]]) == [
        "pkg.extra: in no layer of the table",
        "pkg: in no layer of the table",
    ]


def test_the_longest_prefix_decides_the_layer() -> None:
    assert layer_of("pkg.base.deep", LAYERS) == 2
    assert layer_of("pkg.engine.x", LAYERS) == 1
    assert layer_of("other", LAYERS) is None


def test_function_local_imports_of_the_package_are_listed(tmp_path: Path) -> None:
    from import_graph import local_package_imports

    root = _package(
        tmp_path, {"cli.py": "import json\ndef main():\n    import json\n    from pkg import engine\n", "engine.py": ""}
    )
    assert local_package_imports(root) == ["pkg.cli -> pkg.engine"]
