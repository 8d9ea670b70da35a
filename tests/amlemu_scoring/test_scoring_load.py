"""The load test of benchmarks/scoring_load.py, shortened: correctness under load, not speed."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from amlemu.testing import running_emulator

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "scoring_load.py"


@pytest.fixture(scope="module")
def scoring_load():
    spec = importlib.util.spec_from_file_location("scoring_load", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_answers_under_load_come_from_deployments_with_traffic_at_that_moment(scoring_load, tmp_path):
    with running_emulator(tmp_path / "state", runtime="inference-server") as emu:
        ml = emu.ml_client()
        scoring_load.deploy(ml, clients=8)
        report = scoring_load.run_load(emu, ml, clients=8, seconds=3.0, change_every_s=0.5)
    assert report.failures == []
    assert len(report.changes) >= 4
    assert set(report.by_deployment()) == {"blue", "green"}
    assert report.by_status() == {200: len(report.answers)}


def test_the_check_rejects_an_answer_from_a_deployment_without_traffic(scoring_load):
    make_answer, make_change = scoring_load.Answer, scoring_load.TrafficChange
    expected = {"blue": [1.0], "green": [2.0]}
    changes = [make_change(began=10.0, ended=10.2, traffic={"blue": 0, "green": 100})]

    def answer(sent, received, deployment, body=None, status=200):
        payload = body if body is not None else expected.get(deployment, {"message": "busy"})
        return make_answer(sent, received, status, deployment, json.dumps(payload).encode())

    fine = [answer(1, 2, "blue"), answer(10.1, 10.3, "blue"), answer(10.1, 10.3, "green"), answer(11, 12, "green")]
    assert scoring_load.check(fine, changes, expected) == []
    wrong = [
        answer(11, 12, "blue"),
        answer(1, 2, "green"),
        answer(1, 2, "blue", body=[2.0]),
        answer(1, 2, None, status=429),
    ]
    failures = scoring_load.check(wrong, changes, expected)
    assert len(failures) == 4
    assert "had no traffic then" in failures[0] and "had no traffic then" in failures[1]
    assert "not its model's prediction" in failures[2]
    assert failures[3].startswith("status 429")
