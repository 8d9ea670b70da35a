"""The ARM route table: which handler answers each path and method, beside the handlers it names
(as moto keeps `urls.py` beside `responses.py`). `router.py` is the matching machinery.

Two tables, because ARM checks a request's `api-version` against the provider that owns the path
before it looks for a handler: Microsoft.MachineLearningServices (`build_router`), and the
Microsoft.Resources and Microsoft.Storage paths the CLI needs around a workspace
(`other_providers_router`, with the api-versions of `resource_groups`).
"""

from __future__ import annotations

from amlemu.arm import assets, datastores, online_deployments, online_endpoints, operations, resource_groups, workspaces
from amlemu.arm.router import Router

WORKSPACE = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}"
LOCATION = "/subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{location}"

GROUP = "/subscriptions/{sub}/resourcegroups/{rg}"
STORAGE = "/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts"
STORAGE_IN_GROUP = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts"


def build_router() -> Router:
    """Microsoft.MachineLearningServices: workspaces and what lives in them, and the operation status resources."""
    router = Router()
    ws = WORKSPACE
    router.add(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces",
        GET=workspaces.list_in_group,
    )
    router.add(ws, GET=workspaces.get, PUT=workspaces.put)
    router.add(ws + "/datastores", GET=datastores.list_all)
    router.add(ws + "/datastores/{name}", GET=datastores.get)
    router.add(ws + "/datastores/{name}/listSecrets", POST=datastores.list_secrets)
    router.add(ws + "/onlineEndpoints", GET=online_endpoints.list_all)
    router.add(
        ws + "/onlineEndpoints/{endpoint}",
        GET=online_endpoints.get,
        PUT=online_endpoints.put,
        DELETE=online_endpoints.delete,
    )
    router.add(ws + "/onlineEndpoints/{endpoint}/listKeys", POST=online_endpoints.list_keys)
    router.add(ws + "/onlineEndpoints/{endpoint}/token", POST=online_endpoints.get_token)
    router.add(ws + "/onlineEndpoints/{endpoint}/regenerateKeys", POST=online_endpoints.regenerate_keys)
    router.add(ws + "/onlineEndpoints/{endpoint}/deployments", GET=online_deployments.list_all)
    router.add(
        ws + "/onlineEndpoints/{endpoint}/deployments/{deployment}",
        GET=online_deployments.get,
        PUT=online_deployments.put,
        PATCH=online_deployments.patch,
        DELETE=online_deployments.delete,
    )
    router.add(ws + "/onlineEndpoints/{endpoint}/deployments/{deployment}/getLogs", POST=online_deployments.get_logs)
    router.add(ws + "/{family}", GET=assets.list_containers)
    router.add(ws + "/{family}/{name}", GET=assets.get_container, PUT=assets.put_container)
    router.add(ws + "/{family}/{name}/versions", GET=assets.list_versions)
    router.add(
        ws + "/{family}/{name}/versions/{version}",
        GET=assets.get_version,
        PUT=assets.put_version,
        DELETE=assets.delete_version,
    )
    router.add(ws + "/{family}/{name}/versions/{version}/startPendingUpload", POST=assets.start_pending_upload)
    router.add(LOCATION + "/mfeOperationsStatus/{op}", GET=operations.get_status)
    router.add(LOCATION + "/mfeOperationResults/{op}", GET=operations.get_result)
    return router


def other_providers_router() -> Router:
    """Microsoft.Resources and Microsoft.Storage, as far as the CLI needs them around a workspace."""
    router = Router()
    router.add("/subscriptions/{sub}/resourcegroups", GET=resource_groups.list_groups)
    router.add(GROUP, GET=resource_groups.get_group)
    router.add(STORAGE, GET=resource_groups.list_storage_accounts)
    router.add(STORAGE_IN_GROUP, GET=resource_groups.list_storage_accounts)
    router.add(STORAGE_IN_GROUP + "/{account}", GET=resource_groups.get_storage_account)
    router.add(STORAGE_IN_GROUP + "/{account}/listKeys", POST=resource_groups.list_keys)
    return router
