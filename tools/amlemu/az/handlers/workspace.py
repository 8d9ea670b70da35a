"""`az ml workspace show|list`, and what every `ml` handler shares: the MLClient, LRO waiting, `--set`
overrides, the CLI-side checks."""

from __future__ import annotations

import logging
import re
from typing import Any

from knack.util import CLIError

from amlemu.az import profile
from amlemu.az.errors import classify_ml_error

NO_WAIT_AND_LOCAL = '"no_wait" and "local" options are mutually exclusive. Set only one option and try again.'
LOCAL_NEEDS_DOCKER = (
    "Local endpoints and deployments (--local) run in Docker, which an emulated workspace "
    "does not provide. Run the command without --local."
)


def ml_client(ctx: Any, resource_group_name: str, workspace_name: str, subscription: str | None = None):
    """An MLClient built as the `ml` extension builds it: DefaultAzureCredential and the CLI's scope."""
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    subscription_id = profile.subscription_id(ctx.config_dir, subscription)
    return MLClient(DefaultAzureCredential(), subscription_id, resource_group_name, workspace_name)


def plain_logger(name: str) -> logging.Logger:
    """A logger that prints bare messages on stderr whatever the CLI verbosity.

    The `ml` extension writes its progress warnings through such a logger (no
    handler, no propagation), so Python's last-resort handler prints them without
    the `WARNING: ` prefix, even with --only-show-errors. Doing the same keeps the
    same bytes on stderr.
    """
    logger = logging.getLogger(name)
    logger.propagate = False
    return logger


def is_not_found(error: BaseException) -> bool:
    from azure.core.exceptions import ResourceNotFoundError

    return isinstance(error, ResourceNotFoundError) and getattr(error, "status_code", None) == 404


def wait(result: Any) -> Any:
    """The CLI's LongRunningOperation: block on a poller and return its result."""
    from azure.core.polling import LROPoller

    return result.result() if isinstance(result, LROPoller) else result


def check_local(local: bool, no_wait: bool = False) -> None:
    """`--local` is refused: first with the CLI's own mutual-exclusion message, else because of Docker."""
    if local and no_wait:
        from azure.ai.ml.exceptions import ErrorCategory, ErrorTarget, UserErrorException

        raise UserErrorException(
            message=NO_WAIT_AND_LOCAL,
            no_personal_data_message=NO_WAIT_AND_LOCAL,
            target=ErrorTarget.ONLINE_ENDPOINT,
            error_category=ErrorCategory.USER_ERROR,
        )
    if local:
        raise CLIError(LOCAL_NEEDS_DOCKER)


_ENUM_REPR = re.compile(r"^([A-Z][A-Za-z]+)\.([A-Z][A-Z0-9_]*)$")


def _enum_value(text: str) -> str:
    """'CreatedByType.APPLICATION' -> 'Application': the REST enum's value, as the service sent it.

    On Python 3.11 the SDK's schemas dump some str-enum members as `Class.MEMBER`;
    the CLI prints the plain values (`Succeeded`), and tutorials compare with them.
    """
    match = _ENUM_REPR.match(text)
    if not match:
        return text
    from azure.ai.ml._restclient.arm_ml_service import models

    enum_class = getattr(models, match.group(1), None)
    member = getattr(enum_class, "__members__", {}).get(match.group(2)) if enum_class is not None else None
    return member.value if member is not None else text


def plain_provisioning_state(output: dict[str, Any]) -> dict[str, Any]:
    """Enum members in SDK dumps become their values (`Succeeded`, `Application`), recursively."""
    from enum import Enum

    def convert(value: Any) -> Any:
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, str):
            return _enum_value(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return convert(output)


def set_overrides(params_override: list[list[str]] | None) -> list[dict[str, str]]:
    """`--set KEY=VALUE ...`, once or more, becomes the SDK's params_override list.

    One dict per occurrence, in order, as the `ml` extension's OverridePropertiesBySet
    (an append action) builds it: every occurrence applies, a later one wins on the same key.
    """
    from knack.util import CLIError

    overrides = []
    for occurrence in params_override or []:
        pairs: dict[str, str] = {}
        for item in occurrence:
            if "=" not in item:
                raise CLIError("usage error: --set KEY=VALUE [KEY=VALUE ...]")
            key, value = item.split("=", 1)
            pairs[key] = value
        overrides.append(pairs)
    return overrides


def tag_map(tags: list[str] | None) -> dict[str, str] | None:
    """`--tags a=1 b` -> {'a': '1', 'b': ''}: azure-cli-core's tags_type validator."""
    if tags is None:
        return None
    result: dict[str, str] = {}
    for item in tags:
        key, _, value = item.partition("=")
        result[key] = value
    return result


def entity_output(entity: Any) -> Any:
    """What the `ml` extension prints for an SDK entity: its `_to_dict()` (`_dump_entity_with_warnings`)."""
    if entity is None or isinstance(entity, dict):
        return entity
    return plain_provisioning_state(entity._to_dict())


def list_view_type(include_archived: bool, archived_only: bool):
    """The extension's get_list_view_type: both flags together are a usage error."""
    from azure.ai.ml._restclient.arm_ml_service.models import ListViewType

    if include_archived and archived_only:
        raise CLIError("Cannot provide both archived-only and include-archived.")
    if include_archived:
        return ListViewType.ALL
    if archived_only:
        return ListViewType.ARCHIVED_ONLY
    return ListViewType.ACTIVE_ONLY


def show(ctx, resource_group_name, name, subscription=None):
    client = ml_client(ctx, resource_group_name, name, subscription)
    try:
        return entity_output(client.workspaces.get(name=name))
    except Exception as error:
        raise classify_ml_error(error) from error


def list_(ctx, resource_group_name, filtered_kinds=None, subscription=None):
    client = ml_client(ctx, resource_group_name, None, subscription)
    try:
        return [entity_output(w) for w in client.workspaces.list(scope="resource_group")]
    except Exception as error:
        raise classify_ml_error(error) from error
