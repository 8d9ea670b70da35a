"""Start an emulator for a test or a script, and get clients configured for it.

    from amlemu.testing import running_emulator

    with running_emulator(state_dir=None, mode="proxy", runtime="null") as emu:
        emu.env            # full environment for subprocesses (os.environ + the emulator's variables)
        emu.client_env     # only the emulator's variables
        emu.ml_client()    # an azure.ai.ml.MLClient for the emulated workspace
        emu.credential()   # an azure-identity credential that gets tokens from the emulator
        emu.state_dir, emu.port, emu.mode, emu.identity, emu.log_file
        emu.kill()         # SIGKILL the emulator (and its scoring processes)
        emu.restart()      # start it again on the same state folder and port

`mode` is "proxy" (HTTPS_PROXY; real Azure host names) or "direct" (the SDK's documented
custom-cloud settings, pointing at loopback). `runtime` is "null" (deployments succeed
without running code) or "inference-server" (amlemu.scoring). `operation_delay_ms` makes
long-running operations last at least that long, to observe Creating/Updating states.
`journal=True` makes the emulator append every ARM exchange to `emu.journal_file`.

The emulator runs in a child process, so kill and restart are real. `ml_client()` puts
the client variables into `os.environ` (the SDK's blob uploads read the CA bundle and
proxy from there); the context manager restores `os.environ` when it exits.

For pytest, import the fixture in a conftest: `from amlemu.testing import amlemu_emulator`.
It yields a proxy-mode emulator on a temporary folder; parametrize it indirectly with a
dict of `running_emulator` keyword arguments to change that.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from amlemu.az.resident import stop as stop_az_helper
from amlemu.client_env import client_environment
from amlemu.state import WorkspaceIdentity, prepare_state_folder

READY_TIMEOUT_S = 60.0


class EmulatorFailedToStart(RuntimeError):
    pass


class RunningEmulator:
    """A handle on one emulator child process and its state folder."""

    def __init__(
        self, state_dir: Path, mode: str, runtime: str, operation_delay_ms: int, port: int, journal: bool = False
    ) -> None:
        if mode not in ("proxy", "direct"):
            raise ValueError(f"unknown mode '{mode}'; use 'proxy' or 'direct'")
        self.state_dir = state_dir.resolve()
        self.mode = mode
        self.runtime = runtime
        self.operation_delay_ms = operation_delay_ms
        self.port = port
        self.identity: WorkspaceIdentity = prepare_state_folder(self.state_dir)
        self.log_file = self.state_dir / "emulator.log"
        self.journal_file = self.state_dir / "arm-journal.jsonl" if journal else None
        self.process: subprocess.Popen[bytes] | None = None
        self._saved_environ: dict[str, str | None] = {}

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> None:
        ready = self.state_dir / f"ready-{os.getpid()}-{time.monotonic_ns()}.json"
        command = [
            sys.executable,
            "-m",
            "amlemu.cli",
            "serve",
            "--state",
            str(self.state_dir),
            "--port",
            str(self.port),
            "--runtime",
            self.runtime,
            "--ready-file",
            str(ready),
            "--quiet",
            "--operation-delay-ms",
            str(self.operation_delay_ms),
        ]
        if self.journal_file is not None:
            command += ["--journal", str(self.journal_file)]
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=_stop_when_parent_dies(os.getpid()),
            )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not ready.exists():
            if self.process.poll() is not None:
                raise EmulatorFailedToStart(
                    f"the emulator exited with status {self.process.returncode}:\n" + self._log_tail()
                )
            if time.monotonic() > deadline:
                self.kill()
                raise EmulatorFailedToStart("the emulator was not ready in time:\n" + self._log_tail())
            time.sleep(0.003)
        import json

        self.port = int(json.loads(ready.read_text())["port"])
        ready.unlink(missing_ok=True)

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM and wait; the emulator stops its scoring processes itself."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the emulator's whole process group, as a crash would."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def _log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- clients -----------------------------------------------------------------

    @property
    def client_env(self) -> dict[str, str]:
        return client_environment(self.state_dir, self.identity, self.port, self.mode)

    @property
    def env(self) -> dict[str, str]:
        merged = dict(os.environ)
        for name in list(merged):
            if name.lower() in ("https_proxy", "http_proxy", "all_proxy") and self.mode == "direct":
                merged.pop(name)
        merged.update(self.client_env)
        return merged

    @property
    def arm_url(self) -> str:
        return "https://management.azure.com" if self.mode == "proxy" else f"https://127.0.0.1:{self.port}"

    def apply_env(self) -> None:
        """Put the client variables into os.environ (restored when the context manager exits)."""
        for name, value in self.client_env.items():
            if name == "PATH":
                continue
            self._saved_environ.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def restore_env(self) -> None:
        for name, value in self._saved_environ.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environ.clear()

    def credential(self) -> Any:
        from azure.identity import ClientSecretCredential

        self.apply_env()
        if self.mode == "proxy":
            return ClientSecretCredential(self.identity.tenant_id, self.identity.client_id, self.identity.client_secret)
        return ClientSecretCredential(
            self.identity.tenant_id,
            self.identity.client_id,
            self.identity.client_secret,
            authority=f"https://127.0.0.1:{self.port}",
            disable_instance_discovery=True,
        )

    def cloud_metadata(self) -> dict[str, str]:
        base = f"https://127.0.0.1:{self.port}"
        return {
            "azure_portal": base + "/",
            "resource_manager": base + "/",
            "active_directory": base + "/",
            "aml_resource_id": base + "/",
            "storage_endpoint": "core.windows.net",
            "registry_discovery_endpoint": base + "/",
        }

    def ml_client(self, **kwargs: Any) -> Any:
        from azure.ai.ml import MLClient

        credential = self.credential()
        identity = self.identity
        if self.mode == "direct":
            kwargs.setdefault("cloud", f"AmlEmu{self.port}")
            kwargs.setdefault("cloud_metadata", self.cloud_metadata())
        client = MLClient(credential, identity.subscription_id, identity.resource_group, identity.workspace, **kwargs)
        return client


def _stop_when_parent_dies(parent: int) -> Any:
    """An emulator must not outlive whoever started it, even one killed with SIGKILL.

    SIGTERM lets the emulator stop its scoring processes the orderly way.
    """
    from amlemu.scoring.parent_death import die_with_parent

    return lambda: die_with_parent(parent, signal.SIGTERM)


def _stop_az_helper(config_dir: str | None) -> None:
    """The emulated `az` keeps a resident helper per config folder; it goes with its emulator."""
    if config_dir:
        stop_az_helper(config_dir)


@contextmanager
def running_emulator(
    state_dir: Path | str | None = None,
    mode: str = "proxy",
    runtime: str = "null",
    operation_delay_ms: int = 0,
    port: int = 0,
    journal: bool = False,
) -> Iterator[RunningEmulator]:
    """Start an emulator in a child process; stop it (and restore os.environ) on exit."""
    temporary = tempfile.TemporaryDirectory(prefix="amlemu-") if state_dir is None else None
    folder = Path(temporary.name) / "state" if temporary else Path(state_dir)  # type: ignore[arg-type]
    emulator = RunningEmulator(folder, mode, runtime, operation_delay_ms, port, journal)
    saved_cloud = os.environ.get("AZUREML_CURRENT_CLOUD")
    try:
        emulator.start()
        yield emulator
    finally:
        _stop_az_helper(emulator.client_env.get("AZURE_CONFIG_DIR"))
        emulator.stop()
        emulator.restore_env()
        if saved_cloud is None:
            os.environ.pop("AZUREML_CURRENT_CLOUD", None)
        else:
            os.environ["AZUREML_CURRENT_CLOUD"] = saved_cloud
        if temporary is not None:
            temporary.cleanup()


if "pytest" in sys.modules:  # define the fixture only under pytest; importing pytest costs time
    import pytest

    @pytest.fixture
    def amlemu_emulator(request: Any, tmp_path: Path) -> Iterator[RunningEmulator]:
        """A running emulator on a fresh folder; indirect parametrization passes running_emulator kwargs."""
        options = dict(getattr(request, "param", None) or {})
        options.setdefault("state_dir", tmp_path / "amlemu-state")
        with running_emulator(**options) as emulator:
            yield emulator


@contextmanager
def tutorial_target(mode: str) -> Iterator[dict[str, Any]]:
    """The target of docskit's tutorial runner (the `tutorial: target:` setting of mkdocs.yml).

    `emulator` (the default): a fresh emulator that really runs the scoring scripts; its
    shutdown is the teardown, so the clean-up steps need not run after a failure.
    `azure`: the caller's own environment (`az login` done, RESOURCE_GROUP and WORKSPACE
    set as the article asks); the clean-up steps always run. An emulator can be given as
    "Azure" too: run with `amlemu env`'s variables and the same two names set.
    """
    if mode == "azure":
        missing = [name for name in ("RESOURCE_GROUP", "WORKSPACE") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                f"DOCSKIT_TUTORIAL_TARGET=azure needs {' and '.join(missing)} set to your "
                "resource group and workspace, as the article asks its reader"
            )
        env = dict(os.environ)
        env.setdefault("AZURE_DEFAULTS_GROUP", env["RESOURCE_GROUP"])  # `az configure --defaults`, done
        env.setdefault("AZURE_DEFAULTS_WORKSPACE", env["WORKSPACE"])
        yield {
            "env": env,
            "cleanup": True,
            "values": {
                "subscription_id": env.get("AZURE_SUBSCRIPTION_ID", ""),
                "resource_group": env["RESOURCE_GROUP"],
                "workspace": env["WORKSPACE"],
                "location": env.get("LOCATION", env.get("AZURE_LOCATION", "")),
            },
        }
        return
    if mode != "emulator":
        raise RuntimeError(f"DOCSKIT_TUTORIAL_TARGET must be 'emulator' or 'azure', not {mode!r}")
    with running_emulator(runtime="inference-server") as emulator:
        env = dict(emulator.env)
        identity = emulator.identity
        env["RESOURCE_GROUP"] = identity.resource_group  # the names the article asks its reader to set
        env["WORKSPACE"] = identity.workspace
        yield {
            "env": env,
            "cleanup": False,
            "values": {
                "subscription_id": identity.subscription_id,
                "resource_group": identity.resource_group,
                "workspace": identity.workspace,
                "location": identity.region,
            },
        }
