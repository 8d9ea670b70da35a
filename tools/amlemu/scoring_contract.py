"""What the control plane asks of the part that runs scoring code.

The control plane (ARM handlers) decides *what* should run; a `ScoringRuntime`
makes it run. Keeping the seam this narrow lets the control plane be tested
with `NullRuntime` and the runtime be tested without any ARM request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from amlemu.http_messages import Request, Response


@dataclass(frozen=True)
class DeploymentSpec:
    """Everything needed to run one deployment's instances."""

    endpoint: str
    deployment: str
    model_dir: Path | None  # laid out as Azure lays out AZUREML_MODEL_DIR
    code_dir: Path | None  # the app root
    scoring_script: str | None  # relative to code_dir
    instance_count: int
    max_concurrent_requests_per_instance: int = 1
    request_timeout_ms: int = 5000
    conda_file: Path | None = None
    environment_variables: dict[str, str] = field(default_factory=dict)
    image: str | None = None  # the environment's base image, recorded in the deployment's log


@dataclass(frozen=True)
class StartResult:
    ok: bool
    error: str | None = None  # shown as the deployment's error message when not ok
    code: str | None = None  # the error code Azure gives for it (default ResourceNotReady)


@dataclass(frozen=True)
class EndpointRouting:
    """The routing state of one endpoint, as the data plane needs it."""

    endpoint: str
    auth_mode: str  # "key" | "aml_token" | "aad_token"
    keys: tuple[str, ...]  # primary, secondary (and valid tokens for token auth)
    traffic: dict[str, int]
    mirror_traffic: dict[str, int]


class ScoringRuntime(Protocol):
    def start(self, spec: DeploymentSpec) -> StartResult:
        """Start (or restart with a new spec) the instances; block until ready or failed."""

    def stop(self, endpoint: str, deployment: str) -> None: ...

    def logs(self, endpoint: str, deployment: str, tail: int | None = None) -> str: ...

    def score(self, routing: EndpointRouting, request: Request) -> Response:
        """Answer one data-plane request for the endpoint (auth, routing, mirroring, limits)."""

    def shutdown(self) -> None:
        """Stop every instance; called when the emulator stops."""


class NullRuntime:
    """Runs nothing: deployments succeed without code, scoring answers 404."""

    def start(self, spec: DeploymentSpec) -> StartResult:
        return StartResult(ok=True)

    def stop(self, endpoint: str, deployment: str) -> None:
        return None

    def logs(self, endpoint: str, deployment: str, tail: int | None = None) -> str:
        return ""

    def score(self, routing: EndpointRouting, request: Request) -> Response:
        return Response.json(404, {"message": "No scoring runtime is configured in this emulator."})

    def shutdown(self) -> None:
        return None
