"""`az ml online-deployment ...`: the `ml` extension's deployment commands, on the real SDK."""

from __future__ import annotations

from typing import Any

from amlemu.az import generic_update
from amlemu.az.errors import classify_ml_error
from amlemu.az.handlers.online_endpoint import _overrides
from amlemu.az.handlers.workspace import (
    check_local,
    is_not_found,
    ml_client,
    plain_logger,
    plain_provisioning_state,
    wait,
)

progress = plain_logger("amlemu.az.handlers.online_deployment")

ALREADY_EXISTS = (
    "(UserError) A deployment with this name already exists. If you are trying to create a new "
    "deployment, use a different name. If you are trying to update an existing deployment, use "
    "`az ml online-deployment update` instead."
)


def deployment_output(deployment: Any) -> dict[str, Any]:
    return plain_provisioning_state(deployment._to_dict())


def list_output(deployments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`list` prints a reduced object per deployment (the extension's list transform)."""
    keys = ("name", "endpoint_name", "provisioning_state", "instance_type", "model", "type")
    return [{key: deployment.get(key) for key in keys} for deployment in deployments]


def create(
    ctx,
    resource_group_name,
    workspace_name,
    file,
    endpoint_name=None,
    name=None,
    local=False,
    local_enable_gpu=False,
    vscode_debug=False,
    no_wait=False,
    all_traffic=False,
    params_override=None,
    web=False,
    skip_script_validation=False,
    package_model=False,
    subscription=None,
):
    from azure.ai.ml import load_online_deployment
    from azure.ai.ml.exceptions import ErrorCategory, ErrorTarget, ValidationException

    overrides = _overrides(params_override)
    try:
        check_local(local, no_wait)
        if name:
            overrides.append({"name": name})
        if endpoint_name:
            overrides.append({"endpoint_name": endpoint_name})
        deployment = load_online_deployment(source=file, params_override=overrides)
        client = ml_client(ctx, resource_group_name, workspace_name, subscription)
        try:
            client.online_deployments.get(name=deployment.name, endpoint_name=deployment.endpoint_name)
        except Exception as error:
            if not is_not_found(error):
                raise ValueError(
                    "Unexpected error verifying a deployment with the provided name does not exist on this endpoint."
                ) from error
        else:
            raise ValidationException(
                message=ALREADY_EXISTS,
                no_personal_data_message=ALREADY_EXISTS,
                error_target=ErrorTarget.ONLINE_DEPLOYMENT,
                error_category=ErrorCategory.USER_ERROR,
            )
        if all_traffic:
            if no_wait:
                progress.warning(
                    "All traffic won't be set to deployment %s since no_wait option was provided. "
                    "You can try to set all the traffic to this deployment once its has completed.",
                    deployment.name,
                )
            else:
                progress.warning(
                    "All traffic will be set to deployment %s once it has been provisioned.\n"
                    "If you interrupt this command or it times out while waiting for the provisioning, "
                    "you can try to set all the traffic to this deployment later once it has been "
                    "provisioned.",
                    deployment.name,
                )
        poller = client.begin_create_or_update(deployment, skip_script_validation=skip_script_validation)
        if no_wait:
            return None
        deployment = wait(poller)
        if all_traffic:
            endpoint = client.online_endpoints.get(deployment.endpoint_name)
            endpoint.traffic = {deployment.name: 100}
            wait(client.begin_create_or_update(endpoint))
        return deployment_output(deployment)
    except Exception as error:
        raise classify_ml_error(error, yaml_operation=bool(file)) from error


def _current(ctx, client, name, endpoint_name, file) -> dict[str, Any]:
    """The getter of the generic update: the explicit names when a file is given, else the deployment."""
    if file:
        return {key: value for key, value in (("name", name), ("endpoint_name", endpoint_name)) if value}
    try:
        try:
            return client.online_deployments.get(name, endpoint_name)._to_dict()
        except Exception as error:
            if is_not_found(error):
                raise ValueError("Deployment does not exist.") from error
            raise
    except Exception as error:
        raise classify_ml_error(error) from error


def update(
    ctx,
    resource_group_name,
    workspace_name,
    name=None,
    endpoint_name=None,
    local=False,
    local_enable_gpu=False,
    vscode_debug=False,
    no_wait=False,
    file=None,
    web=False,
    skip_script_validation=False,
    generic_set=None,
    generic_add=None,
    generic_remove=None,
    force_string=False,
    subscription=None,
    ordered_arguments=None,
):
    from azure.ai.ml import load_online_deployment
    from azure.ai.ml.entities._deployment.online_deployment import OnlineDeployment

    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    parameters = _current(ctx, client, name, endpoint_name, file)
    generic_update.apply(parameters, ordered_arguments, force_string)
    try:
        if file:
            overrides = [{key: value} for key, value in parameters.items()]
            parameters = load_online_deployment(source=file, params_override=overrides)._to_dict()
        OnlineDeployment._set_scale_settings(data=parameters)
        deployment = OnlineDeployment._load(data=parameters, yaml_path=file)
        check_local(local, no_wait)
        if file:
            try:
                client.online_deployments.get(name=deployment.name, endpoint_name=deployment.endpoint_name)
            except Exception as error:
                if is_not_found(error):
                    raise ValueError("Deployment does not exist") from error
        poller = client.begin_create_or_update(deployment, skip_script_validation=skip_script_validation)
        if no_wait:
            return None
        return deployment_output(wait(poller))
    except Exception as error:
        raise classify_ml_error(error) from error


def show(ctx, resource_group_name, workspace_name, name, endpoint_name, local=False, web=False, subscription=None):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        check_local(local)
        try:
            deployment = client.online_deployments.get(name, endpoint_name)
        except Exception as error:
            if is_not_found(error):
                raise ValueError("Deployment does not exist.") from error
            raise
        return deployment_output(deployment)
    except Exception as error:
        raise classify_ml_error(error) from error


def list_(ctx, resource_group_name, workspace_name, endpoint_name, local=False, subscription=None):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        check_local(local)
        return list_output([deployment_output(d) for d in client.online_deployments.list(endpoint_name)])
    except Exception as error:
        raise classify_ml_error(error) from error


def delete(
    ctx, resource_group_name, workspace_name, name, endpoint_name, local=False, no_wait=False, subscription=None
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        check_local(local, no_wait)
        poller = client.online_deployments.begin_delete(name, endpoint_name)
        if not no_wait:
            wait(poller)
        return None
    except Exception as error:
        raise classify_ml_error(error) from error


def get_logs(
    ctx,
    resource_group_name,
    workspace_name,
    name,
    endpoint_name,
    lines=5000,
    container=None,
    local=False,
    subscription=None,
):
    from knack.util import CLIError

    try:
        lines = int(lines)
    except (TypeError, ValueError):
        raise CLIError(f"argument --lines/-l: invalid int value: '{lines}'") from None
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        check_local(local)
        logs = client.online_deployments.get_logs(name, endpoint_name, lines, container_type=container)
        print(logs.replace("\\n", "\n"))
        return None
    except Exception as error:
        raise classify_ml_error(error) from error
