"""Every `az` command of the safe-rollout tutorial, and the error paths around it, against golden files.

One emulator (with the real scoring runtime) runs the tutorial's sequence in
its own order, because each step needs the state the previous ones left; each
step's stdout, stderr and exit code is compared with `golden/<step>.txt`.
All mismatches are reported together. See `golden.py` for the file format,
what is normalised and how to regenerate.
"""

from __future__ import annotations

from pathlib import Path

from .golden import Normalizer, check_golden, run_az

REPO = Path(__file__).resolve().parents[2]
CLI_FOLDER = REPO / "snippets" / "cli"
SAFE_ROLLOUT = "endpoints/online/managed/safe-rollout"

# (golden name, argv) in the order the tutorial runs them, error paths where they fit.
SCENARIO: list[tuple[str, list[str]]] = [
    ("version", ["version"]),
    ("extension_show_ml", ["extension", "show", "--name", "ml"]),
    ("extension_show_ml_version_tsv", ["extension", "show", "--name", "ml", "--query", "version", "--output", "tsv"]),
    ("account_show", ["account", "show"]),
    ("login_signed_in", ["login", "--query", "[].{name: name, isDefault: isDefault}"]),
    ("configure_list_defaults", ["configure", "--list-defaults"]),
    ("ml_help", ["ml", "-h"]),
    ("endpoint_show_missing", ["ml", "online-endpoint", "show", "--name", "my-endpoint"]),
    ("endpoint_create", ["ml", "online-endpoint", "create", "--file", f"{SAFE_ROLLOUT}/1-endpoint.yml"]),
    ("endpoint_create_exists", ["ml", "online-endpoint", "create", "--file", f"{SAFE_ROLLOUT}/1-endpoint.yml"]),
    (
        "invoke_no_deployment",
        [
            "ml",
            "online-endpoint",
            "invoke",
            "--name",
            "my-endpoint",
            "--deployment-name",
            "blue",
            "--request-file",
            "endpoints/online/model-1/sample-request.json",
        ],
    ),
    (
        "deployment_create_blue_all_traffic",
        ["ml", "online-deployment", "create", "--file", f"{SAFE_ROLLOUT}/2-blue-deployment.yml", "--all-traffic"],
    ),
    (
        "invoke_blue",
        [
            "ml",
            "online-endpoint",
            "invoke",
            "--name",
            "my-endpoint",
            "--request-file",
            "endpoints/online/model-1/sample-request.json",
        ],
    ),
    (
        "invoke_blue_tsv",
        [
            "ml",
            "online-endpoint",
            "invoke",
            "--name",
            "my-endpoint",
            "-r",
            "endpoints/online/model-1/sample-request.json",
            "-o",
            "tsv",
        ],
    ),
    (
        "deployment_update_set_instance_count",
        [
            "ml",
            "online-deployment",
            "update",
            "--name",
            "blue",
            "--endpoint-name",
            "my-endpoint",
            "--set",
            "instance_count=2",
            "--query",
            "instance_count",
        ],
    ),
    (
        "deployment_update_file",
        [
            "ml",
            "online-deployment",
            "update",
            "--file",
            f"{SAFE_ROLLOUT}/3-scale-blue.yml",
            "--query",
            "{name: name, instance_count: instance_count, state: provisioning_state}",
        ],
    ),
    (
        "deployment_create_green",
        [
            "ml",
            "online-deployment",
            "create",
            "--file",
            f"{SAFE_ROLLOUT}/4-green-deployment.yml",
            "--query",
            "provisioning_state",
        ],
    ),
    ("endpoint_show_traffic", ["ml", "online-endpoint", "show", "--name", "my-endpoint", "--query", "traffic"]),
    (
        "invoke_green",
        [
            "ml",
            "online-endpoint",
            "invoke",
            "--name",
            "my-endpoint",
            "--deployment-name",
            "green",
            "--request-file",
            "endpoints/online/model-2/sample-request.json",
        ],
    ),
    (
        "invoke_unknown_deployment",
        [
            "ml",
            "online-endpoint",
            "invoke",
            "--name",
            "my-endpoint",
            "--deployment",
            "red",
            "--request-file",
            "endpoints/online/model-2/sample-request.json",
        ],
    ),
    (
        "invoke_request_not_json",
        [
            "ml",
            "online-endpoint",
            "invoke",
            "--name",
            "my-endpoint",
            "--request-file",
            "endpoints/online/model-1/onlinescoring/score.py",
        ],
    ),
    ("get_credentials", ["ml", "online-endpoint", "get-credentials", "--name", "my-endpoint"]),
    (
        "show_scoring_uri_tsv",
        ["ml", "online-endpoint", "show", "--name", "my-endpoint", "--query", "scoring_uri", "--output", "tsv"],
    ),
    ("endpoint_show", ["ml", "online-endpoint", "show", "--name", "my-endpoint"]),
    ("endpoint_list", ["ml", "online-endpoint", "list"]),
    ("deployment_list", ["ml", "online-deployment", "list", "--endpoint-name", "my-endpoint"]),
    ("deployment_show_missing", ["ml", "online-deployment", "show", "--name", "red", "--endpoint-name", "my-endpoint"]),
    (
        "traffic_with_delimiter",
        ["ml", "online-endpoint", "update", "--name", "my-endpoint", "--traffic", "blue=90, green=10"],
    ),
    (
        "update_missing_endpoint",
        ["ml", "online-endpoint", "update", "--name", "no-such-endpoint", "--traffic", "blue=100"],
    ),
    (
        "green_10pct_traffic_file",
        ["ml", "online-endpoint", "update", "--file", f"{SAFE_ROLLOUT}/5-flight-green.yml", "--query", "traffic"],
    ),
    (
        "green_100pct_traffic_file",
        ["ml", "online-endpoint", "update", "--file", f"{SAFE_ROLLOUT}/6-full-green.yml", "--query", "traffic"],
    ),
    (
        "deployment_delete_without_yes",
        ["ml", "online-deployment", "delete", "--name", "blue", "--endpoint-name", "my-endpoint"],
    ),
    (
        "deployment_delete_blue",
        ["ml", "online-deployment", "delete", "--name", "blue", "--endpoint", "my-endpoint", "--yes"],
    ),
    (
        "get_logs_green",
        [
            "ml",
            "online-deployment",
            "get-logs",
            "--name",
            "green",
            "--endpoint-name",
            "my-endpoint",
            "--lines",
            "3",
            "--container",
            "storage-initializer",
        ],
    ),
    (
        "get_logs_bad_container",
        ["ml", "online-deployment", "get-logs", "--name", "green", "--endpoint-name", "my-endpoint", "-c", "foo"],
    ),
    ("show_local", ["ml", "online-endpoint", "show", "--name", "my-endpoint", "--local"]),
    ("create_local_no_wait", ["ml", "online-endpoint", "create", "--name", "other", "--local", "--no-wait"]),
    ("unknown_flag", ["ml", "online-endpoint", "show", "--name", "my-endpoint", "--colour", "blue"]),
    (
        "ambiguous_prefix",
        ["ml", "online-endpoint", "update", "--name", "my-endpoint", "--f", f"{SAFE_ROLLOUT}/6-full-green.yml"],
    ),
    ("missing_required", ["ml", "online-deployment", "show", "--name", "green"]),
    (
        "preview_endpoint_update",
        [
            "ml",
            "endpoint",
            "update",
            "-n",
            "my-new-endpoint",
            "-f",
            "endpoints/online/managed/canary-declarative-flow/2-scale-blue.yaml",
        ],
    ),
    (
        "preview_endpoint_update_f_typo",
        [
            "ml",
            "endpoint",
            "update",
            "-n",
            "my-new-endpoint",
            "--f",
            "endpoints/online/managed/canary-declarative-flow/4-flight-green.yaml",
        ],
    ),
    ("unknown_top_level", ["mll", "online-endpoint", "list"]),
    ("endpoint_delete_no_wait", ["ml", "online-endpoint", "delete", "--name", "my-endpoint", "--yes", "--no-wait"]),
    ("endpoint_delete_missing", ["ml", "online-endpoint", "delete", "--name", "no-such-endpoint", "--yes"]),
]


def test_golden_tutorial_scenario(scoring_emulator) -> None:
    emulator = scoring_emulator
    env = emulator.env
    identity = emulator.identity
    normalize = Normalizer(
        {
            str(emulator.state_dir): "<state>",
            identity.subscription_id: "<subscription>",
            identity.tenant_id: "<tenant>",
            identity.client_id: "<client>",
            str(CLI_FOLDER): "<cli>",
        }
    )
    problems: list[str] = []
    for name, argv in SCENARIO:
        call = run_az(argv, env, CLI_FOLDER)
        if name == "get_credentials" and call.exit_code == 0:
            import json

            for key in json.loads(call.stdout).values():
                normalize.add(key, "<key>")
        problem = check_golden(name, normalize.call(call))
        if problem:
            problems.append(problem)
    assert not problems, "\n\n".join(problems)
