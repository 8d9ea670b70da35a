"""Warn when `score.py` imports a module its environment would not have on Azure.

On Azure the image holds only what the conda file lists (and what those
packages pull in). The emulator builds the same environment, except when
amlemu's own environment already satisfies the file: then far more is
installed than the file asks for, and a script importing something unlisted
passes here and fails there with `ModuleNotFoundError`. This check reads the
conda file and the script and says so in the deployment's log, with the
script's path, line and column.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from functools import cache
from pathlib import Path

import yaml

# Distributions whose import names differ from their (normalized) names, for
# packages that may not be installed here to read the answer from. Dist names are
# PEP 503-normalized; values are the top-level modules they (and what they pull
# in on Azure's images) provide.
KNOWN_IMPORT_NAMES: dict[str, tuple[str, ...]] = {
    "scikit-learn": ("sklearn",),
    "scikit-image": ("skimage",),
    "pillow": ("PIL",),
    "opencv-python": ("cv2",),
    "opencv-python-headless": ("cv2",),
    "opencv-contrib-python": ("cv2",),
    "pyyaml": ("yaml",),
    "beautifulsoup4": ("bs4",),
    "python-dateutil": ("dateutil",),
    "python-dotenv": ("dotenv",),
    "protobuf": ("google",),
    "pyjwt": ("jwt",),
    "attrs": ("attr", "attrs"),
    "msgpack-python": ("msgpack",),
    "pytorch": ("torch",),
    "pytorch-cpu": ("torch",),
    "tensorflow-cpu": ("tensorflow",),
    "tensorflow-gpu": ("tensorflow",),
    "py-xgboost": ("xgboost",),
    "onnxruntime-gpu": ("onnxruntime",),
    "mlflow-skinny": ("mlflow",),
    "setuptools": ("setuptools", "pkg_resources", "_distutils_hack"),
    "typing-extensions": ("typing_extensions",),
    # azureml-defaults brings the inference server and inference-schema with it.
    "azureml-defaults": ("azureml", "azureml_inference_server_http", "inference_schema"),
    "azureml-inference-server-http": ("azureml_inference_server_http", "inference_schema", "flask"),
    "azureml-core": ("azureml",),
    "azureml-mlflow": ("azureml", "mlflow"),
}

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EXTRA_MARKER = re.compile(r";.*\bextra\s*==")


def normalize(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def check_scoring_imports(script: Path, conda_file: Path, code_dir: Path) -> list[str]:
    """Warning lines (empty when all is well) for the deployment's log."""
    shown_script = _shown(script, code_dir)
    shown_conda = conda_file.name
    try:
        parsed = yaml.safe_load(conda_file.read_text(encoding="utf-8"))
    except OSError as exc:
        return [f"{shown_conda}: warning: the conda file cannot be read: {exc.strerror}"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown_conda}:{mark.line + 1}:{mark.column + 1}" if mark else shown_conda
        return [f"{where}: warning: the conda file is not valid YAML: {getattr(exc, 'problem', None) or exc}"]
    dependencies = parsed.get("dependencies") if isinstance(parsed, dict) else None
    if not isinstance(dependencies, list):
        return [f"{shown_conda}: warning: the conda file has no 'dependencies' list, so it provides no packages"]

    try:
        imports = imported_modules(script.read_text(encoding="utf-8"), str(script))
    except OSError as exc:
        return [f"{shown_script}: warning: the scoring script cannot be read: {exc.strerror}"]
    except SyntaxError as exc:
        return [
            f"{shown_script}:{exc.lineno or 1}:{exc.offset or 1}: warning: the scoring script is not valid Python: {exc.msg}"
        ]

    provided = provided_modules(declared_distributions(dependencies))
    local = {path.stem for path in code_dir.glob("*.py")} | {path.name for path in code_dir.iterdir() if path.is_dir()}
    local |= {path.stem for path in script.parent.glob("*.py")}
    warnings = []
    for module, (line, column) in imports.items():
        if module in sys.stdlib_module_names or module == "__future__" or module in local:
            continue
        # A module the file lists is installed: the deployment's environment is built from the file.
        if module not in provided:
            warnings.append(
                f"{shown_script}:{line}:{column}: warning: '{module}' is imported, but neither {shown_conda} nor "
                f"the Python standard library provides it; on Azure this deployment would fail with ModuleNotFoundError"
            )
    return warnings


