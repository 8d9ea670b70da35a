"""`az login` and `az account show|set|list`: the emulated profile's subscriptions."""

from __future__ import annotations

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
