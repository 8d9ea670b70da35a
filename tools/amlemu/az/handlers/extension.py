"""`az version` and `az extension ...`: the CLI and the one extension it emulates, `ml`.

`ml` is always installed and always the latest, so `add`, `update` and `remove` of `ml`
succeed without changing anything (scripts run `az extension add -n ml` first); any
other extension is not installed and cannot be.
"""

from __future__ import annotations

import os

from knack.log import get_logger
from knack.util import CLIError

from amlemu.az.versions import CLI_VERSION, CORE_VERSION, ML_EXTENSION_VERSION, TELEMETRY_VERSION

logger = get_logger(__name__)
NOT_AVAILABLE = (
    "The extension {name} is not available in an emulated workspace: amlemu emulates the 'ml' extension only."
)


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


def add(
    ctx,
    source=None,
    name=None,
    index=None,
    allow_preview=None,
    pip_extra_index_urls=None,
    pip_proxy=None,
    system=False,
    version=None,
    upgrade=False,
    yes=False,
):
    """azure-cli-core's add_extension (extension/operations.py) warns and returns when it is already installed."""
    if source and not name:
        raise CLIError(NOT_AVAILABLE.format(name=source))
    if not name:
        raise CLIError("usage error: --name NAME | --source SOURCE")
    if name != "ml":
        raise CLIError(NOT_AVAILABLE.format(name=name))
    if not upgrade:
        logger.warning("Extension '%s' is already installed.", name)
    else:
        logger.warning("Extension '%s' %s is already installed.", name, ML_EXTENSION_VERSION)
    return None


def update(ctx, name, index=None, pip_extra_index_urls=None, pip_proxy=None, allow_preview=None):
    if name != "ml":
        raise CLIError(f"The extension {name} is not installed.")
    logger.warning("No updates available for '%s'. Use --debug for more information.", name)
    return None


def remove(ctx, name):
    """A no-op for `ml`: the emulated CLI keeps its one extension, so later `az ml` calls still work."""
    if name != "ml":
        raise CLIError(f"The extension {name} is not installed.")
    return None
