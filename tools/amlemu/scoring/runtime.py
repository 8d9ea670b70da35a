"""`InferenceServerRuntime`: the `ScoringRuntime` that really runs deployments' scoring code."""

from __future__ import annotations

import os
import random
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from amlemu.http_messages import Request, Response
from amlemu.scoring import data_plane_responses as answers
from amlemu.scoring import routing as rules
from amlemu.scoring.conda_check import check_scoring_imports
from amlemu.scoring.deployment import RunningDeployment, content_fingerprint
from amlemu.scoring.environments import BuildFailed, EnvironmentCache, PreparedEnvironment, read_conda_file
from amlemu.scoring.environments.definition import DefinitionError
from amlemu.scoring.instance import LaunchPlan, ServerInstance
from amlemu.scoring.spawner import ProcessSpawner
from amlemu.scoring.startup_failure import not_ready_message
from amlemu.scoring_contract import DeploymentSpec, EndpointRouting, StartResult

# Variables of the emulator's own process that must not reach a scoring server.
CANCELED = "The deployment's start was canceled."
# Azure's code for a deployment whose environment image could not be built (how-to-troubleshoot-online-endpoints).
IMAGE_BUILD_FAILURE = "ImageBuildFailure"
_NOT_INHERITED = ("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "GUNICORN_CMD_ARGS", "GUNICORN_FD")


class InferenceServerRuntime:
    """Each deployment instance is one `azmlinfsrv` process on 127.0.0.1.

    State lives under `<state_dir>/scoring/<endpoint>/<deployment>/`: the app root
    laid out as on Azure (`azureml-app/<code folder>`), one log file per instance
    and `deployment.log` for the emulator's own notes (the environment build, the
    conda check). Each deployment runs with the interpreter of its environment
    (see `environments`): amlemu's own when that holds what the conda file asks
    for, else a virtual environment built from the file and cached.
    """

    def __init__(
        self,
        state_dir: Path,
        *,
        start_timeout_s: float = 120.0,
        rng: random.Random | None = None,
        environments: EnvironmentCache | None = None,
    ) -> None:
        self.root = Path(state_dir) / "scoring"
        self.environments = environments or EnvironmentCache()
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.start_timeout_s = start_timeout_s
        self._rng = rng or random.Random()
        self._spawner = ProcessSpawner()
        self._deployments: dict[tuple[str, str], RunningDeployment] = {}
        self._lock = threading.Lock()
        self._start_locks: dict[tuple[str, str], threading.Lock] = {}
        self._starting: dict[tuple[str, str], threading.Event] = {}  # set to make a start in progress give up
        self._mirror_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="amlemu-mirror")
        self._closed = False

    # -- control plane side ---------------------------------------------------------

    def start(self, spec: DeploymentSpec) -> StartResult:
        """Start the deployment's instances (replacing any with another spec); block until ready or failed."""
        key = (spec.endpoint, spec.deployment)
        with self._lock:
            start_lock = self._start_locks.setdefault(key, threading.Lock())
        with start_lock:
            with self._lock:
                if self._closed:
                    return StartResult(ok=False, error="The emulator is shutting down.")
                cancel = self._starting[key] = threading.Event()
            try:
                return self._start(key, spec, cancel)
            finally:
                with self._lock:
                    if self._starting.get(key) is cancel:
                        del self._starting[key]

    def _start(self, key: tuple[str, str], spec: DeploymentSpec, cancel: threading.Event) -> StartResult:
        """`start` with the deployment's start lock held; gives up as soon as `cancel` is set."""
        current = self._deployments.get(key)
        fingerprint = content_fingerprint(spec)
        if current is not None and current.spec == spec and current.fingerprint == fingerprint and current.alive():
            return StartResult(ok=True)
        problem = _unrunnable(spec)
        if problem:
            self._retire(key)
            return StartResult(ok=False, error=problem)

        log_dir = self._log_dir(spec.endpoint, spec.deployment)
        for old_log in log_dir.glob("instance-*.log"):
            old_log.unlink()
        deployment_log = log_dir / "deployment.log"
        try:
            environment = self._environment(spec)
        except (BuildFailed, DefinitionError) as failure:
            self._retire(key)
            output = failure.output if isinstance(failure, BuildFailed) else ""
            summary = failure.summary if isinstance(failure, BuildFailed) else str(failure)
            deployment_log.write_text(
                f"amlemu: the environment image build failed: {summary}\n{output}\n", encoding="utf-8"
            )
            return StartResult(
                ok=False,
                code=IMAGE_BUILD_FAILURE,
                error=(
                    f"Image build failed: {summary}. The build log is in the deployment's logs "
                    f"(az ml online-deployment get-logs)."
                ),
            )
        deployment_log.write_text("".join(f"{line}\n" for line in environment.notes), encoding="utf-8")
        if cancel.is_set():
            return StartResult(ok=False, error=CANCELED)
        connections = max(1, spec.max_concurrent_requests_per_instance)
        instances: list[ServerInstance] = []
        for index in range(max(1, spec.instance_count)):  # the count is bounded by the service limit
            if cancel.is_set():
                _stop_all(instances)
                return StartResult(ok=False, error=CANCELED)
            plan = self._plan(spec, log_dir, index, environment.python)
            instances.append(ServerInstance.launch(self._spawner, plan, connections))
        deadline = time.monotonic() + self.start_timeout_s
        # Checked while the servers boot; it only adds notes to the log.
        with open(deployment_log, "a", encoding="utf-8") as log:
            log.write("".join(f"{line}\n" for line in self._conda_notes(spec)))
        failed = [instance for instance in instances if not _ready_unless_cancelled(instance, deadline, cancel)]
        if cancel.is_set():
            _stop_all(instances)
            return StartResult(ok=False, error=CANCELED)
        if failed:
            _stop_all(instances)
            self._retire(key)
            log_text = failed[0].log_path.read_text(encoding="utf-8", errors="replace")
            return StartResult(ok=False, error=not_ready_message(log_text, timed_out=failed[0].alive()))

        with self._lock:
            closed = self._closed or cancel.is_set()  # shut down or stopped while these servers booted?
            previous = None if closed else self._deployments.get(key)
            if not closed:
                self._deployments[key] = RunningDeployment(spec, instances, log_dir, fingerprint)
        if closed:
            _stop_all(instances)
            return StartResult(ok=False, error=CANCELED if cancel.is_set() else "The emulator is shutting down.")
        if previous is not None:
            previous.drain(timeout_s=2.0)
            _stop_all(previous.instances)
        return StartResult(ok=True)

    def stop(self, endpoint: str, deployment: str) -> None:
        """Stop the deployment's instances, and make a start in progress give up."""
        with self._lock:
            starting = self._starting.get((endpoint, deployment))
        if starting is not None:
            starting.set()
        self._retire((endpoint, deployment))

    def logs(self, endpoint: str, deployment: str, tail: int | None = None) -> str:
        """The emulator's notes on the deployment, then each instance's server log, in instance order."""
        log_dir = self._log_dir(endpoint, deployment, create=False)
        parts = []
        for path in [log_dir / "deployment.log", *sorted(log_dir.glob("instance-*.log"), key=_instance_order)]:
            if path.is_file():
                parts.append(path.read_text(encoding="utf-8", errors="replace"))
        text = "".join(part if part.endswith("\n") or not part else part + "\n" for part in parts)
        if tail is not None:
            lines = text.splitlines(keepends=True)
            text = "".join(lines[-tail:]) if tail > 0 else ""
        return text

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            for starting in self._starting.values():
                starting.set()
            running = list(self._deployments.values())
            self._deployments.clear()
        _stop_all([instance for deployment in running for instance in deployment.instances])
        self._mirror_pool.shutdown(wait=False, cancel_futures=True)

    def pids(self, endpoint: str, deployment: str) -> list[int]:
        """Process ids of the deployment's running instances (the servers, not their workers)."""
        running = self._deployments.get((endpoint, deployment))
        return [instance.pid for instance in running.instances] if running else []

    # -- data plane side ------------------------------------------------------------

    def score(self, routing: EndpointRouting, request: Request) -> Response:
        """Auth, choice of deployment, mirroring and the concurrency limit, then forward."""
        if not rules.is_authorized(routing, request):
            return answers.unauthorized(routing.endpoint)
        endpoint = routing.endpoint
        named = None
        if request.header(rules.DEPLOYMENT_HEADER):
            named = rules.requested_deployment(routing, request, self._running_names(endpoint))
        chosen = named if named is not None else rules.pick_by_traffic(routing, self._rng)
        if chosen is None:
            return answers.no_deployment_with_traffic(endpoint)
        deployment = self._deployments.get((endpoint, chosen))
        if deployment is None:
            if chosen in routing.traffic or chosen in routing.mirror_traffic:
                return answers.deployment_not_running(endpoint, chosen)
            return answers.unknown_deployment(endpoint, chosen)

        if named is None:
            mirrored = rules.mirror_for(routing, self._rng)
            if mirrored is not None and mirrored != chosen:
                self._mirror(endpoint, mirrored, request)

        if not deployment.try_admit():
            busy = answers.too_many_requests(deployment.name, deployment.limit)
            busy.headers["azureml-model-deployment"] = deployment.name
            return busy
        try:
            return deployment.serve(request, str(uuid.uuid4()))
        finally:
            deployment.release()

    def _mirror(self, endpoint: str, deployment_name: str, request: Request) -> None:
        """Send a copy in the background; its answer is discarded, and a full deployment drops it."""
        target = self._deployments.get((endpoint, deployment_name))
        if target is None or not target.try_admit():
            return

        def send() -> None:
            try:
                target.serve(request, str(uuid.uuid4()))
            finally:
                target.release()

        try:
            self._mirror_pool.submit(send)
        except RuntimeError:  # the runtime is shutting down
            target.release()

    # -- helpers --------------------------------------------------------------------

    def _running_names(self, endpoint: str) -> set[str]:
        return {name for (ep, name) in list(self._deployments) if ep == endpoint}

    def _retire(self, key: tuple[str, str]) -> None:
        with self._lock:
            running = self._deployments.pop(key, None)
        if running is not None:
            running.drain(timeout_s=2.0)
            _stop_all(running.instances)

    def _log_dir(self, endpoint: str, deployment: str, create: bool = True) -> Path:
        path = self.root / _safe(endpoint) / _safe(deployment)
        if create:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path

    def _conda_notes(self, spec: DeploymentSpec) -> list[str]:
        if spec.conda_file is None or spec.code_dir is None or spec.scoring_script is None:
            return []
        return [
            f"amlemu: {warning}"
            for warning in check_scoring_imports(spec.code_dir / spec.scoring_script, spec.conda_file, spec.code_dir)
        ]

    def _environment(self, spec: DeploymentSpec) -> PreparedEnvironment:
        """The interpreter this deployment runs with; builds (or reuses) its environment first."""
        if spec.conda_file is None:
            image = (
                (f"amlemu: base image {spec.image} recorded; the deployment runs on this machine's OS",)
                if spec.image
                else ()
            )
            return PreparedEnvironment(sys.executable, image)
        return self.environments.prepare(read_conda_file(spec.conda_file, spec.image))

    def _plan(self, spec: DeploymentSpec, log_dir: Path, index: int, python: str = sys.executable) -> LaunchPlan:
        """The Azure layout: the code folder at `azureml-app/<code folder>`, which is AML_APP_ROOT (the
        inference server reads `swagger<version>.json` there, and Azure's samples open files beside
        the scoring script through it); the model at AZUREML_MODEL_DIR."""
        assert spec.code_dir is not None and spec.scoring_script is not None
        app_root = log_dir / "azureml-app"
        app_root.mkdir(exist_ok=True)
        source_name = spec.code_dir.name or "code"
        link = app_root / source_name
        if link.is_symlink() or link.exists():
            if not (link.is_symlink() and link.resolve() == spec.code_dir.resolve()):
                link.unlink()
        if not link.is_symlink():
            link.symlink_to(spec.code_dir.resolve(), target_is_directory=True)

        env = {name: value for name, value in os.environ.items() if name not in _NOT_INHERITED}
        env.update(
            {
                "AML_APP_ROOT": str(link),
                "AZUREML_ENTRY_SCRIPT": spec.scoring_script,
                "PYTHONUNBUFFERED": "1",
                # gunicorn would otherwise share one control socket in $HOME among all instances.
                "GUNICORN_CMD_ARGS": "--no-control-socket",
            }
        )
        if spec.model_dir is not None:
            env["AZUREML_MODEL_DIR"] = str(spec.model_dir)
        env.update(spec.environment_variables)
        argv = ["--entry_script", str(link / spec.scoring_script)]
        return LaunchPlan(argv=argv, env=env, cwd=app_root, log_path=log_dir / f"instance-{index}.log", python=python)


def _unrunnable(spec: DeploymentSpec) -> str | None:
    """Why this spec cannot start at all (ours: Azure would fail the image build or the container)."""
    if spec.code_dir is None or spec.scoring_script is None:
        return "This emulator runs deployments with a code configuration (code folder and scoring script) only."
    script = spec.code_dir / spec.scoring_script
    if not script.is_file():
        return f"The scoring script '{spec.scoring_script}' was not found in the deployment's code folder."
    return None


def _ready_unless_cancelled(instance: ServerInstance, deadline: float, cancel: threading.Event) -> bool:
    """Wait for the instance in short slices, so a cancellation is noticed within a quarter second."""
    while not cancel.is_set():
        if instance.wait_ready(min(deadline, time.monotonic() + 0.25)):
            return True
        if not instance.alive() or time.monotonic() >= deadline:
            return False
    return False


def _stop_all(instances: list[ServerInstance], grace_s: float = 0.5) -> None:
    for instance in instances:
        instance.signal_stop()
    deadline = time.monotonic() + grace_s
    for instance in instances:
        instance.wait_stopped(deadline)


def _instance_order(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def _safe(name: str) -> str:
    """A folder name for an endpoint or deployment name (validated upstream; this only guards paths)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    return cleaned or "_"
