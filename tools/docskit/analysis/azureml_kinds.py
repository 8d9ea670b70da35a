"""Which Azure ML YAML a document is: the SDK loader the CLI would use for it, and the `az ml` group that takes it.

Two rules ask: the schema rule loads a file with that loader, and the command-kind rule compares the
file's group with the command's. The tables live here, below both, so neither rule imports the other.
"""

from __future__ import annotations

from typing import Any

# `$schema` file name (lower case, without `.schema.json`) -> the SDK loader the CLI uses for it.
LOADERS = {
    "managedonlineendpoint": "load_online_endpoint",
    "kubernetesonlineendpoint": "load_online_endpoint",
    "onlineendpoint": "load_online_endpoint",
    "managedonlinedeployment": "load_online_deployment",
    "kubernetesonlinedeployment": "load_online_deployment",
    "onlinedeployment": "load_online_deployment",
    "batchendpoint": "load_batch_endpoint",
    "batchdeployment": "load_batch_deployment",
    "modelbatchdeployment": "load_batch_deployment",
    "pipelinecomponentbatchdeployment": "load_batch_deployment",
    "environment": "load_environment",
    "model": "load_model",
    "data": "load_data",
    "commandjob": "load_job",
    "pipelinejob": "load_job",
    "sweepjob": "load_job",
    "sparkjob": "load_job",
    "commandcomponent": "load_component",
    "pipelinecomponent": "load_component",
    "parallelcomponent": "load_component",
    "sparkcomponent": "load_component",
    "amlcompute": "load_compute",
    "computeinstance": "load_compute",
    "kubernetescompute": "load_compute",
    "workspace": "load_workspace",
    "azureblob": "load_datastore",
    "azurefile": "load_datastore",
    "azuredatalakegen1": "load_datastore",
    "azuredatalakegen2": "load_datastore",
}
# `az ml batch-deployment create` chooses by the YAML's `type` (the SDK's BatchDeploymentType), not `$schema`.
BATCH_DEPLOYMENT_LOADERS = {
    "model": "load_model_batch_deployment",
    "pipeline": "load_pipeline_component_batch_deployment",
}
# The `az ml` command group that takes a YAML of each loader's kind.
KINDS = {
    "load_online_endpoint": "online-endpoint",
    "load_online_deployment": "online-deployment",
    "load_batch_endpoint": "batch-endpoint",
    "load_batch_deployment": "batch-deployment",
    "load_model_batch_deployment": "batch-deployment",
    "load_pipeline_component_batch_deployment": "batch-deployment",
    "load_environment": "environment",
    "load_model": "model",
    "load_data": "data",
    "load_job": "job",
    "load_component": "component",
    "load_compute": "compute",
    "load_workspace": "workspace",
    "load_datastore": "datastore",
}


def loader_for(data: Any) -> str | None:
    """The SDK loader the CLI would use for a YAML document: by its `$schema`, and `type` for batch deployments."""
    if not isinstance(data, dict):
        return None
    schema = data.get("$schema")
    if not isinstance(schema, str):
        return None
    name = schema.rstrip("/").rsplit("/", 1)[-1].lower()
    for suffix in (".schema.json", ".json"):
        name = name.removesuffix(suffix)
    loader = LOADERS.get(name)
    if loader == "load_batch_deployment":
        kind = data.get("type")
        return BATCH_DEPLOYMENT_LOADERS.get(kind, loader) if isinstance(kind, str) else loader
    return loader


def kind_for(data: Any) -> str | None:
    """The `az ml` command group a YAML document is for (`batch-deployment`, …), None when unknown."""
    loader = loader_for(data)
    return KINDS.get(loader) if loader else None
