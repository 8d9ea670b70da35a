"""`az ml environment ...`: the `ml` extension's environment commands (azext_mlv2/manual/custom/environment.py)."""

from __future__ import annotations

from itertools import islice

from amlemu.az.errors import classify_ml_error
from amlemu.az.handlers.workspace import entity_output, list_view_type, ml_client, set_overrides, tag_map


def create(
    ctx,
    resource_group_name,
    workspace_name,
    registry_name=None,
    file=None,
    name=None,
    version=None,
    tags=None,
    description=None,
    image=None,
    conda_file=None,
    build_context=None,
    dockerfile_path=None,
    os_type=None,
    datastore=None,
    params_override=None,
    path=None,
    subscription=None,
):
    from azure.ai.ml import load_environment

    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    overrides = set_overrides(params_override)
    build = {"path": build_context, "dockerfile_path": dockerfile_path or "/Dockerfile"} if build_context else None
    for key, value in (
        ("name", name),
        ("version", version),
        ("tags", tag_map(tags)),
        ("description", description),
        ("image", image),
        ("conda_file", conda_file),
        ("build", build),
        ("os_type", os_type),
        ("datastore", datastore),
    ):
        if value:
            overrides.append({key: value})
    try:
        environment = load_environment(source=file, params_override=overrides)
        return entity_output(client.environments.create_or_update(environment))
    except Exception as error:
        raise classify_ml_error(error, yaml_operation=bool(file)) from error


def show(
    ctx, name, resource_group_name, workspace_name, registry_name=None, version=None, label=None, subscription=None
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        return entity_output(client.environments.get(name=name, version=version, label=label))
    except Exception as error:
        raise classify_ml_error(error) from error


def list_(
    ctx,
    resource_group_name,
    workspace_name,
    registry_name=None,
    name=None,
    max_results=None,
    include_archived=False,
    archived_only=False,
    subscription=None,
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        view = list_view_type(include_archived, archived_only)
        results = client.environments.list(name=name, list_view_type=view)
        if max_results:
            results = islice(results, int(max_results))
        return [entity_output(environment) for environment in results]
    except Exception as error:
        raise classify_ml_error(error) from error


def archive(
    ctx, name, resource_group_name, workspace_name, registry_name=None, version=None, label=None, subscription=None
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        return client.environments.archive(name=name, version=version, label=label)
    except Exception as error:
        raise classify_ml_error(error) from error
