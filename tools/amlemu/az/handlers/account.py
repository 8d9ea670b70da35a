"""`az login`, `az account show|set|list|get-access-token`: the emulated profile's subscriptions and tokens."""

from __future__ import annotations

import os

from amlemu.az import profile


def show(ctx, account_name=None, subscription=None):
    return profile.find(profile.load(ctx.config_dir), subscription or account_name)


def set_(ctx, subscription):
    data = profile.load(ctx.config_dir)
    chosen = profile.find(data, subscription)
    for entry in data.get("subscriptions", []):
        entry["isDefault"] = entry is chosen
    profile.save(ctx.config_dir, data)
    return None


def list_(ctx, all_=False):
    return profile.load(ctx.config_dir).get("subscriptions", [])


def login(ctx, **_credentials):
    """The emulator's service principal is always signed in; answer like a completed login."""
    return list_(ctx)


ARM_RESOURCE = "https://management.core.windows.net/"  # the CLI's default resource (the cloud's AD resource id)
RESOURCE_TYPES = {  # azure-cli's cloud_resource_type_mappings, resolved for the public cloud
    "arm": ARM_RESOURCE,
    "aad-graph": "https://graph.windows.net/",
    "ms-graph": "https://graph.microsoft.com/",
    "batch": "https://batch.core.windows.net/",
    "data-lake": "https://datalake.azure.net/",
    "media": "https://rest.media.azure.net",
    "oss-rdbms": "https://ossrdbms-aad.database.windows.net",
}


def get_access_token(ctx, subscription=None, resource=None, scopes=None, resource_type=None, tenant=None):
    """The token of the signed-in service principal, in the shape of azure-cli's profile `get_access_token`.

    `expiresOn` is local time as "%Y-%m-%d %H:%M:%S.%f" and `expires_on` the POSIX
    timestamp (azure-cli core `_profile.get_raw_token`); `subscription` is present when
    the token is not tenant-level.
    """
    import datetime

    from azure.identity import ClientSecretCredential
    from knack.util import CLIError

    if resource and scopes:
        raise CLIError("usage error: --resource/--resource-type/--scope")
    if resource is None and resource_type:
        resource = RESOURCE_TYPES[resource_type]
    base = resource or ARM_RESOURCE
    scope_list = list(scopes) if scopes else [(base if base.endswith("/") else base + "/") + ".default"]
    data = profile.load(ctx.config_dir)
    account = profile.find(data, None if tenant else subscription)
    tenant_id = tenant or account.get("tenantId") or os.environ.get("AZURE_TENANT_ID", "")
    credential = ClientSecretCredential(
        tenant_id, os.environ.get("AZURE_CLIENT_ID", ""), os.environ.get("AZURE_CLIENT_SECRET", "")
    )
    token = credential.get_token(*scope_list)
    result = {
        "accessToken": token.token,
        "expiresOn": datetime.datetime.fromtimestamp(token.expires_on).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "expires_on": token.expires_on,
        "subscription": account["id"],
        "tenant": tenant_id,
        "tokenType": "Bearer",
    }
    if tenant:
        result.pop("subscription")
    return result
