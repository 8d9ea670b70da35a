"""The real `az` surface: generated from the CLI's source, used by the static check and the emulated `az`."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from amlemu.az.command_line_check import check_command_line
from amlemu.az.surface import HERE as SURFACE
from amlemu.az.surface import TABLES
from amlemu.az.surface.generate import TableSpec, generate, render

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "surface-source"
DEMO = TableSpec(
    "demo",
    "Example/demo-extension",
    ("src",),
    (("src/azext_demo/manual/commands.py", ("src/azext_demo/manual/_params",)),),
    registry_complete=True,
    version_file="src/azext_demo/manual/version.py",
)


def problems(line: str) -> list[tuple[str, str]]:
    return [(p.code, p.message) for p in check_command_line(shlex.split(line), None)]


@pytest.mark.parametrize(
    "line",
    [
        "az ml batch-endpoint create -n x -f y.yml",
        "az ml batch-deployment create --file deployment.yml --endpoint-name ep --set-default",
        "az ml job create -f job.yml",
        "az ml job create -f job.yml --web --stream",
        "az ml compute create -n cpu-cluster --type amlcompute --size Standard_DS3_v2 --min-instances 0 --max-instances 4",
        "az ml data create -n data -v 1 --path ./data --type uri_folder",
        "az group create -n g -l eastus",
        "az storage blob upload --account-name acct -c container -f local.txt -n remote.txt",
        "az role assignment create --assignee 00000000-0000-0000-0000-000000000000 --role Reader --scope /subscriptions/x",
        "az account set --subscription sub",
        "az acr login -n registry",
        "az login --identity",
        "az extension add -n ml -y",
    ],
)
def test_real_commands_the_emulator_lacks_pass_the_static_check(line: str) -> None:
    assert problems(line) == []


def test_a_misspelled_real_command_is_still_unknown() -> None:
    found = problems("az ml batch-endpont create -n x -f y.yml")
    assert found == [("unknown-command", "'batch-endpont' is misspelled or not recognized by the system.")]
    hint = check_command_line(shlex.split("az ml batch-endpont create -n x"), None)[0].hint
    assert hint == "did you mean `az ml batch-endpoint`?"


def test_an_unknown_option_of_a_real_command_is_reported() -> None:
    assert problems("az ml batch-endpoint create -n x --colour red") == [
        ("unknown-option", "unrecognized arguments: --colour red")
    ]
    assert problems("az group create -n g -l eastus --colour red") == [
        ("unknown-option", "unrecognized arguments: --colour red")
    ]


def test_a_missing_required_option_of_a_real_command_is_reported() -> None:
    assert problems("az role assignment create --assignee x --scope /s") == [
        ("missing-required", "the following arguments are required: --role")
    ]


def test_removed_preview_commands_stay_removed_with_their_replacement() -> None:
    found = check_command_line(shlex.split("az ml endpoint create -n e -f e.yml"), None)
    assert [p.code for p in found] == ["unknown-command"]
    assert "az ml online-endpoint create" in (found[0].hint or "")


def test_the_emulated_az_says_a_real_command_is_not_emulated(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "AMLEMU_AZ_RESIDENT": "0", "AZURE_CONFIG_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "amlemu.az", "ml", "batch-endpoint", "create", "-n", "x", "-f", "y.yml"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "ERROR: 'az ml batch-endpoint create' is a real Azure CLI command that amlemu "
        "does not emulate (see README: the emulated commands)\n"
    )
    misspelled = subprocess.run(
        [sys.executable, "-m", "amlemu.az", "ml", "batch-endpont", "create"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert misspelled.returncode == 2
    assert "'batch-endpont' is misspelled or not recognized by the system." in misspelled.stderr


@pytest.mark.parametrize("table", TABLES)
def test_every_table_records_where_it_came_from(table: str) -> None:
    data = json.loads((SURFACE / f"{table}.json").read_text())
    assert data["sources"], table
    for source in data["sources"]:
        assert re.fullmatch(r"Azure/azure-cli(-extensions)?", source["repository"])
        assert source["revision"] and source["revision"] != "unknown"
        assert source["path"].endswith(".py")
    paths = {s["path"] for s in data["sources"]}
    if table == "ml":
        assert "src/machinelearningservices/azext_mlv2/manual/commands.py" in paths
        assert data["version"]
        assert {"ml batch-endpoint create", "ml job create", "ml compute create", "ml data create"} <= set(
            data["commands"]
        )
    else:
        assert "src/azure-cli/azure/cli/command_modules/resource/commands.py" in paths
        assert {
            "group create",
            "account set",
            "configure",
            "storage blob upload",
            "role assignment create",
            "monitor log-analytics workspace create",
            "acr create",
            "keyvault create",
            "login",
            "extension add",
            "identity create",
            "aks create",
        } <= set(data["commands"])


def test_the_generator_reproduces_the_committed_table_from_source(tmp_path: Path) -> None:
    written = generate({"Example/demo-extension": FIXTURE}, tmp_path, specs={"demo": DEMO})
    assert [p.name for p in written] == ["demo.json"]
    assert written[0].read_text() == (FIXTURE / "expected.json").read_text()


def test_what_the_generator_reads_from_the_fixture() -> None:
    table = json.loads((FIXTURE / "expected.json").read_text())
    commands = table["commands"]
    assert table["version"] == "1.2.3"
    assert {
        "revision": "1111111111111111111111111111111111111111",
        "repository": "Example/demo-extension",
        "path": "src/azext_demo/manual/commands.py",
    } in table["sources"]
    create = {tuple(o[0]): o[1:] for o in commands["demo endpoint create"]["options"]}
    assert create[("--file", "-f")] == ["value", "required"]  # signature without default, required=True
    assert create[("--verbose-logs",)] == ["flag"]  # a bool default makes a flag
    assert create[("--local",)] == ["maybe"]  # get_three_state_flag(): an optional true/false
    assert create[("--workspace-name", "-w")] == ["value", "required", "default=workspace"]
    assert create[("--name", "-n")] == ["value"]  # group-wide scope, CLIArgumentType
    assert create[("--no-wait",)] == ["flag"]
    assert ("--internal",) not in create  # c.ignore
    assert ["--yes", "-y"] in [o[0] for o in commands["demo endpoint delete"]["options"]]
    update = [o[0][0] for o in commands["demo endpoint update"]["options"]]
    assert {"--traffic", "--set", "--add", "--remove", "--force-string"} <= set(update)
    assert "open" not in commands["demo job create"]  # registry of its own scope, handler source missing
    assert commands["demo job archive"].get("open") is True  # neither: any option is accepted


def test_rendering_is_one_command_per_line() -> None:
    text = render({"format": 1, "table": "t", "version": None, "sources": [], "commands": {"a b": {"options": []}}})
    assert '    "a b": {"options":[]}\n' in text
