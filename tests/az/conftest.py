"""Fixtures for the emulated `az`: an environment like an emulated run's, with or without an emulator."""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from amlemu.az.resident import stop

AZ_BIN = Path(__file__).resolve().parents[2] / "tools" / "amlemu" / "az" / "bin"
SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"
TENANT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
CLIENT = "99999999-8888-7777-6666-555555555555"


def offline_environment(folder: Path) -> dict[str, str]:
    """What `amlemu env` sets, minus the emulator: config folder with defaults, ids, PATH."""
    config_dir = folder / "azure-config"
    config_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    config = configparser.ConfigParser()
    config["defaults"] = {"group": "rg-docs", "workspace": "ws-docs", "location": "eastus"}
    with open(config_dir / "config", "w") as handle:
        config.write(handle)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AZURE_", "AMLEMU_")) and name.lower() not in ("https_proxy", "http_proxy")
    }
    env.update(
        {
            "AZURE_CONFIG_DIR": str(config_dir),
            "AZURE_SUBSCRIPTION_ID": SUBSCRIPTION,
            "AZURE_TENANT_ID": TENANT,
            "AZURE_CLIENT_ID": CLIENT,
            "AZURE_CLIENT_SECRET": "not-a-secret",
            "AMLEMU_PYTHON": sys.executable,
            "AMLEMU_AZ_IDLE_SECONDS": "60",
            "PATH": f"{AZ_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    return env


@pytest.fixture
def offline_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An emulated-run environment without an emulator (commands that need no service)."""
    env = offline_environment(tmp_path)
    yield env
    stop(env["AZURE_CONFIG_DIR"])


@pytest.fixture
def scoring_emulator(tmp_path: Path):
    """A proxy-mode emulator whose deployments really run their scoring code."""
    from amlemu.testing import running_emulator

    with running_emulator(state_dir=tmp_path / "state", runtime="inference-server") as emulator:
        try:
            yield emulator
        finally:
            stop(emulator.env["AZURE_CONFIG_DIR"])
