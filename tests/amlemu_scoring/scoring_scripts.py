"""Small scoring scripts and deployment specs for the runtime tests.

Each script is written into a code folder of its own, with a model folder laid
out as Azure lays out AZUREML_MODEL_DIR (`<model dir>/model/<file>`).
"""

from __future__ import annotations

import json
import os
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from amlemu.http_messages import Request
from amlemu.scoring_contract import DeploymentSpec

# Answers which deployment (by its environment variable), process and model answered.
WHOAMI = """
import json, os, time

answer = None

def init():
    global answer
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "answer.txt")) as f:
        answer = f.read().strip()
    print("whoami init done")

def run(raw_data):
    request = json.loads(raw_data) if raw_data else {}
    if request.get("sleep"):
        time.sleep(request["sleep"])
    print("whoami scored", request.get("tag", ""))
    return {"deployment": os.environ["WHOAMI_NAME"], "pid": os.getpid(), "model": answer}
"""

FAILING_INIT = """
def init():
    raise RuntimeError("the model file is corrupt (raised on purpose)")

def run(raw_data):
    return "never"
"""

FAILING_RUN = """
def init():
    pass

def run(raw_data):
    raise ValueError("cannot score this input (raised on purpose)")
"""


def write_code(root: Path, name: str, source: str) -> Path:
    code = root / name / "onlinescoring"
    code.mkdir(parents=True, exist_ok=True)
    (code / "score.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return code


def write_model(root: Path, name: str, answer: str) -> Path:
    model_dir = root / name / "azureml-models" / name / "1"
    (model_dir / "model").mkdir(parents=True, exist_ok=True)
    (model_dir / "model" / "answer.txt").write_text(answer, encoding="utf-8")
    return model_dir


def whoami_spec(root: Path, endpoint: str, deployment: str, **overrides: object) -> DeploymentSpec:
    code = write_code(root, deployment, WHOAMI)
    model = write_model(root, deployment, f"model of {deployment}")
    values: dict[str, object] = {
        "endpoint": endpoint,
        "deployment": deployment,
        "model_dir": model,
        "code_dir": code,
        "scoring_script": "score.py",
        "instance_count": 1,
        "environment_variables": {"WHOAMI_NAME": deployment},
    }
    values.update(overrides)
    return DeploymentSpec(**values)  # type: ignore[arg-type]


def script_spec(root: Path, endpoint: str, deployment: str, source: str, **overrides: object) -> DeploymentSpec:
    values: dict[str, object] = {
        "endpoint": endpoint,
        "deployment": deployment,
        "model_dir": None,
        "code_dir": write_code(root, deployment, source),
        "scoring_script": "score.py",
        "instance_count": 1,
    }
    values.update(overrides)
    return DeploymentSpec(**values)  # type: ignore[arg-type]


def scoring_request(
    endpoint: str, payload: object, key: str | None = "key-1", deployment: str | None = None, **headers: str
) -> Request:
    all_headers = {"content-type": "application/json", **{k.replace("_", "-"): v for k, v in headers.items()}}
    if key is not None:
        all_headers["authorization"] = f"Bearer {key}"
    if deployment is not None:
        all_headers["azureml-model-deployment"] = deployment
    return Request(
        method="POST",
        host=f"{endpoint}.westus2.inference.ml.azure.com",
        path="/score",
        query={},
        headers=all_headers,
        body=json.dumps(payload).encode("utf-8"),
    )


def processes_mentioning(marker: str) -> set[int]:
    """Live processes whose command line contains `marker` (servers and their forked workers)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            found.add(int(entry.name))
    return found


def wait_for_count(read: Callable[[], int], minimum: int, timeout_s: float = 10.0) -> int:
    """Poll `read` until it reaches `minimum` (mirrored requests land in the background) or time runs out."""
    deadline = time.monotonic() + timeout_s
    value = read()
    while value < minimum and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value
