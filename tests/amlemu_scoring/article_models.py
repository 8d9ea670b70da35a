"""The article's two models as SDK entities, and the answers each one must give.

The expected answers are computed here, in the test process, from the same model
files: a reply equal to model-1's prediction can only come from a server that
loaded model-1.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ONLINE = REPO / "snippets" / "cli" / "endpoints" / "online"
IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"
SAMPLE_REQUEST = ONLINE / "model-1" / "sample-request.json"


def deployment(
    name: str,
    endpoint: str,
    model: str,
    instance_count: int = 1,
    max_concurrent: int | None = None,
    code: Path | None = None,
):
    """A managed deployment of `model-1` or `model-2`, as the article's YAML describes it."""
    from azure.ai.ml.entities import (
        CodeConfiguration,
        Environment,
        ManagedOnlineDeployment,
        Model,
        OnlineRequestSettings,
    )

    folder = ONLINE / model
    extra = {}
    if max_concurrent is not None:
        extra["request_settings"] = OnlineRequestSettings(max_concurrent_requests_per_instance=max_concurrent)
    return ManagedOnlineDeployment(
        name=name,
        endpoint_name=endpoint,
        model=Model(path=str(folder / "model")),
        code_configuration=CodeConfiguration(code=str(code or folder / "onlinescoring"), scoring_script="score.py"),
        environment=Environment(conda_file=str(folder / "environment" / "conda.yaml"), image=IMAGE),
        instance_type="Standard_DS3_v2",
        instance_count=instance_count,
        **extra,
    )


@cache
def expected_answer(model: str) -> list[float]:
    """What `model`'s score.py answers for the sample request."""
    import joblib
    import numpy as np

    rows = np.asarray(json.loads(SAMPLE_REQUEST.read_text())["data"], dtype=float)
    estimator = joblib.load(ONLINE / model / "model" / "sklearn_regression_model.pkl")
    return [round(float(value), 2) for value in estimator.predict(rows)]


def sample_body() -> bytes:
    return json.dumps(json.loads(SAMPLE_REQUEST.read_text())).encode("utf-8")
