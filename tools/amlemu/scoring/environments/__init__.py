"""Deployment environments: what a conda file asks for, and a virtual environment that has it.

`definition` reads a conda file (or an MLflow model's requirements) into PyPI
requirements; `host` says whether amlemu's own interpreter already satisfies
them; `cache` builds one virtual environment per definition digest with uv,
once, under a lock, in a per-user folder shared by every emulator.
"""

from amlemu.scoring.environments.cache import BuildFailed, EnvironmentCache, PreparedEnvironment
from amlemu.scoring.environments.definition import EnvironmentDefinition, read_conda_file

__all__ = ["BuildFailed", "EnvironmentCache", "EnvironmentDefinition", "PreparedEnvironment", "read_conda_file"]
