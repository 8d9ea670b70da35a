"""Life and death of scoring processes: start, replace, fail, stop, and the emulator's death."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from scoring_scripts import FAILING_INIT, processes_mentioning, scoring_request, script_spec, whoami_spec

from amlemu.scoring.runtime import InferenceServerRuntime
from amlemu.scoring_contract import DeploymentSpec, EndpointRouting

ENDPOINT = "lifecycle"


@pytest.fixture
def runtime(tmp_path: Path):
    runtime = InferenceServerRuntime(tmp_path / "state")
    yield runtime
    runtime.shutdown()


def deployment_marker(runtime: InferenceServerRuntime, deployment: str) -> str:
    return str(runtime.root / ENDPOINT / deployment) + os.sep


def wait_until(condition, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_two_instances_are_two_server_processes_each_with_a_worker(runtime, tmp_path):
    assert runtime.start(whoami_spec(tmp_path, ENDPOINT, "blue", instance_count=2)).ok
    servers = runtime.pids(ENDPOINT, "blue")
    assert len(servers) == 2
    # Each azmlinfsrv is a gunicorn master with one worker: four processes in all.
    assert len(processes_mentioning(deployment_marker(runtime, "blue"))) == 4


def test_starting_again_with_the_same_spec_keeps_the_processes(runtime, tmp_path):
    spec = whoami_spec(tmp_path, ENDPOINT, "blue")
    assert runtime.start(spec).ok
    before = runtime.pids(ENDPOINT, "blue")
    assert runtime.start(spec).ok
    assert runtime.pids(ENDPOINT, "blue") == before


def test_starting_with_another_spec_replaces_the_instances(runtime, tmp_path):
    assert runtime.start(whoami_spec(tmp_path, ENDPOINT, "blue")).ok
    (old,) = runtime.pids(ENDPOINT, "blue")
    assert runtime.start(whoami_spec(tmp_path, ENDPOINT, "blue", instance_count=2)).ok
    new = runtime.pids(ENDPOINT, "blue")
    assert len(new) == 2 and old not in new
    assert wait_until(lambda: len(processes_mentioning(deployment_marker(runtime, "blue"))) == 4)
    routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {"blue": 100}, {})
    answered = {json.loads(runtime.score(routing, scoring_request(ENDPOINT, {})).body)["pid"] for _ in range(4)}
    assert len(answered) == 2


def test_stop_ends_the_servers_and_their_workers(runtime, tmp_path):
    assert runtime.start(whoami_spec(tmp_path, ENDPOINT, "blue", instance_count=2)).ok
    assert runtime.start(whoami_spec(tmp_path, ENDPOINT, "green")).ok
    runtime.stop(ENDPOINT, "blue")
    assert processes_mentioning(deployment_marker(runtime, "blue")) == set()
    assert len(processes_mentioning(deployment_marker(runtime, "green"))) == 2
    routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {"green": 100}, {})
    assert runtime.score(routing, scoring_request(ENDPOINT, {}, deployment="blue")).status == 404


def test_shutdown_leaves_no_scoring_process(runtime, tmp_path):
    assert runtime.start(whoami_spec(tmp_path, ENDPOINT, "blue", instance_count=2)).ok
    assert runtime.start(whoami_spec(tmp_path, ENDPOINT, "green")).ok
    runtime.shutdown()
    assert processes_mentioning(str(runtime.root) + os.sep) == set()


def test_an_init_that_raises_fails_the_deployment_with_azures_wording_and_the_exception(runtime, tmp_path):
    assert runtime.start(whoami_spec(tmp_path, ENDPOINT, "blue")).ok
    result = runtime.start(script_spec(tmp_path, ENDPOINT, "green", FAILING_INIT))
    assert not result.ok
    assert result.error.startswith(
        "ResourceNotReady: User container has crashed or terminated: Liveness probe failed: "
        "HTTP probe failed with statuscode: 502."
    )
    assert "RuntimeError: the model file is corrupt (raised on purpose)" in result.error
    logs = runtime.logs(ENDPOINT, "green")
    assert "RuntimeError: the model file is corrupt (raised on purpose)" in logs
    assert "Worker failed to boot" in logs
    assert processes_mentioning(deployment_marker(runtime, "green")) == set()
    routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {"blue": 100}, {})
    assert runtime.score(routing, scoring_request(ENDPOINT, {})).status == 200


def test_a_missing_scoring_script_is_refused_with_one_clear_sentence(runtime, tmp_path):
    spec = whoami_spec(tmp_path, ENDPOINT, "blue", scoring_script="missing.py")
    result = runtime.start(spec)
    assert not result.ok
    assert result.error == "The scoring script 'missing.py' was not found in the deployment's code folder."


def test_an_import_the_conda_file_does_not_provide_is_a_warning_in_the_log(runtime, tmp_path):
    spec = whoami_spec(tmp_path, ENDPOINT, "blue")
    script = spec.code_dir / "score.py"
    script.write_text("import yaml\n" + script.read_text())
    conda = tmp_path / "conda.yaml"
    conda.write_text("dependencies:\n  - python=3.11\n  - pip:\n      - numpy\n")
    result = runtime.start(DeploymentSpec(**{**spec.__dict__, "conda_file": conda}))
    assert result.ok  # it runs here, where yaml is installed
    logs = runtime.logs(ENDPOINT, "blue")
    assert "onlinescoring/score.py:1:1: warning: 'yaml' is imported, but neither conda.yaml" in logs


def test_instances_started_from_a_short_lived_thread_outlive_that_thread(runtime, tmp_path):
    # The emulator handles ARM requests on short-lived threads; the kernel's parent-death
    # signal follows the forking thread, so a careless start would die with the request.
    spec = whoami_spec(tmp_path, ENDPOINT, "blue")
    results = []
    thread = threading.Thread(target=lambda: results.append(runtime.start(spec)))
    thread.start()
    thread.join()
    assert results[0].ok
    time.sleep(0.5)
    routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {"blue": 100}, {})
    assert runtime.score(routing, scoring_request(ENDPOINT, {})).status == 200
    assert len(processes_mentioning(deployment_marker(runtime, "blue"))) == 2


PARENT = """
import sys, threading
from pathlib import Path
sys.path.insert(0, {tests!r})
from amlemu.scoring.runtime import InferenceServerRuntime
from scoring_scripts import whoami_spec

