"""The tutorial runner's settings: the `tutorial:` mapping of the docskit entry in mkdocs.yml.

    tutorial:
      target: amlemu.testing:tutorial_target   # what the steps run against (below)
      cleanup_heading: Clean up resources      # the steps under it always run at the end
      step_timeout: 600                        # seconds, for every step
      article_timeouts: {how-to-big.md: 1800}  # per article (a glob on its path below docs)
      placeholders: {"<MY_RG>": resource_group}  # more placeholders: to a target value or a literal
      workdirs: {azureml-examples/sdk: azureml-examples/cli}  # run a source folder's steps elsewhere

A target is named like mkdocs.yml's `command_checkers`, so docskit imports no emulator:
`module:function`, called with the mode (`DOCSKIT_TUTORIAL_TARGET`, default `emulator`),
returning a context manager that yields a mapping with `env` (the steps' environment),
`values` (subscription_id, resource_group, workspace, location) and `cleanup` (true when
the clean-up steps must run whatever happens, as against Azure).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from docskit.config import ConfigError

DEFAULT_CLEANUP_HEADING = "Clean up resources"
DEFAULT_STEP_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class TutorialSettings:
    target: str | None = None
    cleanup_heading: str = DEFAULT_CLEANUP_HEADING
    step_timeout: float = DEFAULT_STEP_TIMEOUT_S
    article_timeouts: dict[str, float] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)
    workdirs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None, origin: str) -> TutorialSettings:
        data = dict(data or {})
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"{origin}: unknown tutorial setting `{unknown[0]}`; known settings: {', '.join(sorted(known))}"
            )
        target = data.get("target")
        if target is not None and (not isinstance(target, str) or ":" not in target):
            raise ConfigError(f"{origin}: tutorial target must be `module:function`, not `{target}`")
        for name in ("placeholders", "workdirs", "article_timeouts"):
            if not isinstance(data.get(name, {}), dict):
                raise ConfigError(f"{origin}: tutorial setting `{name}` must be a mapping")
        timeouts = {
            "step_timeout": data.get("step_timeout", DEFAULT_STEP_TIMEOUT_S),
            **{f"article_timeouts[{k}]": v for k, v in (data.get("article_timeouts") or {}).items()},
        }
        for name, value in timeouts.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"{origin}: tutorial {name} must be a positive number of seconds, not `{value}`")
        return cls(
            target=target,
            cleanup_heading=str(data.get("cleanup_heading", DEFAULT_CLEANUP_HEADING)),
            step_timeout=float(data.get("step_timeout", DEFAULT_STEP_TIMEOUT_S)),
            article_timeouts={str(k): float(v) for k, v in (data.get("article_timeouts") or {}).items()},
            placeholders={str(k): str(v) for k, v in (data.get("placeholders") or {}).items()},
            workdirs={str(k).strip("/"): str(v).strip("/") for k, v in (data.get("workdirs") or {}).items()},
        )

    def timeout_for(self, article: str) -> float:
        """The step timeout of an article (its path below the docs folder, "/" separators)."""
        for pattern, seconds in self.article_timeouts.items():
            if fnmatch.fnmatch(article, pattern) or article.endswith("/" + pattern):
                return seconds
        return self.step_timeout
