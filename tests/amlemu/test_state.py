"""State survives SIGKILL; two emulators on two folders are strangers; the folder is private."""

from __future__ import annotations

import hashlib
import stat
import time
from pathlib import Path

import pytest
from arm_client import ArmSession
from azure.ai.ml.entities import ManagedOnlineEndpoint
from safe_rollout_flow import deployment, write_flow_files

from amlemu.recording_runtime import read_journal
from amlemu.testing import running_emulator


def _endpoint_snapshot(ml, name: str) -> dict:
    endpoint = ml.online_endpoints.get(name)
    keys = ml.online_endpoints.get_keys(name)
    deployments = {
        d.name: (
            d.instance_count,
            d.instance_type,
            d.model,
            d.code_configuration.code,
            d.environment,
            d.provisioning_state,
        )
        for d in ml.online_deployments.list(name)
    }
    return {
        "traffic": endpoint.traffic,
        "mirror": endpoint.mirror_traffic,
        "scoring_uri": endpoint.scoring_uri,
        "keys": (keys.primary_key, keys.secondary_key),
        "deployments": deployments,
        "id": endpoint.id,
    }


def _download_digests(ml, model_arm_id: str, target: Path) -> dict[str, str]:
    name, version = model_arm_id.rsplit("/models/", 1)[1].split("/versions/")
    ml.models.download(name, version, download_path=target)
    return {
        str(p.relative_to(target)): hashlib.sha256(p.read_bytes()).hexdigest() for p in target.rglob("*") if p.is_file()
    }


def test_sigkill_and_restart_lose_nothing_acknowledged(tmp_path: Path) -> None:
    files = write_flow_files(tmp_path / "files")
    with running_emulator(tmp_path / "state", runtime="recording") as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="keep-ep")).result()
        ml.online_deployments.begin_create_or_update(deployment("blue", "keep-ep", files, instance_count=2)).result()
        ml.online_deployments.begin_create_or_update(deployment("green", "keep-ep", files)).result()
        endpoint = ml.online_endpoints.get("keep-ep")
        endpoint.traffic, endpoint.mirror_traffic = {"blue": 100}, {"green": 20}
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        ml.online_endpoints.begin_regenerate_keys("keep-ep", key_type="secondary").result()
        before = _endpoint_snapshot(ml, "keep-ep")
        model_digests = _download_digests(ml, before["deployments"]["blue"][2], tmp_path / "before")
        port = emu.port

        emu.kill()
        with pytest.raises(Exception):  # noqa: B017 - whatever the SDK raises for a 404, it must raise
            ml.online_endpoints.get("keep-ep")  # really gone
        journal_before = len(read_journal(emu.state_dir))
        emu.restart()

        assert emu.port == port
        after = _endpoint_snapshot(ml, "keep-ep")
        assert after == before
        assert _download_digests(ml, after["deployments"]["blue"][2], tmp_path / "after") == model_digests
        # the scoring of every Succeeded deployment was started again, with its files
        restarted = [c for c in read_journal(emu.state_dir)[journal_before:] if c["call"] == "start"]
        assert sorted((c["spec"]["deployment"], c["spec"]["instance_count"]) for c in restarted) == [
            ("blue", 2),
            ("green", 1),
        ]
        assert all(c["code_files"] == ["score.py"] for c in restarted)


def test_an_operation_in_flight_at_sigkill_is_finished_after_restart(tmp_path: Path) -> None:
    files = write_flow_files(tmp_path / "files")
    with running_emulator(tmp_path / "state", runtime="recording", operation_delay_ms=1500) as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="flight-ep")).result()
        ml.online_deployments.begin_create_or_update(deployment("blue", "flight-ep", files))  # acknowledged, not done
        assert ml.online_deployments.get("blue", "flight-ep").provisioning_state == "Creating"
        emu.kill()
        emu.restart()
        deadline = time.monotonic() + 10
        while ml.online_deployments.get("blue", "flight-ep").provisioning_state != "Succeeded":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert [c["spec"]["deployment"] for c in read_journal(emu.state_dir) if c["call"] == "start"] == ["blue"]


def test_failed_start_makes_the_deployment_failed(tmp_path: Path) -> None:
    from azure.core.exceptions import HttpResponseError

    files = write_flow_files(tmp_path / "files")
    with running_emulator(tmp_path / "state", runtime="recording") as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="fail-ep")).result()
        broken = deployment("blue", "fail-ep", files)
        broken.environment_variables = {"AMLEMU_RECORDING_FAIL": "User container has crashed or terminated."}
        with pytest.raises(HttpResponseError) as raised:
            ml.online_deployments.begin_create_or_update(broken).result()
        assert "ResourceNotReady" in str(raised.value)
        assert "User container has crashed or terminated." in str(raised.value)
        assert ml.online_deployments.get("blue", "fail-ep").provisioning_state == "Failed"


def test_traffic_changes_do_not_restart_scoring_but_scaling_does(tmp_path: Path) -> None:
    files = write_flow_files(tmp_path / "files")
    with running_emulator(tmp_path / "state", runtime="recording") as emu:
        ml = emu.ml_client()
        ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="calls-ep")).result()
        ml.online_deployments.begin_create_or_update(deployment("blue", "calls-ep", files)).result()
        endpoint = ml.online_endpoints.get("calls-ep")
        endpoint.traffic = {"blue": 100}
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        blue = ml.online_deployments.get("blue", "calls-ep")
        blue.tags = {"only": "tags"}
        ml.online_deployments.begin_create_or_update(blue).result()
        blue = ml.online_deployments.get("blue", "calls-ep")
        blue.instance_count = 3
        ml.online_deployments.begin_create_or_update(blue).result()
        ml.online_deployments.get_logs("blue", "calls-ep", lines=10)
        endpoint.traffic = {}
        ml.online_endpoints.begin_create_or_update(endpoint).result()
        ml.online_endpoints.begin_delete("calls-ep").result()
        calls = [
            (c["call"], c.get("spec", {}).get("instance_count", c.get("deployment")))
            for c in read_journal(emu.state_dir)
        ]
        assert calls == [("start", 1), ("start", 3), ("logs", "blue"), ("stop", "blue")]


def test_two_emulators_on_two_folders_never_see_each_other(tmp_path: Path) -> None:
    with (
        running_emulator(tmp_path / "one", mode="direct") as one,
        running_emulator(tmp_path / "two", mode="direct") as two,
    ):
        assert one.identity.subscription_id != two.identity.subscription_id
        ml_one = one.ml_client()
        ml_one.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="private-ep")).result()
        ml_two = two.ml_client()
        assert list(ml_two.online_endpoints.list()) == []
        ml_two.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="private-ep")).result()
        # a token from one is worthless at the other
        arm_two = ArmSession(two)
        arm_two.token = ArmSession(one).token
        assert arm_two.ws("GET", "").status_code in (401, 404)
        assert arm_two.call("GET", arm_two.workspace, headers={}).status_code == 401
        assert (one.state_dir / "ca.pem").read_bytes() != (two.state_dir / "ca.pem").read_bytes()


def test_state_folder_and_ca_key_are_owner_only(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "state") as emu:
        folder_mode = stat.S_IMODE(emu.state_dir.stat().st_mode)
        assert folder_mode == 0o700
        for secret in ("ca-key.pem", "server-key.pem", "emulator.json"):
            assert stat.S_IMODE((emu.state_dir / secret).stat().st_mode) == 0o600, secret
