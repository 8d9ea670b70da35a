"""Bounded loopback load test of an emulated endpoint's scoring route.

    .venv/bin/python benchmarks/scoring_load.py [--clients 32] [--seconds 10] [--mode proxy|direct]

Starts an emulator with the inference-server runtime, deploys the article's blue
(model-1) and green (model-2) through the azure-ai-ml SDK, then lets `--clients`
threads invoke the scoring URI over keep-alive HTTPS for `--seconds` while the
endpoint's traffic is changed through the SDK every second. Every answer is
checked: status 200, the `azureml-model-deployment` header names a deployment that
had traffic at some moment while the request was in flight, and the body is that
deployment's model's prediction. Prints requests/second; exits 1 if any answer
failed a check.

Each deployment admits 2 x max_concurrent_requests_per_instance x instance_count
requests at once (Azure's 429 rule); the deployments are sized so that all clients
fit, so no request may get 429 here.

Azure documents 500 requests/second per endpoint.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import io
import json
import ssl
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
ONLINE = REPO / "snippets" / "cli" / "endpoints" / "online"
SAMPLE_REQUEST = ONLINE / "model-1" / "sample-request.json"
IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"
ENDPOINT = "load-endpoint"
MODELS = {"blue": "model-1", "green": "model-2"}
# Traffic states the changer cycles through, one per interval.
SCHEDULE = (
    {"blue": 100, "green": 0},
    {"blue": 50, "green": 50},
    {"blue": 0, "green": 100},
    {"blue": 90, "green": 10},
)


@dataclass
class TrafficChange:
    began: float  # monotonic time the update was sent
    ended: float  # monotonic time the SDK reported it done
    traffic: dict[str, int]


@dataclass
class Answer:
    sent: float
    received: float
    status: int
    deployment: str | None
    body: bytes


@dataclass
class LoadReport:
    seconds: float
    answers: list[Answer]
    changes: list[TrafficChange]
    failures: list[str] = field(default_factory=list)

    @property
    def ok_per_second(self) -> float:
        return sum(1 for answer in self.answers if answer.status == 200) / self.seconds

    def by_status(self) -> dict[int, int]:
        return dict(collections.Counter(answer.status for answer in self.answers))

    def by_deployment(self) -> dict[str, int]:
        return dict(collections.Counter(answer.deployment for answer in self.answers if answer.status == 200))


def deploy(ml, clients: int) -> None:
    """Endpoint, blue (model-1) and green (model-2), each able to take every client at once."""
    from azure.ai.ml.entities import (
        CodeConfiguration,
        Environment,
        ManagedOnlineDeployment,
        ManagedOnlineEndpoint,
        Model,
        OnlineRequestSettings,
    )

    ml.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT, auth_mode="key")).result()
    for name, model in MODELS.items():
        folder = ONLINE / model
        ml.online_deployments.begin_create_or_update(
            ManagedOnlineDeployment(
                name=name,
                endpoint_name=ENDPOINT,
                model=Model(path=str(folder / "model")),
                code_configuration=CodeConfiguration(code=str(folder / "onlinescoring"), scoring_script="score.py"),
                environment=Environment(conda_file=str(folder / "environment" / "conda.yaml"), image=IMAGE),
                instance_type="Standard_DS3_v2",
                instance_count=1,
                # 2 x max_concurrent x 1 instance >= clients: all clients fit, so 429 would be a fault.
                request_settings=OnlineRequestSettings(max_concurrent_requests_per_instance=max(1, (clients + 1) // 2)),
            )
        ).result()
    set_traffic(ml, SCHEDULE[0])


def set_traffic(ml, traffic: dict[str, int]) -> None:
    endpoint = ml.online_endpoints.get(ENDPOINT)
    endpoint.traffic = dict(traffic)
    ml.online_endpoints.begin_create_or_update(endpoint).result()


class ScoringClient:
    """One keep-alive HTTPS connection to the scoring URI, through the emulator's proxy or directly."""

    def __init__(self, scoring_uri: str, key: str, proxy_port: int | None, ca_file: str, body: bytes) -> None:
        split = urlsplit(scoring_uri)
        context = ssl.create_default_context(cafile=ca_file)
        if proxy_port is not None:
            self.connection = http.client.HTTPSConnection("127.0.0.1", proxy_port, context=context, timeout=30)
            self.connection.set_tunnel(split.hostname, split.port or 443)
        else:
            self.connection = http.client.HTTPSConnection(split.hostname, split.port, context=context, timeout=30)
        self.path = split.path
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        self.body = body

    def invoke(self, deployment: str | None = None) -> Answer:
        headers = dict(self.headers)
        if deployment:
            headers["azureml-model-deployment"] = deployment
        sent = time.monotonic()
        try:
            self.connection.request("POST", self.path, body=self.body, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            return Answer(sent, time.monotonic(), 0, None, repr(error).encode())
        return Answer(sent, time.monotonic(), response.status, response.getheader("azureml-model-deployment"), body)


def run_load(emu, ml, clients: int, seconds: float, change_every_s: float = 1.0) -> LoadReport:
    """Drive the deployed endpoint; the caller has called `deploy` first."""
    scoring_uri = ml.online_endpoints.get(ENDPOINT).scoring_uri
    key = ml.online_endpoints.get_keys(ENDPOINT).primary_key
    body = json.dumps(json.loads(SAMPLE_REQUEST.read_text())).encode()
    proxy_port = emu.port if emu.mode == "proxy" else None
    ca_file = str(emu.state_dir / "ca.pem")

    def client() -> ScoringClient:
        return ScoringClient(scoring_uri, key, proxy_port, ca_file, body)

    probe = client()
    expected = {}
    for name in MODELS:
        answer = probe.invoke(name)
        if answer.status != 200:
            raise SystemExit(f"scoring_load: deployment {name} does not answer: {answer.status} {answer.body[:200]!r}")
        expected[name] = json.loads(answer.body)

    answers: list[Answer] = []
    changes: list[TrafficChange] = []
    lock = threading.Lock()
    stop = threading.Event()
    start = threading.Barrier(clients + 1)

    def invoke_until_stopped() -> None:
        mine = []
        connection = client()
        start.wait()
        while not stop.is_set():
            mine.append(connection.invoke())
        with lock:
            answers.extend(mine)

    def change_traffic(began_at: float) -> None:
        step = 1
        while not stop.wait(max(0.0, began_at + step * change_every_s - time.monotonic())):
            traffic = SCHEDULE[step % len(SCHEDULE)]
            began = time.monotonic()
            set_traffic(ml, traffic)
            changes.append(TrafficChange(began, time.monotonic(), dict(traffic)))
            step += 1

    threads = [threading.Thread(target=invoke_until_stopped) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    changer = threading.Thread(target=change_traffic, args=(began,))
    changer.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    changer.join()

    report = LoadReport(elapsed, answers, changes)
    report.failures = check(answers, changes, expected)
    return report


def check(answers: list[Answer], changes: list[TrafficChange], expected: dict[str, object]) -> list[str]:
    """Every answer is a 200 from a deployment that had traffic while the request was in flight."""
    # State i may be in force from when its update was sent until the next update is done.
    windows = []
    states = [(float("-inf"), SCHEDULE[0])] + [(change.began, change.traffic) for change in changes]
    for index, (since, traffic) in enumerate(states):
        until = changes[index].ended if index < len(changes) else float("inf")
        windows.append((since, until, {name for name, weight in traffic.items() if weight > 0}))
    failures = []
    for answer in answers:
        if answer.status != 200:
            failures.append(f"status {answer.status}: {answer.body[:200]!r}")
            continue
        allowed = set().union(
            *(names for since, until, names in windows if since <= answer.received and until >= answer.sent)
        )
        if answer.deployment not in allowed:
            failures.append(
                f"answered by {answer.deployment!r}, which had no traffic then (allowed: {sorted(allowed)})"
            )
        elif json.loads(answer.body) != expected[answer.deployment]:
            failures.append(f"{answer.deployment} answered {answer.body[:200]!r}, not its model's prediction")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--mode", choices=["proxy", "direct"], default="proxy")
    args = parser.parse_args(argv)

    from amlemu.testing import running_emulator

    with tempfile.TemporaryDirectory(prefix="amlemu-load-") as folder:
        with running_emulator(Path(folder) / "state", mode=args.mode, runtime="inference-server") as emu:
            ml = emu.ml_client()
            with contextlib.redirect_stdout(io.StringIO()):  # the SDK prints a dot per poll
                deploy(ml, args.clients)
                report = run_load(emu, ml, args.clients, args.seconds)

    print(
        f"clients: {args.clients}, duration: {report.seconds:.1f} s, mode: {args.mode}, "
        f"traffic changes: {len(report.changes)}"
    )
    print(f"answers by status: {report.by_status()}; by deployment: {report.by_deployment()}")
    print(f"requests/second (200 only): {report.ok_per_second:.0f}")
    for failure in report.failures[:20]:
        print(f"FAILED: {failure}")
    if report.failures:
        print(f"{len(report.failures)} answers failed a check")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
