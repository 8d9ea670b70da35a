"""The routing decisions and the startup-failure wording, without any process."""

from __future__ import annotations

import collections
import random

import pytest
from scoring_scripts import scoring_request

from amlemu.scoring import routing as rules
from amlemu.scoring.startup_failure import CRASHED, last_exception, not_ready_message
from amlemu.scoring_contract import EndpointRouting


def endpoint(traffic, mirror=None, keys=("primary", "secondary")) -> EndpointRouting:
    return EndpointRouting("ep", "key", keys, traffic, mirror or {})


@pytest.mark.parametrize(
    ("authorization", "allowed"),
    [
        ("Bearer primary", True),
        ("bearer secondary", True),
        ("Bearer  primary ", True),
        ("Bearer prim", False),
        ("primary", False),
        ("Basic primary", False),
        ("Bearer ", False),
        (None, False),
    ],
)
def test_only_a_bearer_key_of_the_endpoint_is_authorized(authorization, allowed):
    headers = {} if authorization is None else {"authorization": authorization}
    request = scoring_request("ep", {}, key=None, **headers)
    assert rules.is_authorized(endpoint({"a": 100}), request) is allowed


def test_an_endpoint_without_keys_authorizes_nobody():
    assert not rules.is_authorized(endpoint({"a": 100}, keys=("",)), scoring_request("ep", {}, key=""))


def test_pick_by_traffic_follows_the_weights():
    rng = random.Random(7)
    counts = collections.Counter(rules.pick_by_traffic(endpoint({"a": 70, "b": 30, "c": 0}), rng) for _ in range(10000))
    assert set(counts) == {"a", "b"}
    assert 6700 <= counts["a"] <= 7300


def test_pick_by_traffic_is_none_without_positive_weight():
    assert rules.pick_by_traffic(endpoint({"a": 0}), random.Random()) is None
    assert rules.pick_by_traffic(endpoint({}), random.Random()) is None


def test_mirror_share_follows_the_percentage():
    rng = random.Random(11)
    mirrored = sum(rules.mirror_for(endpoint({"a": 100}, {"b": 10}), rng) == "b" for _ in range(10000))
    assert 900 <= mirrored <= 1100
    assert rules.mirror_for(endpoint({"a": 100}, {"b": 0}), rng) is None


def test_the_deployment_header_matches_names_case_insensitively():
    request = scoring_request("ep", {}, deployment="GREEN")
    assert rules.requested_deployment(endpoint({"blue": 100}), request, {"blue", "green"}) == "green"
    assert rules.requested_deployment(endpoint({"blue": 100}), scoring_request("ep", {}), {"blue"}) is None


SERVER_LOG = """\
2026-01-01 10:00:00,001 I [7] azmlinfsrv.user_script - Invoking user's init function
2026-01-01 10:00:00,002 E [7] azmlinfsrv - Encountered Exception Traceback (most recent call last):
  File "/srv/user_script.py", line 119, in invoke_init
    self._user_init()
  File "/code/score.py", line 3, in init
    raise RuntimeError("no model")
RuntimeError: no model

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/srv/aml_blueprint.py", line 109, in setup
    self.user_script.invoke_init()
UserScriptException: Caught an unhandled exception from the user script

2026-01-01 10:00:00,003 I [7] gunicorn.error - Worker exiting (pid: 7)
2026-01-01 10:00:00,100 E [6] gunicorn.error - Reason: Worker failed to boot.
"""


def test_the_excerpt_is_the_users_exception_not_the_servers_wrapper():
    excerpt = last_exception(SERVER_LOG)
    assert excerpt.splitlines()[0] == "Traceback (most recent call last):"
    assert excerpt.splitlines()[-1] == "RuntimeError: no model"
    assert "UserScriptException" not in excerpt


def test_the_message_starts_with_azures_resource_not_ready_wording():
    message = not_ready_message(SERVER_LOG, timed_out=False)
    assert message.startswith(CRASHED)
    assert message.endswith("RuntimeError: no model")


def test_without_a_traceback_the_last_log_lines_are_shown():
    assert last_exception("a\n\nb\nReason: Worker failed to boot.\n").splitlines() == [
        "a",
        "b",
        "Reason: Worker failed to boot.",
    ]