def imported_modules(source: str, filename: str) -> dict[str, tuple[int, int]]:
    """Top-level module name -> (line, column) of its first absolute import, anywhere in the file."""
    found: dict[str, tuple[int, int]] = {}
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            where = (node.lineno, node.col_offset + 1)
            if top not in found or where < found[top]:
                found[top] = where
    return found


def declared_distributions(dependencies: list[object]) -> set[str]:
    """Normalized names of the conda and pip packages a conda file's dependencies declare."""
    names: set[str] = set()
    for entry in dependencies:
        if isinstance(entry, str):
            spec = entry.split("::")[-1].strip()  # "conda-forge::numpy=1.23"
            if match := _NAME.match(spec):
                names.add(normalize(match.group(0)))
        elif isinstance(entry, dict):
            for requirement in entry.get("pip") or []:
                if isinstance(requirement, str) and (name := _pip_name(requirement)):
                    names.add(normalize(name))
    return names


def _pip_name(requirement: str) -> str | None:
    requirement = requirement.strip()
    if "#egg=" in requirement:
        return requirement.split("#egg=", 1)[1].split("&")[0]
    if requirement.startswith("-") or "://" in requirement or requirement.startswith((".", "/")):
        return None  # options, URLs and local paths name no distribution we can read
    match = _NAME.match(requirement)
    return match.group(0) if match else None


def provided_modules(distributions: set[str]) -> set[str]:
    """Top-level modules provided by these distributions and, where installed here, what they require."""
    modules: set[str] = set()
    seen: set[str] = set()
    pending = list(distributions)
    while pending:
        distribution = pending.pop()
        if distribution in seen:
            continue
        seen.add(distribution)
        modules.update(KNOWN_IMPORT_NAMES.get(distribution, ()))
        modules.update(_installed_import_names(distribution))
        modules.add(distribution.replace("-", "_"))
        pending.extend(_installed_requirements(distribution))
    return modules


@cache
def _installed_import_names(distribution: str) -> frozenset[str]:
    """Top-level modules of an installed distribution (empty if it is not installed here).

    Read from the one distribution's metadata (`top_level.txt`, else its file list):
    scanning every installed distribution would cost a second per emulator start.
    """
    try:
        found = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return frozenset()
    top_level = found.read_text("top_level.txt")
    if top_level:
        return frozenset(line.strip() for line in top_level.splitlines() if line.strip())
    modules = set()
    for path in found.files or ():
        first = path.parts[0] if path.parts else ""
        if first.endswith((".dist-info", ".egg-info", ".data")) or first in ("..", "__pycache__"):
            continue
        if len(path.parts) > 1:
            modules.add(first)
        elif first.endswith(".py"):
            modules.add(first[:-3])
    return frozenset(modules)


@cache
def _installed_requirements(distribution: str) -> tuple[str, ...]:
    try:
        requirements = importlib.metadata.requires(distribution) or []
    except importlib.metadata.PackageNotFoundError:
        return ()
    names = []
    for requirement in requirements:
        if _EXTRA_MARKER.search(requirement):
            continue  # optional extras are not installed by default
        if match := _NAME.match(requirement.strip()):
            names.append(normalize(match.group(0)))
    return tuple(names)


def _shown(path: Path, code_dir: Path) -> str:
    try:
        return str(Path(code_dir.name) / path.relative_to(code_dir))
    except ValueError:
        return str(path)
