"""The environment a client process needs to talk to a running emulator.

Proxy mode (the default) needs no SDK-specific setting: `HTTPS_PROXY` sends every HTTPS
connection through the emulator, which answers for the real Azure host names; the CA
variables make the emulator's certificate trusted; the service-principal variables let an
unmodified `DefaultAzureCredential` get a token. Direct mode points the SDK at loopback
through the documented custom-cloud metadata URL instead.

The `az` command of `amlemu.az` is put first on PATH, and its configuration folder gets
the workspace defaults, so `az ml ...` needs no `-g`/`-w` either.
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shlex
import sys
from pathlib import Path

from amlemu.state import WorkspaceIdentity

RUNNING_FILE = "running.json"


def az_bin_folder() -> Path | None:
    """`<folder of the amlemu.az package>/bin`, if that package is installed."""
    try:
        spec = importlib.util.find_spec("amlemu.az")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "bin"
    return folder if folder.is_dir() else None


def write_azure_config(state_dir: Path, identity: WorkspaceIdentity) -> Path:
    """`<state>/azure-config/config` with `[defaults] group, workspace, location` (kept if present)."""
    folder = state_dir / "azure-config"
    folder.mkdir(mode=0o700, exist_ok=True)
    config_file = folder / "config"
    if not config_file.exists():
        config = configparser.ConfigParser()
        config["defaults"] = {
            "group": identity.resource_group,
            "workspace": identity.workspace,
            "location": identity.region,
        }
        with open(config_file, "w") as handle:
            config.write(handle)
    return folder


def client_environment(
    state_dir: Path, identity: WorkspaceIdentity, port: int, mode: str = "proxy", base_path: str | None = None
) -> dict[str, str]:
    """Only the variables to add to a client's environment (merge them over `os.environ`)."""
    ca = str(state_dir / "ca.pem")
    env = {
        "AMLEMU_STATE_DIR": str(state_dir),
        "AMLEMU_PYTHON": sys.executable,
        "AZURE_CONFIG_DIR": str(write_azure_config(state_dir, identity)),
        "AZURE_SUBSCRIPTION_ID": identity.subscription_id,
        "AZURE_RESOURCE_GROUP": identity.resource_group,
        "AZUREML_WORKSPACE_NAME": identity.workspace,
        "AZURE_TENANT_ID": identity.tenant_id,
        "AZURE_CLIENT_ID": identity.client_id,
        "AZURE_CLIENT_SECRET": identity.client_secret,
        "REQUESTS_CA_BUNDLE": ca,
        "CURL_CA_BUNDLE": ca,
        "SSL_CERT_FILE": ca,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    if mode == "proxy":
        proxy = f"http://127.0.0.1:{port}"
        env.update({"HTTPS_PROXY": proxy, "https_proxy": proxy})
    elif mode == "direct":
        env["ARM_CLOUD_METADATA_URL"] = f"https://127.0.0.1:{port}/metadata/endpoints?api-version=2019-05-01"
    else:
        raise ValueError(f"unknown mode '{mode}'; use 'proxy' or 'direct'")
    path = base_path if base_path is not None else os.environ.get("PATH", "")
    az_bin = az_bin_folder()
    if az_bin is not None:
        path = f"{az_bin}{os.pathsep}{path}" if path else str(az_bin)
    env["PATH"] = path
    return env


def export_lines(env: dict[str, str]) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env.items())


def record_running(state_dir: Path, port: int) -> None:
    target = state_dir / RUNNING_FILE
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps({"port": port, "pid": os.getpid()}))
    os.replace(temporary, target)


def read_running(state_dir: Path) -> dict | None:
    try:
        return json.loads((state_dir / RUNNING_FILE).read_text())
    except (OSError, ValueError):
        return None
