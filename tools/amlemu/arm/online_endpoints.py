"""Managed online endpoints: create/update (LRO), get, list, delete (LRO, cascades to the
deployments), listKeys, token, regenerateKeys (LRO).

Keys live in the store's secret column and never appear in a GET body (`keys` is always
null, as the specification says). The scoring and Swagger URIs are rendered per request.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from amlemu import rules
from amlemu.arm.context import Call, clone, paged, require_workspace
from amlemu.arm.errors import ArmError, resource_not_found
from amlemu.arm.operations import async_headers, begin_delete, operation_status_uri
from amlemu.arm.services import Services
from amlemu.arm.system_data import system_data, utc_now
from amlemu.http_messages import Response
from amlemu.identity import issue_token
from amlemu.scoring_contract import EndpointRouting
from amlemu.store.resources import Operation, Resource

KIND = "onlineEndpoint"
TYPE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints"
AUTH_MODES_WIRE_TO_SDK = {"Key": "key", "AMLToken": "aml_token", "AADToken": "aad_token"}
KEPT_TOKENS = 50


def new_key() -> str:
    return secrets.token_urlsafe(24).replace("-", "a").replace("_", "b")


def endpoint_id(call: Call, name: str | None = None) -> str:
    return f"{call.workspace_id}/onlineEndpoints/{name or call.params['endpoint']}"


def not_found(call: Call) -> ArmError:
    return resource_not_found(
        f"Microsoft.MachineLearningServices/workspaces/{call.params['ws']}/onlineEndpoints/{call.params['endpoint']}",
        call.params["rg"],
    )


def get_resource(call: Call) -> Resource:
    require_workspace(call)
    resource = call.services.store.get(endpoint_id(call))
    if resource is None:
        raise not_found(call)
    return resource


def render(call: Call, resource: Resource) -> dict:
    body = clone(resource.body)
    properties = body["properties"]
    # The published examples show both URIs already while the endpoint is Creating.
    base = call.urls.scoring_base(body["name"])
    properties["scoringUri"] = f"{base}/score"
    properties["swaggerUri"] = f"{base}/swagger.json"
    properties["keys"] = None
    return body


def deployment_names(services: Services, resource: Resource) -> set[str]:
    return {child.body["name"] for child in services.store.children(resource.id, "onlineDeployment")}


# -- handlers ----------------------------------------------------------------


def list_all(call: Call) -> Response:
    require_workspace(call)
    resources = call.services.store.children(call.workspace_id, KIND)
    query = call.request.query
    if query.get("name"):
        resources = [r for r in resources if r.body["name"].lower() == query["name"].lower()]
    order = (query.get("orderBy") or "").lower()
    if order:
        field = "createdAt" if order.startswith("createdat") else "lastModifiedAt"
        resources.sort(key=lambda r: r.body["systemData"][field], reverse=order.endswith("desc"))
    return Response.json(200, paged(call, [render(call, r) for r in resources]))


def get(call: Call) -> Response:
    return Response.json(200, render(call, get_resource(call)))


def put(call: Call) -> Response:
    """Create or update: read the request, check the service rules, build the endpoint as it is stored
    while the operation runs (Creating or Updating), and start that operation."""
    workspace = require_workspace(call)
    wanted = read_put(call, "endpoint", "an endpoint")
    auth_mode = rules.check_auth_mode(wanted.properties.get("authMode"))
    resource_id = endpoint_id(call)
    with call.services.operations.claimed(resource_id, "endpoint", wanted.name) as op_id:
        existing = call.services.store.get(resource_id)
        traffic, mirror = _check_against_stored(call, workspace, existing, wanted)
        resource = _stored_endpoint(call, op_id, workspace, existing, wanted, _Accepted(auth_mode, traffic, mirror))
        _begin(call.services, op_id, resource, "update" if existing else "create")
    return Response.json(200 if existing else 201, render(call, resource), async_headers(call, op_id))


@dataclass(frozen=True)
class PutRequest:
    """A PUT of a named resource as read from the wire: the name in its path, the body as its published
    definition reads it, and the body's `properties`."""

    name: str
    body: dict[str, Any]
    properties: dict[str, Any]


def read_put(call: Call, parameter: str, what: str) -> PutRequest:
    """The request of a PUT; the name is checked after the body is read and before its properties."""
    name = call.params[parameter]
    body = call.body()
    rules.check_name(what, name)
    return PutRequest(name, body, call.properties(body))


def tracked_members(resource_id: str, wanted: PutRequest, resource_type: str, location: str) -> dict[str, Any]:
    """The members a stored tracked resource starts with: its id, name and type, then the body's location,
    kind and tags, with the service's defaults (the parent's location, `Managed`, none)."""
    body = wanted.body
    return {
        "id": resource_id,
        "name": wanted.name,
        "type": resource_type,
        "location": body.get("location") or location,
        "kind": body.get("kind") or "Managed",
        "tags": body.get("tags") or {},
    }


