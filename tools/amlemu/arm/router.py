"""Find the handler for an ARM path, and apply the checks ARM makes before any handler:
bearer token, `api-version`, known path, allowed method.

Routes are `(template, {method: handler})`; templates name their parameters in braces
and match case-insensitively, as ARM does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources

from amlemu.arm.context import Call
from amlemu.arm.errors import ArmError
from amlemu.http_messages import Response

ArmHandler = Callable[[Call], Response]


def _published_api_versions() -> frozenset[str]:
    """The api-versions of Microsoft.MachineLearningServices, from `specs/api-versions.json`
    (every version the published REST definitions list, with the sources named in the file)."""
    text = resources.files("amlemu.arm").joinpath("specs/api-versions.json").read_text(encoding="utf-8")
    return frozenset(json.loads(text)["versions"])


# anything else is refused as ARM refuses it
SUPPORTED_API_VERSIONS = _published_api_versions()


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[re.Pattern[str], dict[str, ArmHandler]]] = []

    def add(self, template: str, **handlers: ArmHandler) -> None:
        pattern = re.sub(
            r"\{(\w+)\}",
            lambda m: f"(?P<{m.group(1)}>[^/]+)",
            re.escape(template).replace(r"\{", "{").replace(r"\}", "}"),
        )
        self._routes.append((re.compile(f"^{pattern}/?$", re.IGNORECASE), {m.upper(): h for m, h in handlers.items()}))

    def resolve(self, method: str, path: str) -> tuple[ArmHandler, dict[str, str]]:
        for pattern, handlers in self._routes:
            match = pattern.match(path)
            if match is None:
                continue
            handler = handlers.get(method)
            if handler is None:
                # wording: ours
                raise ArmError(
                    405,
                    "MethodNotAllowed",
                    f"The HTTP method '{method}' is not supported for the resource at '{path}'. "
                    f"Supported methods: {', '.join(sorted(handlers))}.",
                )
            return handler, match.groupdict()
        raise _unknown_path(path)


def _unknown_path(path: str) -> ArmError:
    segments = [part for part in path.split("/") if part]
    try:
        provider = segments.index("providers")
        namespace = segments[provider + 1]
        resource_type = "/".join(segments[provider + 2 :: 2])
    except (ValueError, IndexError):
        return ArmError(404, "NotFound", f"The requested path '{path}' does not exist in Azure Resource Manager.")
    return ArmError(
        404,
        "InvalidResourceType",
        f"The resource type '{resource_type}' could not be found in the namespace '{namespace}'.",
    )


def check_api_version(query: dict[str, str], path: str) -> str:
    version = query.get("api-version")
    if not version:
        raise ArmError(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )
    if version not in SUPPORTED_API_VERSIONS:
        segments = [part for part in path.split("/") if part]
        resource_type = "workspaces" if "workspaces" in [s.lower() for s in segments] else "operations"
        raise ArmError(
            400,
            "NoRegisteredProviderFound",
            f"No registered resource provider found for location 'global' and API version '{version}' "
            f"for type '{resource_type}'. The supported api-versions are "
            f"'{', '.join(sorted(SUPPORTED_API_VERSIONS))}'.",
        )
    return version
