"""docskit's packages import one way: from the commands down to the base modules, never back up.

The engine (`docskit.check`) runs the rules, the rules read what `docskit.analysis` gives them, and
neither of the lower layers knows the one above it, so a rule can be read, tested and moved without
the engine. An import inside a function is how a cycle hides; the only ones allowed keep a heavy
module off a start-up path, and each says which.
"""

from __future__ import annotations

from pathlib import Path

from import_graph import layer_of, local_package_imports, module_name, violations

PACKAGE = Path(__file__).resolve().parents[2] / "tools" / "docskit"

LAYERS = [  # top (what users call) to bottom (what knows least)
    ["docskit.cli", "docskit.mdext", "docskit.doctest"],
    ["docskit.check"],
    ["docskit.rules"],
    ["docskit.analysis"],
    ["docskit.config"],  # reads the Roots of docskit.snippets; every layer above reads the configuration
    ["docskit.snippets"],
    ["docskit.learn"],
    ["docskit.catalog"],
    ["docskit", "docskit.diagnostics", "docskit.languages", "docskit.sourcefile", "docskit.yaml_budget"],
]

ALLOWED = [
    # `docskit.check` is the package of `check.output` and `check.report`, which the command line imports for
    # `--help` too: `check_page` is imported on first use, so that the engine and every rule are not.
    "docskit.check -> docskit.check.article",
    # a run needs the configuration (PyYAML, the resolver, the Learn parser), the result cache and the runner
    # (every rule, the Azure ML and shell helpers); `--help` needs none of them
    "docskit.cli -> docskit.check.cache",
    "docskit.cli -> docskit.check.runner",
    "docskit.cli -> docskit.config",
    # the INT001 line of a rendering failure: the engine stays off the Markdown extension's load path
    "docskit.mdext.code_blocks -> docskit.check.article",
    # the stored findings (and the checks of a page, below) load the engine and every rule: a Markdown call
    # without Learn pages never needs them
    "docskit.mdext.context -> docskit.check.stored_findings",
    # the INT001 line of a failed include expansion, as in code_blocks
    "docskit.mdext.includes -> docskit.check.article",
    "docskit.mdext.reporting -> docskit.check",
    "docskit.mdext.reporting -> docskit.rules",
]


def test_no_module_imports_a_layer_above_its_own() -> None:
    assert violations(PACKAGE, LAYERS) == []


def test_every_module_is_placed_by_name_not_by_the_package_prefix() -> None:
    """`docskit` itself is in the bottom layer, and its prefix matches every module: a new folder must still
    be named in the table, so that where it belongs is decided, not inherited from the bottom."""
    named = [[prefix for prefix in layer if prefix != "docskit"] for layer in LAYERS]
    modules = {module_name(PACKAGE, path) for path in PACKAGE.rglob("*.py")}
    assert sorted(m for m in modules if m != "docskit" and layer_of(m, named) is None) == []


def test_function_local_imports_are_only_the_allowed_ones() -> None:
    assert local_package_imports(PACKAGE) == ALLOWED
