"""Turn a deployment's ARM references into folders the scoring runtime can run.

Code and model versions point into the blob store (`codeUri` is a blob folder URL,
`modelUri` an `azureml://.../datastores/<name>/paths/<path>` URI or a blob URL). The files
are copied into `<state>/deployments/<endpoint>/<deployment>/`, with the model laid out
as Azure lays out `AZUREML_MODEL_DIR` (`azureml-models/<model name>/<version>/<base name>`),
so a scoring script finds its files where it would on Azure.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from amlemu.scoring.mlflow_no_code import NotAnMlflowModel, find_mlmodel, no_code_deployment
from amlemu.scoring_contract import DeploymentSpec
from amlemu.store.blobs import BlobStore
from amlemu.store.resources import Resource, ResourceStore

ARM_ASSET = re.compile(
    r"^(?:azureml:)?(/subscriptions/.+/workspaces/[^/]+/(codes|models|environments)/[^/]+/versions/[^/]+)$",
    re.IGNORECASE,
)
DATASTORE_URI = re.compile(
    r"^azureml://subscriptions/[^/]+/resource[gG]roups/[^/]+/workspaces/([^/]+)"
    r"/datastores/([^/]+)/paths/(.+)$"
)


class MaterializeError(Exception):
    """A reference the deployment cannot be built from; the message is shown as its error."""


def _asset(store: ResourceStore, reference: str | None, family: str) -> Resource | None:
    if not reference:
        return None
    match = ARM_ASSET.match(reference.strip())
    if match is None or match.group(2).lower() != family:
        raise MaterializeError(f"'{reference}' is not the ARM id of a {family[:-1]} version.")
    resource = store.get(match.group(1))
    if resource is None:
        raise MaterializeError(f"The {family[:-1]} version '{match.group(1)}' does not exist.")
    return resource


def _blob_location(store: ResourceStore, workspace_id: str, uri: str) -> tuple[str, str, str]:
    """(account, container, path prefix) of a blob URL or an azureml datastore URI."""
    match = DATASTORE_URI.match(uri)
    if match:
        datastore = store.get(f"{workspace_id}/datastores/{match.group(2)}")
        if datastore is None:
            raise MaterializeError(f"The datastore '{match.group(2)}' does not exist.")
        props = datastore.body["properties"]
        return props["accountName"], props["containerName"], match.group(3).strip("/")
    split = urlsplit(uri)
    host = split.hostname or ""
    parts = [unquote(p) for p in split.path.split("/") if p]
    if host.endswith(".blob.core.windows.net"):
        account = host.split(".", 1)[0]
    elif parts:
        account, parts = parts[0], parts[1:]
    else:
        raise MaterializeError(f"'{uri}' is not a blob URL.")
    if not parts:
        raise MaterializeError(f"'{uri}' names no container.")
    return account, parts[0], "/".join(parts[1:])


def _copy_blobs(blobs: BlobStore, account: str, container: str, prefix: str, target: Path) -> Path:
    """Copy the blob `prefix` (a file) or every blob under `prefix/` into `target`/<base name>;
    returns that path."""
    base = prefix.rsplit("/", 1)[-1]
    single = blobs.get(account, container, prefix)
    copied = 0
    if single is not None:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(blobs.content_path(account, container, prefix), target / base)
        return target / base
    for props in blobs.list(account, container, prefix.rstrip("/") + "/" if prefix else ""):
        relative = props.name[len(prefix) :].lstrip("/")
        destination = target / base / relative if base else target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(blobs.content_path(account, container, props.name), destination)
        copied += 1
    if copied == 0:
        raise MaterializeError(f"No files were uploaded under '{prefix}' in container '{container}'.")
    return target / base if base else target


def _duration_ms(value: str | None, default: int) -> int:
    if not value:
        return default
    match = re.fullmatch(r"P(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?", value)
    if not match:
        return default
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return int(round((hours * 3600 + minutes * 60 + seconds) * 1000))


def deployment_spec(
    store: ResourceStore, blobs: BlobStore, deployments_dir: Path, endpoint: Resource, deployment: Resource
) -> DeploymentSpec:
    """Lay out the deployment's code, model and conda file under `deployments_dir/<endpoint>/<deployment>`
    from the resources in `store` and their files in `blobs`, and describe it for the runtime."""
    workspace_id = endpoint.parent
    properties = deployment.body["properties"]
    folder = deployments_dir / endpoint.body["name"] / deployment.body["name"]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)

    code_dir = scoring_script = None
    code_configuration = properties.get("codeConfiguration") or {}
    code = _asset(store, code_configuration.get("codeId"), "codes")
    if code is not None:
        account, container, prefix = _blob_location(store, workspace_id, code.body["properties"]["codeUri"])
        # the code folder keeps its base name on upload; that folder is the app root
        code_dir = _copy_blobs(blobs, account, container, prefix, folder / "code")
        scoring_script = code_configuration.get("scoringScript")

    model_dir = None
    model = _asset(store, properties.get("model"), "models")
    if model is not None:
        model_name = model.parent.rsplit("/", 1)[-1]
        model_dir = folder / "azureml-models" / model_name / model.body["name"]
        account, container, prefix = _blob_location(store, workspace_id, model.body["properties"]["modelUri"])
        _copy_blobs(blobs, account, container, prefix, model_dir)

    conda_file = image = None
    environment = _asset(store, properties.get("environmentId"), "environments")
    if environment is not None:
        image = environment.body["properties"].get("image")
        if environment.body["properties"].get("condaFile"):
            conda_file = folder / "conda.yaml"
            conda_file.write_text(environment.body["properties"]["condaFile"])

    environment_variables = dict(properties.get("environmentVariables") or {})
    if code is None and environment is None and model is not None and _is_mlflow(model, model_dir):
        # No-code deployment: Azure generates the scoring script and the environment.
        assert model_dir is not None
        try:
            generated = no_code_deployment(model_dir, folder)
        except NotAnMlflowModel as exc:
            raise MaterializeError(str(exc)) from None
        code_dir, scoring_script, conda_file = generated.code_dir, generated.scoring_script, generated.conda_file
        image = generated.image
        environment_variables = {**generated.environment_variables, **environment_variables}

    request_settings = properties.get("requestSettings") or {}
    return DeploymentSpec(
        endpoint=endpoint.body["name"],
        deployment=deployment.body["name"],
        model_dir=model_dir,
        code_dir=code_dir,
        scoring_script=scoring_script,
        instance_count=int((deployment.body.get("sku") or {}).get("capacity") or 1),
        max_concurrent_requests_per_instance=int(request_settings.get("maxConcurrentRequestsPerInstance") or 1),
        request_timeout_ms=_duration_ms(request_settings.get("requestTimeout"), 5000),
        conda_file=conda_file,
        environment_variables=environment_variables,
        image=image,
    )


def _is_mlflow(model: Resource, model_dir: Path | None) -> bool:
    """An MLflow model: registered as `mlflow_model`, or holding an `MLmodel` file."""
    if str(model.body["properties"].get("modelType") or "").lower() == "mlflow_model":
        return True
    return model_dir is not None and find_mlmodel(model_dir) is not None
