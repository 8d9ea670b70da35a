"""Workspaces: the configured one exists from the start; others can be created with PUT
(useful to see that endpoint names are unique per region, across workspaces)."""

from __future__ import annotations

import uuid

from amlemu.arm.context import Call, check_subscription, clone, require_workspace
from amlemu.arm.datastores import ensure_default_datastore
from amlemu.arm.services import Services
from amlemu.arm.system_data import system_data
from amlemu.http_messages import Response
from amlemu.store.resources import Resource

KIND = "workspace"
TYPE = "Microsoft.MachineLearningServices/workspaces"


def workspace_body(
    services: Services, workspace_id: str, name: str, location: str, request_body: dict | None = None
) -> dict:
    identity = services.identity
    sub_rg = workspace_id.split("/providers/")[0]
    body = {
        "id": workspace_id,
        "name": name,
        "type": TYPE,
        "location": location,
        "kind": "Default",
        "tags": {},
        "sku": {"name": "Basic", "tier": "Basic"},
        "identity": {"type": "SystemAssigned", "principalId": str(uuid.uuid4()), "tenantId": identity.tenant_id},
        "systemData": system_data(identity.client_id),
        "properties": {
            "friendlyName": name,
            "description": "",
            "workspaceId": str(uuid.uuid4()),
            "storageAccount": f"{sub_rg}/providers/Microsoft.Storage/storageAccounts/{identity.storage_account}",
            "keyVault": f"{sub_rg}/providers/Microsoft.KeyVault/vaults/amlemukv",
            "applicationInsights": f"{sub_rg}/providers/Microsoft.insights/components/amlemuai",
            "hbiWorkspace": False,
            "provisioningState": "Succeeded",
            "publicNetworkAccess": "Enabled",
            "v1LegacyMode": False,
            "storageHnsEnabled": False,
        },
    }
    if request_body:
        body["tags"] = request_body.get("tags") or {}
        for key in ("friendlyName", "description"):
            if isinstance(request_body.get("properties"), dict) and key in request_body["properties"]:
                body["properties"][key] = request_body["properties"][key]
    return body


def ensure_workspace(
    services: Services, workspace_id: str, name: str, location: str, request_body: dict | None = None
) -> Resource:
    existing = services.store.get(workspace_id)
    if existing is not None:
        return existing
    resource = Resource(
        workspace_id,
        KIND,
        workspace_id.rsplit("/workspaces/", 1)[0],
        workspace_body(services, workspace_id, name, location, request_body),
        {},
    )
    with services.store.transaction():
        services.store.put(resource)
        ensure_default_datastore(services, resource)
    return resource


def render(call: Call, resource: Resource) -> dict:
    body = clone(resource.body)
    body["properties"]["discoveryUrl"] = f"{call.urls.arm}/discovery"
    return body


def get(call: Call) -> Response:
    return Response.json(200, render(call, require_workspace(call)))


def put(call: Call) -> Response:
    check_subscription(call)
    identity = call.services.identity
    body = call.body()
    existed = call.services.store.get(call.workspace_id) is not None
    location = body.get("location") or identity.region
    resource = ensure_workspace(call.services, call.workspace_id, call.params["ws"], location, body)
    return Response.json(200 if existed else 201, render(call, resource))


def list_in_group(call: Call) -> Response:
    parent = f"/subscriptions/{call.params['sub']}/resourceGroups/{call.params['rg']}/providers/Microsoft.MachineLearningServices"
    resources = call.services.store.children(parent, KIND)
    return Response.json(200, {"value": [render(call, r) for r in resources]})