@dataclass(frozen=True)
class _Accepted:
    """The values of the request the rules accepted, as they are stored."""

    auth_mode: str
    traffic: dict[str, int]
    mirror: dict[str, int]


def _check_against_stored(
    call: Call, workspace: Resource, existing: Resource | None, wanted: PutRequest
) -> tuple[dict[str, int], dict[str, int]]:
    """The rules that depend on what is stored, checked under the claim: a new endpoint's name is free in
    its region; the traffic and mirror traffic name existing deployments. Returns both as accepted."""
    services = call.services
    name = wanted.name
    if existing is None:
        region = workspace.body["location"]
        taken = next(
            (
                r.id
                for r in services.store.of_kind(KIND)
                if r.body["name"].lower() == name.lower() and r.body["location"].lower() == region.lower()
            ),
            None,
        )
        rules.check_endpoint_name_free_in_region(name, region, taken)
    deployments = deployment_names(services, existing) if existing else set()
    return rules.check_traffic(
        wanted.properties.get("traffic"), wanted.properties.get("mirrorTraffic"), deployments, name, call.params["ws"]
    )


def _stored_endpoint(
    call: Call, op_id: str, workspace: Resource, existing: Resource | None, wanted: PutRequest, accepted: _Accepted
) -> Resource:
    """The endpoint as stored while operation `op_id` runs: the request's values over the existing ones,
    the service's defaults, the identities it manages, and the keys (kept, given, or new)."""
    services = call.services
    resource_id = endpoint_id(call)
    body, properties = wanted.body, wanted.properties
    previous = existing.body if existing else None
    kept_properties = dict((previous or {}).get("properties", {}).get("properties") or {})
    kept_properties.update(properties.get("properties") or {})
    kept_properties["AzureAsyncOperationUri"] = operation_status_uri(call, op_id)
    if existing is None:
        kept_properties.setdefault("azureml.onlineendpointid", resource_id.lower())
        kept_properties.setdefault("createdAt", utc_now())
        kept_properties.setdefault("createdBy", services.identity.client_id)
    identity = clone(body.get("identity") or {"type": "SystemAssigned"})
    identity.setdefault("type", "SystemAssigned")
    fill_identity(identity, (previous or {}).get("identity") or {}, services.identity.tenant_id)
    stored = {
        **tracked_members(resource_id, wanted, TYPE, workspace.body["location"]),
        "identity": identity,
        "systemData": system_data(services.identity.client_id, previous["systemData"] if previous else None),
        "properties": {
            "authMode": accepted.auth_mode,
            "description": properties.get("description"),
            "properties": kept_properties,
            "traffic": accepted.traffic,
            "mirrorTraffic": accepted.mirror,
            "publicNetworkAccess": properties.get("publicNetworkAccess") or "Enabled",
            "provisioningState": "Updating" if existing else "Creating",
        },
    }
    if properties.get("compute"):
        stored["properties"]["compute"] = properties["compute"]
    if isinstance(body.get("sku"), dict):
        stored["sku"] = body["sku"]
    if existing is not None:
        endpoint_secrets = existing.secrets
    else:
        initial = properties.get("keys") or {}
        endpoint_secrets = {
            "primaryKey": initial.get("primaryKey") or new_key(),
            "secondaryKey": initial.get("secondaryKey") or new_key(),
            "tokens": [],
        }
    return Resource(resource_id, KIND, call.workspace_id, stored, endpoint_secrets)


def _begin(services: Services, op_id: str, resource: Resource, action: str) -> None:
    """Commit the endpoint in its new state, then hand the operation to a worker (`finish`)."""
    services.store.put(resource)
    services.operations.start(op_id, resource.id, KIND, action)


def delete(call: Call) -> Response:
    require_workspace(call)
    services = call.services
    resource_id = endpoint_id(call)

    def deployments_go_too() -> None:
        for child in services.store.children(resource_id, "onlineDeployment"):
            child.body["properties"]["provisioningState"] = "Deleting"
            services.store.put(child)

    return begin_delete(call, resource_id, KIND, "endpoint", call.params["endpoint"], also=deployments_go_too)


def list_keys(call: Call) -> Response:
    resource = get_resource(call)
    if resource.body["properties"]["authMode"] != "Key":
        # wording: ours
        raise ArmError(
            400,
            "BadArgument",
            f"Endpoint '{resource.body['name']}' uses {resource.body['properties']['authMode']} "
            "authentication and has no keys.",
        )
    return Response.json(
        200, {"primaryKey": resource.secrets["primaryKey"], "secondaryKey": resource.secrets["secondaryKey"]}
    )


