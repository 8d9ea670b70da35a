"""A running deployment: its instances, its concurrency limit, and forwarding to them."""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from amlemu.http_messages import Request, Response
from amlemu.scoring import data_plane_responses as answers
from amlemu.scoring.instance import HOP_BY_HOP, InstanceTimeout, InstanceUnreachable, ServerInstance
from amlemu.scoring_contract import DeploymentSpec

# Never forwarded to the scoring container: the endpoint key stays at the front door.
_NOT_FORWARDED = HOP_BY_HOP | {"authorization"}
# Not passed back from the container: gunicorn's server banner and hop-by-hop headers.
_NOT_RETURNED = HOP_BY_HOP | {"server"}


class RunningDeployment:
    """The instances of one deployment and the rules in front of them.

    Azure admits at most `2 x max_concurrent_requests_per_instance x instance_count`
    requests at once per deployment and answers 429 beyond; requests go to the
    instances in turn (round robin).
    """

    def __init__(self, spec: DeploymentSpec, instances: list[ServerInstance], log_dir: Path, fingerprint: str) -> None:
        self.spec = spec
        self.fingerprint = fingerprint
        self.instances = instances
        self.log_dir = log_dir
        self.limit = 2 * max(1, spec.max_concurrent_requests_per_instance) * max(1, len(instances))
        self._slots = threading.BoundedSemaphore(self.limit)
        self._turn = itertools.count()
        self._in_flight = 0
        self._in_flight_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.spec.deployment

    def alive(self) -> bool:
        return bool(self.instances) and all(instance.alive() for instance in self.instances)

    def try_admit(self) -> bool:
        """Take one of the deployment's request slots; False means the caller gets 429."""
        if not self._slots.acquire(blocking=False):
            return False
        with self._in_flight_lock:
            self._in_flight += 1
        return True

    def release(self) -> None:
        with self._in_flight_lock:
            self._in_flight -= 1
        self._slots.release()

    def serve(self, request: Request, request_id: str) -> Response:
        """Forward an admitted request to the next instance and translate the answer as Azure does."""
        instance = self.instances[next(self._turn) % len(self.instances)]
        target = request.path + ("?" + urlencode(request.query) if request.query else "")
        headers = {name: value for name, value in request.headers.items() if name not in _NOT_FORWARDED}
        headers["x-request-id"] = request_id
        timeout_ms = self.spec.request_timeout_ms
        try:
            upstream = instance.forward(request.method, target, headers, request.body, timeout_ms / 1000)
        except InstanceTimeout:
            response = answers.request_timeout(self.name, timeout_ms)
        except InstanceUnreachable as exc:
            response = answers.container_unreachable(self.name, str(exc))
        else:
            response_headers = {name: value for name, value in upstream.headers if name.lower() not in _NOT_RETURNED}
            if upstream.status == 200:
                response = Response(200, response_headers, upstream.body)
            else:
                # Azure passes the container's body on and reports its status in headers.
                # The reason value is ours; Azure documents the header, not its values.
                response_headers.update(answers.model_error_headers(upstream.status, "model_error"))
                response = Response(424, response_headers, upstream.body)
        response.headers["azureml-model-deployment"] = self.name
        response.headers["x-request-id"] = request_id
        return response

    def drain(self, timeout_s: float) -> None:
        """Wait (briefly) for requests in flight before the instances are stopped."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._in_flight_lock:
                if self._in_flight == 0:
                    return
            time.sleep(0.01)


def content_fingerprint(spec: DeploymentSpec) -> str:
    """A digest of the files a deployment runs (code, model, conda file).

    The control plane may lay a new code or model version out at the same paths,
    so equal specs do not mean equal deployments; equal specs and equal digests do.
    """
    digest = hashlib.sha256()
    for root in (spec.code_dir, spec.model_dir, spec.conda_file):
        if root is None:
            continue
        files = [root] if root.is_file() else sorted(path for path in root.rglob("*") if path.is_file())
        for path in files:
            digest.update(str(path.relative_to(root) if path != root else path.name).encode("utf-8") + b"\0")
            with open(path, "rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            digest.update(b"\0")
    return digest.hexdigest()
