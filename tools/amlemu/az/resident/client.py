"""The thin client: hand one `az` call to the resident helper, starting the helper if needed.

Standard library only, and nothing heavy: this runs on every `az` call.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import sys
import time

from amlemu.az.resident import socket_path

START_TIMEOUT = 60.0


class HelperUnavailable(Exception):
    """The helper could not be reached or started; the caller runs the command in process."""


def _connect(path: str) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError as error:
        connection.close()
        if error.errno in (errno.ENOENT, errno.ECONNREFUSED, errno.ENOTSOCK):
            return None
        raise HelperUnavailable(str(error)) from error
    return connection


def _start_helper(config_dir: str, path: str) -> socket.socket:
    """Start the helper under a lock so that concurrent first calls start only one."""
    import fcntl
    import subprocess

    lock_path = path + ".lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        connection = _connect(path)
        if connection is not None:
            return connection
        subprocess.Popen(
            [sys.executable, "-m", "amlemu.az.resident.server", config_dir, path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
            cwd="/",
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            connection = _connect(path)
            if connection is not None:
                return connection
            time.sleep(0.02)
    raise HelperUnavailable("the az helper did not start in time")


def _forwarder(pid_box: list[int]):
    def forward(signum, _frame):
        if pid_box:
            try:
                os.kill(pid_box[0], signum)
            except ProcessLookupError:
                pass

    return forward


def run_through_helper(argv: list[str], config_dir: str) -> int:
    """Run `az argv` in the helper of `config_dir`; raises HelperUnavailable before anything ran."""
    if not os.path.isdir(config_dir):
        raise HelperUnavailable(f"{config_dir} is not a folder")
    try:
        path = socket_path(config_dir)
        connection = _connect(path) or _start_helper(config_dir, path)
    except OSError as error:
        raise HelperUnavailable(str(error)) from error
    umask = os.umask(0)
    os.umask(umask)
    payload = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": umask}).encode()
    try:
        socket.send_fds(connection, [b"RUN %d\n" % len(payload) + payload], [0, 1, 2])
    except OSError as error:
        connection.close()
        raise HelperUnavailable(str(error)) from error
    child: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _forwarder(child))
    buffer = b""
    code: int | None = None
    with connection:
        while code is None:
            try:
                chunk = connection.recv(256)
            except InterruptedError:
                continue
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                kind, _, value = line.partition(b" ")
                if kind == b"pid":
                    child.append(int(value))
                elif kind == b"exit":
                    code = int(value)
    if code is None:
        print("ERROR: the command was interrupted.", file=sys.stderr)
        return 1
    return code
