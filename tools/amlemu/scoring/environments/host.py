"""Does amlemu's own interpreter already hold what an environment asks for?

Then a deployment runs there, with no build: the tutorial's conda file pins the
very versions amlemu installs, and building a copy of them would only cost time.
"""

from __future__ import annotations

import importlib.metadata
import platform
import sys

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion


def host_python_version() -> str:
    return platform.python_version()


def interpreter_tag() -> str:
    """What a built environment depends on besides its requirements: interpreter and platform."""
    return f"{sys.implementation.name}-{host_python_version()}-{platform.system()}-{platform.machine()}"


def satisfied_here(requirements: tuple[str, ...]) -> bool:
    """True when every requirement is installed here at a matching version (extras, URLs, options: no)."""
    for line in requirements:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            return False
        if requirement.url or requirement.extras:
            return False
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            return False
        try:
            if not requirement.specifier.contains(installed, prereleases=True):
                return False
        except InvalidVersion:
            return False
    return True


def python_mismatch(requested: str | None) -> bool:
    """True when the conda file's `python` spec (conda syntax) excludes the host's version."""
    if not requested:
        return False
    spec = requested.replace(" ", "")
    if spec[0].isdigit():
        spec = f"=={spec}" if spec.count(".") >= 2 and "*" not in spec else f"=={spec.rstrip('*').rstrip('.')}.*"
    try:
        return not SpecifierSet(spec).contains(host_python_version(), prereleases=True)
    except Exception:  # noqa: BLE001 - a spec packaging cannot read: say nothing rather than guess
        return False
