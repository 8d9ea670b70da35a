"""Each service rule, broken on purpose: the HTTP status, ARM error code and message as the
SDK surfaces them (or, where the SDK refuses before sending, as the REST API answers)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from arm_client import ArmSession, deployment_body, endpoint_body, error_of
from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from amlemu.testing import RunningEmulator, running_emulator


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    with running_emulator(tmp_path_factory.mktemp("rules") / "state") as running:
        yield running


@pytest.fixture(scope="module")
def ml(emu: RunningEmulator) -> Any:
    return emu.ml_client()


@pytest.fixture(scope="module")
def arm(emu: RunningEmulator) -> ArmSession:
    return ArmSession(emu)


def _deployment(name: str, endpoint: str, **overrides: Any) -> ManagedOnlineDeployment:
    return ManagedOnlineDeployment(
        name=name,
        endpoint_name=endpoint,
        instance_type=overrides.pop("instance_type", "Standard_DS3_v2"),
        instance_count=overrides.pop("instance_count", 1),
        **overrides,
    )


def _endpoint_with(
    ml: Any, name: str, deployments: tuple[str, ...] = ("blue", "green"), traffic: dict | None = None
) -> None:
    ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=name)).result()
    for deployment in deployments:
        ml.online_deployments.begin_create_or_update(_deployment(deployment, name)).result()
    if traffic:
        endpoint = ml.online_endpoints.get(name)
        endpoint.traffic = traffic
        ml.online_endpoints.begin_create_or_update(endpoint).result()


def _set_traffic(ml: Any, name: str, traffic: dict, mirror: dict | None = None) -> None:
    endpoint = ml.online_endpoints.get(name)
    endpoint.traffic = traffic
    if mirror is not None:
        endpoint.mirror_traffic = mirror
    ml.online_endpoints.begin_create_or_update(endpoint).result()


def _surfaced(error: HttpResponseError) -> tuple[int, str, str]:
    return error.status_code, error.error.code, error.error.message


# -- names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "ab",
            "The name for an endpoint must be at least 3 and at most 32 characters long (inclusive of both limits).",
        ),
        (
            "a" * 33,
            "The name for an endpoint must be at least 3 and at most 32 characters long (inclusive of both limits).",
        ),
        (
            "1abc",
            "The name for an endpoint must start with an upper- or lowercase letter and only consist of '-'s "
            "and alphanumeric characters.",
        ),
        (
            "abc-",
            "The name for an endpoint must start with an upper- or lowercase letter and only consist of '-'s "
            "and alphanumeric characters.",
        ),
    ],
)
def test_endpoint_name_rule(arm: ArmSession, name: str, message: str) -> None:
    response = arm.ws("PUT", f"/onlineEndpoints/{name}", endpoint_body())
    assert error_of(response) == (400, "BadArgument", message)


@pytest.mark.parametrize("name", ["b1", "x" * 33, "9lives", "under_score"])
def test_deployment_name_rule(ml: Any, arm: ArmSession, name: str) -> None:
    if not arm.ws("GET", "/onlineEndpoints/names-ep").ok:
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="names-ep")).result()
    response = arm.ws("PUT", f"/onlineEndpoints/names-ep/deployments/{name}", deployment_body())
    status, code, message = error_of(response)
    assert (status, code) == (400, "BadArgument")
    assert message.startswith("The name for a deployment must ")


def test_endpoint_name_is_unique_in_the_region_across_workspaces(
    emu: RunningEmulator, ml: Any, arm: ArmSession
) -> None:
    from azure.ai.ml import MLClient

    ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="shared-name")).result()
    other = arm.call(
        "PUT", arm.workspace.replace(emu.identity.workspace, "second-ws"), {"location": emu.identity.region}
    )
    assert other.status_code == 201
    kwargs = {"cloud": f"AmlEmu{emu.port}", "cloud_metadata": emu.cloud_metadata()} if emu.mode == "direct" else {}
    second = MLClient(
        emu.credential(), emu.identity.subscription_id, emu.identity.resource_group, "second-ws", **kwargs
    )
    with pytest.raises(HttpResponseError) as raised:
        second.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="shared-name")).result()
    assert _surfaced(raised.value) == (
        409,
        "UserError",
        "There is already an endpoint with this name, Endpoint name needs to be unique within a region",
    )
    # updating the endpoint in its own workspace is still fine
    ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="shared-name", description="again")).result()
    assert ml.online_endpoints.get("shared-name").description == "again"


# -- traffic -------------------------------------------------------------------


def test_traffic_must_sum_to_0_or_100(ml: Any) -> None:
    _endpoint_with(ml, "traffic-sum", traffic={"blue": 100})
    with pytest.raises(HttpResponseError) as raised:
        _set_traffic(ml, "traffic-sum", {"blue": 50, "green": 20})
    assert _surfaced(raised.value) == (400, "BadArgument", "Traffic values must sum to 0 or 100; they sum to 70.")
    assert ml.online_endpoints.get("traffic-sum").traffic == {"blue": 100, "green": 0}
    _set_traffic(ml, "traffic-sum", {"blue": 0, "green": 0})  # 0 is allowed
    assert ml.online_endpoints.get("traffic-sum").traffic == {"blue": 0, "green": 0}


def test_traffic_names_only_existing_deployments(ml: Any) -> None:
    _endpoint_with(ml, "traffic-names", deployments=("blue",))
    with pytest.raises(ResourceNotFoundError) as raised:
        _set_traffic(ml, "traffic-names", {"blue": 50, "ghost": 50})
    assert _surfaced(raised.value) == (
        404,
        "UserError",
        "Deployment ghost not found in endpoint traffic-names, workspace amlemu-ws",
    )
    assert raised.value.response.json()["error"]["additionalInfo"][0]["info"]["value"]["deploymentName"] == "ghost"


@pytest.mark.parametrize(
    "value, message",
    [
        ("101", "traffic value for deployment 'blue' must be between 0 and 100; got 101."),
        (101, "traffic value for deployment 'blue' must be between 0 and 100; got 101."),
        (-1, "traffic value for deployment 'blue' must be between 0 and 100; got -1."),
    ],
)
def test_traffic_values_are_integers_from_0_to_100(ml: Any, arm: ArmSession, value: Any, message: str) -> None:
    if not arm.ws("GET", "/onlineEndpoints/traffic-ints").ok:
        _endpoint_with(ml, "traffic-ints", deployments=("blue",))
    response = arm.ws("PUT", "/onlineEndpoints/traffic-ints", endpoint_body(traffic={"blue": value}))
    assert error_of(response) == (400, "BadArgument", message)


@pytest.mark.parametrize("value", [50.5, "ten", "10.5"])
def test_traffic_values_that_are_not_integers_do_not_fit_the_definition(arm: ArmSession, value: Any) -> None:
    """traffic is a map of int32 in the published definition; the body is refused as unreadable."""
    response = arm.ws("PUT", "/onlineEndpoints/traffic-ints", endpoint_body(traffic={"blue": value}))
    status, code, message = error_of(response)
    assert (status, code) == (400, "InvalidRequestContent")
    assert "Path 'properties.traffic.blue'" in message


def test_traffic_values_written_as_integer_strings_are_read_as_integers(ml: Any, arm: ArmSession) -> None:
    """The CLI sends `--traffic "blue=100"` values as strings; ARM reads them as the int32 it declares."""
    if not arm.ws("GET", "/onlineEndpoints/traffic-ints").ok:
        _endpoint_with(ml, "traffic-ints", deployments=("blue",))
    response = arm.ws("PUT", "/onlineEndpoints/traffic-ints", endpoint_body(traffic={"blue": "100"}))
    assert response.status_code in (200, 201), response.text
    assert ml.online_endpoints.get("traffic-ints").traffic == {"blue": 100}


def test_mirror_traffic_rules(ml: Any) -> None:
    _endpoint_with(ml, "mirror-rules", deployments=("blue", "green", "red"), traffic={"blue": 100})
    cases = [
        ({"blue": 100}, {"green": 51}, "Mirror traffic for deployment 'green' is 51%; it can be at most 50%."),
        ({"blue": 100}, {"green": 10, "red": 10}, "Mirror traffic can be set for one deployment only."),
        (
            {"blue": 90, "green": 10},
            {"green": 10},
            "Deployment 'green' receives live traffic and cannot also receive mirror traffic.",
        ),
    ]
    for traffic, mirror, message in cases:
        with pytest.raises(HttpResponseError) as raised:
            _set_traffic(ml, "mirror-rules", traffic, mirror)
        assert _surfaced(raised.value) == (400, "BadArgument", message)
    with pytest.raises(ResourceNotFoundError):
        _set_traffic(ml, "mirror-rules", {"blue": 100}, {"ghost": 10})
    _set_traffic(ml, "mirror-rules", {"blue": 100}, {"green": 50})  # the limit itself is fine
    assert ml.online_endpoints.get("mirror-rules").mirror_traffic == {"green": 50}


def test_no_deleting_a_deployment_with_live_traffic(ml: Any) -> None:
    _endpoint_with(ml, "delete-live", traffic={"blue": 100})
    with pytest.raises(HttpResponseError) as raised:
        ml.online_deployments.begin_delete("blue", "delete-live").result()
    assert _surfaced(raised.value) == (
        400,
        "BadArgument",
        "Deployment 'blue' still receives 100% of the endpoint's traffic; set its traffic to 0 before deleting it.",
    )
    assert ml.online_deployments.get("blue", "delete-live").provisioning_state == "Succeeded"
    ml.online_deployments.begin_delete("green", "delete-live").result()  # no traffic: fine
    assert [d.name for d in ml.online_deployments.list("delete-live")] == ["blue"]


# -- deployments -----------------------------------------------------------------


def test_instance_type_from_the_managed_sku_list(ml: Any) -> None:
    ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="sku-ep")).result()
    with pytest.raises(HttpResponseError) as raised:
        ml.online_deployments.begin_create_or_update(
            _deployment("blue", "sku-ep", instance_type="Standard_Z9_v9")
        ).result()
    status, code, message = _surfaced(raised.value)
    assert (status, code) == (400, "BadArgument")
    assert message.startswith("Instance type 'Standard_Z9_v9' is not supported for managed online deployments.")
    # the list matches case-insensitively, as the service does
    ml.online_deployments.begin_create_or_update(
        _deployment("blue", "sku-ep", instance_type="standard_ds3_V2")
    ).result()
    assert ml.online_deployments.get("blue", "sku-ep").provisioning_state == "Succeeded"


def test_instance_count_at_least_1(ml: Any, arm: ArmSession) -> None:
    ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="count-ep")).result()
    with pytest.raises(HttpResponseError) as raised:
        ml.online_deployments.begin_create_or_update(_deployment("blue", "count-ep", instance_count=0)).result()
    assert _surfaced(raised.value) == (400, "BadArgument", "Instance count must be an integer of at least 1; got 0.")
    response = arm.ws("PUT", "/onlineEndpoints/count-ep/deployments/blue", deployment_body(capacity="two"))
    status, code, message = error_of(response)
    assert (status, code) == (400, "InvalidRequestContent") and "Path 'sku.capacity'" in message


def test_managed_deployments_accept_only_default_scale_settings(ml: Any, arm: ArmSession) -> None:
    ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="scale-ep")).result()
    body = deployment_body(scale={"scaleType": "TargetUtilization", "minInstances": 1, "maxInstances": 3})
    response = arm.ws("PUT", "/onlineEndpoints/scale-ep/deployments/blue", body)
    assert error_of(response) == (400, "BadArgument", "ManagedOnlineEndpoint supports DefaultScaleSettings only.")


def test_deleting_an_endpoint_deletes_its_deployments(ml: Any, arm: ArmSession) -> None:
    _endpoint_with(ml, "cascade-ep", traffic={"blue": 100})
    ml.online_endpoints.begin_delete("cascade-ep").result()
    response = arm.ws("GET", "/onlineEndpoints/cascade-ep/deployments/blue")
    assert error_of(response)[:2] == (404, "ResourceNotFound")
    ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="cascade-ep")).result()
    assert list(ml.online_deployments.list("cascade-ep")) == []


def test_deployment_on_a_missing_endpoint_is_404(arm: ArmSession) -> None:
    response = arm.ws("PUT", "/onlineEndpoints/nowhere/deployments/blue", deployment_body())
    assert error_of(response) == (
        404,
        "ResourceNotFound",
        "The Resource 'Microsoft.MachineLearningServices/workspaces/amlemu-ws/onlineEndpoints/nowhere' under resource "
        "group 'amlemu-rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    )


# -- operations in flight ----------------------------------------------------------


def test_second_operation_while_one_is_in_flight_gets_409(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "state", operation_delay_ms=1500) as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="busy-ep")).result()
        poller = ml.online_deployments.begin_create_or_update(_deployment("blue", "busy-ep"))
        # the state is observable while the operation lasts
        assert ml.online_deployments.get("blue", "busy-ep").provisioning_state == "Creating"
        endpoint = ml.online_endpoints.get("busy-ep")
        endpoint.tags = {"stage": "test"}
        with pytest.raises(HttpResponseError) as raised:
            ml.online_endpoints.begin_create_or_update(endpoint).result()
        assert _surfaced(raised.value) == (
            409,
            "Conflict",
            "Another operation is in progress on endpoint 'busy-ep'; wait for it to finish and try again.",
        )
        with pytest.raises(HttpResponseError) as raised:
            ml.online_deployments.begin_create_or_update(_deployment("blue", "busy-ep", instance_count=2)).result()
        assert _surfaced(raised.value)[:2] == (409, "Conflict")
        # a sibling deployment may change at the same time
        sibling = ml.online_deployments.begin_create_or_update(_deployment("green", "busy-ep"))
        assert poller.result().provisioning_state == "Succeeded"
        assert sibling.result().provisioning_state == "Succeeded"
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        assert ml.online_endpoints.get("busy-ep").tags == {"stage": "test"}


def test_an_endpoint_delete_absorbs_a_deployment_delete_in_flight(tmp_path: Path) -> None:
    """`online-deployment delete --no-wait` then `online-endpoint delete --no-wait`: Azure accepts it.

    Azure/azureml-examples runs exactly this sequence in cli/deploy-safe-rollout-online-endpoints.sh
    (lines 72 and 76 at 085cd6ea; also cli/deploy-safe-rollout-kubernetes-online-endpoints.sh),
    scheduled in its CI workflow cli-scripts-deploy-safe-rollout-online-endpoints.yml: the endpoint
    delete is accepted while the deployment's delete runs, and both end Succeeded.
    """
    with running_emulator(tmp_path / "state", operation_delay_ms=1500) as emu:
        ml = emu.ml_client()
        _endpoint_with(ml, "absorb-ep", deployments=("blue", "green"), traffic={"green": 100})
        deployment_delete = ml.online_deployments.begin_delete("blue", "absorb-ep")  # --no-wait
        assert ml.online_deployments.get("blue", "absorb-ep").provisioning_state == "Deleting"
        endpoint_delete = ml.online_endpoints.begin_delete("absorb-ep")  # --no-wait, while blue's delete runs
        endpoint_delete.result()
        deployment_delete.result()
        assert endpoint_delete.status() == deployment_delete.status() == "Succeeded"
        with pytest.raises(ResourceNotFoundError):
            ml.online_endpoints.get("absorb-ep")


def test_a_delete_below_an_endpoint_delete_in_flight_still_waits(tmp_path: Path) -> None:
    """The rule kept: while the endpoint's delete runs, its deployments are its to delete; a
    deployment delete then gets 409 (wording ours). No public script does this the other way
    round, and it would have nothing left to do once the endpoint's delete ends."""
    with running_emulator(tmp_path / "state", operation_delay_ms=1500) as emu:
        ml = emu.ml_client()
        _endpoint_with(ml, "parent-first", deployments=("blue",))
        endpoint_delete = ml.online_endpoints.begin_delete("parent-first")
        with pytest.raises(HttpResponseError) as raised:
            ml.online_deployments.begin_delete("blue", "parent-first").result()
        assert _surfaced(raised.value) == (
            409,
            "Conflict",
            "Another operation is in progress on deployment 'blue'; wait for it to finish and try again.",
        )
        endpoint_delete.result()


