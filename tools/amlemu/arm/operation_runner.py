"""The registry of long-running operations: one at a time per resource, run by worker threads.

Only one operation may be in flight on an endpoint and its deployments at a time
(sibling deployments may change in parallel); a second one gets 409, except a DELETE:
it cancels the creates and updates in flight on the resource (they end `Canceled`, as
Azure's do) and waits up to `CANCEL_WAIT_S` for them to stop, and it absorbs the deletes
in flight below it (an endpoint delete while a deployment delete runs: both proceed, as
the public samples' `online-deployment delete --no-wait; online-endpoint delete --no-wait`
does on Azure). A worker runs the finisher registered for the operation's kind and action
and records `Succeeded`, `Failed` or `Canceled`. Shutting down cancels every operation
without recording an outcome. Operation rows survive a restart: those still `InProgress`
are finished by the next emulator. How operations look on the wire is `operations.py`.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from amlemu import rules
from amlemu.arm.system_data import utc_now
from amlemu.store.resources import Operation, ResourceStore

CANCEL_WAIT_S = 10.0  # how long a DELETE waits for a cancelled operation to stop before its 409
Finisher = Callable[[Operation], "dict | None"]  # returns an ARM error object to fail the operation
Canceller = Callable[[Operation], None]  # interrupts a finisher that is running
CANCELED = {"code": "OperationCanceled", "message": "The operation was canceled by a delete of the resource."}


class OperationRunner:
    def __init__(self, store: ResourceStore, min_duration_s: float = 0.0, workers: int = 8) -> None:
        self._store = store
        self._min_duration_s = min_duration_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="amlemu-op")
        self._lock = threading.Lock()
        self._released = threading.Condition(self._lock)
        self._in_flight: dict[str, str] = {}  # lower-cased resource id -> operation id
        self._running: dict[str, Operation] = {}  # operation id -> operation, while in flight
        self._cancelled: dict[str, threading.Event] = {}  # operation id -> set once cancelled
        self._finishers: dict[str, Finisher] = {}
        self._cancellers: dict[str, Canceller] = {}
        self._handed_on: set[str] = set()  # operation ids started inside a `claimed` block still open
        self._closed = False

    def register(self, kind_action: str, finisher: Finisher, canceller: Canceller | None = None) -> None:
        """`kind_action` is e.g. 'onlineEndpoint:create'; the finisher completes such operations,
        the canceller (if any) makes a running finisher return early."""
        self._finishers[kind_action] = finisher
        if canceller is not None:
            self._cancellers[kind_action] = canceller

    def _claim(self, resource_id: str, kind: str, name: str, cancel_busy: bool = False) -> str:
        """Reserve the resource for a new operation, or raise the 409 for a busy one.

        With `cancel_busy` (a DELETE), creates and updates in flight on the resource or below
        it are cancelled first and waited for, up to CANCEL_WAIT_S; deletes in flight below it
        go on beside this one; a delete of the resource itself or above it is never cancelled.
        """
        key = resource_id.lower()
        deadline = time.monotonic() + CANCEL_WAIT_S
        with self._lock:
            while True:
                busy = [
                    op_id
                    for other, op_id in self._in_flight.items()
                    if other == key
                    or key.startswith(other + "/")
                    or (other.startswith(key + "/") and not (cancel_busy and self._deleting(op_id)))
                ]
                if not busy:
                    break
                running = [self._running[op_id] for op_id in busy if op_id in self._running]
                remaining = deadline - time.monotonic()
                if not cancel_busy or remaining <= 0 or any(op.action.endswith(":delete") for op in running):
                    raise rules.operation_in_progress(kind, name)
                fresh = [op for op in running if not self._cancelled[op.id].is_set()]
                for op in fresh:
                    self._cancelled[op.id].set()
                if fresh:
                    self._lock.release()
                    try:  # cancellers may take a moment (stopping processes); never under the lock
                        for op in fresh:
                            self._cancellers.get(op.action, lambda _: None)(op)
                    finally:
                        self._lock.acquire()
                    continue
                self._released.wait(min(remaining, 0.5))
            op_id = str(uuid.uuid4())
            self._in_flight[key] = op_id
        return op_id

    @contextmanager
    def claimed(self, resource_id: str, kind: str, name: str, cancel_busy: bool = False) -> Iterator[str]:
        """The resource reserved for one operation (see `_claim`) for the length of a block that may hand
        the operation on with `start`, as `with operations.claimed(resource_id, kind, name) as op_id:`.

        The claim is released when the block raises, or when it ends without starting the operation
        (nothing was left to do); an operation started in the block keeps it until the operation ends.
        """
        op_id = self._claim(resource_id, kind, name, cancel_busy)
        ended_well = False
        try:
            yield op_id
            ended_well = True
        finally:
            with self._lock:
                handed_on = op_id in self._handed_on
                self._handed_on.discard(op_id)
            if not (ended_well and handed_on):
                self.release(resource_id)

    def _deleting(self, op_id: str) -> bool:
        """A delete in flight: a delete of the resource above it absorbs it (both end Succeeded)."""
        op = self._running.get(op_id)
        return op is not None and op.action.endswith(":delete")

    def release(self, resource_id: str) -> None:
        with self._lock:
            op_id = self._in_flight.pop(resource_id.lower(), None)
            self._running.pop(op_id or "", None)
            self._cancelled.pop(op_id or "", None)
            self._released.notify_all()

    def start(self, op_id: str, resource_id: str, kind: str, action: str, payload: dict | None = None) -> Operation:
        """Record the operation (committed) and hand it to a worker."""
        op = Operation(op_id, resource_id, f"{kind}:{action}", "InProgress", utc_now(), None, None, payload or {})
        self._store.put_operation(op)
        with self._lock:
            self._handed_on.add(op_id)
        self._submit(op)
        return op

    def resume(self) -> int:
        """Finish the operations a previous emulator left in progress."""
        pending = self._store.operations_in_progress()
        for op in pending:
            with self._lock:
                self._in_flight[op.resource_id.lower()] = op.id
            self._submit(op)
        return len(pending)

    def _submit(self, op: Operation) -> None:
        with self._lock:
            self._running[op.id] = op
            self._cancelled[op.id] = threading.Event()
        self._pool.submit(self._run, op, time.monotonic())

    def _run(self, op: Operation, started: float) -> None:
        with self._lock:
            cancelled = self._cancelled.get(op.id) or threading.Event()
        error: dict | None
        remaining = self._min_duration_s - (time.monotonic() - started)
        if remaining > 0:  # let Creating/Updating/Deleting be observed for a while
            cancelled.wait(remaining)
        if cancelled.is_set():
            error = CANCELED
        else:
            try:
                error = self._finishers[op.action](op)
            except Exception as exc:  # noqa: BLE001 - the operation fails; the emulator keeps serving
                if self._closed:
                    return
                import traceback

                traceback.print_exc()
                error = {"code": "InternalServerError", "message": f"The operation failed in the emulator: {exc}"}
        if self._closed:
            return  # left InProgress: the next emulator finishes it
        if cancelled.is_set():
            op.status, op.error = "Canceled", CANCELED
        elif error is None:
            op.status = "Succeeded"
        else:
            op.status, op.error = "Failed", error
        op.ended = utc_now()
        self._store.put_operation(op)
        self.release(op.resource_id)

    def wait_idle(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while self._in_flight and time.monotonic() < deadline:
                self._released.wait(max(0.0, min(0.05, deadline - time.monotonic())))

    def shutdown(self) -> None:
        """Stop: queued operations are dropped, running ones told to stop; none records an outcome."""
        with self._lock:
            self._closed = True
            for event in self._cancelled.values():
                event.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
