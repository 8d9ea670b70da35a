"""The command table's static checks and normalisation, and their agreement with the knack parser."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from amlemu.az import command_table as table
from amlemu.az.command_line_check import CommandProblem, check_command_line, normalize_command_line

REPO = Path(__file__).resolve().parents[2]
SEED_SCRIPT = REPO / "tests" / "fixtures" / "seed-era"


def argv(line: str) -> list[str]:
    return shlex.split(line)


def codes(problems: list[CommandProblem]) -> list[tuple[int, str]]:
    return [(p.token_index, p.code) for p in problems]


def test_seed_preview_update_is_unknown_with_its_replacement_as_hint() -> None:
    problems = check_command_line(argv("az ml endpoint update -n my-new-endpoint -f x.yaml"), None)
    assert codes(problems) == [(2, "unknown-command")]
    assert problems[0].message == "'endpoint' is misspelled or not recognized by the system."
    assert "az ml online-endpoint update" in (problems[0].hint or "")


def test_seed_f_typo_is_ambiguous_against_todays_update_options() -> None:
    problems = check_command_line(argv("az ml endpoint update -n my-new-endpoint --f x.yaml"), None)
    assert codes(problems) == [(2, "unknown-command"), (6, "ambiguous-option")]
    assert problems[1].message == "ambiguous option: --f could match --file, --force-string"


def test_unique_prefixes_are_accepted_as_argparse_does() -> None:
    line = "az ml online-deployment delete --name blue --endpoint ep --yes --no-wait"
    assert check_command_line(argv(line), None) == []
    assert check_command_line(argv("az ml online-endpoint invoke -n ep --deployment green -r r.json"), None) == []


def test_unknown_option_and_stray_values() -> None:
    problems = check_command_line(argv("az ml online-endpoint show -n ep --colour blue"), None)
    assert codes(problems) == [(6, "unknown-option")]
    assert problems[0].message == "unrecognized arguments: --colour blue"
    problems = check_command_line(argv("az ml online-endpoint show -n ep --quer traffic --outptu tsv"), None)
    assert problems[0].hint == "did you mean `--output`?"
    problems = check_command_line(argv("az ml online-endpoint update -n ep --traffic blue=90 green=10"), None)
    assert codes(problems) == [(8, "unknown-option")]
    assert problems[0].message == "unrecognized arguments: green=10"


def test_global_options_take_part_in_prefix_matching() -> None:
    problems = check_command_line(argv("az ml online-endpoint show -n ep --o tsv"), None)
    assert codes(problems) == [(6, "ambiguous-option")]
    assert problems[0].message == "ambiguous option: --o could match --only-show-errors, --output"


def test_missing_required_lists_every_missing_argument_like_argparse() -> None:
    problems = check_command_line(argv("az ml online-deployment show"), None)
    assert [p.message for p in problems] == ["the following arguments are required: --name/-n, --endpoint-name/-e"]
    assert problems[0].code == "missing-required"
    assert check_command_line(argv("az ml online-deployment show -h"), None) == []


def test_group_and_workspace_are_left_to_configured_defaults() -> None:
    assert check_command_line(argv("az ml online-endpoint list"), None) == []


def test_missing_file_is_checked_relative_to_the_script_folder(tmp_path: Path) -> None:
    (tmp_path / "endpoint.yml").write_text("name: x\n")
    assert check_command_line(argv("az ml online-endpoint create -f endpoint.yml"), tmp_path) == []
    problems = check_command_line(argv("az ml online-endpoint create --file=nothere.yml"), tmp_path)
    assert codes(problems) == [(4, "missing-file")]
    problems = check_command_line(argv("az ml online-endpoint invoke -n ep --request-file req.json"), tmp_path)
    assert codes(problems) == [(6, "missing-file")]
    # Shell expansions cannot be resolved statically, and without a folder nothing is checked.
    assert check_command_line(argv("az ml online-endpoint create -f $DIR/endpoint.yml"), tmp_path) == []
    assert check_command_line(argv("az ml online-endpoint create -f nothere.yml"), None) == []


def test_typo_in_a_group_gets_a_close_match_hint() -> None:
    problems = check_command_line(argv("az ml online-endpont show -n ep"), None)
    assert codes(problems) == [(2, "unknown-command")]
    assert problems[0].hint == "did you mean `az ml online-endpoint`?"


def test_an_option_name_from_a_variable_disables_required_checks() -> None:
    assert check_command_line(argv("az ml online-deployment show $ARGS"), None) == []


@pytest.mark.parametrize("spelling", ["-f X", "--file X", "--file=X", "--fi X", "-fX"])
def test_flag_spellings_normalise_alike(spelling: str) -> None:
    line = f"az ml online-deployment create --name blue {spelling} --all-traffic"
    assert normalize_command_line(argv(line)) == (
        "ml",
        "online-deployment",
        "create",
        "--all-traffic",
        "--file",
        "X",
        "--name",
        "blue",
    )


def test_normalisation_orders_options_and_keeps_list_values() -> None:
    a = normalize_command_line(argv("az ml online-endpoint show -o tsv --query scoring_uri -n ep"))
    b = normalize_command_line(argv("az ml online-endpoint show --name ep --output tsv --query scoring_uri"))
    assert a == b == ("ml", "online-endpoint", "show", "--name", "ep", "--output", "tsv", "--query", "scoring_uri")
    assert normalize_command_line(argv("az configure -d group=g workspace=w")) == (
        "configure",
        "--defaults",
        "group=g",
        "workspace=w",
    )


def test_normalisation_of_removed_and_unknown_commands() -> None:
    assert normalize_command_line(argv("az ml endpoint update -n e -f x.yml")) == (
        "ml",
        "endpoint",
        "update",
        "--file",
        "x.yml",
        "--name",
        "e",
    )
    assert normalize_command_line(argv("az foo bar -x 1")) == ("foo", "bar", "-x", "1")


def test_every_handler_named_in_the_table_exists() -> None:
    import importlib

    for command in table.COMMANDS:
        module_name, function_name = command.handler.split(":")
        assert callable(getattr(importlib.import_module(module_name), function_name)), command.name


def test_the_groups_are_exactly_the_names_that_prefix_a_command() -> None:
    prefixes = {
        " ".join(command.name.split()[:depth])
        for command in table.COMMANDS
        for depth in range(len(command.name.split()))
    }
    assert set(table.GROUPS) == prefixes


def test_table_and_checker_import_without_knack_or_azure() -> None:
    code = (
        "import sys, amlemu.az.command_line_check; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('knack', 'azure')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


LINES_FOR_PARSER_AGREEMENT = [
    "az ml online-endpoint show -n ep --query traffic",
    "az ml online-endpoint show -n ep --o tsv",
    "az ml online-endpoint show --colour blue -n ep",
    "az ml online-endpoint update -n ep --f x.yml",
    "az ml online-deployment show --name green",
    "az ml online-deployment delete --name blue --endpoint ep --yes --no-wait",
    "az ml endpoint update -n my-new-endpoint -f x.yml",
    "az ml online-endpont list",
]


@pytest.mark.parametrize("line", LINES_FOR_PARSER_AGREEMENT)
def test_static_check_agrees_with_the_emulated_cli_parser(line: str, offline_env: dict[str, str]) -> None:
    """A line the checker accepts parses in the emulated `az`; one it rejects fails there with exit 2.

    `--help` is appended so that accepted lines stop after parsing (no service call).
    """
    problems = [p for p in check_command_line(argv(line), None) if p.code != "missing-file"]
    env = dict(offline_env, AMLEMU_AZ_RESIDENT="0")
    command = argv(line)[1:] + ([] if problems else ["--help"])
    result = subprocess.run(
        [sys.executable, "-m", "amlemu.az", *command], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if problems:
        assert result.returncode == 2, result.stderr
        first = problems[0]
        assert first.message in result.stderr
    else:
        assert result.returncode == 0, result.stderr
