"""The `az` commands the public azureml-examples `cli/deploy-*.sh` scripts use, against one emulator.

Shapes and messages come from the CLI's source: the `ml` extension's handlers
(azure-cli-extensions src/machinelearningservices/azext_mlv2/manual/custom/model.py,
environment.py, workspace.py; `--set` is its OverridePropertiesBySet append action in
manual/action.py), azure-cli's profile `get_access_token` (command_modules/profile/custom.py:
tokenType, accessToken, expires_on, expiresOn, tenant, subscription), azure-cli-core's
extension operations ("Extension '%s' is already installed.") and generic update
(`OrderedArgsAction` in core/commands/command_operation.py: every `--set/--add/--remove`
applies in command-line order), and the storage module's batch upload result
(`Blob`, `Last Modified`, `Type`, `eTag`). The model-management shape is the `Model`
definition of the published model-management (v1.0) specification.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .golden import Normalizer, check_golden, run_az

REPO = Path(__file__).resolve().parents[2]
CLI_FOLDER = REPO / "snippets" / "cli"
MODEL_FOLDER = CLI_FOLDER / "endpoints" / "online" / "model-1"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    from amlemu.az.resident import stop
    from amlemu.testing import running_emulator

    with running_emulator(state_dir=tmp_path_factory.mktemp("samples") / "state") as running:
        try:
            yield running
        finally:
            stop(running.env["AZURE_CONFIG_DIR"])


@pytest.fixture(scope="module")
def normalize(emulator) -> Normalizer:
    identity = emulator.identity
    return Normalizer(
        {
            str(emulator.state_dir): "<state>",
            identity.subscription_id: "<subscription>",
            identity.tenant_id: "<tenant>",
            identity.client_id: "<client>",
            identity.storage_account: "<account>",
            identity.resource_group: "<group>",
            identity.workspace: "<workspace>",
        }
    )


def az(emulator, *argv: str, env: dict[str, str] | None = None, cwd: Path = CLI_FOLDER):
    return run_az(list(argv), env or emulator.env, cwd)


def golden(name: str, call, normalize: Normalizer) -> None:
    problem = check_golden(name, normalize.call(call))
    assert problem is None, problem


def token(emulator) -> str:
    call = az(emulator, "account", "get-access-token", "--query", "accessToken", "-o", "tsv")
    assert call.exit_code == 0, call.stderr
    return call.stdout.strip()


def test_get_access_token_has_the_cli_shape_and_opens_arm(emulator) -> None:
    call = az(emulator, "account", "get-access-token")
    assert call.exit_code == 0, call.stderr
    result = json.loads(call.stdout)
    assert sorted(result) == ["accessToken", "expiresOn", "expires_on", "subscription", "tenant", "tokenType"]
    assert result["tokenType"] == "Bearer" and isinstance(result["expires_on"], int)
    assert result["subscription"] == emulator.identity.subscription_id
    assert result["tenant"] == emulator.identity.tenant_id
    scoped = az(emulator, "account", "get-access-token", "--resource", "https://storage.azure.com/", "-o", "json")
    assert scoped.exit_code == 0, scoped.stderr
    both = az(emulator, "account", "get-access-token", "--resource", "x", "--scope", "y")
    assert both.exit_code == 1 and "usage error" in both.stderr


def test_workspace_group_and_configure_lines_of_deploy_rest(emulator, normalize) -> None:
    golden(
        "workspace_show_location_tsv",
        az(emulator, "ml", "workspace", "show", "--query", "location", "-o", "tsv"),
        normalize,
    )
    golden("group_show_name_tsv", az(emulator, "group", "show", "--query", "name", "-o", "tsv"), normalize)
    golden("group_show_missing", az(emulator, "group", "show", "--name", "no-such-group"), normalize)
    golden("group_list_table", az(emulator, "group", "list", "-o", "table"), normalize)
    listed = az(emulator, "ml", "workspace", "list", "--query", "[].name", "-o", "tsv")
    assert listed.exit_code == 0 and listed.stdout.split() == [emulator.identity.workspace]


def test_extension_add_update_remove_of_ml_are_no_ops(emulator, normalize) -> None:
    golden("extension_add_ml", az(emulator, "extension", "add", "-n", "ml", "-y"), normalize)
    golden("extension_update_ml", az(emulator, "extension", "update", "-n", "ml"), normalize)
    golden("extension_remove_other", az(emulator, "extension", "remove", "-n", "azure-devops"), normalize)
    assert az(emulator, "extension", "remove", "-n", "ml").exit_code == 0
    assert az(emulator, "extension", "show", "-n", "ml", "--query", "name", "-o", "tsv").stdout == "ml\n"


def test_repeated_set_applies_every_occurrence_on_create_and_update(emulator) -> None:
    created = az(
        emulator,
        "ml",
        "online-endpoint",
        "create",
        "-n",
        "set-twice",
        "--set",
        "description=first",
        "--set",
        "tags.team=docs",
        "--query",
        "{description: description, tags: tags}",
    )
    assert created.exit_code == 0, created.stderr
    assert json.loads(created.stdout) == {"description": "first", "tags": {"team": "docs"}}
    updated = az(
        emulator,
        "ml",
        "online-endpoint",
        "update",
        "-n",
        "set-twice",
        "--set",
        "description=second",
        "--set",
        "tags.stage=test",
        "--remove",
        "tags.team",
        "--query",
        "{description: description, tags: tags}",
    )
    assert updated.exit_code == 0, updated.stderr
    assert json.loads(updated.stdout) == {"description": "second", "tags": {"stage": "test"}}


def test_model_lifecycle(emulator, tmp_path) -> None:
    spec = tmp_path / "model.yml"
    spec.write_text(f"name: sample-model\nversion: 7\npath: {MODEL_FOLDER / 'model'}\n")
    created = az(
        emulator,
        "ml",
        "model",
        "create",
        "-f",
        str(spec),
        "--set",
        "description=from-file",
        "--set",
        "tags.kind=sklearn",
        "--query",
        "{name: name, version: version, d: description, t: tags}",
    )
    assert created.exit_code == 0, created.stderr
    assert json.loads(created.stdout) == {
        "name": "sample-model",
        "version": "7",
        "d": "from-file",
        "t": {"kind": "sklearn"},
    }
    shown = az(emulator, "ml", "model", "show", "-n", "sample-model", "-v", "7", "--query", "type", "-o", "tsv")
    assert shown.stdout == "custom_model\n"
    assert az(emulator, "ml", "model", "list", "--query", "[].name", "-o", "tsv").stdout == "sample-model\n"
    archived = az(emulator, "ml", "model", "archive", "-n", "sample-model", "-v", "7")
    assert (archived.exit_code, archived.stdout) == (0, "")
    assert json.loads(az(emulator, "ml", "model", "list", "-n", "sample-model").stdout) == []
    only = az(
        emulator, "ml", "model", "list", "-n", "sample-model", "--archived-only", "--query", "[].version", "-o", "tsv"
    )
    assert only.stdout == "7\n"
    assert az(emulator, "ml", "model", "restore", "-n", "sample-model", "-v", "7").exit_code == 0
    assert (
        az(emulator, "ml", "model", "list", "-n", "sample-model", "--query", "[].version", "-o", "tsv").stdout == "7\n"
    )
    downloaded = az(emulator, "ml", "model", "download", "-n", "sample-model", "-v", "7", "-p", str(tmp_path / "dl"))
    assert downloaded.exit_code == 0, downloaded.stderr
    assert (tmp_path / "dl" / "sample-model" / "model" / "sklearn_regression_model.pkl").is_file()
    missing = az(emulator, "ml", "model", "show", "-n", "no-such-model", "-v", "1")
    assert missing.exit_code == 3 and "ResourceNotFound" in missing.stderr
    neither = az(emulator, "ml", "model", "create", "-n", "x")
    assert neither.exit_code == 1 and "Please provide either --file/-f  or --name/-n and --path/-p." in neither.stderr


def test_environment_lifecycle(emulator) -> None:
    created = az(
        emulator,
        "ml",
        "environment",
        "create",
        "-n",
        "sample-env",
        "-v",
        "3",
        "-i",
        "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04",
        "-c",
        str(MODEL_FOLDER / "environment" / "conda.yaml"),
        "--query",
        "{n: name, v: version}",
    )
    assert created.exit_code == 0, created.stderr
    assert json.loads(created.stdout) == {"n": "sample-env", "v": "3"}
    assert az(emulator, "ml", "environment", "list", "--query", "[].name", "-o", "tsv").stdout == "sample-env\n"
    assert az(emulator, "ml", "environment", "archive", "-n", "sample-env", "-v", "3").exit_code == 0
    assert az(emulator, "ml", "environment", "list", "-n", "sample-env", "-o", "tsv").stdout == ""
    shown = az(emulator, "ml", "environment", "show", "-n", "sample-env", "-v", "3", "--query", "image", "-o", "tsv")
    assert shown.stdout == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04\n"


def _default_container(emulator) -> str:
    identity = emulator.identity
    url = (
        f"https://management.azure.com/subscriptions/{identity.subscription_id}/resourceGroups/"
        f"{identity.resource_group}/providers/Microsoft.MachineLearningServices/workspaces/{identity.workspace}"
        "/datastores?api-version=2022-05-01&isDefault=true"
    )
    out = subprocess.run(
        ["curl", "-sS", url, "-H", f"Authorization: Bearer {token(emulator)}"],
        env=emulator.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)["value"][0]["properties"]["containerName"]


@pytest.mark.parametrize("credential", ["login", "key", "queried-key"])
def test_blob_upload_batch_list_download_round_trip(emulator, tmp_path, credential) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    container = _default_container(emulator)
    env = {**emulator.env, "AZURE_STORAGE_ACCOUNT": emulator.identity.storage_account}
    auth = {
        "login": ["--auth-mode", "login"],
        "key": ["--account-key", emulator.identity.storage_account_key],
        "queried-key": [],
    }[credential]
    uploaded = az(
        emulator,
        "storage",
        "blob",
        "upload-batch",
        "-d",
        f"{container}/{credential}",
        "-s",
        str(MODEL_FOLDER / "onlinescoring"),
        *auth,
        env=env,
    )
    assert uploaded.exit_code == 0, uploaded.stderr
    rows = json.loads(uploaded.stdout)
    files = sorted(p.name for p in (MODEL_FOLDER / "onlinescoring").iterdir() if p.is_file())
    assert [sorted(r) for r in rows] == [["Blob", "Last Modified", "Type", "eTag"]] * len(files)
    assert [r["Blob"].rsplit(f"/{container}/", 1)[1] for r in rows] == [f"{credential}/{f}" for f in files]
    assert ("we will query for account key" in uploaded.stderr) == (credential == "queried-key")
    listed = az(
        emulator,
        "storage",
        "blob",
        "list",
        "-c",
        container,
        "--prefix",
        f"{credential}/",
        "--query",
        "[].name",
        "-o",
        "tsv",
        *auth,
        env=env,
    )
    assert listed.stdout.split() == [f"{credential}/{f}" for f in files]
    target = tmp_path / "score.py"
    downloaded = az(
        emulator,
        "storage",
        "blob",
        "download",
        "-c",
        container,
        "-n",
        f"{credential}/score.py",
        "-f",
        str(target),
        "--query",
        "properties.contentLength",
        *auth,
        env=env,
    )
    assert downloaded.exit_code == 0, downloaded.stderr
    assert target.read_bytes() == (MODEL_FOLDER / "onlinescoring" / "score.py").read_bytes()
    assert int(downloaded.stdout) == target.stat().st_size


def test_blob_commands_refuse_a_wrong_key(emulator) -> None:
    container = _default_container(emulator)
    call = az(
        emulator,
        "storage",
        "blob",
        "list",
        "-c",
        container,
        "--account-name",
        emulator.identity.storage_account,
        "--account-key",
        "d3Jvbmc=",
    )
    assert call.exit_code == 1 and "AuthenticationFailed" in call.stderr


def test_model_management_get_and_delete_through_the_proxy(emulator) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    identity = emulator.identity
    created = az(emulator, "ml", "model", "create", "-n", "mms-model", "-v", "2", "-p", str(MODEL_FOLDER / "model"))
    assert created.exit_code == 0, created.stderr
    base = (
        f"https://ml.azure.com/api/{identity.region}/modelmanagement/v1.0/subscriptions/"
        f"{identity.subscription_id}/resourceGroups/{identity.resource_group}/providers/"
        f"Microsoft.MachineLearningServices/workspaces/{identity.workspace}/models"
    )
    bearer = f"Authorization: Bearer {token(emulator)}"

    def curl(method: str, url: str) -> tuple[int, str]:
        done = subprocess.run(
            ["curl", "-sS", "-X", method, "-w", "\n%{http_code}", url, "-H", bearer],
            env=emulator.env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        body, _, status = done.stdout.rpartition("\n")
        return int(status), body

    status, body = curl("GET", f"{base}/mms-model:2")
    assert status == 200
    model = json.loads(body)
    assert (model["id"], model["name"], model["version"]) == ("mms-model:2", "mms-model", 2)
    assert {"kvTags", "properties", "url", "mimeType", "createdTime"} <= set(model)
    assert curl("DELETE", f"{base}/mms-model:2")[0] == 200
    status, body = curl("GET", f"{base}/mms-model:2")
    assert status == 404 and json.loads(body)["code"] == "ModelNotFound"
    assert az(emulator, "ml", "model", "show", "-n", "mms-model", "-v", "2").exit_code == 3
    unauthenticated = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", f"{base}/x:1"],
        env=emulator.env,
        capture_output=True,
        text=True,
    )
    assert unauthenticated.stdout == "401"
