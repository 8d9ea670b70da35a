"""Code, model and environment assets: containers and versions.

The SDK's upload path: list versions filtered by content hash (reuse check), ask
`startPendingUpload` for a container-level SAS in the workspace blob store, upload the
files there, then PUT the version with the blob URI. Versions keep what the client sent
and gain the read-only fields the service fills in (`provisioningState`, `flavors` for
models, `environmentType` for environments).
"""

from __future__ import annotations

import datetime
import json
import uuid

from amlemu.arm.context import Call, clone, require_workspace
from amlemu.arm.errors import ArmError, resource_not_found
from amlemu.arm.system_data import system_data
from amlemu.http_messages import Response
from amlemu.storage_auth.sas import container_sas
from amlemu.store.resources import Resource

# How long the container SAS of startPendingUpload stays valid (a client uploads right away).
UPLOAD_SAS_LIFETIME = datetime.timedelta(hours=24)
FAMILIES = {"codes": "code", "models": "model", "environments": "environment"}


def _family(call: Call) -> str:
    family = call.params["family"].lower()
    if family not in FAMILIES:
        raise ArmError(
            404,
            "InvalidResourceType",
            f"The resource type 'workspaces/{call.params['family']}' could not be found in the namespace "
            "'Microsoft.MachineLearningServices'.",
        )
    return family


def _container_id(call: Call) -> str:
    return f"{call.workspace_id}/{_family(call)}/{call.params['name']}"


def _version_id(call: Call) -> str:
    return f"{_container_id(call)}/versions/{call.params['version']}"


def _not_found(call: Call, with_version: bool) -> ArmError:
    path = f"Microsoft.MachineLearningServices/workspaces/{call.params['ws']}/{_family(call)}/{call.params['name']}"
    if with_version:
        path += f"/versions/{call.params['version']}"
    return resource_not_found(path, call.params["rg"])


def _strings(values: object) -> dict:
    """Tag and property dictionaries hold strings; the service stores what it is sent as text."""
    if not isinstance(values, dict):
        return {}
    return {
        str(k): (v if v is None or isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else str(v))
        for k, v in values.items()
    }


def _version_defaults(family: str, properties: dict) -> dict:
    properties.setdefault("description", None)
    properties["tags"] = _strings(properties.get("tags"))
    properties["properties"] = _strings(properties.get("properties"))
    properties.setdefault("isAnonymous", False)
    properties.setdefault("isArchived", False)
    properties["provisioningState"] = "Succeeded"
    if family == "models":
        if not isinstance(properties.get("flavors"), dict):
            properties["flavors"] = {}
        properties.setdefault("modelType", "custom_model")
    if family == "environments":
        properties["environmentType"] = "UserCreated"
        properties.setdefault("autoRebuild", "Disabled")
        properties.setdefault("osType", "Linux")
    return properties


def _in_view(call: Call, resources: list[Resource]) -> list[Resource]:
    """The `listViewType` filter of the list operations: ActiveOnly (the default), ArchivedOnly or All."""
    view = call.request.query.get("listViewType", "ActiveOnly").lower()
    if view == "all":
        return resources
    archived = view == "archivedonly"
    return [r for r in resources if bool(r.body["properties"].get("isArchived", False)) == archived]


# -- containers --------------------------------------------------------------


def list_containers(call: Call) -> Response:
    require_workspace(call)
    family = _family(call)
    resources = _in_view(call, call.services.store.children(call.workspace_id, FAMILIES[family] + "Container"))
    return Response.json(200, {"value": [_container_view(call, r) for r in resources]})


def get_container(call: Call) -> Response:
    require_workspace(call)
    resource = call.services.store.get(_container_id(call))
    if resource is None:
        raise _not_found(call, with_version=False)
    return Response.json(200, _container_view(call, resource))


def put_container(call: Call) -> Response:
    require_workspace(call)
    body = call.body()
    resource = _ensure_container(call, body.get("properties") or {})
    return Response.json(200, _container_view(call, resource))


def _ensure_container(call: Call, properties: dict | None = None) -> Resource:
    family = _family(call)
    container_id = _container_id(call)
    existing = call.services.store.get(container_id)
    if existing is not None and not properties:
        return existing
    kept = (existing.body["properties"] if existing else {}) | (properties or {})
    body = {
        "id": container_id,
        "name": call.params["name"],
        "type": f"Microsoft.MachineLearningServices/workspaces/{family}",
        "systemData": system_data(call.services.identity.client_id, existing.body["systemData"] if existing else None),
        "properties": {
            "description": kept.get("description"),
            "tags": kept.get("tags") or {},
            "properties": kept.get("properties") or {},
            "isArchived": bool(kept.get("isArchived", False)),
            "provisioningState": "Succeeded",
        },
    }
    resource = Resource(container_id, FAMILIES[family] + "Container", call.workspace_id, body, {})
    call.services.store.put(resource)
    return resource


