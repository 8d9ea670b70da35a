"""Quotas and bounded work: Azure's instance limit and core quota are enforced before anything
is stored, a DELETE cancels what is in flight, and no stored number makes an operation run
without bound.

Limits (MicrosoftDocs/azure-ai-docs, articles/machine-learning/how-to-manage-quotas.md,
"Azure Machine Learning online endpoints and batch endpoints"): at most 50 instances per
managed deployment; 20 % extra cores are reserved for upgrades, so 10 instances need quota for
12. A quota failure is `OutOfQuota` (articles/machine-learning/how-to-troubleshoot-online-endpoints.md),
worded as the service words it: "Not enough quota available for Standard_DS3_v2 in
SubscriptionId <id>. Current usage/limit: 0/6. Additional needed: 8 ...".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from arm_client import ArmSession, deployment_body, endpoint_body, error_of

from amlemu.rules import Limits
from amlemu.store.resources import Operation, ResourceStore
from amlemu.testing import running_emulator


@pytest.fixture(scope="module")
def arm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArmSession]:
    with running_emulator(tmp_path_factory.mktemp("quota") / "state", mode="direct") as emu:
        session = ArmSession(emu)
        for name in ("count-ep", "cores-ep"):
            assert session.ws("PUT", f"/onlineEndpoints/{name}", endpoint_body()).status_code == 201
            _until(session, f"/onlineEndpoints/{name}", "Succeeded")
        yield session


def _until(arm: ArmSession, path: str, *states: str) -> dict:
    deadline = time.monotonic() + 15
    while True:
        response = arm.ws("GET", path)
        body = response.json()
        if (response.status_code == 404 and "gone" in states) or (
            response.ok and body["properties"]["provisioningState"] in states
        ):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.02)


def _operation(arm: ArmSession, response: requests.Response) -> dict:
    deadline = time.monotonic() + 15
    while True:
        status = arm.session.get(
            response.headers["Azure-AsyncOperation"], verify=arm.ca, headers={"Authorization": f"Bearer {arm.token}"}
        ).json()
        if status["status"] != "InProgress":
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.02)


def test_documented_defaults() -> None:
    assert Limits().max_instances_per_deployment == 50 and Limits().upgrade_reserve == 0.2


@pytest.mark.parametrize("capacity", [51, 1_000_000, 2**31 - 1])
def test_instance_count_over_the_per_deployment_limit(arm: ArmSession, capacity: int) -> None:
    response = arm.ws("PUT", "/onlineEndpoints/count-ep/deployments/big", deployment_body(capacity=capacity))
    status, code, message = error_of(response)
    assert (status, code) == (400, "OutOfQuota")
    assert message.startswith(f"Instance count {capacity} is over the limit of 50 instances per deployment.")
    assert arm.ws("GET", "/onlineEndpoints/count-ep/deployments/big").status_code == 404


def test_an_instance_count_beyond_any_integer_the_definition_allows(arm: ArmSession) -> None:
    """10**30 was accepted with 201 and then allocated without bound."""
    raw = (
        b'{"location": "eastus", "sku": {"name": "Default", "capacity": 1000000000000000000000000000000},'
        b' "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2"}}'
    )
    response = arm.ws("PUT", "/onlineEndpoints/count-ep/deployments/big", raw=raw)
    assert error_of(response)[:2] == (400, "InvalidRequestContent")
    response = arm.ws("PUT", "/onlineEndpoints/count-ep/deployments/big", deployment_body(capacity=2**40))
    status, code, message = error_of(response)
    assert (status, code) == (400, "InvalidRequestContent") and "Path 'sku.capacity'" in message
    assert arm.ws("GET", "/onlineEndpoints/count-ep/deployments/big").status_code == 404


def test_the_limit_itself_is_fine_and_scaling_past_it_is_refused(arm: ArmSession) -> None:
    path = "/onlineEndpoints/count-ep/deployments/fifty"
    assert arm.ws("PUT", path, deployment_body(capacity=50)).status_code == 201
    _until(arm, path, "Succeeded")
    response = arm.ws("PATCH", path, {"sku": {"capacity": 51}})
    assert error_of(response)[:2] == (400, "OutOfQuota")
    assert arm.ws("GET", path).json()["sku"]["capacity"] == 50
    assert arm.ws("DELETE", path).status_code == 202
    _until(arm, path, "gone")


def test_core_quota_of_the_subscription(arm: ArmSession) -> None:
    big = "/onlineEndpoints/cores-ep/deployments/gpu"
    assert arm.ws("PUT", big, deployment_body("Standard_ND96asr_v4", capacity=8)).status_code == 201  # 922 cores
    _until(arm, big, "Succeeded")
    response = arm.ws("PUT", "/onlineEndpoints/cores-ep/deployments/cpu", deployment_body("Standard_F4s_v2", 20))
    status, code, message = error_of(response)
    assert (status, code) == (400, "OutOfQuota")
    assert message == (
        f"Not enough quota available for Standard_F4s_v2 in SubscriptionId {arm.emu.identity.subscription_id}. "
        "Current usage/limit: 922/1000. Additional needed: 96 Please see troubleshooting guide, available here: "
        "https://aka.ms/oe-tsg#error-outofquota"
    )
    response = arm.ws("PATCH", big, {"sku": {"capacity": 9}})  # 1,037 cores
    assert error_of(response)[:2] == (400, "OutOfQuota")
    # what fits beside it is fine; replacing the deployment's own size does not count it twice
    assert arm.ws("PUT", "/onlineEndpoints/cores-ep/deployments/cpu", deployment_body("Standard_F4s_v2", 10)).ok
    assert arm.ws("PUT", big, deployment_body("Standard_ND96asr_v4", capacity=7)).status_code in (200, 409)


CANCELED = {"code": "OperationCanceled", "message": "The operation was canceled by a delete of the resource."}


def test_delete_cancels_operations_in_flight(tmp_path: Path) -> None:
    """A DELETE during a creation answered 409 until the creation ended; now it cancels it."""
    with running_emulator(tmp_path / "state", mode="direct", operation_delay_ms=3000) as emu:
        arm = ArmSession(emu)
        created = arm.ws("PUT", "/onlineEndpoints/slow-ep", endpoint_body())
        assert created.status_code == 201
        deleted = arm.ws("DELETE", "/onlineEndpoints/slow-ep")
        assert deleted.status_code == 202, deleted.text
        status = _operation(arm, created)
        assert (status["status"], status["error"]) == ("Canceled", CANCELED)
        assert _operation(arm, deleted)["status"] == "Succeeded"
        _until(arm, "/onlineEndpoints/slow-ep", "gone")

        arm.ws("PUT", "/onlineEndpoints/slow-ep", endpoint_body())
        _until(arm, "/onlineEndpoints/slow-ep", "Succeeded")
        created = arm.ws("PUT", "/onlineEndpoints/slow-ep/deployments/blue", deployment_body())
        deleted = arm.ws("DELETE", "/onlineEndpoints/slow-ep/deployments/blue")
        assert deleted.status_code == 202, deleted.text
        assert _operation(arm, created)["status"] == "Canceled"
        _until(arm, "/onlineEndpoints/slow-ep/deployments/blue", "gone")


def test_shutdown_does_not_wait_for_operations_in_flight(tmp_path: Path) -> None:
    """SIGTERM stops the emulator at once; the operation stays InProgress for the next one."""
    with running_emulator(tmp_path / "state", mode="direct", operation_delay_ms=60_000) as emu:
        arm = ArmSession(emu)
        assert arm.ws("PUT", "/onlineEndpoints/slow-ep", endpoint_body()).status_code == 201
        emu.stop()
        assert emu.process is not None and emu.process.returncode == 0  # ended by SIGTERM, not killed
        store = ResourceStore(tmp_path / "state" / "resources.sqlite")
        try:
            assert [op.action for op in store.operations_in_progress()] == ["onlineEndpoint:create"]
        finally:
            store.close()


def test_a_stored_runaway_count_is_not_resumed(tmp_path: Path) -> None:
    """An operation an older emulator left InProgress, with a count past the limit, fails on restart."""
    with running_emulator(tmp_path / "state", mode="direct") as emu:
        arm = ArmSession(emu)
        arm.ws("PUT", "/onlineEndpoints/old-ep", endpoint_body())
        _until(arm, "/onlineEndpoints/old-ep", "Succeeded")
        arm.ws("PUT", "/onlineEndpoints/old-ep/deployments/blue", deployment_body())
        _until(arm, "/onlineEndpoints/old-ep/deployments/blue", "Succeeded")
        emu.stop()
        store = ResourceStore(tmp_path / "state" / "resources.sqlite")
        deployment = next(r for r in store.of_kind("onlineDeployment"))
        deployment.body["sku"]["capacity"] = 10**30
        deployment.body["properties"]["provisioningState"] = "Scaling"
        store.put(deployment)
        store.put_operation(
            Operation(
                "runaway-op",
                deployment.id,
                "onlineDeployment:update",
                "InProgress",
                "2024-01-01T00:00:00.000000Z",
                None,
                None,
                {"restart": True},
            )
        )
        store.close()
        emu.start()
        arm = ArmSession(emu)
        body = _until(arm, "/onlineEndpoints/old-ep/deployments/blue", "Succeeded", "Failed")
        assert body["properties"]["provisioningState"] == "Failed"
        status = arm.session.get(
            f"{emu.arm_url}/subscriptions/{emu.identity.subscription_id}/providers/Microsoft.MachineLearningServices"
            f"/locations/{emu.identity.region}/mfeOperationsStatus/runaway-op",
            params={"api-version": "2023-04-01"},
            headers={"Authorization": f"Bearer {arm.token}"},
            verify=arm.ca,
        ).json()
        assert status["status"] == "Failed" and status["error"]["code"] == "OutOfQuota"
