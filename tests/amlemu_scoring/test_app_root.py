"""AML_APP_ROOT is the deployment's code folder, as Azure sets it.

The inference server reads a custom `swagger<version>.json` from AML_APP_ROOT
(azureml-inference-server-http, server/swagger.py: `os.path.join(app_root, f"swagger{version}.json")`),
and Azure/azureml-examples keeps that file beside the scoring script in the code folder
(cli/endpoints/online/managed/openapi/code-custom/swagger2.json, deployed by
cli/deploy-moe-openapi.sh); its Triton sample opens `Path(os.getenv("AML_APP_ROOT")) /
"densenet_labels.txt"`, a file beside its scoring script (cli/endpoints/online/triton/single-model).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from scoring_scripts import scoring_request, script_spec

from amlemu.http_messages import Request
from amlemu.scoring.runtime import InferenceServerRuntime
from amlemu.scoring_contract import EndpointRouting

ENDPOINT = "app-root-ep"
READS_BESIDE_ITSELF = """
import os
from pathlib import Path

def init():
    global label
    label = (Path(os.environ["AML_APP_ROOT"]) / "labels.txt").read_text().strip()

def run(raw_data):
    return {"label": label}
"""
CUSTOM_SWAGGER = {"swagger": "2.0", "info": {"title": "custom from the code folder", "version": "1.0"}, "paths": {}}


def test_the_code_folder_is_aml_app_root(tmp_path: Path) -> None:
    runtime = InferenceServerRuntime(tmp_path / "state", rng=random.Random(7))
    spec = script_spec(tmp_path, ENDPOINT, "blue", READS_BESIDE_ITSELF)
    assert spec.code_dir is not None
    (spec.code_dir / "labels.txt").write_text("peacock\n", encoding="utf-8")
    (spec.code_dir / "swagger2.json").write_text(json.dumps(CUSTOM_SWAGGER), encoding="utf-8")
    try:
        result = runtime.start(spec)
        assert result.ok, result.error
        routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {"blue": 100}, {})
        scored = runtime.score(routing, scoring_request(ENDPOINT, {"data": [1]}))
        assert scored.status == 200, scored.body
        assert json.loads(scored.body) == {"label": "peacock"}
        swagger = runtime.score(
            routing,
            Request(
                method="GET",
                host=f"{ENDPOINT}.westus2.inference.ml.azure.com",
                path="/swagger.json",
                query={"version": "2"},
                headers={"authorization": "Bearer key-1"},
                body=b"",
            ),
        )
        assert swagger.status == 200, swagger.body
        assert json.loads(swagger.body)["info"]["title"] == "custom from the code folder"
    finally:
        runtime.shutdown()