# -- what the REST sample (azureml-examples cli/deploy-rest.sh) relies on -----------------------


def test_put_responses_carry_their_async_operation_uri(arm: ArmSession) -> None:
    """cli/deploy-rest.sh polls `jq -r '.properties.properties.AzureAsyncOperationUri'` of the PUT
    response of the endpoint and of the deployment (api-version 2022-05-01) until `.status` is
    Succeeded or Failed. Azure's responses carry it as
    `https://management.azure.com/subscriptions/<sub>/providers/Microsoft.MachineLearningServices/
    locations/<region>/mfeOperationsStatus/<id>?api-version=<version>` (seen in `az ml
    online-endpoint show` output published in azure-sdk-for-python's recorded tests)."""
    created = arm.ws("PUT", "/onlineEndpoints/async-uri-ep", endpoint_body("AMLToken"), api_version="2022-05-01")
    assert created.status_code == 201, created.text
    uri = created.json()["properties"]["properties"]["AzureAsyncOperationUri"]
    assert uri.split("?")[0] == created.headers["Azure-AsyncOperation"].split("?")[0]
    assert "/providers/Microsoft.MachineLearningServices/locations/eastus/mfeOperationsStatus/" in uri
    assert uri.endswith("?api-version=2022-05-01")
    status = _poll(arm, uri)
    assert status == "Succeeded"
    deployed = arm.ws(
        "PUT", "/onlineEndpoints/async-uri-ep/deployments/blue", deployment_body(), api_version="2022-05-01"
    )
    assert deployed.status_code == 201, deployed.text
    deployment_uri = deployed.json()["properties"]["properties"]["AzureAsyncOperationUri"]
    assert deployment_uri != uri and _poll(arm, deployment_uri) == "Succeeded"
    # the property stays on the resource, as Azure's GET shows it
    shown = arm.ws("GET", "/onlineEndpoints/async-uri-ep", api_version="2022-05-01").json()
    assert shown["properties"]["properties"]["AzureAsyncOperationUri"] == uri


