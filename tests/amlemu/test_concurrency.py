"""Eight clients create, update and delete deployments on two endpoints at once for ten
seconds, through the proxy. Every acknowledged change is visible afterwards, conflicting
operations get 409, and nothing else fails."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from arm_client import ArmSession, deployment_body, endpoint_body

from amlemu.testing import running_emulator

CLIENTS = 8
DURATION_S = 10.0
ENDPOINTS = ("busy-one", "busy-two")
DEPLOYMENTS = ("d-a", "d-b", "d-c")


def _settle(session: requests.Session, arm: ArmSession, status_url: str) -> dict:
    while True:
        status = session.get(status_url, headers={"Authorization": f"Bearer {arm.token}"}, verify=arm.ca).json()
        if status["status"] != "InProgress":
            return status
        time.sleep(0.01)


def test_eight_clients_for_ten_seconds(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "state", mode="proxy", operation_delay_ms=40) as emu:
        arm = ArmSession(emu)
        for endpoint in ENDPOINTS:
            response = arm.ws("PUT", f"/onlineEndpoints/{endpoint}", endpoint_body())
            assert response.status_code == 201
            _settle(arm.session, arm, response.headers["Azure-AsyncOperation"])

        acknowledged: list[tuple[str, str, str, int, str]] = []  # endpoint, deployment, action, capacity, status url
        statuses: Counter[int] = Counter()
        unexpected: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + DURATION_S

        def client(seed: int) -> None:
            rng = random.Random(seed)
            session = requests.Session()
            headers = {"Authorization": f"Bearer {arm.token}"}
            while time.monotonic() < deadline:
                endpoint, deployment = rng.choice(ENDPOINTS), rng.choice(DEPLOYMENTS)
                url = f"{emu.arm_url}{arm.workspace}/onlineEndpoints/{endpoint}/deployments/{deployment}"
                if rng.random() < 0.7:
                    capacity = rng.randint(1, 5)
                    response = session.put(
                        url,
                        params={"api-version": "2023-04-01"},
                        headers=headers,
                        json=deployment_body(capacity=capacity),
                        verify=arm.ca,
                    )
                    action = "put"
                else:
                    capacity = 0
                    response = session.delete(url, params={"api-version": "2023-04-01"}, headers=headers, verify=arm.ca)
                    action = "delete"
                with lock:
                    statuses[response.status_code] += 1
                if response.status_code in (200, 201, 202):
                    status_url = response.headers["Azure-AsyncOperation"]
                    with lock:
                        acknowledged.append((endpoint, deployment, action, capacity, status_url))
                    if rng.random() < 0.5:  # half the clients wait, half fire and forget
                        _settle(session, arm, status_url)
                elif response.status_code not in (204, 409):
                    with lock:
                        unexpected.append(f"{action} {endpoint}/{deployment}: {response.status_code} {response.text}")

        threads = [threading.Thread(target=client, args=(seed,)) for seed in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert unexpected == []
        assert statuses[409] > 0, statuses  # the clients did collide
        assert len(acknowledged) > 50, statuses
        # every acknowledged operation finished well; the last one per deployment (by the
        # operation's start on the server, which the 409 rule makes a total order) wins
        last: dict[tuple[str, str], tuple[str, str, int]] = {}
        for endpoint, deployment, action, capacity, status_url in acknowledged:
            status = _settle(arm.session, arm, status_url)
            # a DELETE cancels the create or update it overtakes; the delete itself then wins
            assert status["status"] == "Succeeded" or (status["status"] == "Canceled" and action == "put"), status
            key = (endpoint, deployment)
            if key not in last or status["startTime"] > last[key][0]:
                last[key] = (status["startTime"], action, capacity)
        for (endpoint, deployment), (_, action, capacity) in last.items():
            response = arm.ws("GET", f"/onlineEndpoints/{endpoint}/deployments/{deployment}")
            if action == "delete":
                assert response.status_code == 404, (endpoint, deployment)
            else:
                assert response.status_code == 200, (endpoint, deployment, response.text)
                assert response.json()["sku"]["capacity"] == capacity
                assert response.json()["properties"]["provisioningState"] == "Succeeded"
        listed = {
            (e, d["name"])
            for e in ENDPOINTS
            for d in arm.ws("GET", f"/onlineEndpoints/{e}/deployments").json()["value"]
        }
        assert listed == {key for key, (_, action, _) in last.items() if action == "put"}
