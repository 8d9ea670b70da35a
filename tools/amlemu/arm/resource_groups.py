"""Microsoft.Resources and Microsoft.Storage, as far as the CLI needs them around a workspace.

The emulator has one resource group (the workspace's) and one storage account (the
workspace's default datastore). `az group show/list` read the group; `az storage blob ...`
without credentials looks the account up in the subscription and asks for its keys, as the
real CLI does. These providers have api-versions of their own, so their paths have a route
table of their own (`routes.other_providers_router`), tried before the Machine Learning
provider's api-version check.
"""

from __future__ import annotations

from amlemu.arm.context import Call, check_subscription
from amlemu.arm.errors import ArmError
from amlemu.http_messages import Response

# The published api-versions of resourcegroups (Microsoft.Resources/stable) and of
# storageAccounts (Microsoft.Storage/stable) from the spec folders of azure-rest-api-specs.
RESOURCES_API_VERSIONS = frozenset(
    {
        "2015-11-01",
        "2016-02-01",
        "2016-07-01",
        "2016-09-01",
        "2017-05-10",
        "2018-02-01",
        "2018-05-01",
        "2019-03-01",
        "2019-05-01",
        "2019-05-10",
        "2019-07-01",
        "2019-08-01",
        "2019-10-01",
        "2020-06-01",
        "2020-08-01",
        "2020-10-01",
        "2021-01-01",
        "2021-04-01",
        "2022-09-01",
        "2023-07-01",
        "2024-03-01",
        "2024-07-01",
        "2024-11-01",
        "2025-03-01",
        "2025-04-01",
    }
)
STORAGE_API_VERSIONS = frozenset(
    {
        "2016-01-01",
        "2016-12-01",
        "2017-06-01",
        "2017-10-01",
        "2018-02-01",
        "2018-07-01",
        "2018-11-01",
        "2019-04-01",
        "2019-06-01",
        "2020-08-01-preview",
        "2021-01-01",
        "2021-02-01",
        "2021-04-01",
        "2021-06-01",
        "2021-08-01",
        "2021-09-01",
        "2022-05-01",
        "2022-09-01",
        "2023-01-01",
        "2023-04-01",
        "2023-05-01",
        "2024-01-01",
        "2025-01-01",
        "2025-06-01",
    }
)


def api_versions_for(path: str) -> frozenset[str] | None:
    """The api-versions of the provider that owns `path`, or None when it is not routed here."""
    lowered = path.lower()
    if "/providers/microsoft.storage/" in lowered:
        return STORAGE_API_VERSIONS
    segments = [part for part in lowered.split("/") if part]
    if segments[:1] == ["subscriptions"] and len(segments) in (3, 4) and segments[2] == "resourcegroups":
        return RESOURCES_API_VERSIONS
    return None


def check_api_version(query: dict[str, str], versions: frozenset[str]) -> str:
    version = query.get("api-version")
    if not version:
        raise ArmError(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )
    if version not in versions:
        raise ArmError(
            400,
            "InvalidApiVersionParameter",
            f"The api-version '{version}' is invalid. The supported versions are "
            f"'{','.join(sorted(versions, reverse=True))}'.",
        )
    return version


def group_body(call: Call) -> dict:
    identity = call.services.identity
    return {
        "id": f"/subscriptions/{identity.subscription_id}/resourceGroups/{identity.resource_group}",
        "name": identity.resource_group,
        "type": "Microsoft.Resources/resourceGroups",
        "location": identity.region,
        "properties": {"provisioningState": "Succeeded"},
    }


def get_group(call: Call) -> Response:
    check_subscription(call)
    if call.params["rg"].lower() != call.services.identity.resource_group.lower():
        raise ArmError(404, "ResourceGroupNotFound", f"Resource group '{call.params['rg']}' could not be found.")
    return Response.json(200, group_body(call))


def list_groups(call: Call) -> Response:
    check_subscription(call)
    return Response.json(200, {"value": [group_body(call)]})


def _account_body(call: Call) -> dict:
    identity = call.services.identity
    account = identity.storage_account
    blob = call.urls.blob_account(account) + "/"
    return {
        "id": (
            f"/subscriptions/{identity.subscription_id}/resourceGroups/{identity.resource_group}"
            f"/providers/Microsoft.Storage/storageAccounts/{account}"
        ),
        "name": account,
        "type": "Microsoft.Storage/storageAccounts",
        "location": identity.region,
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS", "tier": "Standard"},
        "tags": {},
        "properties": {
            "provisioningState": "Succeeded",
            "primaryLocation": identity.region,
            "statusOfPrimary": "available",
            "primaryEndpoints": {"blob": blob},
        },
    }


def list_storage_accounts(call: Call) -> Response:
    check_subscription(call)
    rg = call.params.get("rg")
    if rg is not None and rg.lower() != call.services.identity.resource_group.lower():
        raise ArmError(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
    return Response.json(200, {"value": [_account_body(call)]})


def _require_account(call: Call) -> None:
    check_subscription(call)
    identity = call.services.identity
    if (
        call.params["rg"].lower() != identity.resource_group.lower()
        or call.params["account"].lower() != identity.storage_account
    ):
        raise ArmError(
            404,
            "ResourceNotFound",
            f"The Resource 'Microsoft.Storage/storageAccounts/{call.params['account']}' under resource "
            f"group '{call.params['rg']}' was not found. For more details please go to "
            "https://aka.ms/ARMResourceNotFoundFix",
        )


def get_storage_account(call: Call) -> Response:
    _require_account(call)
    return Response.json(200, _account_body(call))


def list_keys(call: Call) -> Response:
    _require_account(call)
    key = call.services.identity.storage_account_key
    return Response.json(
        200,
        {
            "keys": [
                {"keyName": "key1", "value": key, "permissions": "FULL"},
            ]
        },
    )
