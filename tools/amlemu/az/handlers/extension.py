"""`az version` and `az extension show|list`: the CLI and the one extension it emulates, `ml`."""

from __future__ import annotations

import os

from knack.util import CLIError

from amlemu.az.versions import CLI_VERSION, CORE_VERSION, ML_EXTENSION_VERSION, TELEMETRY_VERSION


def _ml_extension(ctx) -> dict:
    return {
        "experimental": False,
        "extensionType": "whl",
        "name": "ml",
        "path": os.path.join(ctx.config_dir, "cliextensions", "ml"),
        "preview": False,
        "version": ML_EXTENSION_VERSION,
    }


def version(ctx):
    return {
        "azure-cli": CLI_VERSION,
        "azure-cli-core": CORE_VERSION,
        "azure-cli-telemetry": TELEMETRY_VERSION,
        "extensions": {"ml": ML_EXTENSION_VERSION},
    }


def show(ctx, name):
    if name != "ml":
        raise CLIError(f"The extension {name} is not installed.")
    return _ml_extension(ctx)


def list_(ctx):
    return [_ml_extension(ctx)]
