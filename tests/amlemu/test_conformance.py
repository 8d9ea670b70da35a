"""The emulator against Microsoft's published API definition (stable 2023-04-01).

1. Every response body the emulator sends during the SDK flow, for online endpoints and
   deployments, code/model/environment versions and datastores, validates against the
   Swagger definitions (errors against ARM's ErrorResponse).
2. Each published example request for online endpoints and managed deployments is
   replayed; the response has the example's shape.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from arm_client import ArmSession
from azure.storage.blob import BlobServiceClient
from safe_rollout_flow import run_flow, write_flow_files

from amlemu.arm.swagger import STABLE, Spec
from amlemu.testing import RunningEmulator, running_emulator

# Responses are validated against the definitions shipped in the package; the published
# examples replayed here live in shared/ beside the repository.
EXAMPLES = (
    Path(__file__).resolve().parents[3] / "shared" / "azure-rest-api-specs" / "specification" / STABLE / "examples"
)
pytestmark = pytest.mark.skipif(
    not EXAMPLES.is_dir(), reason=f"the published Azure ML REST examples are not at {EXAMPLES}"
)

FAMILIES = re.compile(r"/(onlineEndpoints|codes|models|environments|datastores)(/|$)", re.IGNORECASE)


def _journal(emu: RunningEmulator) -> list[dict]:
    assert emu.journal_file is not None
    return [json.loads(line) for line in emu.journal_file.read_text().splitlines()]


@pytest.mark.parametrize("mode", ["proxy", "direct"])
def test_every_response_of_the_sdk_flow_matches_the_definitions(mode: str, tmp_path: Path) -> None:
    files = write_flow_files(tmp_path / "files")
    with running_emulator(tmp_path / "state", mode=mode, journal=True) as emu:
        ml = emu.ml_client()
        run_flow(ml, files, "conform-ep")
        # a few reads the flow does not do on its own
        ml.online_endpoints.begin_create_or_update(
            __import__("azure.ai.ml.entities", fromlist=["x"]).ManagedOnlineEndpoint(name="conform-ep2")
        ).result()
        list(ml.datastores.list())
        list(ml.online_endpoints.list())
        journal = _journal(emu)
    spec = Spec()
    validated: set[str] = set()
    problems: list[str] = []
    for entry in journal:
        if not FAMILIES.search(entry["path"]):
            continue
        found = spec.operation_for(entry["method"], entry["path"])
        assert found is not None, f"{entry['method']} {entry['path']} is not in the published definitions"
        template, operation = found
        schema = spec.response_schema(operation, entry["status"])
        if schema is None:
            assert entry["status"] in [int(s) for s in operation["responses"] if s.isdigit()], entry
            continue
        errors = spec.validate(schema, entry["body"])
        problems += [f"{operation['operationId']} {entry['status']}: {error}" for error in errors]
        validated.add(operation["operationId"])
    assert problems == [], "\n".join(problems)
    assert validated >= {
        "OnlineEndpoints_CreateOrUpdate",
        "OnlineEndpoints_Get",
        "OnlineEndpoints_List",
        "OnlineEndpoints_ListKeys",
        "OnlineDeployments_CreateOrUpdate",
        "OnlineDeployments_Get",
        "OnlineDeployments_List",
        "CodeVersions_CreateOrGetPendingUpload",
        "CodeVersions_CreateOrUpdate",
        "CodeVersions_List",
        "ModelVersions_CreateOrUpdate",
        "ModelVersions_List",
        "EnvironmentVersions_CreateOrUpdate",
        "Datastores_Get",
        "Datastores_ListSecrets",
        "Datastores_List",
    }, validated


# -- replaying the published examples --------------------------------------------------


# Values in the examples that a real workspace would refuse (they are placeholders), and
# what the replay sends instead: the same type, a value the service rules accept.
def _replace_placeholders(body: dict, assets: dict[str, str]) -> dict:
    body = json.loads(json.dumps(body))
    properties = body.get("properties", {})
    if "traffic" in properties:
        properties["traffic"] = {"string": 100}  # the example's {"string": 1} does not sum to 100
    if properties.get("endpointComputeType") == "Managed":
        properties["instanceType"] = "Standard_DS3_v2"
        properties["model"] = assets["model"]
        properties["environmentId"] = assets["environment"]
        properties["codeConfiguration"]["codeId"] = assets["code"]
    return body


# Fields whose value depends on who calls, not on the API shape: the examples were recorded
# by a user, the emulator's callers are service principals.
IGNORED = frozenset(
    {
        "$.systemData.createdByType",
        "$.systemData.lastModifiedByType",
        "$.value[0].systemData.createdByType",
        "$.value[0].systemData.lastModifiedByType",
    }
)


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with running_emulator(tmp_path_factory.mktemp("replay") / "state", runtime="recording") as emu:
        arm = ArmSession(emu)
        account = emu.identity.storage_account
        container = arm.ws("GET", "/datastores/workspaceblobstore").json()["properties"]["containerName"]
        key = arm.ws("POST", "/datastores/workspaceblobstore/listSecrets").json()["key"]
        store = BlobServiceClient(f"https://{account}.blob.core.windows.net", credential=key)
        for name, data in (
            ("replay/code/score.py", b"def init():\n    pass\n\ndef run(raw):\n    return raw\n"),
            ("replay/model/weights.txt", b"1 2 3\n"),
        ):
            store.get_blob_client(container, name).upload_blob(data)
        base = f"https://{account}.blob.core.windows.net/{container}"
        datastore_uri = (
            f"azureml://subscriptions/{emu.identity.subscription_id}/resourcegroups/"
            f"{emu.identity.resource_group}/workspaces/{emu.identity.workspace}/datastores/"
            "workspaceblobstore/paths/replay/model"
        )
        assets = {
            "code": arm.ws(
                "PUT", "/codes/replay-code/versions/1", {"properties": {"codeUri": f"{base}/replay/code"}}
            ).json()["id"],
            "model": arm.ws(
                "PUT", "/models/replay-model/versions/1", {"properties": {"modelUri": datastore_uri}}
            ).json()["id"],
            "environment": arm.ws(
                "PUT",
                "/environments/replay-env/versions/1",
                {"properties": {"image": "mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest"}},
            ).json()["id"],
        }
        yield emu, arm, assets


def _example(relative: str) -> dict:
    return json.loads((EXAMPLES / relative).read_text())


def _check_shape(status: int, body: Any, example: dict, schema_name: str) -> None:
    spec = Spec()
    assert str(status) in example["responses"], (status, list(example["responses"]))
    expected = example["responses"][str(status)].get("body")
    if expected is None:
        return
    schema = spec.definition(schema_name)
    assert spec.validate(schema, body) == []
    assert spec.shape_differences(schema, expected, body, ignore=IGNORED) == []


def _settled(example: dict) -> dict:
    """The example recorded a resource still Creating; the replay reads it once it has settled."""
    copy = json.loads(json.dumps(example))
    body = copy["responses"]["200"]["body"]
    for item in body.get("value", [body]):
        item["properties"]["provisioningState"] = "Succeeded"
    return copy


def _wait_idle(arm: ArmSession, path: str) -> None:
    import time

    deadline = time.monotonic() + 10
    while arm.ws("GET", path).json()["properties"]["provisioningState"] not in ("Succeeded", "Failed"):
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_replay_endpoint_examples(replay: Any) -> None:
    emu, arm, assets = replay
    name = "testEndpointName"
    # an older endpoint, so that the list example's page of one has a next page
    arm.ws(
        "PUT", "/onlineEndpoints/older-endpoint", {"location": emu.identity.region, "properties": {"authMode": "Key"}}
    )
    _wait_idle(arm, "/onlineEndpoints/older-endpoint")
    create = _example("Workspace/OnlineEndpoint/createOrUpdate.json")
    body = _replace_placeholders(create["parameters"]["body"], assets)
    body["properties"]["traffic"] = {}  # a new endpoint has no deployments to route to yet
    response = arm.ws("PUT", f"/onlineEndpoints/{name}", body)
    expected = json.loads(json.dumps(create))
    expected["responses"][str(response.status_code)]["body"]["properties"].pop("traffic")
    _check_shape(response.status_code, response.json(), expected, "OnlineEndpointTrackedResource")
    _wait_idle(arm, f"/onlineEndpoints/{name}")

    # a deployment named like the example's traffic key, then the example's update with traffic
    deployment = _replace_placeholders(
        _example("OnlineDeployment/ManagedOnlineDeployment/createOrUpdate.json")["parameters"]["body"], assets
    )
    assert arm.ws("PUT", f"/onlineEndpoints/{name}/deployments/string", deployment).status_code == 201
    _wait_idle(arm, f"/onlineEndpoints/{name}/deployments/string")
    response = arm.ws("PUT", f"/onlineEndpoints/{name}", _replace_placeholders(create["parameters"]["body"], assets))
    as_update = json.loads(json.dumps(create))  # the example documents a creation; this PUT updates
    as_update["responses"]["200"]["body"]["properties"]["provisioningState"] = "Updating"
    _check_shape(response.status_code, response.json(), as_update, "OnlineEndpointTrackedResource")
    _wait_idle(arm, f"/onlineEndpoints/{name}")

    response = arm.ws("GET", f"/onlineEndpoints/{name}")
    _check_shape(
        response.status_code,
        response.json(),
        _settled(_example("Workspace/OnlineEndpoint/get.json")),
        "OnlineEndpointTrackedResource",
    )

    listing = _example("Workspace/OnlineEndpoint/list.json")
    # the example's filters, except its placeholder name and skip token, which match nothing here
    query = {k: v for k, v in listing["parameters"].items() if k in ("count", "computeType", "orderBy")}
    response = arm.session.get(
        f"{emu.arm_url}{arm.workspace}/onlineEndpoints",
        params={"api-version": "2023-04-01", **query},
        headers={"Authorization": f"Bearer {arm.token}"},
        verify=arm.ca,
    )
    _check_shape(
        response.status_code, response.json(), _settled(listing), "OnlineEndpointTrackedResourceArmPaginatedResult"
    )
    assert [e["name"] for e in response.json()["value"]] == [name]
    following = arm.session.get(
        response.json()["nextLink"], headers={"Authorization": f"Bearer {arm.token}"}, verify=arm.ca
    ).json()
    assert [e["name"] for e in following["value"]] == ["older-endpoint"] and "nextLink" not in following

    regenerate = _example("Workspace/OnlineEndpoint/regenerateKeys.json")
    arm.ws(
        "PUT",
        f"/onlineEndpoints/{name}",
        {
            **_replace_placeholders(create["parameters"]["body"], assets),
            "properties": {**create["parameters"]["body"]["properties"], "authMode": "Key", "traffic": {"string": 100}},
        },
    )
    _wait_idle(arm, f"/onlineEndpoints/{name}")
    before = arm.ws("POST", f"/onlineEndpoints/{name}/listKeys").json()
    response = arm.ws("POST", f"/onlineEndpoints/{name}/regenerateKeys", regenerate["parameters"]["body"])
    assert str(response.status_code) in regenerate["responses"]
    assert set(regenerate["responses"][str(response.status_code)].get("headers", {})) <= set(response.headers)
    _wait_idle(arm, f"/onlineEndpoints/{name}")
    import time

    deadline = time.monotonic() + 5
    while arm.ws("POST", f"/onlineEndpoints/{name}/listKeys").json() == before:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert arm.ws("POST", f"/onlineEndpoints/{name}/listKeys").json()["primaryKey"] == "string"


def test_replay_deployment_examples(replay: Any) -> None:
    emu, arm, assets = replay
    endpoint = "deploy-examples"
    arm.ws("PUT", f"/onlineEndpoints/{endpoint}", {"location": emu.identity.region, "properties": {"authMode": "Key"}})
    _wait_idle(arm, f"/onlineEndpoints/{endpoint}")
    create = _example("OnlineDeployment/ManagedOnlineDeployment/createOrUpdate.json")
    path = f"/onlineEndpoints/{endpoint}/deployments/testDeploymentName"
    response = arm.ws("PUT", path, _replace_placeholders(create["parameters"]["body"], assets))
    _check_shape(response.status_code, response.json(), create, "OnlineDeploymentTrackedResource")
    _wait_idle(arm, path)

    get = _example("OnlineDeployment/ManagedOnlineDeployment/get.json")
    response = arm.ws("GET", path)
    got = get["responses"]["200"]["body"]["properties"]
    assert response.json()["properties"]["provisioningState"] == "Succeeded"
    expected = json.loads(json.dumps(get))
    expected["responses"]["200"]["body"]["properties"]["provisioningState"] = "Succeeded"  # done, not Creating
    assert got["provisioningState"] == "Creating"
    _check_shape(response.status_code, response.json(), expected, "OnlineDeploymentTrackedResource")

    update = _example("OnlineDeployment/ManagedOnlineDeployment/update.json")
    response = arm.ws("PATCH", path, update["parameters"]["body"])
    expected = json.loads(json.dumps(update))
    expected["responses"]["200"]["body"]["properties"]["provisioningState"] = "Succeeded"
    _check_shape(response.status_code, response.json(), expected, "OnlineDeploymentTrackedResource")

    logs = _example("OnlineDeployment/getLogs.json")
    response = arm.ws("POST", f"{path}/getLogs", logs["parameters"]["body"])
    _check_shape(response.status_code, response.json(), logs, "DeploymentLogs")

    delete = _example("OnlineDeployment/delete.json")
    response = arm.ws("DELETE", path)
    assert str(response.status_code) in delete["responses"]
    assert set(
        _example("Workspace/OnlineDeployment/delete.json")["responses"][str(response.status_code)].get("headers", {})
    ) <= set(response.headers)
    import time

    deadline = time.monotonic() + 5
    while arm.ws("GET", path).status_code != 404:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_replay_endpoint_delete_example(replay: Any) -> None:
    emu, arm, assets = replay
    arm.ws(
        "PUT", "/onlineEndpoints/delete-example", {"location": emu.identity.region, "properties": {"authMode": "Key"}}
    )
    _wait_idle(arm, "/onlineEndpoints/delete-example")
    delete = _example("Workspace/OnlineEndpoint/delete.json")
    response = arm.ws("DELETE", "/onlineEndpoints/delete-example")
    assert str(response.status_code) in delete["responses"]
    assert set(delete["responses"][str(response.status_code)].get("headers", {})) <= set(response.headers)
    # deleting what is not there is 204, as the example allows
    import time

    deadline = time.monotonic() + 5
    while arm.ws("GET", "/onlineEndpoints/delete-example").status_code != 404:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert arm.ws("DELETE", "/onlineEndpoints/delete-example").status_code == 204


def test_kubernetes_deployment_examples_are_refused_on_a_managed_endpoint(replay: Any) -> None:
    """The emulator emulates managed endpoints only; the Kubernetes examples get a clear 400."""
    emu, arm, assets = replay
    arm.ws("PUT", "/onlineEndpoints/k8s-examples", {"location": emu.identity.region, "properties": {"authMode": "Key"}})
    body = _example("OnlineDeployment/KubernetesOnlineDeployment/createOrUpdate.json")["parameters"]["body"]
    response = arm.ws("PUT", "/onlineEndpoints/k8s-examples/deployments/k8s", body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BadArgument"
    assert "endpointComputeType 'Managed', not 'Kubernetes'" in response.json()["error"]["message"]
