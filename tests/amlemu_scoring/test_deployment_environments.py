"""Deployments run in the environment their conda file describes, built with uv and cached.

On Azure a deployment's image is built from its environment's conda file on top of
the base image, so a scoring script finds exactly the packages (and versions) the
file lists. Builds here go to a test-scoped cache (`AMLEMU_ENV_CACHE` under tmp);
packages come from wheels written by the test, or from PyPI through uv's own cache
where a real release is the point (the inference server, an older `tabulate`).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from local_wheels import write_wheel
from scoring_scripts import scoring_request, script_spec

from amlemu.scoring.environments import EnvironmentCache, read_conda_file
from amlemu.scoring.environments.definition import conda_requirement
from amlemu.scoring.runtime import InferenceServerRuntime
from amlemu.scoring_contract import EndpointRouting

ENDPOINT = "environments"

REPORTS_PROBE = """
import json
import amlemu_probe

def init():
    pass

def run(raw_data):
    return {"probe": amlemu_probe.VERSION}
"""

REPORTS_TABULATE = """
import tabulate

def init():
    pass

def run(raw_data):
    return {"tabulate": tabulate.__version__}
"""


def conda_file(folder: Path, *pip: str, conda: tuple[str, ...] = ("python=3.11", "pip")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "conda.yaml"
    body = {"name": "model-env", "channels": ["conda-forge"], "dependencies": [*conda, {"pip": list(pip)}]}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def answer(runtime: InferenceServerRuntime, deployment: str) -> dict:
    routing = EndpointRouting(ENDPOINT, "key", ("key-1",), {deployment: 100}, {})
    response = runtime.score(routing, scoring_request(ENDPOINT, {}))
    assert response.status == 200, response.body
    return json.loads(response.body)


@pytest.fixture
def probe_wheelhouse(tmp_path, monkeypatch) -> Path:
    """A wheel of `amlemu-probe`, a package amlemu's own environment does not have, found by uv's find-links."""
    wheelhouse = tmp_path / "wheelhouse"
    write_wheel(wheelhouse, "amlemu-probe", "1.0", {"amlemu_probe.py": "VERSION = '1.0'\n"})
    monkeypatch.setenv("UV_FIND_LINKS", str(wheelhouse))
    return wheelhouse


@pytest.fixture
def runtime(tmp_path):
    runtime = InferenceServerRuntime(tmp_path / "state", environments=EnvironmentCache(root=tmp_path / "envs"))
    yield runtime
    runtime.shutdown()


def test_a_package_only_the_conda_file_lists_is_importable_by_the_scoring_script(runtime, tmp_path, probe_wheelhouse):
    spec = script_spec(
        tmp_path, ENDPOINT, "probe", REPORTS_PROBE, conda_file=conda_file(tmp_path / "env", "amlemu-probe==1.0")
    )
    result = runtime.start(spec)
    assert result.ok, runtime.logs(ENDPOINT, "probe")
    assert answer(runtime, "probe") == {"probe": "1.0"}
    assert "built from conda.yaml" in runtime.logs(ENDPOINT, "probe")


def test_a_pinned_version_older_than_amlemus_own_is_the_one_the_deployment_runs(runtime, tmp_path):
    """amlemu's environment has tabulate 0.10; the conda file pins 0.9.0 (from PyPI), as conda's `=` pin."""
    import tabulate

    assert tabulate.__version__ != "0.9.0"
    spec = script_spec(
        tmp_path,
        ENDPOINT,
        "pinned",
        REPORTS_TABULATE,
        conda_file=conda_file(tmp_path / "env", conda=("python=3.11", "pip", "tabulate=0.9.0")),
    )
    result = runtime.start(spec)
    assert result.ok, runtime.logs(ENDPOINT, "pinned")
    assert answer(runtime, "pinned") == {"tabulate": "0.9.0"}


def test_a_file_amlemus_environment_satisfies_runs_there_without_a_build(runtime, tmp_path):
    """The tutorial's case: the file pins what amlemu installs; nothing is built, so it starts as fast as before."""
    import sklearn

    spec = script_spec(
        tmp_path,
        ENDPOINT,
        "own",
        REPORTS_TABULATE,
        conda_file=conda_file(
            tmp_path / "env", f"scikit-learn=={sklearn.__version__}", conda=("python=3.12", "pip", "tabulate")
        ),
    )
    assert runtime.start(spec).ok
    logs = runtime.logs(ENDPOINT, "own")
    assert "the deployment runs there" in logs
    # One warning line for the Python version the host cannot give, as a build log would show.
    assert [line for line in logs.splitlines() if "warning" in line and "python=3.12" in line] != []
    assert not (tmp_path / "envs").exists()


def test_two_deployments_of_one_environment_at_once_build_it_once(runtime, tmp_path, probe_wheelhouse):
    conda = conda_file(tmp_path / "env", "amlemu-probe==1.0")
    specs = [script_spec(tmp_path, ENDPOINT, name, REPORTS_PROBE, conda_file=conda) for name in ("one", "two")]
    results = {}
    threads = [threading.Thread(target=lambda s=s: results.__setitem__(s.deployment, runtime.start(s))) for s in specs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result.ok for result in results.values()), results
    logs = [runtime.logs(ENDPOINT, name) for name in ("one", "two")]
    assert sum("built from conda.yaml" in log for log in logs) == 1
    assert sum("reused from the cache" in log for log in logs) == 1
    assert len([path for path in (tmp_path / "envs").iterdir() if path.is_dir()]) == 1
    assert answer(runtime, "one") == answer(runtime, "two") == {"probe": "1.0"}


@pytest.mark.parametrize(
    ("conda", "pypi"),
    [
        ("numpy=2.3", "numpy==2.3.*"),
        ("conda-forge::scikit-learn=1.2.2=py38_0", "scikit-learn==1.2.2.*"),
        ("py-xgboost", "xgboost"),
        ("pytorch==2.1.0", "torch==2.1.0"),
        ("tensorflow-cpu>=2.12", "tensorflow-cpu>=2.12"),
        ("scipy 1.16.*", "scipy==1.16.*"),
    ],
)
def test_conda_names_and_pins_become_pypi_requirements(conda, pypi):
    assert conda_requirement(conda)[1] == pypi


def test_python_and_pip_are_not_packages_and_the_server_is_added(tmp_path):
    definition = read_conda_file(
        conda_file(tmp_path, "joblib==1.5.1", conda=("python=3.12", "pip=25.1.1", "numpy=2.3.1"))
    )
    assert definition.requirements == ("numpy==2.3.1.*", "joblib==1.5.1", "azureml-inference-server-http")
    assert definition.python_requested == "3.12"