def _container_view(call: Call, resource: Resource) -> dict:
    body = clone(resource.body)
    versions = call.services.store.children(resource.id, FAMILIES[_family(call)] + "Version")
    numeric = [v.body["name"] for v in versions if v.body["name"].isdigit()]
    body["properties"]["latestVersion"] = str(max(int(v) for v in numeric)) if numeric else None
    body["properties"]["nextVersion"] = str(max(int(v) for v in numeric) + 1) if numeric else "1"
    if _family(call) == "codes":
        body["properties"].pop("latestVersion")
        body["properties"].pop("nextVersion")
    return body


# -- versions ----------------------------------------------------------------


def list_versions(call: Call) -> Response:
    require_workspace(call)
    family = _family(call)
    versions = _in_view(call, call.services.store.children(_container_id(call), FAMILIES[family] + "Version"))
    query = call.request.query
    if "hash" in query:
        versions = [
            v for v in versions if v.body["properties"].get("properties", {}).get("hash_sha256") == query["hash"]
        ]
    if query.get("$orderBy", query.get("$orderby", "")).lower().startswith("createdtime"):
        versions.sort(
            key=lambda v: v.body["systemData"]["createdAt"],
            reverse=query.get("$orderBy", query.get("$orderby", "")).lower().endswith("desc"),
        )
    if query.get("$top", "").isdigit():
        versions = versions[: int(query["$top"])]
    return Response.json(200, {"value": [v.body for v in versions]})


def get_version(call: Call) -> Response:
    require_workspace(call)
    resource = call.services.store.get(_version_id(call))
    if resource is None:
        raise _not_found(call, with_version=True)
    return Response.json(200, resource.body)


def put_version(call: Call) -> Response:
    require_workspace(call)
    family = _family(call)
    body = call.body()
    properties = call.properties(body, "UserError")
    version_id = _version_id(call)
    with call.services.store.transaction():
        container = _ensure_container(call)
        existing = call.services.store.get(version_id)
        stored = {
            "id": version_id,
            "name": call.params["version"],
            "type": f"Microsoft.MachineLearningServices/workspaces/{family}/versions",
            "systemData": system_data(
                call.services.identity.client_id, existing.body["systemData"] if existing else None
            ),
            "properties": _version_defaults(family, clone(properties)),
        }
        call.services.store.put(Resource(version_id, FAMILIES[family] + "Version", container.id, stored, {}))
    return Response.json(200 if existing else 201, stored)


def delete_version(call: Call) -> Response:
    require_workspace(call)
    version_id = _version_id(call)
    if call.services.store.get(version_id) is None:
        return Response(204)
    call.services.store.delete(version_id)
    return Response(200)


def start_pending_upload(call: Call) -> Response:
    """A container-level SAS in the workspace blob store and a fresh folder to upload into."""
    workspace = require_workspace(call)
    body = call.body()
    if body.get("pendingUploadType", "TemporaryBlobReference") != "TemporaryBlobReference":
        raise ArmError(400, "UserError", "TemporaryBlobReference is the only supported pendingUploadType.")
    account = call.services.identity.storage_account
    upload_id = str(body.get("pendingUploadId") or uuid.uuid4()).lower()
    container = upload_id  # a temporary container per upload, as the service does
    call.services.blobs.create_container(account, container, "")
    container_url = f"{call.urls.blob_account(account)}/{container}"
    now = datetime.datetime.now(datetime.UTC)
    sas = container_sas(
        account,
        call.services.identity.storage_account_key,
        container,
        "rcwl",
        expiry=now + UPLOAD_SAS_LIFETIME,
        start=now - datetime.timedelta(minutes=15),
    )
    storage_id = workspace.body["properties"]["storageAccount"]
    return Response.json(
        200,
        {
            "blobReferenceForConsumption": {
                "blobUri": container_url,
                "storageAccountArmId": storage_id,
                "credential": {"credentialType": "SAS", "sasUri": f"{container_url}?{sas}"},
            },
            "pendingUploadId": upload_id,
            "pendingUploadType": "TemporaryBlobReference",
        },
    )
