"""The emulator as one object: state folder, stores, runtime, operations, and the function
that answers a `Request` by looking at its host, as Azure's front doors do.

    management.azure.com                        ARM (arm/)
    login.microsoftonline.com                   Entra token endpoint (identity.py)
    <account>.blob.core.windows.net             Blob subset (blob.py)
    <endpoint>.<region>.inference.ml.azure.com  scoring, handed to the runtime
    ml.azure.com/api/<region>/modelmanagement   model management v1.0 (arm/model_management.py)
    <region>.api.azureml.ms/modelmanagement     the same, on its regional host

Direct-mode clients reach the same handlers on 127.0.0.1 by path: `/subscriptions/...`,
`/metadata/endpoints`, `/<account>/...`, `/inference/<scoring host>/...`, `/<tenant>/oauth2/...`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from pathlib import Path

from amlemu import identity as entra
from amlemu import rules
from amlemu.arm import (
    model_management,
    online_deployments,
    online_endpoints,
    request_body,
    resource_groups,
    routes,
    workspaces,
)
from amlemu.arm.context import LOOPBACK_HOSTS, Call, Urls
from amlemu.arm.errors import ArmError
from amlemu.arm.operation_runner import OperationRunner
from amlemu.arm.router import check_api_version
from amlemu.arm.services import Services
from amlemu.blob import handle_blob
from amlemu.certs import CertificateFiles, ensure_certificates
from amlemu.http_messages import Request, Response
from amlemu.recording_runtime import RecordingRuntime
from amlemu.scoring_contract import NullRuntime, ScoringRuntime
from amlemu.state import WorkspaceIdentity, prepare_state_folder
from amlemu.store.blobs import BlobStore
from amlemu.store.resources import ResourceStore

INFERENCE_HOST = re.compile(r"^([a-z0-9-]+)\.([a-z0-9]+)\.inference\.ml\.azure\.com$", re.IGNORECASE)
BLOB_HOST = re.compile(r"^([a-z0-9]+)\.blob\.core\.windows\.net$", re.IGNORECASE)
STUDIO_API_HOST = "ml.azure.com"
REGIONAL_API_HOST = re.compile(r"^([a-z0-9]+)\.api\.azureml\.ms$", re.IGNORECASE)
CLOUD_NAME = "AmlEmu"


def runtime_by_name(name: str, state_dir: Path) -> ScoringRuntime:
    """`null` runs nothing; `recording` runs nothing and journals the calls (for tests);
    `inference-server` runs scoring code with azureml-inference-server-http."""
    if name == "null":
        return NullRuntime()
    if name == "recording":
        return RecordingRuntime(state_dir)
    if name == "inference-server":
        from amlemu.scoring.runtime import InferenceServerRuntime

        return InferenceServerRuntime(state_dir)
    raise ValueError(f"unknown runtime '{name}'; use 'null', 'recording' or 'inference-server'")


class Emulator:
    """Everything one emulator instance holds. `handle` is the whole application."""

    def __init__(
        self,
        state_dir: Path,
        runtime: ScoringRuntime | None = None,
        min_operation_s: float = 0.0,
        journal: Path | None = None,
        limits: rules.Limits | None = None,
    ) -> None:
        self.state_dir = state_dir.resolve()
        self.limits = limits or rules.Limits.from_environment()
        self.identity: WorkspaceIdentity = prepare_state_folder(self.state_dir)
        self.certificates: CertificateFiles = ensure_certificates(self.state_dir, (self.identity.region,))
        self.store = ResourceStore(self.state_dir / "resources.sqlite")
        self.blobs = BlobStore(self.state_dir / "blobs")
        self.runtime: ScoringRuntime = runtime or NullRuntime()
        self.operations = OperationRunner(self.store, min_operation_s)
        self.services = Services(
            self.store,
            self.blobs,
            self.operations,
            self.runtime,
            self.identity,
            self.limits,
            self.state_dir / "deployments",
        )
        services = self.services
        self.operations.register("onlineEndpoint:create", lambda op: online_endpoints.finish(services, op))
        self.operations.register("onlineEndpoint:update", lambda op: online_endpoints.finish(services, op))
        self.operations.register("onlineEndpoint:delete", lambda op: online_endpoints.finish(services, op))
        self.operations.register("onlineEndpoint:regenerateKeys", lambda op: online_endpoints.finish(services, op))
        self.operations.register(
            "onlineDeployment:create",
            lambda op: online_deployments.finish(services, op),
            lambda op: online_deployments.cancel(services, op),
        )
        self.operations.register(
            "onlineDeployment:update",
            lambda op: online_deployments.finish(services, op),
            lambda op: online_deployments.cancel(services, op),
        )
        self.operations.register("onlineDeployment:delete", lambda op: online_deployments.finish(services, op))
        self.router = routes.build_router()
        self.other_providers = routes.other_providers_router()
        request_body.contracts()  # load the published definitions now, not on the first request
        self.port = 0
        workspaces.ensure_workspace(services, self.identity.workspace_id, self.identity.workspace, self.identity.region)
        self._closed = threading.Event()
        self.journal = journal
        self._journal_lock = threading.Lock()

    def recover(self) -> None:
        """After a restart: restart the scoring of Succeeded deployments, finish interrupted operations."""
        online_deployments.restart_succeeded(self.services)
        self.operations.resume()

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        self.operations.shutdown()
        self.runtime.shutdown()
        self.store.close()
        self.blobs.close()

    # -- routing by host -----------------------------------------------------

    def accepts_tunnel(self, host: str) -> bool:
        return (
            host in ("management.azure.com", "login.microsoftonline.com", STUDIO_API_HOST)
            or bool(BLOB_HOST.match(host))
            or bool(INFERENCE_HOST.match(host))
            or bool(REGIONAL_API_HOST.match(host))
        )

    def handle(self, request: Request) -> Response:
        host = request.host.lower()
        urls = Urls(direct=host in LOOPBACK_HOSTS, port=self.port, region=self.identity.region)
        if host == "management.azure.com":
            return self._arm(request, urls)
        if host == "login.microsoftonline.com":
            return entra.handle_login(self.identity, "https://login.microsoftonline.com", request)
        blob = BLOB_HOST.match(host)
        if blob:
            return handle_blob(self.blobs, self.identity, blob.group(1).lower(), request.path, request)
        inference = INFERENCE_HOST.match(host)
        if inference:
            return self._score(inference.group(1), inference.group(2), request)
        if host == STUDIO_API_HOST:
            return model_management.handle(self.services, request, urls)
        regional = REGIONAL_API_HOST.match(host)
        if regional:
            return model_management.handle(self.services, request, urls, regional.group(1))
        if host in LOOPBACK_HOSTS:
            return self._loopback(request, urls)
        return Response.json(
            404, {"error": {"code": "NotFound", "message": f"amlemu does not emulate the host '{host}'."}}
        )

    def _loopback(self, request: Request, urls: Urls) -> Response:
        segments = [part for part in request.path.split("/") if part]
        first = segments[0].lower() if segments else ""
        if first == "subscriptions":
            return self._arm(request, urls)
        if request.path.rstrip("/").lower() == "/metadata/endpoints":
            return Response.json(200, [self.cloud_metadata_entry(urls)])
        if first in ("api", "modelmanagement"):
            return model_management.handle(self.services, request, urls)
        if first == self.identity.storage_account:
            return handle_blob(self.blobs, self.identity, first, request.path[len(first) + 1 :], request)
        if first == "inference" and len(segments) >= 2:
            inference = INFERENCE_HOST.match(segments[1])
            if inference:
                inner = replace(request, host=segments[1].lower(), path="/" + "/".join(segments[2:]))
                return self._score(inference.group(1), inference.group(2), inner)
        if "oauth2" in segments or ".well-known" in segments or segments[-2:] == ["discovery", "instance"]:
            return entra.handle_login(self.identity, urls.arm, request)
        return ArmError(404, "NotFound", f"The requested path '{request.path}' does not exist.").response()

    def cloud_metadata_entry(self, urls: Urls) -> dict:
        base = urls.arm
        return {
            "name": CLOUD_NAME,
            "portal": base,
            "resourceManager": base + "/",
            "authentication": {
                "loginEndpoint": base + "/",
                "audiences": [base + "/"],
                "tenant": "common",
                "identityProvider": "AAD",
            },
            "suffixes": {
                "storage": "core.windows.net",
                "acrLoginServer": "azurecr.io",
                "keyVaultDns": "vault.azure.net",
            },
            "media": base,
            "graphAudience": base,
            "graph": base,
            "name_aliases": [],
        }

    def _arm(self, request: Request, urls: Urls) -> Response:
        try:
            entra.check_arm_authorization(self.identity, request, urls.arm)
            other_versions = resource_groups.api_versions_for(request.path)
            if other_versions is not None:
                api_version = resource_groups.check_api_version(request.query, other_versions)
                handler, params = self.other_providers.resolve(request.method, request.path)
            else:
                api_version = check_api_version(request.query, request.path)
                handler, params = self.router.resolve(request.method, request.path)
            call = Call(self.services, request, params, api_version, urls)
            response = handler(call)
        except ArmError as error:
            response = error.response()
        response.headers.setdefault("x-ms-request-id", _request_id())
        response.headers.setdefault(
            "x-ms-correlation-request-id", request.header("x-ms-client-request-id") or _request_id()
        )
        if self.journal is not None:
            self._write_journal(request, response)
        return response

    def _write_journal(self, request: Request, response: Response) -> None:
        """One JSON line per ARM exchange, for conformance checks of what was really sent."""
        import json

        try:
            body = json.loads(response.body) if response.body else None
        except ValueError:
            body = response.body.decode("utf-8", "replace")
        line = json.dumps(
            {
                "method": request.method,
                "path": request.path,
                "query": request.query,
                "status": response.status,
                "body": body,
            }
        )
        with self._journal_lock, open(self.journal, "a") as handle:
            handle.write(line + "\n")

    def _score(self, endpoint: str, region: str, request: Request) -> Response:
        routing = online_endpoints.routing_for_host(self.services, endpoint, region)
        if routing is None:
            return Response.json(
                404, {"message": f"No online endpoint named '{endpoint}' exists in region '{region}'."}
            )
        return self.runtime.score(routing, request)


def _request_id() -> str:
    import uuid

    return str(uuid.uuid4())
