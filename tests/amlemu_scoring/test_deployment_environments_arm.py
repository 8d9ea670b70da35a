"""Environment builds and MLflow no-code deployments through the control plane, with the real SDK.

- A build that fails fails the deployment as Azure does: provisioning state
  `Failed`, error code `ImageBuildFailure` ("This error is returned when the
  Docker image environment is being built. You can check the build log for more
  information", MicrosoftDocs/azure-ai-docs,
  articles/machine-learning/how-to-troubleshoot-online-endpoints.md, section
  "ERROR: ImageBuildFailure"), with the build log readable through get-logs.
- An MLflow model deployed with neither code nor environment gets a generated
  scoring script and environment, and accepts the documented inputs
  (MicrosoftDocs/azure-ai-docs, articles/machine-learning/how-to-deploy-mlflow-models.md,
  "Input structure": `input_data` as a split-orientation DataFrame, or as a list);
  a body without `input_data` gets the message of the docs' scoring script
  (how-to-deploy-mlflow-models-online-endpoints.md).
"""

from __future__ import annotations

import json
import pickle
import textwrap
from pathlib import Path

import pytest
import requests

from amlemu.testing import running_emulator

ENDPOINT = "env-endpoint"
MISSING = "amlemu-missing-probe"


def test_a_failing_build_fails_the_deployment_with_image_build_failure(tmp_path, monkeypatch):
    """Offline (AMLEMU_WHEELHOUSE, an empty uv cache): the one package cannot be found, and is named."""
    from azure.ai.ml.entities import CodeConfiguration, Environment, ManagedOnlineDeployment, ManagedOnlineEndpoint
    from azure.core.exceptions import HttpResponseError

    (tmp_path / "wheelhouse").mkdir()
    monkeypatch.setenv("AMLEMU_ENV_CACHE", str(tmp_path / "envs"))
    monkeypatch.setenv("AMLEMU_WHEELHOUSE", str(tmp_path / "wheelhouse"))
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    code = tmp_path / "code"
    code.mkdir()
    (code / "score.py").write_text("def init():\n    pass\n\ndef run(raw):\n    return 1\n")
    conda = tmp_path / "conda.yaml"
    conda.write_text(
        textwrap.dedent(f"""\
        dependencies:
          - python=3.11
          - pip
          - pip:
            - {MISSING}==1.0
        """)
    )
    with running_emulator(tmp_path / "state", runtime="inference-server") as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT, auth_mode="key")).result()
        deployment = ManagedOnlineDeployment(
            name="broken",
            endpoint_name=ENDPOINT,
            instance_type="Standard_DS3_v2",
            instance_count=1,
            code_configuration=CodeConfiguration(code=str(code), scoring_script="score.py"),
            environment=Environment(
                conda_file=str(conda), image="mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest"
            ),
        )
        with pytest.raises(HttpResponseError) as failure:
            ml.online_deployments.begin_create_or_update(deployment).result()
        assert "ImageBuildFailure" in str(failure.value)
        assert MISSING in str(failure.value)
        assert ml.online_deployments.get("broken", ENDPOINT).provisioning_state == "Failed"
        logs = ml.online_deployments.get_logs("broken", ENDPOINT, lines=200)
        assert f"{MISSING} was not found" in logs
        assert not any((tmp_path / "envs").glob("[0-9a-f]*/"))  # nothing half-built is kept


def write_mlflow_model(folder: Path) -> None:
    """An MLflow sklearn model as `mlflow.sklearn.save_model` lays it out (pickle format, with a signature)."""
    from sklearn.linear_model import LinearRegression

    folder.mkdir(parents=True)
    estimator = LinearRegression().fit([[1.0, 0.0], [2.0, 1.0], [3.0, 0.0]], [1.0, 2.0, 3.0])
    (folder / "model.pkl").write_bytes(pickle.dumps(estimator))
    import sklearn

    (folder / "MLmodel").write_text(
        textwrap.dedent(f"""\
        flavors:
          python_function:
            env:
              conda: conda.yaml
              virtualenv: python_env.yaml
            loader_module: mlflow.sklearn
            model_path: model.pkl
            predict_fn: predict
            python_version: 3.11.7
          sklearn:
            pickled_model: model.pkl
            serialization_format: pickle
            sklearn_version: {sklearn.__version__}
        signature:
          inputs: '[{{"type": "double", "name": "a", "required": true}}, {{"type": "double", "name": "b", "required": true}}]'
          outputs: '[{{"type": "tensor", "tensor-spec": {{"dtype": "float64", "shape": [-1]}}}}]'
          params: null
        """)
    )
    (folder / "conda.yaml").write_text(
        textwrap.dedent(f"""\
        channels: [conda-forge]
        dependencies:
        - python=3.11.7
        - pip
        - pip:
          - mlflow-skinny==3.18.0
          - pandas==3.1.1
          - scikit-learn=={sklearn.__version__}
        name: mlflow-env
        """)
    )
    (folder / "requirements.txt").write_text(
        f"mlflow-skinny==3.18.0\npandas==3.1.1\nscikit-learn=={sklearn.__version__}\n"
    )


def test_an_mlflow_model_without_code_scores_in_two_documented_input_formats(tmp_path):
    """MLflow is large: this builds into the shared default environment cache, so it is slow once per machine."""
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint, Model

    write_mlflow_model(tmp_path / "model")
    with running_emulator(tmp_path / "state", runtime="inference-server") as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT, auth_mode="key")).result()
        deployment = ManagedOnlineDeployment(
            name="mlflow",
            endpoint_name=ENDPOINT,
            instance_type="Standard_DS3_v2",
            instance_count=1,
            model=Model(path=str(tmp_path / "model"), type=AssetTypes.MLFLOW_MODEL, name="diabetes-mlflow"),
        )
        created = ml.online_deployments.begin_create_or_update(deployment).result()
        assert created.provisioning_state == "Succeeded"
        endpoint = ml.online_endpoints.get(ENDPOINT)
        key = ml.online_endpoints.get_keys(ENDPOINT).primary_key
        headers = {
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            "azureml-model-deployment": "mlflow",
        }
        session = requests.Session()  # the emulator's proxy and CA bundle are in os.environ

        def score(body: object) -> requests.Response:
            return session.post(endpoint.scoring_uri, data=json.dumps(body), headers=headers, timeout=60)

        split = score({"input_data": {"columns": ["a", "b"], "index": [0, 1], "data": [[4.0, 0.0], [5.0, 1.0]]}})
        assert split.status_code == 200, split.text
        as_list = score({"input_data": [[4.0, 0.0], [5.0, 1.0]]})
        assert as_list.status_code == 200, as_list.text
        assert split.json() == as_list.json()
        assert [round(value, 6) for value in split.json()] == [4.0, 5.0]
        wrong = score({"data": [[4.0, 0.0]]})
        assert wrong.status_code != 200
        assert "Request must contain a top level key named 'input_data'" in wrong.text