def _poll(arm: ArmSession, uri: str) -> str:
    base, _, query = uri.partition("?api-version=")
    for _ in range(200):
        status = arm.call("GET", base.replace("https://management.azure.com", "", 1), api_version=query).json()[
            "status"
        ]
        if status in ("Succeeded", "Failed", "Canceled"):
            return status
        time.sleep(0.05)
    return status


def test_every_published_api_version_is_accepted(arm: ArmSession) -> None:
    """ARM accepts every api-version the provider publishes; cli/deploy-rest.sh uses 2022-05-01.

    The list is data (amlemu/arm/specs/api-versions.json) with its sources: the version folders
    of Azure/azure-rest-api-specs specification/machinelearningservices/resource-manager and of
    Azure/bicep-types-az generated/machinelearningservices (e.g. 2018-11-19, 2021-07-01, 2025-06-01).
    """
    import json
    from importlib import resources

    published = json.loads(resources.files("amlemu.arm").joinpath("specs/api-versions.json").read_text())
    for version in ("2018-11-19", "2021-07-01", "2022-05-01", "2025-06-01", "2026-03-01"):
        assert version in published["versions"]
    for version in published["versions"]:
        response = arm.ws("GET", "/onlineEndpoints", api_version=version)
        assert response.status_code == 200, (version, response.text)
    assert error_of(arm.ws("GET", "/onlineEndpoints", api_version="2022-05-02"))[:2] == (
        400,
        "NoRegisteredProviderFound",
    )


def test_a_conda_file_pasted_with_raw_line_breaks_is_read(arm: ArmSession) -> None:
    """cli/deploy-rest.sh builds its environment PUT body with `\"condaFile\": \"$CONDA_FILE\"`,
    the file's line breaks left raw inside the JSON string; the service reads the string with
    its line breaks."""
    conda = "name: model-env\ndependencies:\n  - python=3.12\n  - pip:\n    - joblib"
    raw = (
        '{"properties": {"condaFile": "' + conda + '", '
        '"image": "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04:20210727.v1"}}'
    ).encode()
    response = arm.ws("PUT", "/environments/sklearn-env/versions/7", raw=raw, api_version="2022-05-01")
    assert response.status_code in (200, 201), response.text
    assert response.json()["properties"]["condaFile"] == conda
