"""Managed online deployments: create/update (LRO that asks the scoring runtime to start),
get, list, delete (LRO), getLogs.

The runtime is asked to (re)start only when something it runs changes: a new deployment,
or a different instance count, model, code, environment, variables or request settings.
"""

from __future__ import annotations

from amlemu import rules
from amlemu.arm.context import Call, clone, paged
from amlemu.arm.errors import ArmError, resource_not_found
from amlemu.arm.online_endpoints import PutRequest, endpoint_id, fill_identity, read_put, tracked_members
from amlemu.arm.online_endpoints import get_resource as get_endpoint
from amlemu.arm.operations import async_headers, begin_delete, operation_status_uri
from amlemu.arm.services import Services
from amlemu.arm.system_data import system_data
from amlemu.http_messages import Response
from amlemu.materialize import MaterializeError, deployment_spec
from amlemu.scoring_contract import DeploymentSpec
from amlemu.store.resources import Operation, Resource

KIND = "onlineDeployment"
TYPE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments"
RUNTIME_FIELDS = ("model", "codeConfiguration", "environmentId", "environmentVariables", "requestSettings")
DEFAULT_PROBE = {
    "failureThreshold": 30,
    "successThreshold": 1,
    "timeout": "PT2S",
    "period": "PT10S",
    "initialDelay": "PT10S",
}
LOG_CONTAINERS = {"inferenceserver": "InferenceServer", "storageinitializer": "StorageInitializer"}


def deployment_id(call: Call) -> str:
    return f"{endpoint_id(call)}/deployments/{call.params['deployment']}"


def _not_found(call: Call) -> ArmError:
    return resource_not_found(
        f"Microsoft.MachineLearningServices/workspaces/{call.params['ws']}/onlineEndpoints/"
        f"{call.params['endpoint']}/deployments/{call.params['deployment']}",
        call.params["rg"],
    )


def get_resource(call: Call) -> Resource:
    get_endpoint(call)
    resource = call.services.store.get(deployment_id(call))
    if resource is None:
        raise _not_found(call)
    return resource


def list_all(call: Call) -> Response:
    endpoint = get_endpoint(call)
    resources = call.services.store.children(endpoint.id, KIND)
    return Response.json(200, paged(call, [r.body for r in resources]))


def get(call: Call) -> Response:
    return Response.json(200, get_resource(call).body)


def _probe(value: object) -> dict:
    probe = dict(DEFAULT_PROBE)
    if isinstance(value, dict):
        probe.update({k: v for k, v in value.items() if v is not None})
    return probe


def put(call: Call) -> Response:
    """Create or update: read the request, check the service rules, build the deployment as it is stored
    while the operation runs (Creating, Updating or Scaling), and start that operation."""
    endpoint = get_endpoint(call)
    wanted = read_put(call, "deployment", "a deployment")
    capacity = _check(call, endpoint, wanted)
    resource_id = deployment_id(call)
    with call.services.operations.claimed(resource_id, "deployment", wanted.name) as op_id:
        endpoint = _check_against_stored(call, endpoint, resource_id, wanted, capacity)
        existing = call.services.store.get(resource_id)
        resource, restart = _stored_deployment(call, op_id, endpoint, existing, wanted, capacity)
        _begin(call.services, op_id, resource, "update" if existing else "create", restart)
    return Response.json(200 if existing else 201, clone(resource.body), async_headers(call, op_id))


def _requested_sku(body: dict) -> dict:
    """The body's sku, or the service's default: one instance."""
    return body["sku"] if isinstance(body.get("sku"), dict) else {"name": "Default", "capacity": 1}


def _check(call: Call, endpoint: Resource, wanted: PutRequest) -> int:
    """The rules that need nothing stored: a managed deployment, a managed SKU, an instance count within
    the limit, default scaling. Returns the instance count."""
    properties = wanted.properties
    compute_type = properties.get("endpointComputeType")
    if compute_type != "Managed":
        # wording: ours
        raise ArmError(
            400,
            "BadArgument",
            f"Endpoint '{endpoint.body['name']}' is a managed online endpoint; its deployments must have "
            f"endpointComputeType 'Managed', not '{compute_type}'.",
        )
    rules.check_instance_type(properties.get("instanceType"))
    capacity = rules.check_instance_count(_requested_sku(wanted.body).get("capacity", 1), call.services.limits)
    rules.check_scale_settings(properties.get("scaleSettings"))
    return capacity


def _check_against_stored(
    call: Call, endpoint: Resource, resource_id: str, wanted: PutRequest, capacity: int
) -> Resource:
    """The rules that depend on what is stored, checked under the claim: the endpoint is still there and
    not being deleted, and the subscription's core quota holds the deployment at this size. Returns the
    endpoint as stored now."""
    current = call.services.store.get(endpoint.id)
    if current is None or current.body["properties"]["provisioningState"] == "Deleting":
        raise _not_found(call) if current is None else rules.operation_in_progress("endpoint", current.body["name"])
    _check_core_quota(call, resource_id, wanted.properties["instanceType"], capacity)
    return current


def _stored_deployment(
    call: Call, op_id: str, endpoint: Resource, existing: Resource | None, wanted: PutRequest, capacity: int
) -> tuple[Resource, bool]:
    """The deployment as stored while operation `op_id` runs, and whether the runtime must (re)start it:
    a new deployment, or another instance count or a change to what the runtime runs (RUNTIME_FIELDS)."""
    body, properties = wanted.body, wanted.properties
    previous = existing.body if existing else None
    stored_properties = {
        "description": properties.get("description"),
        "properties": {
            **((previous or {}).get("properties", {}).get("properties") or {}),
            **(properties.get("properties") or {}),
            "AzureAsyncOperationUri": operation_status_uri(call, op_id),
        },
        "codeConfiguration": properties.get("codeConfiguration"),
        "environmentId": properties.get("environmentId"),
        "environmentVariables": properties.get("environmentVariables") or {},
        "scaleSettings": {"scaleType": "Default"},
        "requestSettings": {
            "requestTimeout": "PT5S",
            "maxConcurrentRequestsPerInstance": 1,
            "maxQueueWait": "PT0.5S",
            **(properties.get("requestSettings") or {}),
        },
        "appInsightsEnabled": bool(properties.get("appInsightsEnabled", False)),
        "livenessProbe": _probe(properties.get("livenessProbe")),
        "readinessProbe": _probe(properties.get("readinessProbe")),
        "instanceType": properties["instanceType"],
        "model": properties.get("model"),
        "modelMountPath": properties.get("modelMountPath"),
        "endpointComputeType": "Managed",
        "egressPublicNetworkAccess": properties.get("egressPublicNetworkAccess") or "Enabled",
        "provisioningState": "Creating",
    }
    restart = previous is None
    if previous is not None:
        old = previous["properties"]
        capacity_changed = (previous.get("sku") or {}).get("capacity") != capacity
        changed = [f for f in RUNTIME_FIELDS if old.get(f) != stored_properties.get(f)]
        restart = capacity_changed or bool(changed)
        stored_properties["provisioningState"] = "Scaling" if capacity_changed and not changed else "Updating"
    sku = _requested_sku(body)
    resource_id = deployment_id(call)
    stored = {
        **tracked_members(resource_id, wanted, TYPE, endpoint.body["location"]),
        "sku": {**sku, "name": sku.get("name") or "Default", "capacity": capacity},
        "systemData": system_data(call.services.identity.client_id, previous["systemData"] if previous else None),
        "properties": stored_properties,
    }
    if isinstance(body.get("identity"), dict):
        identity = clone(body["identity"])
        identity.setdefault("type", "SystemAssigned")
        stored["identity"] = fill_identity(
            identity, (previous or {}).get("identity") or {}, call.services.identity.tenant_id
        )
    return Resource(resource_id, KIND, endpoint.id, stored, {}), restart


def _begin(services: Services, op_id: str, resource: Resource, action: str, restart: bool) -> None:
    """Commit the deployment in its new state, then hand the operation to a worker (`finish`), which asks
    the runtime to (re)start it only when `restart`."""
    services.store.put(resource)
    services.operations.start(op_id, resource.id, KIND, action, {"restart": restart})


def patch(call: Call) -> Response:
    """Partial update of tags, sku (instance count), kind and identity, as ARM's Update operation."""
    resource = get_resource(call)
    body = call.body()
    services = call.services
    sku = body.get("sku")
    capacity = resource.body["sku"]["capacity"]
    if isinstance(sku, dict) and "capacity" in sku:
        capacity = rules.check_instance_count(sku["capacity"], services.limits)
    with services.operations.claimed(resource.id, "deployment", resource.body["name"]) as op_id:
        fresh = services.store.get(resource.id) or resource
        scaling = capacity != fresh.body["sku"]["capacity"]
        if scaling:
            _check_core_quota(call, resource.id, fresh.body["properties"]["instanceType"], capacity)
        # A PATCH body is a partial resource: a null member means "no value", never a stored null.
        if isinstance(body.get("tags"), dict):
            fresh.body["tags"] = {key: value for key, value in body["tags"].items() if value is not None}
        if isinstance(sku, dict):
            fresh.body["sku"] = {
                **fresh.body["sku"],
                **{k: v for k, v in sku.items() if v is not None},
                "capacity": capacity,
            }
        if isinstance(body.get("kind"), str):
            fresh.body["kind"] = body["kind"]
        identity = body.get("identity")
        if isinstance(identity, dict) and isinstance(identity.get("type"), str):
            wanted = {"type": identity["type"]}
            if isinstance(identity.get("userAssignedIdentities"), dict):
                wanted["userAssignedIdentities"] = dict(identity["userAssignedIdentities"])
            fresh.body["identity"] = fill_identity(
                wanted, fresh.body.get("identity") or {}, services.identity.tenant_id
            )
        fresh.body["systemData"] = system_data(services.identity.client_id, fresh.body["systemData"])
        if scaling:
            fresh.body["properties"]["provisioningState"] = "Scaling"
        services.store.put(fresh)
        if not scaling:
            return Response.json(200, clone(fresh.body))
        services.operations.start(op_id, resource.id, KIND, "update", {"restart": True})
    return Response(202, {**async_headers(call, op_id, with_location=True), "Content-Length": "0"})


def _check_core_quota(call: Call, resource_id: str, instance_type: str, capacity: int) -> None:
    """Every managed deployment of the subscription, this one at its new size, within the core quota."""
    subscription = call.params["sub"]
    prefix = f"/subscriptions/{subscription}/".lower()
    others = [
        (r.body["properties"]["instanceType"], r.body["sku"]["capacity"])
        for r in call.services.store.of_kind(KIND)
        if r.id.lower().startswith(prefix) and r.id.lower() != resource_id.lower()
    ]
    rules.check_core_quota(subscription, instance_type, capacity, others, call.services.limits)


def delete(call: Call) -> Response:
    endpoint = get_endpoint(call)
    name = call.params["deployment"]

    def refuse_while_serving() -> None:
        current = call.services.store.get(endpoint.id) or endpoint
        rules.check_no_live_traffic(name, current.body["properties"].get("traffic") or {})

    return begin_delete(call, deployment_id(call), KIND, "deployment", name, before=refuse_while_serving)


def get_logs(call: Call) -> Response:
    resource = get_resource(call)
    body = call.body()
    container = body.get("containerType") or "InferenceServer"
    if not isinstance(container, str) or container.lower() not in LOG_CONTAINERS:
        raise ArmError(
            400,
            "BadArgument",
            f"Invalid container type '{container}'. Supported container types are InferenceServer and "
            "StorageInitializer.",
        )
    tail = body.get("tail")
    if tail is not None and (isinstance(tail, bool) or not isinstance(tail, int) or tail < 0):
        raise ArmError(400, "BadArgument", f"tail must be a non-negative integer; got {tail!r}.")
    if LOG_CONTAINERS[container.lower()] == "StorageInitializer":
        content = "storage-initializer: model and code downloaded.\n"
    else:
        content = call.services.runtime.logs(call.params["endpoint"], resource.body["name"], tail)
    return Response.json(200, {"content": content})


# -- finishing operations ------------------------------------------------------


def finish(services: Services, op: Operation) -> dict | None:
    action = op.action.split(":", 1)[1]
    resource = services.store.get(op.resource_id)
    endpoint = services.store.get(op.resource_id.rsplit("/deployments/", 1)[0])
    if resource is None or endpoint is None:
        return (
            None
            if action == "delete"
            else {"code": "ResourceNotFound", "message": "The deployment was deleted while the operation ran."}
        )
    if action == "delete":
        services.runtime.stop(endpoint.body["name"], resource.body["name"])
        services.store.delete(op.resource_id)
        return None
    error = None
    try:  # a row stored by an emulator without the limit is not run past it
        rules.check_instance_count(resource.body["sku"]["capacity"], services.limits)
    except ArmError as refused:
        error = {"code": refused.code, "message": refused.message}
    if error is None and op.payload.get("restart", True):
        try:
            result = services.runtime.start(_laid_out(services, endpoint, resource))
            if not result.ok:
                error = {
                    "code": result.code or "ResourceNotReady",
                    "message": result.error or "The deployment failed to start.",
                }
        except MaterializeError as exc:
            error = {"code": "BadArgument", "message": str(exc)}
    with services.store.transaction():
        fresh = services.store.get(op.resource_id)
        if fresh is not None:
            fresh.body["properties"]["provisioningState"] = "Failed" if error else "Succeeded"
            services.store.put(fresh)
    return error


def _laid_out(services: Services, endpoint: Resource, deployment: Resource) -> DeploymentSpec:
    """The deployment's code and model copied where the runtime runs them (materialize.py)."""
    return deployment_spec(services.store, services.blobs, services.deployments_dir, endpoint, deployment)


def cancel(services: Services, op: Operation) -> None:
    """Interrupt a create or update: the runtime stops starting the deployment's instances."""
    parts = op.resource_id.split("/")
    services.runtime.stop(parts[-3], parts[-1])  # .../onlineEndpoints/<endpoint>/deployments/<deployment>


def restart_succeeded(services: Services) -> None:
    """After a restart, bring back the scoring processes of every Succeeded deployment."""
    for resource in services.store.of_kind(KIND):
        if resource.body["properties"].get("provisioningState") != "Succeeded":
            continue
        endpoint = services.store.get(resource.parent)
        if endpoint is None:
            continue
        try:
            rules.check_instance_count(resource.body["sku"]["capacity"], services.limits)
            result = services.runtime.start(_laid_out(services, endpoint, resource))
        except MaterializeError as exc:
            result = None
            message = str(exc)
        except ArmError as refused:
            result = None
            message = refused.message
        if result is None or not result.ok:
            resource.body["properties"]["provisioningState"] = "Failed"
            services.store.put(resource)
            print(
                f"amlemu: deployment {endpoint.body['name']}/{resource.body['name']} did not restart: "
                f"{message if result is None else result.error}",
                flush=True,
            )
