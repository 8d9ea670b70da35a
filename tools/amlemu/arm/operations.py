"""Long-running operations, answered as Azure answers them.

A create, update or delete first records the desired state (with `Creating`, `Updating`
or `Deleting`) and an operation row, both committed, then answers 200/201/202 with
`Azure-AsyncOperation` pointing at the operation's status resource and `retry-after-ms`
so the SDK polls quickly. A worker thread finishes the operation (for deployments: asks
the scoring runtime to start) and marks it `Succeeded` or `Failed`; the status and result
resources show where it is. Which operations may run at once is `operation_runner.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from amlemu.arm.context import Call, Urls
from amlemu.arm.errors import ArmError
from amlemu.http_messages import Response

RETRY_AFTER_MS = "15"


def operation_url(urls: Urls, subscription: str, op_id: str, api_version: str, results: bool = False) -> str:
    kind = "mfeOperationResults" if results else "mfeOperationsStatus"
    return (
        f"{urls.arm}/subscriptions/{subscription}/providers/Microsoft.MachineLearningServices"
        f"/locations/{urls.region}/{kind}/{op_id}?api-version={api_version}"
    )


def operation_status_uri(call: Call, op_id: str) -> str:
    """What a create or update records in the resource's `properties.properties.AzureAsyncOperationUri`:
    the status resource of its latest operation, which the REST samples poll (`jq -r
    '.properties.properties.AzureAsyncOperationUri'` in azureml-examples' cli/deploy-rest.sh) and
    which Azure's own responses carry (`.../locations/<region>/mfeOperationsStatus/<id>?api-version=...`)."""
    return operation_url(call.urls, call.params["sub"], op_id, call.api_version)


def begin_delete(
    call: Call,
    resource_id: str,
    kind: str,
    label: str,
    name: str,
    before: Callable[[], None] = lambda: None,
    also: Callable[[], None] = lambda: None,
) -> Response:
    """ARM's asynchronous DELETE: 204 when there is nothing to delete; else `Deleting` and 202.
    Operations in flight on the resource are cancelled first.

    `before` may refuse the deletion (raise an ArmError) once the operation slot is
    held; `also` marks dependent resources. The operation finishes in the background.
    """
    services = call.services
    if services.store.get(resource_id) is None:
        return Response(204)
    with services.operations.claimed(resource_id, label, name, cancel_busy=True) as op_id:
        before()
        resource = services.store.get(resource_id)
        if resource is None:
            return Response(204)
        resource.body["properties"]["provisioningState"] = "Deleting"
        also()
        services.store.put(resource)
        services.operations.start(op_id, resource_id, kind, "delete")
    return Response(202, {**async_headers(call, op_id, with_location=True), "Content-Length": "0"})


def async_headers(call: Call, op_id: str, with_location: bool = False) -> dict[str, str]:
    headers = {
        "Azure-AsyncOperation": operation_url(call.urls, call.params["sub"], op_id, call.api_version),
        "retry-after-ms": RETRY_AFTER_MS,
        "x-ms-async-operation-timeout": "PT1H",
    }
    if with_location:
        headers["Location"] = operation_url(call.urls, call.params["sub"], op_id, call.api_version, results=True)
    return headers


def get_status(call: Call) -> Response:
    op = call.services.store.get_operation(call.params["op"])
    if op is None:
        raise ArmError(404, "ResourceNotFound", f"The operation '{call.params['op']}' was not found.")
    body: dict = {
        "id": operation_url(call.urls, call.params["sub"], op.id, call.api_version).split("?")[0],
        "name": op.id,
        "status": op.status,
        "startTime": op.started,
    }
    headers = {}
    if op.ended:
        body["endTime"] = op.ended
        body["percentComplete"] = 100.0
    else:
        headers["retry-after-ms"] = RETRY_AFTER_MS
    if op.error:
        body["error"] = op.error
    return Response.json(200, body, headers)


def get_result(call: Call) -> Response:
    op = call.services.store.get_operation(call.params["op"])
    if op is None:
        raise ArmError(404, "ResourceNotFound", f"The operation '{call.params['op']}' was not found.")
    if op.status == "InProgress":
        return Response(
            202,
            {
                "Location": operation_url(call.urls, call.params["sub"], op.id, call.api_version, True),
                "retry-after-ms": RETRY_AFTER_MS,
                "Content-Length": "0",
            },
        )
    if op.error:
        raise ArmError(400, op.error.get("code", "Failed"), op.error.get("message", "The operation failed."))
    return Response(204)
