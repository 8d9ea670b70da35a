"""Datastores. Each workspace has `workspaceblobstore`, an AzureBlob datastore with the
storage account's key, backed by the emulator's blob store. The SDK fetches it by that constant
name and builds the upload URL from `accountName`, so the name is rendered per request
(see `Urls.datastore_account_name`)."""

from __future__ import annotations

from amlemu.arm.context import Call, clone, require_workspace
from amlemu.arm.errors import resource_not_found
from amlemu.arm.services import Services
from amlemu.arm.system_data import system_data
from amlemu.http_messages import Response
from amlemu.store.resources import Resource

KIND = "datastore"
TYPE = "Microsoft.MachineLearningServices/workspaces/datastores"
DEFAULT_NAME = "workspaceblobstore"


def ensure_default_datastore(services: Services, workspace: Resource) -> Resource:
    datastore_id = f"{workspace.body['id']}/datastores/{DEFAULT_NAME}"
    existing = services.store.get(datastore_id)
    if existing is not None:
        return existing
    container = f"azureml-blobstore-{workspace.body['properties']['workspaceId']}"
    body = {
        "id": datastore_id,
        "name": DEFAULT_NAME,
        "type": TYPE,
        "systemData": system_data(services.identity.client_id),
        "properties": {
            "datastoreType": "AzureBlob",
            "accountName": services.identity.storage_account,
            "containerName": container,
            "endpoint": "core.windows.net",
            "protocol": "https",
            "serviceDataAccessAuthIdentity": "None",
            "credentials": {"credentialsType": "AccountKey", "secrets": {"secretsType": "AccountKey"}},
            "isDefault": True,
            "description": None,
            "properties": {},
            "tags": {},
        },
    }
    resource = Resource(datastore_id, KIND, workspace.body["id"], body, {})
    services.store.put(resource)
    services.blobs.create_container(services.identity.storage_account, container, "")
    return resource


def render(call: Call, resource: Resource) -> dict:
    body = clone(resource.body)
    properties = body["properties"]
    own_account = call.services.identity.storage_account
    if properties.get("datastoreType") == "AzureBlob" and properties.get("accountName") == own_account:
        properties["accountName"] = call.urls.datastore_account_name(properties["accountName"])
    return body


def _get_resource(call: Call) -> Resource:
    require_workspace(call)
    resource = call.services.store.get(f"{call.workspace_id}/datastores/{call.params['name']}")
    if resource is None:
        raise resource_not_found(
            f"Microsoft.MachineLearningServices/workspaces/{call.params['ws']}/datastores/{call.params['name']}",
            call.params["rg"],
        )
    return resource


def get(call: Call) -> Response:
    return Response.json(200, render(call, _get_resource(call)))


def list_all(call: Call) -> Response:
    require_workspace(call)
    resources = call.services.store.children(call.workspace_id, KIND)
    if call.query_flag("isDefault"):
        resources = [r for r in resources if r.body["properties"].get("isDefault")]
    return Response.json(200, {"value": [render(call, r) for r in resources]})


def list_secrets(call: Call) -> Response:
    _get_resource(call)
    return Response.json(200, {"secretsType": "AccountKey", "key": call.services.identity.storage_account_key})
