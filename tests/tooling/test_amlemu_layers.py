"""amlemu's layers: who may import whom, read from the source (`import_graph.py`).

Two columns share the package. The emulator: commands and the test fixture on top, then serving, the
application (`emulator.py`), the route table, the ARM handlers, what handlers share, and the stores and
rules below. The emulated `az`: a client of the emulator over HTTPS that imports nothing of it; only
`testing` reaches into it, to stop the `az` helper with its emulator. In the one list the `az` column
sits between `testing` and `serving`, and a separate test keeps the two columns apart.
"""

from __future__ import annotations

from pathlib import Path

from import_graph import imports_of, local_package_imports, module_name, violations

PACKAGE = Path(__file__).resolve().parents[2] / "tools" / "amlemu"

LAYERS: list[list[str]] = [
    # commands: `amlemu serve | env | run`, the spec pruner
    ["amlemu.cli", "amlemu.arm.prune_specs"],
    # `running_emulator` and the pytest fixture: start an emulator in a child process
    ["amlemu.testing"],
    # -- the emulated `az` column --------------------------------------------------------------
    ["amlemu.az.__main__"],
    ["amlemu.az.entry", "amlemu.az.resident.server"],  # thin client or in-process; the resident helper
    ["amlemu.az.cli"],  # the knack application
    ["amlemu.az.handlers"],
    [
        "amlemu.az.command_line_check",
        "amlemu.az.generic_update",
        "amlemu.az.errors",
        "amlemu.az.profile",
        "amlemu.az.resident",
    ],
    ["amlemu.az.command_table", "amlemu.az.surface", "amlemu.az.versions", "amlemu.az"],
    # -- the emulator column -------------------------------------------------------------------
    ["amlemu.serving"],
    ["amlemu.emulator"],  # routes a request by host
    ["amlemu.arm.routes"],
    # the ARM handlers, one module per resource family (and the arm package's `__init__`)
    [
        "amlemu.arm.assets",
        "amlemu.arm.datastores",
        "amlemu.arm.model_management",
        "amlemu.arm.online_deployments",
        "amlemu.arm.online_endpoints",
        "amlemu.arm.resource_groups",
        "amlemu.arm.workspaces",
        "amlemu.arm",
    ],
    ["amlemu.arm.operations", "amlemu.arm.router"],  # long-running operations on the wire; path matching
    ["amlemu.arm.context"],  # what every handler receives
    ["amlemu.arm.services"],  # the parts of the emulator handlers may use
    ["amlemu.arm.operation_runner", "amlemu.materialize", "amlemu.blob", "amlemu.recording_runtime"],
    ["amlemu.scoring", "amlemu.storage_auth"],
    ["amlemu.identity", "amlemu.rules", "amlemu.arm.request_body"],
    [
        "amlemu.store",
        "amlemu.transport",
        "amlemu.scoring_contract",
        "amlemu.client_env",
        "amlemu.certs",
        "amlemu.arm.errors",
        "amlemu.arm.swagger",
        "amlemu.arm.system_data",
    ],
    ["amlemu.state", "amlemu.http_messages", "amlemu"],
]

# Imports of amlemu's own modules made inside a function, with the reason. None may hide an import cycle;
# each of these keeps a heavy module off a start-up path.
ALLOWED_LOCAL_IMPORTS = {
    "amlemu.az.entry -> amlemu.az.cli": (
        "`az` through the resident helper (the usual path) must not load knack and the command table"
    ),
    "amlemu.cli -> amlemu.serving": (
        "`amlemu env` and `amlemu run` only start a child emulator: they need none of the emulator itself "
        "(handlers, published REST definitions, cryptography, the scoring runtime)"
    ),
    "amlemu.emulator -> amlemu.scoring.runtime": (
        "the runtime is chosen by name: `null` and `recording` need nothing of the inference-server one"
    ),
    "amlemu.testing -> amlemu.scoring.parent_death": (
        "`import amlemu.testing` (every pytest session, the `amlemu` command) needs the guard only when it "
        "starts an emulator"
    ),
}

ROOTS = {"amlemu", "amlemu.arm", "amlemu.az"}


def test_no_module_imports_a_higher_layer() -> None:
    assert violations(PACKAGE, LAYERS) == []


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_every_module_is_placed_by_name_not_by_its_package() -> None:
    """The package names in the table place their own `__init__`; a new module must be named itself
    (or by its folder), so that adding one is a decision about its layer."""
    unplaced = []
    for path in PACKAGE.rglob("*.py"):
        module = module_name(PACKAGE, path)
        placed_by = max((name for layer in LAYERS for name in layer if _in(module, name)), key=len, default="amlemu")
        if module not in ROOTS and placed_by in ROOTS:
            unplaced.append(module)
    assert sorted(unplaced) == []


def test_the_az_column_and_the_emulator_do_not_import_each_other() -> None:
    """`az` talks to the emulator over HTTPS only; `testing` stops the `az` helper (az.resident)."""
    crossing = {
        f"{imp.module} -> {imp.target}"
        for imp in imports_of(PACKAGE)
        if _in(imp.target, "amlemu") and _in(imp.module, "amlemu.az") != _in(imp.target, "amlemu.az")
    }
    assert sorted(crossing) == ["amlemu.testing -> amlemu.az.resident.stop"]


def test_function_local_imports_are_the_allowed_ones() -> None:
    assert local_package_imports(PACKAGE) == sorted(ALLOWED_LOCAL_IMPORTS)


def test_the_table_names_each_module_once() -> None:
    names = [name for layer in LAYERS for name in layer]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []
