"""The resident helper: same bytes and exit codes as the in-process path, owner-only socket, bounded life."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

from amlemu.az.resident import socket_path, stop

CALLS = [
    ["version"],
    ["configure", "--list-defaults"],
    ["account", "show", "--query", "user"],
    ["extension", "show", "--name", "nope"],
    ["ml", "endpoint", "update", "-n", "my-new-endpoint", "--f", "x.yaml"],
    ["ml", "online-endpoint", "update", "-n", "ep", "--f", "x.yaml"],
    ["ml", "online-deployment", "show", "--name", "green"],
    ["ml", "online-deployment", "delete", "--name", "blue", "--endpoint-name", "ep"],
    ["ml", "online-endpoint", "show", "--name", "ep", "--local"],
    ["ml", "online-endpoint", "show", "-h"],
]


def az(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    result = subprocess.run(
        ["az", *argv], env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
    )
    return result.returncode, result.stdout, result.stderr


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_helper_and_in_process_print_the_same(offline_env: dict[str, str], tmp_path: Path) -> None:
    in_process = dict(offline_env, AMLEMU_AZ_RESIDENT="0")
    for argv in CALLS:
        assert az(argv, offline_env, tmp_path) == az(argv, in_process, tmp_path), argv
    assert os.path.exists(socket_path(offline_env["AZURE_CONFIG_DIR"]))


def test_helper_runs_in_the_callers_folder_and_environment(offline_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    first = dict(offline_env, AZURE_DEFAULTS_GROUP="group-from-env")
    code, out, _ = az(["configure", "-l", "--query", "[?name=='group'].value", "-o", "tsv"], first, tmp_path / "one")
    assert (code, out) == (0, "group-from-env\n")
    code, out, _ = az(["configure", "-l", "--query", "[?name=='group'].value", "-o", "tsv"], offline_env, tmp_path)
    assert (code, out) == (0, "rg-docs\n")


def test_socket_is_owner_only(offline_env: dict[str, str], tmp_path: Path) -> None:
    az(["version"], offline_env, tmp_path)
    mode = stat.S_IMODE(os.stat(socket_path(offline_env["AZURE_CONFIG_DIR"])).st_mode)
    assert mode == 0o600


def test_stop_ends_the_helper(offline_env: dict[str, str], tmp_path: Path) -> None:
    az(["version"], offline_env, tmp_path)
    path = socket_path(offline_env["AZURE_CONFIG_DIR"])
    assert stop(offline_env["AZURE_CONFIG_DIR"]) is True
    assert wait_for(lambda: not os.path.exists(path))
    assert stop(offline_env["AZURE_CONFIG_DIR"]) is False
    # The next call starts a new helper.
    assert az(["version"], offline_env, tmp_path)[0] == 0


def test_helper_exits_when_the_config_folder_goes_away(offline_env: dict[str, str], tmp_path: Path) -> None:
    config_dir = Path(offline_env["AZURE_CONFIG_DIR"])
    az(["version"], offline_env, tmp_path)
    path = socket_path(str(config_dir))
    connections_before = _helper_pids(path)
    assert connections_before, "no helper is listening"
    shutil.rmtree(config_dir)
    assert wait_for(lambda: not any(_alive(pid) for pid in connections_before), timeout=10)


def _helper_pids(path: str) -> list[int]:
    """Processes whose command line names this socket path: the helper of that config folder."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                arguments = handle.read().split(b"\0")
        except OSError:
            continue
        if b"amlemu.az.resident.server" in arguments and path.encode() in arguments:
            pids.append(int(entry))
    return pids


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except OSError:
        return False


def test_long_config_paths_use_a_private_runtime_folder(tmp_path: Path) -> None:
    long_dir = tmp_path / ("x" * 120)
    path = socket_path(str(long_dir))
    assert len(path.encode()) <= 100
    folder = Path(path).parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert socket_path(str(long_dir)) == path != socket_path(str(tmp_path / ("y" * 120)))


def test_exit_codes_pass_through(offline_env: dict[str, str], tmp_path: Path) -> None:
    assert az(["ml", "online-endpoint", "show"], offline_env, tmp_path)[0] == 2
    assert az(["extension", "show", "--name", "nope"], offline_env, tmp_path)[0] == 1
    assert az(["version"], offline_env, tmp_path)[0] == 0
