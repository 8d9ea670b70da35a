"""No-code deployment of an MLflow model: the scoring script and environment Azure would generate.

Azure reads the model's `MLmodel`, takes its conda dependencies (`conda.yaml`, or
`requirements.txt`), adds what its inference needs (`mlflow-skinny` and the
inference server; pandas, which MLflow's pyfunc loader imports), and runs a
scoring script of its own that accepts the documented `input_data` formats.
Here the script is `mlflow_score.py`, and the environment is built from
the generated conda file like any other.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from amlemu.scoring.environments.definition import conda_requirement, requirement_name

# What the generated environment adds when the model's own dependencies do not name it.
INFERENCE_PACKAGES = ("mlflow-skinny", "pandas", "numpy", "azureml-inference-server-http")
_ALREADY_MLFLOW = {"mlflow", "mlflow-skinny"}
SCORING_SCRIPT = Path(__file__).with_name("mlflow_score.py")


class NotAnMlflowModel(Exception):
    """The model folder holds no `MLmodel` file."""


@dataclass(frozen=True)
class NoCodeDeployment:
    code_dir: Path
    scoring_script: str
    conda_file: Path
    image: str | None = None
    environment_variables: dict[str, str] = field(default_factory=dict)


def find_mlmodel(model_dir: Path) -> Path | None:
    """The model's `MLmodel` file: at the top of the model folder or one or two levels down."""
    for pattern in ("MLmodel", "*/MLmodel", "*/*/MLmodel"):
        found = sorted(model_dir.glob(pattern))
        if found:
            return found[0]
    return None


def no_code_deployment(model_dir: Path, folder: Path) -> NoCodeDeployment:
    """Lay out the generated scoring script and conda file under `folder`."""
    mlmodel = find_mlmodel(model_dir)
    if mlmodel is None:
        raise NotAnMlflowModel(
            "The MLflow model has no MLmodel file; a deployment without code_configuration needs an MLflow model."
        )
    model_folder = mlmodel.parent
    conda = _conda_definition(model_folder, _read_yaml(mlmodel))
    generated = folder / "mlflow-no-code"
    code_dir = generated / "code"
    code_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SCORING_SCRIPT, code_dir / "score.py")
    conda_file = generated / "conda.yaml"
    conda_file.write_text(yaml.safe_dump(conda, sort_keys=False), encoding="utf-8")
    relative = model_folder.relative_to(model_dir).as_posix()
    return NoCodeDeployment(
        code_dir,
        "score.py",
        conda_file,
        environment_variables={"MLFLOW_MODEL_FOLDER": "" if relative == "." else relative},
    )


def _read_yaml(path: Path) -> dict:
    try:
        parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _conda_definition(model_folder: Path, mlmodel: dict) -> dict:
    """The model's conda file (or its requirements.txt as one), with the inference packages added."""
    pyfunc = (mlmodel.get("flavors") or {}).get("python_function") or {}
    env = pyfunc.get("env")
    conda_name = env.get("conda") if isinstance(env, dict) else env if isinstance(env, str) else "conda.yaml"
    conda = _read_yaml(model_folder / str(conda_name or "conda.yaml"))
    if not conda and (model_folder / "requirements.txt").is_file():
        lines = (model_folder / "requirements.txt").read_text(encoding="utf-8").splitlines()
        python = pyfunc.get("python_version")
        conda = {
            "dependencies": [
                *([f"python={python}"] if python else []),
                "pip",
                {"pip": [line.strip() for line in lines if line.strip() and not line.startswith("#")]},
            ]
        }
    dependencies = conda.get("dependencies") if isinstance(conda.get("dependencies"), list) else []
    pip_section = next((entry for entry in dependencies if isinstance(entry, dict) and "pip" in entry), None)
    if pip_section is None:
        pip_section = {"pip": []}
        dependencies.append(pip_section)
    named = {conda_requirement(entry)[0] for entry in dependencies if isinstance(entry, str)}
    named |= {requirement_name(line) for line in pip_section["pip"] or [] if isinstance(line, str)}
    wanted = [
        package
        for package in INFERENCE_PACKAGES
        if package not in named and not (package == "mlflow-skinny" and named & _ALREADY_MLFLOW)
    ]
    pip_section["pip"] = [*(pip_section["pip"] or []), *wanted]
    return {**conda, "dependencies": dependencies}
