"""`az ml online-endpoint ...`: the `ml` extension's endpoint commands, on the real SDK."""

from __future__ import annotations

from typing import Any

from amlemu.az import generic_update
from amlemu.az.errors import classify_ml_error
from amlemu.az.handlers.workspace import (
    check_local,
    is_not_found,
    ml_client,
    plain_logger,
    plain_provisioning_state,
    wait,
)
from amlemu.az.handlers.workspace import set_overrides as _overrides

progress = plain_logger("amlemu.az.handlers.online_endpoint")

ALREADY_EXISTS = (
    "(UserError) An endpoint with this name already exists. If you are trying to create a new "
    "endpoint, use a different name. If you are trying to update an existing endpoint, use "
    "`az ml online-endpoint update` instead."
)
DELIMITER = "Do not add a delimiter between traffic variables"


def endpoint_output(endpoint: Any) -> dict[str, Any]:
    return plain_provisioning_state(endpoint.dump())


def list_output(endpoints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`list` prints a reduced object per endpoint (the extension's list transform)."""
    keys = ("name", "location", "traffic", "mirror_traffic", "provisioning_state", "kind", "tags")
    return [{key: endpoint.get(key) for key in keys} for endpoint in endpoints]


def traffic_map(text: str) -> dict[str, str]:
    """'blue=90 green=10' -> {'blue': '90', 'green': '10'}; split on single spaces as the CLI does."""
    pairs: dict[str, str] = {}
    for element in text.split(" "):
        key, value = element.split("=")  # an element without exactly one '=' is a ValueError, as in the CLI
        pairs[key.strip()] = value.strip()
    return pairs


def show(ctx, resource_group_name, workspace_name, name, local=False, web=False, subscription=None):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        check_local(local)
        return endpoint_output(client.online_endpoints.get(name=name))
    except Exception as error:
        raise classify_ml_error(error) from error


def list_(ctx, resource_group_name, workspace_name, local=False, subscription=None):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        check_local(local)
        return list_output([plain_provisioning_state(e._to_dict()) for e in client.online_endpoints.list()])
    except Exception as error:
        raise classify_ml_error(error) from error


def create(
    ctx,
    resource_group_name,
    workspace_name,
    auth_mode=None,
    file=None,
    name=None,
    local=False,
    no_wait=False,
    params_override=None,
    web=False,
    subscription=None,
):
    from azure.ai.ml import load_online_endpoint
    from azure.ai.ml.exceptions import ErrorCategory, ErrorTarget, ValidationException

    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    overrides = _overrides(params_override)
    try:
        check_local(local, no_wait)
        if name:
            overrides.append({"name": name.lower()})  # the service treats names case-insensitively
        if auth_mode:
            overrides.append({"auth_mode": auth_mode.lower()})
        endpoint = load_online_endpoint(source=file, params_override=overrides)
        try:
            client.online_endpoints.get(name=endpoint.name)
        except Exception as error:
            if not is_not_found(error):
                message = (
                    "Unexpected error verifying an endpoint with the provided name doesn't exist "
                    f"Full error can be found here: {error}"
                )
                raise ValidationException(
                    message=message,
                    no_personal_data_message=message,
                    error_target=ErrorTarget.ONLINE_ENDPOINT,
                    error_category=ErrorCategory.USER_ERROR,
                ) from error
        else:
            raise ValidationException(
                message=ALREADY_EXISTS,
                no_personal_data_message=ALREADY_EXISTS,
                error_target=ErrorTarget.ONLINE_ENDPOINT,
                error_category=ErrorCategory.USER_ERROR,
            )
        return _submit(client, endpoint, no_wait)
    except Exception as error:
        raise classify_ml_error(error, yaml_operation=bool(file)) from error


def _submit(client, endpoint, no_wait):
    """Create or update the endpoint; with --no-wait, print only the notice and return nothing."""
    poller = client.begin_create_or_update(endpoint)
    if no_wait:
        progress.warning(
            "Endpoint create request initiated. Status can be checked using `az ml online-endpoint show -n %s`\n",
            endpoint.name,
        )
        return None
    return endpoint_output(wait(poller))


def _current(ctx, client, name, file):
    """The getter of the generic update: the endpoint from the file, or as the service has it."""
    from azure.ai.ml import load_online_endpoint

    try:
        if not name:
            name = load_online_endpoint(source=file).name
        if file:
            return load_online_endpoint(source=file, params_override=[{"name": name.lower()}])
        try:
            return client.online_endpoints.get(name=name)
        except Exception as error:
            if is_not_found(error):
                raise ValueError("Endpoint does not exist.") from error
            raise
    except Exception as error:
        raise classify_ml_error(error) from error


def update(
    ctx,
    resource_group_name,
    workspace_name,
    traffic=None,
    name=None,
    file=None,
    local=False,
    no_wait=False,
    mirror_traffic=None,
    web=False,
    generic_set=None,
    generic_add=None,
    generic_remove=None,
    force_string=False,
    subscription=None,
    ordered_arguments=None,
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    endpoint = _current(ctx, client, name, file)
    generic_update.apply(endpoint, ordered_arguments, force_string)
    try:
        check_local(local, no_wait)
        if file:
            try:
                client.online_endpoints.get(name=name)
            except Exception as error:
                if is_not_found(error):
                    raise ValueError("Endpoint does not exist") from error
        if name:
            endpoint.name = name
        if traffic:
            split = traffic_map(traffic)
            if any(not value.isnumeric() for value in split.values()):
                raise ValueError(DELIMITER)
            endpoint.traffic = split
        if mirror_traffic:
            endpoint.mirror_traffic = traffic_map(mirror_traffic)
        return _submit(client, endpoint, no_wait)
    except Exception as error:
        raise classify_ml_error(error) from error


def delete(ctx, resource_group_name, workspace_name, name, local=False, no_wait=False, subscription=None):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        client.online_endpoints.get(name=name)
    except Exception as error:
        if is_not_found(error):
            # Raised outside the extension's error wrapper: the CLI reports it as an unexpected error.
            raise ValueError(f"Online endpoint {name} does not exist.") from error
    try:
        check_local(local, no_wait)
        if not no_wait:
            progress.warning(
                "Delete request initiated. If you interrupt this command or it times out while waiting "
                "for deletion to complete, status can be checked using "
                "`az ml online-endpoint show -n %s`\n",
                name,
            )
        poller = client.online_endpoints.begin_delete(name=name)
        if not no_wait:
            wait(poller)
        return None
    except Exception as error:
        raise classify_ml_error(error) from error


def get_credentials(ctx, resource_group_name, workspace_name, name, subscription=None):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        return client.online_endpoints.get_keys(name=name)
    except Exception as error:
        raise classify_ml_error(error) from error


def invoke(
    ctx,
    resource_group_name,
    workspace_name,
    name,
    request_file=None,
    online_deployment_name=None,
    local=False,
    subscription=None,
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        check_local(local)
        return client.online_endpoints.invoke(
            endpoint_name=name, request_file=request_file, deployment_name=online_deployment_name
        )
    except Exception as error:
        raise classify_ml_error(error) from error


def regenerate_keys(
    ctx, resource_group_name, workspace_name, name, key_type="primary", no_wait=False, subscription=None
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        poller = client.online_endpoints.begin_regenerate_keys(name=name, key_type=key_type)
        if not no_wait:
            wait(poller)
        return None
    except Exception as error:
        raise classify_ml_error(error) from error
