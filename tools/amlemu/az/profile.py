"""The emulated CLI profile: subscriptions known to `az account`, kept in AZURE_CONFIG_DIR.

The real CLI keeps them in `azureProfile.json` after `az login`; inside an
emulated run the service principal in AZURE_CLIENT_ID/AZURE_TENANT_ID is
"logged in" to the one subscription in AZURE_SUBSCRIPTION_ID, so the profile is
created from the environment on first use.
"""

from __future__ import annotations

import json
import os
from typing import Any

from knack.util import CLIError

PROFILE_FILE = "azureProfile.json"
DEFAULT_SUBSCRIPTION_NAME = "Emulated subscription"


def _profile_path(config_dir: str) -> str:
    return os.path.join(config_dir, PROFILE_FILE)


def _from_environment() -> dict[str, Any]:
    subscription_id = os.environ.get("AZURE_SUBSCRIPTION_ID")
    if not subscription_id:
        raise CLIError("Please run 'az login' to setup account.")
    tenant = os.environ.get("AZURE_TENANT_ID", "")
    return {
        "subscriptions": [
            {
                "environmentName": "AzureCloud",
                "homeTenantId": tenant,
                "id": subscription_id,
                "isDefault": True,
                "managedByTenants": [],
                "name": os.environ.get("AZURE_SUBSCRIPTION_NAME", DEFAULT_SUBSCRIPTION_NAME),
                "state": "Enabled",
                "tenantId": tenant,
                "user": {"name": os.environ.get("AZURE_CLIENT_ID", ""), "type": "servicePrincipal"},
            }
        ],
    }


def load(config_dir: str) -> dict[str, Any]:
    path = _profile_path(config_dir)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return _from_environment()
    except (OSError, ValueError) as error:
        raise CLIError(f"{path}: cannot read the CLI profile: {error}") from error


def save(config_dir: str, profile: dict[str, Any]) -> None:
    os.makedirs(config_dir, exist_ok=True)
    path = _profile_path(config_dir)
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(profile, handle, indent=2)
    os.replace(temporary, path)


def find(profile: dict[str, Any], id_or_name: str | None) -> dict[str, Any]:
    """The subscription named or identified by `id_or_name`, else the default one."""
    subscriptions = profile.get("subscriptions", [])
    if id_or_name:
        wanted = id_or_name.lower()
        for subscription in subscriptions:
            if subscription["id"].lower() == wanted or subscription["name"].lower() == wanted:
                return subscription
        raise CLIError(f"Subscription '{id_or_name}' not found. Check the spelling and casing and try again.")
    for subscription in subscriptions:
        if subscription.get("isDefault"):
            return subscription
    raise CLIError("Please run 'az login' to setup account.")


def subscription_id(config_dir: str, id_or_name: str | None) -> str:
    return find(load(config_dir), id_or_name)["id"]
