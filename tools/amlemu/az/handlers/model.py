"""`az ml model ...`: the `ml` extension's model commands (azext_mlv2/manual/custom/model.py), on the SDK."""

from __future__ import annotations

from itertools import islice

from amlemu.az.errors import classify_ml_error
from amlemu.az.handlers.workspace import (
    entity_output,
    list_view_type,
    ml_client,
    set_overrides,
    tag_map,
)

PATH_OR_FILE = "Please provide either --file/-f  or --name/-n and --path/-p."  # sic: the extension's two spaces


def create(
    ctx,
    resource_group_name,
    workspace_name,
    name=None,
    version=None,
    file=None,
    path=None,
    model_type=None,
    description=None,
    tags=None,
    stage=None,
    registry_name=None,
    params_override=None,
    datastore=None,
    no_wait=False,
    subscription=None,
):
    from azure.ai.ml import load_model
    from azure.ai.ml.entities import Model
    from azure.ai.ml.exceptions import ErrorCategory, ErrorTarget, ValidationErrorType, ValidationException

    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    overrides = set_overrides(params_override)
    tags = tag_map(tags)
    for key, value in (
        ("name", name),
        ("version", version),
        ("path", path),
        ("type", model_type),
        ("description", description),
        ("tags", tags),
        ("stage", stage),
        ("datastore", datastore),
    ):
        if value:
            overrides.append({key: value})
    try:
        if file:
            model = load_model(source=file, params_override=overrides)
        elif path and name:
            model = Model(
                name=name,
                version=version,
                path=path,
                description=description,
                tags=tags,
                stage=stage,
                type=model_type,
                datastore=datastore,
            )
        else:
            raise ValidationException(
                message=PATH_OR_FILE,
                no_personal_data_message=PATH_OR_FILE,
                target=ErrorTarget.MODEL,
                error_category=ErrorCategory.USER_ERROR,
                error_type=ValidationErrorType.MISSING_FIELD,
            )
        return entity_output(client.models.create_or_update(model))
    except Exception as error:
        raise classify_ml_error(error, yaml_operation=bool(file)) from error


def show(
    ctx, name, resource_group_name, workspace_name, registry_name=None, version=None, label=None, subscription=None
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        return entity_output(client.models.get(name=name, version=version, label=label))
    except Exception as error:
        raise classify_ml_error(error) from error


def list_(
    ctx,
    resource_group_name,
    workspace_name,
    name=None,
    stage=None,
    max_results=None,
    include_archived=False,
    archived_only=False,
    registry_name=None,
    subscription=None,
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        view = list_view_type(include_archived, archived_only)
        results = client.models.list(name=name, stage=stage, list_view_type=view)
        if max_results:
            results = islice(results, int(max_results))
        return [entity_output(model) for model in results]
    except Exception as error:
        raise classify_ml_error(error) from error


def archive(
    ctx, name, resource_group_name, workspace_name, registry_name=None, version=None, label=None, subscription=None
):
    """Archive prints nothing: the extension returns the SDK's None (and lets errors through unclassified)."""
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    return client.models.archive(name=name, version=version, label=label)


def restore(
    ctx, name, resource_group_name, workspace_name, registry_name=None, version=None, label=None, subscription=None
):
    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    return client.models.restore(name=name, version=version, label=label)


def download(
    ctx, name, version, resource_group_name, workspace_name, download_path=None, registry_name=None, subscription=None
):
    import os

    client = ml_client(ctx, resource_group_name, workspace_name, subscription)
    try:
        client.models.download(name=name, version=version, download_path=download_path or os.getcwd())
        return None
    except Exception as error:
        raise classify_ml_error(error) from error
