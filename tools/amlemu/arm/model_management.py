"""The regional model-management API (v1.0) over the workspace's registered models.

Scripts written for the v1 SDK era still read and delete models through it:

    https://ml.azure.com/api/<region>/modelmanagement/v1.0/subscriptions/<sub>/resourceGroups/<rg>
        /providers/Microsoft.MachineLearningServices/workspaces/<ws>/models[/<name>:<version>]
    https://<region>.api.azureml.ms/modelmanagement/v1.0/...   (the same API on its regional host)

A model there is the same asset as the ARM model version (`models/<name>/versions/<version>`),
shown in the data-plane `Model` shape of the published model-management specification
(id `name:version`, integer `version`, `kvTags`, `url`, `mimeType`). It takes the same
bearer token as ARM. Only GET (one model, or the list) and DELETE are served.
"""

from __future__ import annotations

import re

from amlemu import identity as entra
from amlemu.arm.context import Call, Urls, require_workspace
from amlemu.arm.errors import ArmError
from amlemu.arm.services import Services
from amlemu.http_messages import Request, Response

PREFIX = re.compile(r"^(?:/api/(?P<region>[a-z0-9]+))?/modelmanagement/v1\.0(?P<rest>/.*)$", re.IGNORECASE)
WORKSPACE = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/Microsoft\.MachineLearningServices"
    r"/workspaces/(?P<ws>[^/]+)/models(?:/(?P<id>[^/]+))?/?$",
    re.IGNORECASE,
)


def _error(status: int, code: str, message: str) -> Response:
    """The service's ModelErrorResponse: code, statusCode, message, details."""
    return Response.json(status, {"code": code, "statusCode": status, "message": message, "details": []})


def handle(services: Services, request: Request, urls: Urls, region_from_host: str | None = None) -> Response:
    match = PREFIX.match(request.path)
    if match is None:
        return _error(404, "NotFound", f"The requested path '{request.path}' does not exist.")
    region = (match.group("region") or region_from_host or "").lower()
    scope = WORKSPACE.match(match.group("rest"))
    if scope is None:
        return _error(404, "NotFound", f"The requested path '{request.path}' does not exist.")
    try:
        entra.check_arm_authorization(services.identity, request, urls.arm)
    except ArmError as error:
        return error.response()
    if region and region != services.identity.region.lower():
        return _error(404, "NotFound", f"The workspace is in region '{services.identity.region}', not '{region}'.")
    params = {key: scope.group(key) for key in ("sub", "rg", "ws")}
    call = Call(services, request, params, "", urls)
    try:
        require_workspace(call)
    except ArmError as error:
        return _error(404, "NotFound", error.message)
    model_id = scope.group("id")
    if model_id is None:
        if request.method != "GET":
            return _error(405, "MethodNotAllowed", f"The HTTP method '{request.method}' is not supported here.")
        return Response.json(200, {"value": [model_view(v.body) for v in _versions(call)]})
    name, _, version = model_id.partition(":")
    if not version:
        latest = sorted(_versions(call, name), key=lambda v: _as_int(v.body["name"]))
        if not latest:
            return _model_not_found(call, model_id)
        version = latest[-1].body["name"]
    resource_id = f"{call.workspace_id}/models/{name}/versions/{version}"
    resource = services.store.get(resource_id)
    if resource is None:
        return _model_not_found(call, model_id)
    if request.method == "GET":
        return Response.json(200, model_view(resource.body))
    if request.method == "DELETE":
        services.store.delete(resource_id)
        return Response(200)
    return _error(405, "MethodNotAllowed", f"The HTTP method '{request.method}' is not supported here.")


def _model_not_found(call: Call, model_id: str) -> Response:
    return _error(404, "ModelNotFound", f"Model with id {model_id} not found in workspace {call.params['ws']}.")


def _as_int(text: str) -> int:
    return int(text) if text.isdigit() else -1


def _versions(call: Call, name: str | None = None) -> list:
    store = call.services.store
    containers = store.children(call.workspace_id, "modelContainer")
    found = []
    for container in containers:
        if name is None or container.body["name"] == name:
            found.extend(store.children(container.id, "modelVersion"))
    return found


def model_view(version_body: dict) -> dict:
    """An ARM model version in the model-management `Model` shape."""
    properties = version_body.get("properties") or {}
    name = version_body["id"].split("/models/", 1)[1].split("/versions/", 1)[0]
    version = version_body["name"]
    system = version_body.get("systemData") or {}
    return {
        "id": f"{name}:{version}",
        "name": name,
        "version": _as_int(version) if version.isdigit() else version,
        "description": properties.get("description"),
        "kvTags": properties.get("tags") or {},
        "properties": properties.get("properties") or {},
        "url": properties.get("modelUri"),
        "mimeType": "application/octet-stream",
        "framework": "Custom",
        "frameworkVersion": None,
        "unpack": False,
        "createdTime": system.get("createdAt"),
        "modifiedTime": system.get("lastModifiedAt"),
        "createdBy": {"userName": system.get("createdBy")},
        "derivedModelIds": None,
        "experimentName": None,
        "runId": None,
        "datasets": [],
        "resourceRequirements": None,
    }
