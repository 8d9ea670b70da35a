"""The safe-rollout flow through the real azure-ai-ml SDK, in proxy and direct mode.

Every step is checked against the workspace state read back through the SDK, and the
uploaded code and model are compared byte for byte with the local files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ResourceNotFoundError
from safe_rollout_flow import FlowFiles, run_flow, write_flow_files

from amlemu.store.blobs import BlobStore
from amlemu.testing import RunningEmulator, running_emulator

ENDPOINT = "rollout-ep"


def _digests(folder: Path) -> dict[str, str]:
    return {
        f"{folder.name}/{p.relative_to(folder)}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def _asset_name_version(arm_id: str) -> tuple[str, str]:
    match = re.search(r"/(?:codes|models)/([^/]+)/versions/([^/]+)$", arm_id)
    assert match, arm_id
    return match.group(1), match.group(2)


def _stored_files(emu: RunningEmulator, account: str, container: str, prefix: str) -> dict[str, str]:
    store = BlobStore(emu.state_dir / "blobs")
    try:
        base = prefix.rstrip("/").rsplit("/", 1)[-1]
        return {
            f"{base}/{props.name[len(prefix) :].lstrip('/')}": hashlib.sha256(store.read(props)).hexdigest()
            for props in store.list(account, container, prefix.rstrip("/") + "/")
        }
    finally:
        store.close()


class Checker:
    """Checks the state after each named step of the flow."""

    def __init__(self, emu: RunningEmulator, ml: Any, files: FlowFiles, tmp: Path) -> None:
        self.emu, self.ml, self.files, self.tmp = emu, ml, files, tmp
        self.steps: list[str] = []

    def __call__(self, step: str) -> None:
        self.steps.append(step)
        getattr(self, "check_" + re.sub(r"\W+", "_", step).strip("_"))()

    def endpoint(self) -> Any:
        return self.ml.online_endpoints.get(ENDPOINT)

    def check_create_endpoint(self) -> None:
        endpoint = self.endpoint()
        assert endpoint.provisioning_state == "Succeeded"
        assert endpoint.auth_mode == "key"
        assert endpoint.description == "safe rollout"
        region = self.emu.identity.region
        if self.emu.mode == "proxy":
            assert endpoint.scoring_uri == f"https://{ENDPOINT}.{region}.inference.ml.azure.com/score"
        else:
            assert endpoint.scoring_uri.startswith(f"https://127.0.0.1:{self.emu.port}/")
        assert [e.name for e in self.ml.online_endpoints.list()] == [ENDPOINT]
        assert endpoint.traffic == {} and endpoint.mirror_traffic == {}

    def check_create_blue_100_traffic(self) -> None:
        blue = self.ml.online_deployments.get("blue", ENDPOINT)
        assert blue.provisioning_state == "Succeeded"
        assert blue.instance_count == 1 and blue.instance_type == "Standard_DS3_v2"
        assert blue.code_configuration.scoring_script == "score.py"
        assert self.endpoint().traffic == {"blue": 100}
        self.check_uploads(blue)

    def check_uploads(self, deployment: Any) -> None:
        """The code and model in the blob store are byte-identical to the local folders."""
        identity = self.emu.identity
        code_name, code_version = _asset_name_version(deployment.code_configuration.code)
        code = self.ml._code.get(code_name, code_version)
        match = re.match(r"https://[^/]+/(?:(?P<account>[^/]+)/)?(?P<container>[^/]+)/(?P<prefix>.+)$", str(code.path))
        if self.emu.mode == "proxy":
            match = re.match(
                r"https://(?P<account>[^.]+)\.blob\.core\.windows\.net/(?P<container>[^/]+)/(?P<prefix>.+)$",
                str(code.path),
            )
        assert match, code.path
        assert match.group("account") == identity.storage_account
        expected_code = _digests(self.files.code_dir)
        assert (
            _stored_files(self.emu, identity.storage_account, match.group("container"), match.group("prefix"))
            == expected_code
        )

        model_name, model_version = _asset_name_version(deployment.model)
        model = self.ml.models.get(model_name, model_version)
        datastore_path = str(model.path).split("/paths/", 1)[1]
        container = self.ml.datastores.get("workspaceblobstore").container_name
        expected_model = _digests(self.files.model_dir)
        assert _stored_files(self.emu, identity.storage_account, container, datastore_path) == expected_model

        # and the SDK downloads the same bytes back through the emulated blob service
        target = self.tmp / f"download-{len(self.steps)}"
        self.ml.models.download(model_name, model_version, download_path=target)
        assert _digests(next(p for p in target.rglob("model") if p.is_dir())) == expected_model

    def check_scale_blue_to_2(self) -> None:
        blue = self.ml.online_deployments.get("blue", ENDPOINT)
        assert blue.instance_count == 2 and blue.provisioning_state == "Succeeded"

    def check_create_green_0_traffic(self) -> None:
        green = self.ml.online_deployments.get("green", ENDPOINT)
        assert green.provisioning_state == "Succeeded" and green.instance_count == 1
        assert sorted(d.name for d in self.ml.online_deployments.list(ENDPOINT)) == ["blue", "green"]
        assert self.endpoint().traffic == {"blue": 100, "green": 0}

    def check_mirror_10_to_green(self) -> None:
        endpoint = self.endpoint()
        assert endpoint.mirror_traffic == {"green": 10}
        assert endpoint.traffic == {"blue": 100}  # the SDK adds 0 only for deployments without mirror traffic

    def check_stop_mirroring_90_10_traffic(self) -> None:
        endpoint = self.endpoint()
        assert endpoint.traffic == {"blue": 90, "green": 10}
        assert endpoint.mirror_traffic == {}

    def check_0_100_traffic(self) -> None:
        assert self.endpoint().traffic == {"blue": 0, "green": 100}

    def check_get_and_regenerate_keys(self) -> None:
        keys = self.ml.online_endpoints.get_keys(ENDPOINT)
        self.keys_now = (keys.primary_key, keys.secondary_key)
        assert all(self.keys_now)

    def check_delete_blue(self) -> None:
        assert [d.name for d in self.ml.online_deployments.list(ENDPOINT)] == ["green"]
        with pytest.raises(ResourceNotFoundError):
            self.ml.online_deployments.get("blue", ENDPOINT)
        assert self.endpoint().traffic == {"green": 100}

    def check_delete_endpoint(self) -> None:
        with pytest.raises(ResourceNotFoundError):
            self.endpoint()
        assert list(self.ml.online_endpoints.list()) == []


@pytest.mark.parametrize("mode", ["proxy", "direct"])
def test_safe_rollout_flow_through_the_sdk(mode: str, tmp_path: Path) -> None:
    files = write_flow_files(tmp_path / "files")
    with running_emulator(tmp_path / "state", mode=mode) as emu:
        ml = emu.ml_client()
        checker = Checker(emu, ml, files, tmp_path)
        seen = run_flow(ml, files, ENDPOINT, checker)
    assert len(checker.steps) == 10
    before, after = seen["keys_before"], seen["keys_after"]
    assert after.primary_key != before.primary_key
    assert after.secondary_key == before.secondary_key
    assert checker.keys_now == (after.primary_key, after.secondary_key)
