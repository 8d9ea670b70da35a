"""What an environment asks for, as PyPI requirements: read from a conda file or a requirements file.

Azure builds a deployment's image from its conda file on top of the base image.
Here the same file becomes a list of PEP 508 requirements for uv: conda names
are mapped to their PyPI names where they differ, conda's `=` pins keep conda's
fuzzy meaning (`numpy=2.3` is `2.3.*`), the interpreter and the installer are
not packages, and the inference server is added when the file does not list it
(Azure's inference images always carry it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

INFERENCE_SERVER = "azureml-inference-server-http"
# Distributions that bring the inference server with them.
_BRINGS_THE_SERVER = frozenset({INFERENCE_SERVER, "azureml-defaults"})

# Conda package name -> PyPI distribution name, where the two differ.
PYPI_NAMES: dict[str, str] = {
    "py-xgboost": "xgboost",
    "py-xgboost-cpu": "xgboost",
    "py-xgboost-gpu": "xgboost",
    "pytorch": "torch",
    "pytorch-cpu": "torch",
    "pytorch-gpu": "torch",
    "tensorflow-base": "tensorflow",
    "msgpack-python": "msgpack",
    "matplotlib-base": "matplotlib",
    "numpy-base": "numpy",
    "py-opencv": "opencv-python-headless",
    "opencv": "opencv-python-headless",
    "py-lightgbm": "lightgbm",
    "pyqt": "pyqt5",
}
# Conda packages that are no Python distribution: the interpreter, the installer, system libraries.
NOT_DISTRIBUTIONS = frozenset(
    {
        "python",
        "pip",
        "cudatoolkit",
        "cudnn",
        "nccl",
        "nomkl",
        "mkl-service",
        "libgcc-ng",
        "libstdcxx-ng",
        "_libgcc_mutex",
        "_openmp_mutex",
        "openssl",
        "ca-certificates",
        "libblas",
        "libcblas",
        "liblapack",
        "blas",
    }
)

_CONDA_ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9_][A-Za-z0-9._-]*)\s*(?P<rest>.*)$")
_PIP_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


class DefinitionError(Exception):
    """The file cannot be read as an environment; the message starts with path[:line:column]."""


@dataclass(frozen=True)
class EnvironmentDefinition:
    """The packages a deployment's image would hold, and what the file asked of the platform."""

    requirements: tuple[str, ...]  # PEP 508 lines (and pip options), in the file's order
    source: str  # the file's name, for log lines
    python_requested: str | None = None  # the conda file's python spec, e.g. "3.12" or ">=3.9"
    image: str | None = None  # the base image named by the environment, recorded only
    skipped: tuple[str, ...] = ()  # conda-only packages that have no PyPI counterpart

    def digest(self, interpreter: str) -> str:
        """One cache entry per requirement list and interpreter (the OS image plays no part here)."""
        payload = json.dumps({"requirements": list(self.requirements), "interpreter": interpreter}, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def read_conda_file(path: Path, image: str | None = None, *, shown_as: str | None = None) -> EnvironmentDefinition:
    """The definition a conda file gives (conda dependencies, then its `pip:` section)."""
    shown = shown_as or path.name
    try:
        parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DefinitionError(f"{shown}: the conda file cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise DefinitionError(
            f"{where}: the conda file is not valid YAML: {getattr(exc, 'problem', None) or exc}"
        ) from None
    dependencies = parsed.get("dependencies") if isinstance(parsed, dict) else None
    if dependencies is None:
        dependencies = []
    if not isinstance(dependencies, list):
        raise DefinitionError(f"{shown}: 'dependencies' must be a list of packages")

    requirements: list[str] = []
    skipped: list[str] = []
    python_requested = None
    for entry in dependencies:
        if isinstance(entry, str):
            name, requirement = conda_requirement(entry)
            if name == "python":
                python_requested = entry.split("::")[-1].strip()[len("python") :].strip().lstrip("=") or None
            elif name in NOT_DISTRIBUTIONS:
                if name != "pip":
                    skipped.append(name)
            elif requirement:
                requirements.append(requirement)
        elif isinstance(entry, dict):
            for line in entry.get("pip") or []:
                if isinstance(line, str) and line.strip() and not line.strip().startswith("#"):
                    requirements.append(line.strip())
    return EnvironmentDefinition(
        tuple(with_inference_server(requirements)), shown, python_requested, image, tuple(skipped)
    )


def read_requirements_file(path: Path, extra: list[str], *, shown_as: str | None = None) -> EnvironmentDefinition:
    """The definition a pip requirements file gives, with `extra` lines added when not already named."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    requirements = [line for line in lines if line and not line.startswith("#")]
    return EnvironmentDefinition(tuple(with_inference_server(add_missing(requirements, extra))), shown_as or path.name)


def conda_requirement(entry: str) -> tuple[str, str | None]:
    """(conda name, PyPI requirement) of one conda dependency such as `conda-forge::numpy=1.23`."""
    spec = entry.split("::")[-1].strip()
    match = _CONDA_ENTRY.match(spec)
    if match is None:
        return "", None
    name = match.group("name").lower()
    rest = match.group("rest").strip()
    pypi = PYPI_NAMES.get(name, name)
    if not rest:
        return name, pypi
    if rest.startswith("==") or (rest.startswith("=") and rest[1:2].isdigit()):
        exact = rest.startswith("==")
        version = rest.lstrip("=").split("=")[0].strip()  # a trailing `=<build string>` is conda's only
        return name, f"{pypi}=={version}" if exact else f"{pypi}=={_fuzzy(version)}"
    if rest[0] in "<>!~":
        return name, pypi + rest.replace(" ", "")
    version = rest.split()[0]  # "numpy 1.20.*" or "numpy 1.20 py38_0"
    return name, f"{pypi}{version}" if version[
        0
    ] in "<>=!~" else f"{pypi}=={_fuzzy(version) if '*' in version else version}"


def _fuzzy(version: str) -> str:
    """Conda's `=1.2` (and `1.2*`) is every 1.2 release: PEP 440 `==1.2.*`."""
    stem = version.rstrip("*").rstrip(".")
    return f"{stem}.*"


def requirement_name(line: str) -> str | None:
    """The normalized distribution name of a requirement line (None for options and URLs)."""
    if line.startswith("-") or "://" in line or line.startswith((".", "/")):
        return None
    match = _PIP_NAME.match(line)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None


def add_missing(requirements: list[str], extra: list[str]) -> list[str]:
    """`requirements` followed by each line of `extra` whose distribution they do not name."""
    named = {requirement_name(line) for line in requirements}
    return requirements + [line for line in extra if requirement_name(line) not in named]


def with_inference_server(requirements: list[str]) -> list[str]:
    """The server goes last: when a build fails, uv names the user's package rather than ours."""
    if any(requirement_name(line) in _BRINGS_THE_SERVER for line in requirements):
        return requirements
    return [*requirements, INFERENCE_SERVER]