root = Path({root!r})
runtime = InferenceServerRuntime(root / "state")
# Started from a thread that ends, as an ARM request handler would.
thread = threading.Thread(target=lambda: print(runtime.start(whoami_spec(root, "ep", "blue", instance_count=2)).ok, flush=True))
thread.start()
thread.join()
threading.Event().wait()
"""


def test_no_scoring_process_outlives_a_sigkilled_parent(tmp_path):
    code = PARENT.format(tests=str(Path(__file__).parent), root=str(tmp_path))
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline().strip() == "True"
        marker = str(tmp_path / "state" / "scoring") + os.sep
        assert len(processes_mentioning(marker)) == 4
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_until(lambda: not processes_mentioning(marker), timeout_s=5), processes_mentioning(marker)
    finally:
        parent.kill()
        parent.wait()


def test_new_files_at_the_same_paths_restart_the_instances(runtime, tmp_path):
    # The control plane lays a new code version out where the old one was: same spec, new code.
    spec = whoami_spec(tmp_path, ENDPOINT, "blue")
    assert runtime.start(spec).ok
    before = runtime.pids(ENDPOINT, "blue")
    (spec.model_dir / "model" / "answer.txt").write_text("model version 2")
    assert runtime.start(spec).ok
    assert runtime.pids(ENDPOINT, "blue") != before
    routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {"blue": 100}, {})
    assert json.loads(runtime.score(routing, scoring_request(ENDPOINT, {})).body)["model"] == "model version 2"


def test_a_start_after_shutdown_runs_nothing(runtime, tmp_path):
    runtime.shutdown()
    result = runtime.start(whoami_spec(tmp_path, ENDPOINT, "blue"))
    assert not result.ok
    assert processes_mentioning(str(runtime.root) + os.sep) == set()
