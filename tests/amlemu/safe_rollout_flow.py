"""The safe-rollout control-plane flow, driven through the real azure-ai-ml SDK.

Used by the flow test (which checks every step against state read back through the SDK)
and by `benchmarks/emulator_flow.py` (which times it). `observe(step)` is called after
each step so a caller can time or inspect it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCORE_PY = """import json
import os


def init():
    global model
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "weights.txt")) as handle:
        model = handle.read()


def run(raw_data):
    return {"echo": json.loads(raw_data), "model": model}
"""

CONDA_YML = """name: model-env
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
      - azureml-inference-server-http
"""


@dataclass
class FlowFiles:
    model_dir: Path
    code_dir: Path
    conda_file: Path
    request_file: Path
    digests: dict[str, str] = field(default_factory=dict)  # relative path under the folder -> sha256


def write_flow_files(root: Path) -> FlowFiles:
    model_dir, code_dir = root / "model", root / "onlinescoring"
    model_dir.mkdir(parents=True, exist_ok=True)
    code_dir.mkdir(parents=True, exist_ok=True)
    (model_dir / "weights.txt").write_text("weights: 0.5 1.5 2.5\n")
    (model_dir / "blob.bin").write_bytes(bytes(range(256)) * 64)
    (code_dir / "score.py").write_text(SCORE_PY)
    conda_file = root / "conda.yml"
    conda_file.write_text(CONDA_YML)
    request_file = root / "request.json"
    request_file.write_text('{"data": [[1, 2, 3]]}')
    files = FlowFiles(model_dir, code_dir, conda_file, request_file)
    for folder in (model_dir, code_dir):
        for path in folder.rglob("*"):
            if path.is_file():
                files.digests[f"{folder.name}/{path.relative_to(folder)}"] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return files


def deployment(name: str, endpoint: str, files: FlowFiles, instance_count: int = 1) -> Any:
    from azure.ai.ml.entities import CodeConfiguration, Environment, ManagedOnlineDeployment, Model

    return ManagedOnlineDeployment(
        name=name,
        endpoint_name=endpoint,
        model=Model(path=str(files.model_dir)),
        code_configuration=CodeConfiguration(code=str(files.code_dir), scoring_script="score.py"),
        environment=Environment(
            conda_file=str(files.conda_file), image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest"
        ),
        instance_type="Standard_DS3_v2",
        instance_count=instance_count,
    )


def run_flow(
    ml_client: Any,
    files: FlowFiles,
    endpoint_name: str,
    observe: Callable[[str], None] = lambda step: None,
    score: bool = False,
) -> dict[str, Any]:
    """Run every step; returns what a checker needs (keys before and after regeneration).

    With `score`, the flow also invokes the endpoint where the tutorial does (the
    emulator must run scoring code); the answers are kept in `seen["answers"]`.
    """
    from azure.ai.ml.entities import ManagedOnlineEndpoint

    seen: dict[str, Any] = {}
    endpoint = ManagedOnlineEndpoint(name=endpoint_name, auth_mode="key", description="safe rollout")
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    observe("create endpoint")

    ml_client.online_deployments.begin_create_or_update(deployment("blue", endpoint_name, files)).result()
    endpoint = ml_client.online_endpoints.get(endpoint_name)
    endpoint.traffic = {"blue": 100}
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    observe("create blue, 100% traffic")

    answers: list[str] = []
    seen["answers"] = answers
    if score:
        answers.append(ml_client.online_endpoints.invoke(endpoint_name, request_file=str(files.request_file)))
        observe("invoke (blue answers)")

    blue = ml_client.online_deployments.get("blue", endpoint_name)
    blue.instance_count = 2
    ml_client.online_deployments.begin_create_or_update(blue).result()
    observe("scale blue to 2")

    ml_client.online_deployments.begin_create_or_update(deployment("green", endpoint_name, files)).result()
    observe("create green (0% traffic)")

    if score:
        answers.append(
            ml_client.online_endpoints.invoke(
                endpoint_name, request_file=str(files.request_file), deployment_name="green"
            )
        )
        # azure-ai-ml 1.35.2 writes the deployment header into a class-level dict
        # (EndpointInvokeFields.DEFAULT_HEADER), so every later invoke of the process would
        # still target green; take it out again, as a long-lived client of the SDK must.
        from azure.ai.ml.constants._endpoint import EndpointInvokeFields

        EndpointInvokeFields.DEFAULT_HEADER.pop(EndpointInvokeFields.MODEL_DEPLOYMENT, None)
        observe("invoke green directly")

    endpoint = ml_client.online_endpoints.get(endpoint_name)
    endpoint.mirror_traffic = {"green": 10}
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    observe("mirror 10% to green")

    endpoint = ml_client.online_endpoints.get(endpoint_name)
    endpoint.mirror_traffic = {}
    endpoint.traffic = {"blue": 90, "green": 10}
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    observe("stop mirroring, 90/10 traffic")

    endpoint = ml_client.online_endpoints.get(endpoint_name)
    endpoint.traffic = {"blue": 0, "green": 100}
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    observe("0/100 traffic")

    seen["keys_before"] = ml_client.online_endpoints.get_keys(endpoint_name)
    ml_client.online_endpoints.begin_regenerate_keys(endpoint_name, key_type="primary").result()
    seen["keys_after"] = ml_client.online_endpoints.get_keys(endpoint_name)
    observe("get and regenerate keys")

    ml_client.online_deployments.begin_delete("blue", endpoint_name).result()
    observe("delete blue")

    ml_client.online_endpoints.begin_delete(endpoint_name).result()
    observe("delete endpoint")
    return seen