def get_token(call: Call) -> Response:
    resource = get_resource(call)
    if resource.body["properties"]["authMode"] != "AMLToken":
        # wording: ours
        raise ArmError(
            400,
            "BadArgument",
            f"Endpoint '{resource.body['name']}' does not use AMLToken authentication; "
            "tokens are issued only for AMLToken endpoints.",
        )
    lifetime = 3600
    token = issue_token(call.services.identity, "https://ml.azure.com", resource.body["name"], lifetime)
    now = int(time.time())
    with call.services.store.transaction():
        fresh = call.services.store.get(resource.id) or resource
        fresh.secrets["tokens"] = ([*fresh.secrets.get("tokens", []), token])[-KEPT_TOKENS:]
        call.services.store.put(fresh)
    return Response.json(
        200,
        {
            "accessToken": token,
            "expiryTimeUtc": now + lifetime,
            "refreshAfterTimeUtc": now + lifetime // 2,
            "tokenType": "Bearer",
        },
    )


def regenerate_keys(call: Call) -> Response:
    resource = get_resource(call)
    body = call.body()
    key_type = body.get("keyType")
    if key_type not in ("Primary", "Secondary"):
        raise ArmError(400, "BadArgument", "keyType must be 'Primary' or 'Secondary'.")
    if resource.body["properties"]["authMode"] != "Key":
        # wording: ours
        raise ArmError(400, "BadArgument", f"Endpoint '{resource.body['name']}' does not use keys for authentication.")
    with call.services.operations.claimed(resource.id, "endpoint", resource.body["name"]) as op_id:
        call.services.operations.start(
            op_id, resource.id, KIND, "regenerateKeys", {"keyType": key_type, "keyValue": body.get("keyValue")}
        )
    return Response(202, {**async_headers(call, op_id, with_location=True), "Content-Length": "0"})


# -- finishing operations ------------------------------------------------------


def finish(services: Services, op: Operation) -> dict | None:
    action = op.action.split(":", 1)[1]
    if action == "delete":
        resource = services.store.get(op.resource_id)
        if resource is not None:
            for child in services.store.children(op.resource_id, "onlineDeployment"):
                services.runtime.stop(resource.body["name"], child.body["name"])
            services.store.delete(op.resource_id)
        return None
    with services.store.transaction():
        resource = services.store.get(op.resource_id)
        if resource is None:
            return {"code": "ResourceNotFound", "message": "The endpoint was deleted while the operation ran."}
        if action == "regenerateKeys":
            field = "primaryKey" if op.payload["keyType"] == "Primary" else "secondaryKey"
            # The SDK sends the current key as keyValue and expects a new one back; a different
            # keyValue is taken as the key to set, as the specification describes.
            wanted = op.payload.get("keyValue")
            resource.secrets[field] = wanted if wanted and wanted != resource.secrets.get(field) else new_key()
        else:
            resource.body["properties"]["provisioningState"] = "Succeeded"
        services.store.put(resource)
    return None


def routing_for_host(services: Services, endpoint_name: str, region: str) -> EndpointRouting | None:
    """The data plane's view of the endpoint named in an `<endpoint>.<region>.inference...` host."""
    region = region.lower()
    for resource in services.store.of_kind(KIND):
        body = resource.body
        if body["name"].lower() == endpoint_name.lower() and body["location"].lower() == region:
            properties = body["properties"]
            keys = (
                resource.secrets.get("primaryKey", ""),
                resource.secrets.get("secondaryKey", ""),
                *resource.secrets.get("tokens", []),
            )
            return EndpointRouting(
                endpoint=body["name"],
                auth_mode=AUTH_MODES_WIRE_TO_SDK.get(properties["authMode"], "key"),
                keys=tuple(keys),
                traffic=dict(properties.get("traffic") or {}),
                mirror_traffic=dict(properties.get("mirrorTraffic") or {}),
            )
    return None


def fill_identity(identity: dict, previous: dict, tenant_id: str) -> dict:
    """The service fills in principal and client ids for the identities it manages."""
    if "SystemAssigned" in identity["type"]:
        identity["principalId"] = previous.get("principalId") or _uuid()
        identity["tenantId"] = tenant_id
    assigned = identity.get("userAssignedIdentities")
    if isinstance(assigned, dict):
        known = previous.get("userAssignedIdentities") or {}
        for name in list(assigned):
            old = known.get(name) or {}
            assigned[name] = {
                "principalId": old.get("principalId") or _uuid(),
                "clientId": old.get("clientId") or _uuid(),
            }
    return identity


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())
