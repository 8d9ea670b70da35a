"""Long-running operations, answered as Azure answers them.

A create, update or delete first records the desired state (with `Creating`, `Updating`
or `Deleting`) and an operation row, both committed, then answers 200/201/202 with
`Azure-AsyncOperation` pointing at the operation's status resource and `retry-after-ms`
so the SDK polls quickly. A worker thread finishes the operation (for deployments: asks
the scoring runtime to start) and marks it `Succeeded` or `Failed`.

Only one operation may be in flight on an endpoint and its deployments at a time
(sibling deployments may change in parallel); a second one gets 409. Operation rows
survive a restart: those still `InProgress` are finished by the next emulator.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from amlemu import rules
from amlemu.arm.context import Call, Urls, utc_now
from amlemu.arm.errors import ArmError
from amlemu.http_messages import Response
from amlemu.store.resources import Operation, ResourceStore

RETRY_AFTER_MS = "15"
Finisher = Callable[[Operation], "dict | None"]  # returns an ARM error object to fail the operation


class OperationRunner:
    def __init__(self, store: ResourceStore, min_duration_s: float = 0.0, workers: int = 8) -> None:
        self._store = store
        self._min_duration_s = min_duration_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="amlemu-op")
        self._lock = threading.Lock()
        self._in_flight: dict[str, str] = {}  # lower-cased resource id -> operation id
        self._finishers: dict[str, Finisher] = {}

    def register(self, kind_action: str, finisher: Finisher) -> None:
        """`kind_action` is e.g. 'onlineEndpoint:create'; the finisher completes such operations."""
        self._finishers[kind_action] = finisher

    def claim(self, resource_id: str, kind: str, name: str) -> str:
        """Reserve the resource for a new operation, or raise the 409 for a busy one."""
        key = resource_id.lower()
        with self._lock:
            for busy in self._in_flight:
                if busy == key or busy.startswith(key + "/") or key.startswith(busy + "/"):
                    raise rules.operation_in_progress(kind, name)
            op_id = str(uuid.uuid4())
            self._in_flight[key] = op_id
        return op_id

    def release(self, resource_id: str) -> None:
        with self._lock:
            self._in_flight.pop(resource_id.lower(), None)

    def start(self, op_id: str, resource_id: str, kind: str, action: str, payload: dict | None = None) -> Operation:
        """Record the operation (committed) and hand it to a worker."""
        op = Operation(op_id, resource_id, f"{kind}:{action}", "InProgress", utc_now(), None, None, payload or {})
        self._store.put_operation(op)
        self._pool.submit(self._run, op, time.monotonic())
        return op

    def resume(self) -> int:
        """Finish the operations a previous emulator left in progress."""
        pending = self._store.operations_in_progress()
        for op in pending:
            with self._lock:
                self._in_flight[op.resource_id.lower()] = op.id
            self._pool.submit(self._run, op, time.monotonic())
        return len(pending)

    def _run(self, op: Operation, started: float) -> None:
        error: dict | None
        remaining = self._min_duration_s - (time.monotonic() - started)
        if remaining > 0:  # let Creating/Updating/Deleting be observed for a while
            time.sleep(remaining)
        try:
            error = self._finishers[op.action](op)
        except Exception as exc:  # the operation fails; the emulator keeps serving
            import traceback
            traceback.print_exc()
            error = {"code": "InternalServerError", "message": f"The operation failed in the emulator: {exc}"}
        if error is None:
            op.status = "Succeeded"
        else:
            op.status, op.error = "Failed", error
        op.ended = utc_now()
        self._store.put_operation(op)
        self.release(op.resource_id)

    def wait_idle(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while self._in_flight and time.monotonic() < deadline:
            time.sleep(0.01)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- the status resource -------------------------------------------------

    def status_url(self, call: Call, op_id: str, results: bool = False) -> str:
        return operation_url(call.urls, call.params["sub"], op_id, call.api_version, results)


def operation_url(urls: Urls, subscription: str, op_id: str, api_version: str, results: bool = False) -> str:
    kind = "mfeOperationResults" if results else "mfeOperationsStatus"
    return (f"{urls.arm}/subscriptions/{subscription}/providers/Microsoft.MachineLearningServices"
            f"/locations/{urls.region}/{kind}/{op_id}?api-version={api_version}")


def begin_delete(call: Call, resource_id: str, kind: str, label: str, name: str,
                 before: Callable[[], None] = lambda: None,
                 also: Callable[[], None] = lambda: None) -> Response:
    """ARM's asynchronous DELETE: 204 when there is nothing to delete; else `Deleting` and 202.

    `before` may refuse the deletion (raise an ArmError) once the operation slot is
    held; `also` marks dependent resources. The operation finishes in the background.
    """
    emulator = call.emulator
    if emulator.store.get(resource_id) is None:
        return Response(204)
    op_id = emulator.operations.claim(resource_id, label, name)
    try:
        before()
        resource = emulator.store.get(resource_id)
        if resource is None:
            emulator.operations.release(resource_id)
            return Response(204)
        resource.body["properties"]["provisioningState"] = "Deleting"
        also()
        emulator.store.put(resource)
        emulator.operations.start(op_id, resource_id, kind, "delete")
    except BaseException:
        emulator.operations.release(resource_id)
        raise
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
    op = call.emulator.store.get_operation(call.params["op"])
    if op is None:
        raise ArmError(404, "ResourceNotFound", f"The operation '{call.params['op']}' was not found.")
    body: dict = {"id": operation_url(call.urls, call.params["sub"], op.id, call.api_version).split("?")[0],
                  "name": op.id, "status": op.status, "startTime": op.started}
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
    op = call.emulator.store.get_operation(call.params["op"])
    if op is None:
        raise ArmError(404, "ResourceNotFound", f"The operation '{call.params['op']}' was not found.")
    if op.status == "InProgress":
        return Response(202, {"Location": operation_url(call.urls, call.params["sub"], op.id, call.api_version, True),
                              "retry-after-ms": RETRY_AFTER_MS, "Content-Length": "0"})
    if op.error:
        raise ArmError(400, op.error.get("code", "Failed"), op.error.get("message", "The operation failed."))
    return Response(204)
