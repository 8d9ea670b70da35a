"""The resident helper process: `python -m amlemu.az.resident.server CONFIG_DIR SOCKET_PATH`.

Started by the thin client on first use (see `amlemu.az.resident`). Protocol on
the unix socket, one request per connection:

    client -> helper   b"RUN <n>\\n" + n bytes of JSON {argv, cwd, env, umask},
                       with the client's fds 0, 1, 2 attached (SCM_RIGHTS)
    helper -> client   b"pid <child pid>\\n", later b"exit <code>\\n"

    client -> helper   b"STOP\\n"           the helper answers b"bye\\n" and exits
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import time

# Everything a command may need, imported once before the helper serves: every command runs in a
# child forked from here, with these already loaded. (Nothing else imports this module; the thin
# client starts it as `python -m`.)
import azure.ai.ml
import azure.ai.ml._exception_helper
import azure.ai.ml.entities
import azure.identity  # noqa: F401
import jmespath  # noqa: F401
import knack.help  # noqa: F401
import yaml  # noqa: F401

import amlemu.az.errors
import amlemu.az.generic_update
import amlemu.az.handlers.account
import amlemu.az.handlers.configure
import amlemu.az.handlers.extension
import amlemu.az.handlers.online_deployment
import amlemu.az.handlers.online_endpoint  # noqa: F401
from amlemu.az.cli import run

IDLE_SECONDS_DEFAULT = 300.0
WATCH_PERIOD = 0.5


def _owner_alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _emulator_alive(state_dir: str | None) -> bool:
    """False once the emulator recorded in `<state>/running.json` has exited (unknown counts as alive)."""
    if not state_dir:
        return True
    try:
        with open(os.path.join(state_dir, "running.json"), encoding="utf-8") as handle:
            pid = int(json.load(handle)["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return True
    return _owner_alive(pid)


def _read_request(connection: socket.socket) -> tuple[bytes, list[int]]:
    data, fds, _flags, _address = socket.recv_fds(connection, 65536, 3)
    if data.startswith(b"RUN "):
        header, _, rest = data.partition(b"\n")
        size = int(header[4:])
        while len(rest) < size:
            chunk = connection.recv(size - len(rest))
            if not chunk:
                break
            rest += chunk
        return b"RUN\n" + rest, fds
    return data, fds


def _run_child(connection: socket.socket, request: dict, fds: list[int]) -> None:
    """In the forked child: become the client's process, run the command, report, exit."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.umask(int(request.get("umask", 0o022)))
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        code = run(list(request["argv"]))
    except BaseException as error:  # noqa: BLE001 - the child must always report and exit
        try:
            print(f"ERROR: {error}", file=sys.stderr)
        except Exception:  # noqa: BLE001
            pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
        try:
            connection.sendall(f"exit {code}\n".encode())
        except OSError:
            pass
        os._exit(code if 0 <= code < 256 else 1)


def serve(config_dir: str, path: str) -> None:
    idle_seconds = float(os.environ.get("AMLEMU_AZ_IDLE_SECONDS", IDLE_SECONDS_DEFAULT))
    owner = int(os.environ["AMLEMU_AZ_OWNER_PID"]) if os.environ.get("AMLEMU_AZ_OWNER_PID") else None
    state_dir = os.environ.get("AMLEMU_STATE_DIR")

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o077)
    try:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        listener.bind(path)
    finally:
        os.umask(old_umask)
    os.chmod(path, 0o600)
    own_inode = os.stat(path).st_ino
    listener.listen(64)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(SystemExit(0)))
    last_activity = time.monotonic()
    try:
        while True:
            readable, _, _ = select.select([listener], [], [], WATCH_PERIOD)
            _reap()
            if not readable:
                if (
                    not os.path.isdir(config_dir)
                    or not _owner_alive(owner)
                    or not _emulator_alive(state_dir)
                    or time.monotonic() - last_activity > idle_seconds
                ):
                    return
                continue
            connection, _ = listener.accept()
            last_activity = time.monotonic()
            try:
                data, fds = _read_request(connection)
            except (OSError, ValueError):
                connection.close()
                continue
            if data.startswith(b"STOP"):
                for fd in fds:
                    os.close(fd)
                try:
                    connection.sendall(b"bye\n")
                finally:
                    connection.close()
                return
            if not data.startswith(b"RUN\n") or len(fds) != 3:
                for fd in fds:
                    os.close(fd)
                connection.close()
                continue
            request = json.loads(data[4:])
            pid = os.fork()
            if pid == 0:
                listener.close()
                _run_child(connection, request, fds)
            for fd in fds:
                os.close(fd)
            try:
                connection.sendall(f"pid {pid}\n".encode())
            except OSError:
                pass
            connection.close()
    finally:
        listener.close()
        try:
            if os.stat(path).st_ino == own_inode:  # not a successor's socket
                os.unlink(path)
        except OSError:
            pass


def _reap() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m amlemu.az.resident.server CONFIG_DIR SOCKET_PATH", file=sys.stderr)
        return 2
    serve(os.path.abspath(argv[0]), argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
