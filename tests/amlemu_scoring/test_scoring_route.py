"""The endpoint's scoring route, driven through `InferenceServerRuntime` with real servers.

One runtime and its deployments are started once for the module; each test
sends `Request` values the way the transport would.
"""

from __future__ import annotations

import collections
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from scoring_scripts import FAILING_RUN, scoring_request, script_spec, wait_for_count, whoami_spec

from amlemu.scoring.runtime import InferenceServerRuntime
from amlemu.scoring_contract import EndpointRouting

ENDPOINT = "my-endpoint"
KEYS = ("key-1", "key-2")


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("scoring-route")
    runtime = InferenceServerRuntime(root / "state", rng=random.Random(20240611))
    specs = [
        whoami_spec(root, ENDPOINT, "blue"),
        whoami_spec(root, ENDPOINT, "green", instance_count=2),
        whoami_spec(root, ENDPOINT, "slow", request_timeout_ms=2000),
        script_spec(root, ENDPOINT, "broken", FAILING_RUN),
    ]
    with ThreadPoolExecutor(len(specs)) as pool:
        results = list(pool.map(runtime.start, specs))
    assert all(result.ok for result in results), [result.error for result in results]
    yield runtime
    runtime.shutdown()


def routing(traffic: dict[str, int], mirror: dict[str, int] | None = None, keys=KEYS) -> EndpointRouting:
    return EndpointRouting(ENDPOINT, "key", keys, traffic, mirror or {})


def answer(response) -> dict:
    assert response.status == 200, (response.status, response.body)
    return json.loads(response.body)


def test_the_deployment_with_all_traffic_answers_with_its_own_model(runtime):
    response = runtime.score(routing({"blue": 100}), scoring_request(ENDPOINT, {"tag": "x"}))
    body = answer(response)
    assert body["deployment"] == "blue"
    assert body["model"] == "model of blue"
    assert response.headers["azureml-model-deployment"] == "blue"
    assert len(response.headers["x-request-id"]) == 36


def test_either_key_is_accepted(runtime):
    for key in KEYS:
        assert runtime.score(routing({"blue": 100}), scoring_request(ENDPOINT, {}, key=key)).status == 200


@pytest.mark.parametrize("key", [None, "wrong-key", ""])
def test_a_missing_or_wrong_key_gets_401(runtime, key):
    response = runtime.score(routing({"blue": 100}), scoring_request(ENDPOINT, {}, key=key))
    assert response.status == 401
    assert "Authorization" in json.loads(response.body)["message"]


def test_a_basic_scheme_with_the_right_key_is_refused(runtime):
    request = scoring_request(ENDPOINT, {}, key=None, authorization="Basic key-1")
    assert runtime.score(routing({"blue": 100}), request).status == 401


def test_the_deployment_header_selects_a_deployment_without_traffic(runtime):
    response = runtime.score(routing({"blue": 100}), scoring_request(ENDPOINT, {}, deployment="green"))
    assert answer(response)["deployment"] == "green"
    assert answer(response)["model"] == "model of green"


def test_the_deployment_header_naming_an_unknown_deployment_gets_404(runtime):
    response = runtime.score(routing({"blue": 100}), scoring_request(ENDPOINT, {}, deployment="purple"))
    assert response.status == 404
    assert "purple" in json.loads(response.body)["message"]


def test_no_deployment_with_traffic_gets_404(runtime):
    for traffic in ({}, {"blue": 0, "green": 0}):
        response = runtime.score(routing(traffic), scoring_request(ENDPOINT, {}))
        assert response.status == 404
        assert "traffic" in json.loads(response.body)["message"]


def test_a_deployment_with_traffic_but_no_running_instance_gets_503(runtime):
    response = runtime.score(routing({"gone": 100}), scoring_request(ENDPOINT, {}))
    assert response.status == 503


def test_traffic_90_10_splits_1000_requests_within_3_percent(runtime):
    counts = collections.Counter(
        answer(runtime.score(routing({"blue": 90, "green": 10}), scoring_request(ENDPOINT, {})))["deployment"]
        for _ in range(1000)
    )
    assert set(counts) == {"blue", "green"}
    assert 70 <= counts["green"] <= 130, counts


