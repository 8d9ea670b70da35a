"""Issue 5's safe-rollout flow end to end: the real azure-ai-ml SDK (and curl) against the
emulator, with every deployment answering from its own model under azmlinfsrv."""

from __future__ import annotations

import collections
import json
import os
import subprocess

import pytest
import requests
from article_models import SAMPLE_REQUEST, deployment, expected_answer, sample_body
from scoring_scripts import processes_mentioning, wait_for_count

from amlemu.testing import running_emulator

ENDPOINT = "rollout-endpoint"


def scoring_processes(emu, deployment_name: str | None = None) -> set[int]:
    folder = emu.state_dir / "scoring" / ENDPOINT
    return processes_mentioning(str(folder / deployment_name if deployment_name else folder) + os.sep)


def post(session: requests.Session, uri: str, key: str, **headers: str) -> requests.Response:
    return session.post(
        uri,
        data=sample_body(),
        timeout=30,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json", **headers},
    )


def landed(session, uri, key, count: int) -> collections.Counter:
    """Where `count` un-targeted requests landed, by the deployment header, each checked against its model."""
    models = {"blue": expected_answer("model-1"), "green": expected_answer("model-2")}
    seen: collections.Counter = collections.Counter()
    for _ in range(count):
        response = post(session, uri, key)
        assert response.status_code == 200, response.text
        name = response.headers["azureml-model-deployment"]
        assert response.json() == models[name]
        seen[name] += 1
    return seen


@pytest.mark.parametrize("mode", ["proxy", "direct"])
def test_safe_rollout_through_the_sdk(mode, tmp_path):
    from azure.ai.ml.entities import ManagedOnlineEndpoint

    with running_emulator(tmp_path / "state", mode=mode, runtime="inference-server") as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT, auth_mode="key")).result()

        # blue answers with model-1
        blue = ml.online_deployments.begin_create_or_update(deployment("blue", ENDPOINT, "model-1")).result()
        assert blue.provisioning_state.lower() == "succeeded"
        endpoint = ml.online_endpoints.get(ENDPOINT)
        endpoint.traffic = {"blue": 100}
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        # Named explicitly: after one invoke(deployment_name=...) the SDK keeps sending that
        # header for the rest of the process (a class-level dict). Un-targeted routing is
        # checked below with plain HTTPS clients.
        answer = ml.online_endpoints.invoke(ENDPOINT, request_file=str(SAMPLE_REQUEST), deployment_name="blue")
        assert json.loads(answer) == expected_answer("model-1")

        uri = ml.online_endpoints.get(ENDPOINT).scoring_uri
        key = ml.online_endpoints.get_keys(ENDPOINT).primary_key
        if mode == "proxy":
            assert uri == f"https://{ENDPOINT}.{emu.identity.region}.inference.ml.azure.com/score"
            _curl_reaches_the_scoring_uri(emu, uri, key)

        # scale blue to 2 instances: two scoring servers, each a gunicorn master with one worker
        ml.online_deployments.begin_create_or_update(deployment("blue", ENDPOINT, "model-1", instance_count=2)).result()
        assert len(scoring_processes(emu, "blue")) == 4

        # green answers with model-2 when named, and gets no live traffic yet
        ml.online_deployments.begin_create_or_update(deployment("green", ENDPOINT, "model-2")).result()
        answer = ml.online_endpoints.invoke(ENDPOINT, request_file=str(SAMPLE_REQUEST), deployment_name="green")
        assert json.loads(answer) == expected_answer("model-2")

        session = requests.Session()
        # mirror 10 % to green: callers see blue only, green's log shows the copies
        endpoint = ml.online_endpoints.get(ENDPOINT)
        endpoint.mirror_traffic = {"green": 10}
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        scored_before = _green_scored(ml)
        assert landed(session, uri, key, 300) == {"blue": 300}
        mirrored = wait_for_count(lambda: _green_scored(ml) - scored_before, minimum=10)
        assert 10 <= mirrored <= 60, mirrored
        endpoint = ml.online_endpoints.get(ENDPOINT)
        endpoint.mirror_traffic = {"green": 0}
        ml.online_endpoints.begin_create_or_update(endpoint).result()

        # 90/10: 1,000 un-targeted requests land on green 10 % +- 3 %
        endpoint = ml.online_endpoints.get(ENDPOINT)
        endpoint.traffic = {"blue": 90, "green": 10}
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        split = landed(session, uri, key, 1000)
        assert 70 <= split["green"] <= 130, split

        # 0/100, then blue can go: its processes go with it
        endpoint = ml.online_endpoints.get(ENDPOINT)
        endpoint.traffic = {"blue": 0, "green": 100}
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        assert landed(session, uri, key, 20) == {"green": 20}
        ml.online_deployments.begin_delete(name="blue", endpoint_name=ENDPOINT).result()
        assert scoring_processes(emu, "blue") == set()
        assert len(scoring_processes(emu, "green")) == 2

        ml.online_endpoints.begin_delete(name=ENDPOINT).result()
        assert scoring_processes(emu) == set()


def _curl_reaches_the_scoring_uri(emu, uri: str, key: str) -> None:
    """curl, with only the emulator's environment, gets model-1's answer; a wrong key gets 401."""

    def curl(bearer: str) -> tuple[int, str]:
        completed = subprocess.run(
            [
                "curl",
                "--silent",
                "--show-error",
                "--request",
                "POST",
                uri,
                "--header",
                f"Authorization: Bearer {bearer}",
                "--header",
                "Content-Type: application/json",
                "--data",
                f"@{SAMPLE_REQUEST}",
                "--write-out",
                "\n%{http_code}",
            ],
            env=emu.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert completed.returncode == 0, completed.stderr
        body, _, status = completed.stdout.rpartition("\n")
        return int(status), body

    status, body = curl(key)
    assert status == 200
    assert json.loads(body) == expected_answer("model-1")
    assert curl("not-the-key")[0] == 401


def _green_scored(ml) -> int:
    return ml.online_deployments.get_logs("green", ENDPOINT, lines=100000).count("Scored 2 rows with")
