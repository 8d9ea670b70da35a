"""Raw ARM calls against an emulator, for rules the SDK would stop before sending."""

from __future__ import annotations

from typing import Any

import requests

from amlemu.testing import RunningEmulator

API = "2023-04-01"


class ArmSession:
    def __init__(self, emu: RunningEmulator) -> None:
        self.emu = emu
        credential = emu.credential()  # also puts the proxy and CA variables into os.environ
        self.token = credential.get_token(f"{emu.arm_url}/.default").token
        identity = emu.identity
        self.workspace = (
            f"/subscriptions/{identity.subscription_id}/resourceGroups/{identity.resource_group}"
            f"/providers/Microsoft.MachineLearningServices/workspaces/{identity.workspace}"
        )
        self.session = requests.Session()
        self.ca = str(emu.state_dir / "ca.pem")  # explicit: os.environ holds one bundle, tests may run two emulators

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        api_version: str | None = API,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> requests.Response:
        url = self.emu.arm_url + path
        params = {"api-version": api_version} if api_version else {}
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        if raw is not None:
            return self.session.request(
                method,
                url,
                params=params,
                data=raw,
                verify=self.ca,
                headers={"Content-Type": "application/json", **sent},
            )
        return self.session.request(method, url, params=params, json=body, headers=sent, verify=self.ca)

    def ws(self, method: str, relative: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.call(method, self.workspace + relative, body, **kw)


def error_of(response: requests.Response) -> tuple[int, str, str]:
    error = response.json()["error"]
    return response.status_code, error["code"], error["message"]


def endpoint_body(auth_mode: str = "Key", traffic: dict | None = None, mirror: dict | None = None) -> dict:
    return {
        "location": "eastus",
        "identity": {"type": "SystemAssigned"},
        "properties": {"authMode": auth_mode, "traffic": traffic or {}, "mirrorTraffic": mirror or {}},
    }


def deployment_body(instance_type: str = "Standard_DS3_v2", capacity: Any = 1, scale: dict | None = None) -> dict:
    return {
        "location": "eastus",
        "sku": {"name": "Default", "capacity": capacity},
        "properties": {
            "endpointComputeType": "Managed",
            "instanceType": instance_type,
            "scaleSettings": scale or {"scaleType": "Default"},
        },
    }