def test_instances_of_a_deployment_take_turns(runtime):
    pids = [answer(runtime.score(routing({"green": 100}), scoring_request(ENDPOINT, {})))["pid"] for _ in range(6)]
    assert len(set(pids)) == 2
    assert pids[0::2] == [pids[0]] * 3 and pids[1::2] == [pids[1]] * 3


def test_mirror_traffic_copies_requests_to_the_mirrored_deployment_and_discards_its_answers(runtime):
    tag = f"mirror-{time.monotonic_ns()}"
    deployments = collections.Counter(
        answer(runtime.score(routing({"blue": 100}, {"green": 20}), scoring_request(ENDPOINT, {"tag": tag})))[
            "deployment"
        ]
        for _ in range(300)
    )
    assert deployments == {"blue": 300}
    mirrored = wait_for_count(
        lambda: runtime.logs(ENDPOINT, "green").count(f"whoami scored {tag}"), minimum=30, timeout_s=5.0
    )
    assert 30 <= mirrored <= 90, mirrored  # 20 % of 300, loosely: copies are best effort


def test_targeted_requests_are_never_mirrored(runtime):
    tag = f"targeted-{time.monotonic_ns()}"
    for _ in range(50):
        runtime.score(routing({"blue": 100}, {"green": 50}), scoring_request(ENDPOINT, {"tag": tag}, deployment="blue"))
    time.sleep(0.3)
    assert f"whoami scored {tag}" not in runtime.logs(ENDPOINT, "green")


def test_a_run_that_raises_reaches_the_caller_as_424_with_azure_headers(runtime):
    response = runtime.score(routing({"broken": 100}), scoring_request(ENDPOINT, {"x": 1}))
    assert response.status == 424
    assert response.headers["ms-azureml-model-error-statuscode"] == "500"
    assert response.headers["ms-azureml-model-error-reason"]
    assert response.headers["azureml-model-deployment"] == "broken"
    assert response.headers["x-request-id"]
    assert "unexpected error occurred in scoring script" in json.loads(response.body)["message"]
    assert "cannot score this input (raised on purpose)" in runtime.logs(ENDPOINT, "broken")


def test_more_than_twice_max_concurrent_requests_per_instance_get_429(runtime):
    # slow: 1 instance, max_concurrent_requests_per_instance 1, so at most 2 requests at once.
    start = threading.Barrier(6)

    def call(_: int):
        start.wait()
        return runtime.score(routing({"slow": 100}), scoring_request(ENDPOINT, {"sleep": 0.4}))

    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(call, range(6)))
    statuses = collections.Counter(response.status for response in responses)
    assert statuses == {200: 2, 429: 4}
    busy = next(response for response in responses if response.status == 429)
    assert busy.headers["azureml-model-deployment"] == "slow"
    assert "at most 2 requests" in json.loads(busy.body)["message"]
    response = runtime.score(routing({"slow": 100}), scoring_request(ENDPOINT, {}))
    assert response.status == 200  # slots are given back


def test_a_request_longer_than_request_timeout_ms_gets_408(runtime):
    response = runtime.score(routing({"slow": 100}), scoring_request(ENDPOINT, {"sleep": 3}))
    assert response.status == 408
    assert "2000 ms" in json.loads(response.body)["message"]
    assert response.headers["azureml-model-deployment"] == "slow"


def test_the_key_is_not_forwarded_to_the_scoring_container(runtime, tmp_path):
    # The container's log shows request lines, never the endpoint key.
    runtime.score(routing({"blue": 100}), scoring_request(ENDPOINT, {"tag": "no-key"}))
    assert "key-1" not in runtime.logs(ENDPOINT, "blue")


def test_logs_are_the_servers_real_log_lines_and_tail_limits_them(runtime):
    full = runtime.logs(ENDPOINT, "blue")
    assert "Azure ML Inferencing HTTP server v1.5.1" in full
    assert "azmlinfsrv.print - whoami init done" in full
    assert "Listening at: http://127.0.0.1:" in full
    assert runtime.logs(ENDPOINT, "blue", tail=3).splitlines() == full.splitlines()[-3:]
