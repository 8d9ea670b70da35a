"""What a path's steps run against: a configured `module:function`, or this machine as it is.

The default (no target configured) runs the steps in the caller's own environment,
with the clean-up steps always run: the safe assumption is that the resources are billed.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from docskit.config import ConfigError

MODE_VARIABLE = "DOCSKIT_TUTORIAL_TARGET"


@dataclass(frozen=True)
class TargetWorkspace:
    env: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)  # subscription_id, resource_group, workspace, location
    cleanup: bool = True  # run the clean-up steps after a failure or an interrupt (resources are billed)


def load_target(name: str | None) -> Callable[[str], AbstractContextManager[Any]]:
    """The configured target callable; a clear one-line error when it cannot be imported."""
    if not name:
        return own_environment
    module_name, _, function = name.partition(":")
    try:
        module = importlib.import_module(module_name)
        found = getattr(module, function)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"the tutorial target `{name}` cannot be loaded: {exc}") from None
    if not callable(found):
        raise ConfigError(f"the tutorial target `{name}` is not callable")
    return found  # type: ignore[no-any-return]


def workspace_from(yielded: Any) -> TargetWorkspace:
    """Accept what a target yields: a TargetWorkspace or a mapping with env, values, cleanup."""
    if isinstance(yielded, TargetWorkspace):
        return yielded
    if isinstance(yielded, Mapping) and isinstance(yielded.get("env"), Mapping):
        return TargetWorkspace(
            {str(k): str(v) for k, v in yielded["env"].items()},
            {str(k): str(v) for k, v in (yielded.get("values") or {}).items()},
            bool(yielded.get("cleanup", True)),
        )
    raise ConfigError("a tutorial target must yield a mapping with `env`, `values` and `cleanup`")


def mode() -> str:
    return os.environ.get(MODE_VARIABLE, "emulator")


@contextmanager
def own_environment(mode: str) -> Iterator[TargetWorkspace]:
    """The caller's environment, with the usual Azure variables as placeholder values."""
    env = dict(os.environ)
    yield TargetWorkspace(
        env,
        {
            "subscription_id": env.get("AZURE_SUBSCRIPTION_ID", ""),
            "resource_group": env.get("RESOURCE_GROUP", env.get("AZURE_RESOURCE_GROUP", "")),
            "workspace": env.get("WORKSPACE", env.get("AZUREML_WORKSPACE_NAME", "")),
            "location": env.get("LOCATION", env.get("AZURE_LOCATION", "")),
        },
        cleanup=True,
    )
