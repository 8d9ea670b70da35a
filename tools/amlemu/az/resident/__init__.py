"""The resident helper: one warm process per AZURE_CONFIG_DIR that runs `az` commands for thin clients.

Why: importing azure.ai.ml takes about a second, so an `az` that imported it on
every call could not answer `az ml online-endpoint show` in under half a second.
The helper imports knack and the SDK once; for each command it forks a child
that takes over the client's own stdin/stdout/stderr (passed as file
descriptors over a unix socket), its working folder, environment and umask,
runs the command exactly as the in-process path would, and reports the exit
code. Output therefore goes straight to the caller's streams, byte for byte,
and every command runs in a fresh process image, as with the real CLI.

Lifetime: the helper exits when its AZURE_CONFIG_DIR disappears (the emulator's
state folder was removed), when the emulator recorded in
`$AMLEMU_STATE_DIR/running.json` has exited, when the process named by
AMLEMU_AZ_OWNER_PID (if set when it started) is gone, after
AMLEMU_AZ_IDLE_SECONDS without a request (default 300), or when
`stop(config_dir)` asks it to. It checks twice a second.

The socket is owner-only (0600, in a 0700 folder when it cannot live in the
config folder because of the unix socket path length limit).

This module is imported by the thin client on every call: standard library only.
"""

from __future__ import annotations

import hashlib
import os
import socket
import tempfile

SOCKET_NAME = "az-helper.sock"
MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux; keep a margin


def socket_path(config_dir: str) -> str:
    """Where the helper for `config_dir` listens: inside the folder when the path is short enough."""
    config_dir = os.path.abspath(config_dir)
    inside = os.path.join(config_dir, SOCKET_NAME)
    if len(inside.encode()) <= MAX_SOCKET_PATH:
        return inside
    digest = hashlib.sha256(config_dir.encode()).hexdigest()[:24]
    return os.path.join(private_runtime_dir(), f"az-{digest}.sock")


def private_runtime_dir() -> str:
    """A 0700 folder of this user for sockets whose natural place has too long a path."""
    folder = os.path.join(tempfile.gettempdir(), f"amlemu-az-{os.getuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    info = os.lstat(folder)
    if info.st_uid != os.getuid() or (info.st_mode & 0o077):
        raise PermissionError(f"{folder}: not a private folder of this user")
    return folder


def stop(config_dir: str, timeout: float = 5.0) -> bool:
    """Ask the helper of `config_dir` to exit; True if one was running. Used by the emulator on shutdown."""
    path = socket_path(config_dir)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    try:
        connection.connect(path)
    except OSError:
        return False
    try:
        connection.sendall(b"STOP\n")
        connection.recv(16)
    except OSError:
        pass
    finally:
        connection.close()
    return True
