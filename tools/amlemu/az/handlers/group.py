"""`az group show|list`: the workspace's resource group, read from ARM (Microsoft.Resources).

The real CLI reads it with azure-mgmt-resource; here the same GET goes through
azure-core's ARM pipeline (what that client is built on) with the signed-in
service principal, so errors come back as the same HttpResponseError (exit 3 on 404).
"""

from __future__ import annotations

from typing import Any

from amlemu.az import profile

API_VERSION = "2022-09-01"  # what azure-mgmt-resource's ResourceManagementClient sends for resource groups
ARM = "https://management.azure.com"


def arm_request(ctx, path: str, api_version: str = API_VERSION, method: str = "GET") -> Any:
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
    from azure.core.pipeline.policies import HeadersPolicy, RetryPolicy, UserAgentPolicy
    from azure.core.rest import HttpRequest
    from azure.identity import DefaultAzureCredential
    from azure.mgmt.core import ARMPipelineClient
    from azure.mgmt.core.exceptions import ARMErrorFormat
    from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy

    base = _arm_base()
    credential = DefaultAzureCredential()
    policy = ARMChallengeAuthenticationPolicy(credential, f"{_audience()}/.default")
    policies = [HeadersPolicy(), UserAgentPolicy(sdk_moniker="amlemu-az"), RetryPolicy(), policy]
    with ARMPipelineClient(base_url=base, policies=policies) as client:
        request = HttpRequest(
            method, f"{base}{path}", params={"api-version": api_version}, headers={"Accept": "application/json"}
        )
        response = client.send_request(request)
        if response.status_code == 404:
            raise ResourceNotFoundError(response=response, error_format=ARMErrorFormat)
        if response.status_code >= 400:
            raise HttpResponseError(response=response, error_format=ARMErrorFormat)
        return response.json()


def _arm_base() -> str:
    """ARM as the SDKs reach it: the custom cloud's resource manager in direct mode, else the public one."""
    import os

    metadata_url = os.environ.get("ARM_CLOUD_METADATA_URL")
    if not metadata_url:
        return ARM
    from urllib.parse import urlsplit

    parts = urlsplit(metadata_url)
    return f"{parts.scheme}://{parts.netloc}"


def _audience() -> str:
    return "https://management.core.windows.net" if _arm_base() == ARM else _arm_base()


def _output(group: dict[str, Any]) -> dict[str, Any]:
    """The ResourceGroup model as the CLI serializes it: every attribute, None included."""
    return {
        "id": group.get("id"),
        "location": group.get("location"),
        "managedBy": group.get("managedBy"),
        "name": group.get("name"),
        "properties": group.get("properties"),
        "tags": group.get("tags"),
        "type": group.get("type"),
    }


def show(ctx, resource_group_name, subscription=None):
    subscription_id = profile.subscription_id(ctx.config_dir, subscription)
    return _output(arm_request(ctx, f"/subscriptions/{subscription_id}/resourcegroups/{resource_group_name}"))


def list_(ctx, tag=None, subscription=None):
    subscription_id = profile.subscription_id(ctx.config_dir, subscription)
    groups = [_output(g) for g in arm_request(ctx, f"/subscriptions/{subscription_id}/resourcegroups").get("value", [])]
    if tag:
        key, _, value = tag.partition("=")
        groups = [g for g in groups if key in (g["tags"] or {}) and (not value or g["tags"][key] == value)]
    return groups
