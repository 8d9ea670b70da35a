"""A scoring runtime that runs nothing and writes down what it was asked.

Each call is appended as one JSON line to `<state>/runtime-calls.jsonl`, so a test in
another process can see that the control plane started, restarted and stopped the right
deployments (for example after a restart from the state folder). A deployment whose
environment variables include `AMLEMU_RECORDING_FAIL` fails to start with that text as
its error, which exercises the `Failed` path without any scoring code.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict
from pathlib import Path

from amlemu.http_messages import Request, Response
from amlemu.scoring_contract import DeploymentSpec, EndpointRouting, StartResult

FAIL_VARIABLE = "AMLEMU_RECORDING_FAIL"


class RecordingRuntime:
    def __init__(self, state_dir: Path) -> None:
        self.journal = state_dir / "runtime-calls.jsonl"
        self._lock = threading.Lock()

    def _record(self, call: str, **fields: object) -> None:
        line = json.dumps({"call": call, **fields}, default=str)
        with self._lock, open(self.journal, "a") as handle:
            handle.write(line + "\n")

    def start(self, spec: DeploymentSpec) -> StartResult:
        files = (
            sorted(str(p.relative_to(spec.code_dir)) for p in spec.code_dir.rglob("*") if p.is_file())
            if spec.code_dir
            else []
        )
        self._record("start", spec=asdict(spec), code_files=files)
        failure = spec.environment_variables.get(FAIL_VARIABLE)
        return StartResult(ok=False, error=failure) if failure else StartResult(ok=True)

    def stop(self, endpoint: str, deployment: str) -> None:
        self._record("stop", endpoint=endpoint, deployment=deployment)

    def logs(self, endpoint: str, deployment: str, tail: int | None = None) -> str:
        self._record("logs", endpoint=endpoint, deployment=deployment, tail=tail)
        return f"recorded logs of {endpoint}/{deployment}\n"

    def score(self, routing: EndpointRouting, request: Request) -> Response:
        self._record("score", routing=asdict(routing), path=request.path)
        return Response.json(200, {"endpoint": routing.endpoint, "traffic": routing.traffic})

    def shutdown(self) -> None:
        self._record("shutdown")


def read_journal(state_dir: Path) -> list[dict]:
    path = state_dir / "runtime-calls.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
