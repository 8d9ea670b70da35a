"""Issue 5's failure, restart and process-lifetime promises, through the SDK and `amlemu run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest
import requests
from article_models import ONLINE, SAMPLE_REQUEST, deployment, expected_answer, sample_body
from scoring_scripts import FAILING_INIT, FAILING_RUN, processes_mentioning

from amlemu.testing import running_emulator

ENDPOINT = "failing-endpoint"


def scoring_folder(state_dir) -> str:
    return str(state_dir / "scoring") + os.sep


def post(uri: str, key: str, **headers: str) -> requests.Response:
    return requests.post(
        uri,
        data=sample_body(),
        timeout=30,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json", **headers},
    )


def code_folder(tmp_path, name: str, source: str):
    folder = tmp_path / name / "onlinescoring"
    folder.mkdir(parents=True)
    (folder / "score.py").write_text(textwrap.dedent(source))
    return folder


def test_failing_init_and_failing_run_leave_the_other_deployment_answering(tmp_path):
    from azure.ai.ml.entities import ManagedOnlineEndpoint
    from azure.core.exceptions import HttpResponseError

    with running_emulator(tmp_path / "state", runtime="inference-server") as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT)).result()
        ml.online_deployments.begin_create_or_update(deployment("blue", ENDPOINT, "model-1")).result()
        endpoint = ml.online_endpoints.get(ENDPOINT)
        endpoint.traffic = {"blue": 100}
        ml.online_endpoints.begin_create_or_update(endpoint).result()

        # init() raises: the deployment ends Failed with Azure's wording and the exception
        broken = deployment("green", ENDPOINT, "model-1", code=code_folder(tmp_path, "green", FAILING_INIT))
        with pytest.raises(HttpResponseError) as failure:
            ml.online_deployments.begin_create_or_update(broken).result()
        assert "User container has crashed or terminated" in str(failure.value)
        assert "RuntimeError: the model file is corrupt (raised on purpose)" in str(failure.value)
        assert ml.online_deployments.get("green", ENDPOINT).provisioning_state.lower() == "failed"
        logs = ml.online_deployments.get_logs("green", ENDPOINT, lines=200)
        assert "RuntimeError: the model file is corrupt (raised on purpose)" in logs

        uri = ml.online_endpoints.get(ENDPOINT).scoring_uri
        key = ml.online_endpoints.get_keys(ENDPOINT).primary_key
        response = post(uri, key)
        assert response.status_code == 200 and response.json() == expected_answer("model-1")

        # run() raises: the caller gets 424 with Azure's headers
        ml.online_deployments.begin_create_or_update(
            deployment("red", ENDPOINT, "model-1", code=code_folder(tmp_path, "red", FAILING_RUN))
        ).result()
        response = post(uri, key, **{"azureml-model-deployment": "red"})
        assert response.status_code == 424
        assert response.headers["ms-azureml-model-error-statuscode"] == "500"
        assert response.headers["azureml-model-deployment"] == "red"
        assert response.headers["x-request-id"]
        assert "ValueError: cannot score this input" in ml.online_deployments.get_logs("red", ENDPOINT, lines=200)
        assert post(uri, key).json() == expected_answer("model-1")


def test_after_sigkill_and_restart_the_endpoint_answers_without_client_action(tmp_path):
    from azure.ai.ml.entities import ManagedOnlineEndpoint

    state = tmp_path / "state"
    with running_emulator(state, runtime="inference-server") as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT)).result()
        ml.online_deployments.begin_create_or_update(deployment("blue", ENDPOINT, "model-1", instance_count=2)).result()
        endpoint = ml.online_endpoints.get(ENDPOINT)
        endpoint.traffic = {"blue": 100}
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        uri = ml.online_endpoints.get(ENDPOINT).scoring_uri
        key = ml.online_endpoints.get_keys(ENDPOINT).primary_key
        assert post(uri, key).json() == expected_answer("model-1")
        before = processes_mentioning(scoring_folder(state))
        assert len(before) == 4

        emu.kill()
        deadline = time.monotonic() + 5
        while processes_mentioning(scoring_folder(state)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_mentioning(scoring_folder(state)) == set()

        emu.start()
        response = post(uri, key)
        assert response.status_code == 200, response.text
        assert response.json() == expected_answer("model-1")
        after = processes_mentioning(scoring_folder(state))
        assert len(after) == 4 and not after & before


USER_SCRIPT = """
import os, signal, sys
from azure.ai.ml import MLClient
from azure.ai.ml.entities import CodeConfiguration, Environment, ManagedOnlineDeployment, ManagedOnlineEndpoint, Model
from azure.identity import DefaultAzureCredential

ml = MLClient(DefaultAzureCredential(), os.environ["AZURE_SUBSCRIPTION_ID"], os.environ["AZURE_RESOURCE_GROUP"],
              os.environ["AZUREML_WORKSPACE_NAME"])
ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="run-endpoint")).result()
ml.online_deployments.begin_create_or_update(ManagedOnlineDeployment(
    name="blue", endpoint_name="run-endpoint", model=Model(path={model!r}),
    code_configuration=CodeConfiguration(code={code!r}, scoring_script="score.py"),
    environment=Environment(conda_file={conda!r}, image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"),
    instance_type="Standard_DS3_v2", instance_count=2)).result()
print(); print("ANSWER", ml.online_endpoints.invoke("run-endpoint", request_file={request!r}, deployment_name="blue"), flush=True)
if sys.argv[1:] == ["--die"]:
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("ending", ["exits", "is-killed"])
def test_no_scoring_process_outlives_amlemu_run(tmp_path, ending):
    script = tmp_path / "tutorial.py"
    model_1 = ONLINE / "model-1"
    script.write_text(
        textwrap.dedent(USER_SCRIPT).format(
            model=str(model_1 / "model"),
            code=str(model_1 / "onlinescoring"),
            conda=str(model_1 / "environment" / "conda.yaml"),
            request=str(SAMPLE_REQUEST),
        )
    )
    state = tmp_path / "state"
    command = [
        sys.executable,
        "-m",
        "amlemu.cli",
        "run",
        "--state",
        str(state),
        "--runtime",
        "inference-server",
        "--",
        sys.executable,
        str(script),
        *(["--die"] if ending == "is-killed" else []),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if ending == "exits":
        assert completed.returncode == 0, completed.stderr[-2000:]
    else:
        assert completed.returncode != 0, completed.stderr[-2000:]
    answers = [line.split(" ", 1)[1] for line in completed.stdout.splitlines() if line.startswith("ANSWER ")]
    assert [json.loads(answer) for answer in answers] == [expected_answer("model-1")]
    assert processes_mentioning(scoring_folder(state)) == set()
