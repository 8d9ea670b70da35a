"""A scoring instance answers only the emulator: its loopback port is no way around the endpoint's keys.

Any local user can list the instance's port (it is on the server's command line)
and connect to it; without the per-instance secret the emulator adds when it
forwards, the instance refuses every request.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from scoring_scripts import processes_mentioning, scoring_request, whoami_spec

from amlemu.scoring.runtime import InferenceServerRuntime
from amlemu.scoring_contract import EndpointRouting

ENDPOINT = "guarded"
SECRET_HEADER = "X-AmlEmu-Instance-Secret"  # what the emulator adds when it forwards


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InferenceServerRuntime]:
    root = tmp_path_factory.mktemp("secret")
    runtime = InferenceServerRuntime(root / "state")
    assert runtime.start(whoami_spec(root, ENDPOINT, "blue")).ok
    yield runtime
    runtime.shutdown()


def _command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")


def _port_as_any_local_user_sees_it(runtime: InferenceServerRuntime) -> int:
    (pid,) = runtime.pids(ENDPOINT, "blue")
    argv = _command_line(pid)
    return int(argv[argv.index("--port") + 1])


def _post_directly(port: int, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/score", body=b"{}", headers={"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_score_on_the_instance_port_without_the_secret_is_refused(runtime: InferenceServerRuntime) -> None:
    status, body = _post_directly(_port_as_any_local_user_sees_it(runtime), {})
    assert status == 401
    assert b"model of blue" not in body


@pytest.mark.parametrize("secret", ["wrong", "", "x" * 64])
def test_score_on_the_instance_port_with_a_wrong_secret_is_refused(
    runtime: InferenceServerRuntime, secret: str
) -> None:
    status, body = _post_directly(_port_as_any_local_user_sees_it(runtime), {SECRET_HEADER: secret})
    assert status == 401
    assert b"model of blue" not in body


def test_liveness_route_on_the_instance_port_is_refused_too(runtime: InferenceServerRuntime) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", _port_as_any_local_user_sees_it(runtime), timeout=30)
    try:
        conn.request("GET", "/")
        assert conn.getresponse().status == 401
    finally:
        conn.close()


def test_score_through_the_endpoint_with_a_key_is_answered(runtime: InferenceServerRuntime) -> None:
    routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {"blue": 100}, {})
    response = runtime.score(routing, scoring_request(ENDPOINT, {}))
    assert response.status == 200
    assert json.loads(response.body)["model"] == "model of blue"


def test_a_secret_sent_by_the_caller_is_replaced_by_the_instance_secret(runtime: InferenceServerRuntime) -> None:
    routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {"blue": 100}, {})
    request = scoring_request(ENDPOINT, {}, **{SECRET_HEADER.replace("-", "_"): "guess"})
    assert runtime.score(routing, request).status == 200


def test_the_secret_is_on_no_command_line(runtime: InferenceServerRuntime) -> None:
    (instance,) = runtime._deployments[(ENDPOINT, "blue")].instances
    for pid in processes_mentioning(str(runtime.root)):
        assert instance.secret not in " ".join(_command_line(pid))
