"""One deployment instance: an `azmlinfsrv` process and the connections to it."""

from __future__ import annotations

import http.client
import os
import queue
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from amlemu.scoring import serve_instance
from amlemu.scoring.serve_instance import SECRET_ENV, SECRET_HEADER
from amlemu.scoring.spawner import ProcessSpawner

# Headers that belong to one hop and are never forwarded (RFC 9110 section 7.6.1).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)


@dataclass(frozen=True)
class UpstreamAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class InstanceTimeout(Exception):
    """The instance did not answer within the deployment's request timeout."""


class InstanceUnreachable(Exception):
    """The instance's process is gone or refused the connection."""


@dataclass(frozen=True)
class LaunchPlan:
    """What one process needs: interpreter, command line, environment, working folder, log file."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path
    log_path: Path
    python: str = sys.executable  # the deployment environment's interpreter


class ServerInstance:
    """A running `azmlinfsrv` and a small pool of keep-alive connections to it.

    The pool holds one connection per request the instance may serve at once
    (`max_concurrent_requests_per_instance`); callers beyond that wait for a free
    connection, which is the queue in front of a busy container.

    `secret` is the instance's own: the server refuses any request without it
    (see `serve_instance`), so its loopback port is no way around the endpoint's
    keys. Every request the emulator sends carries it.
    """

    def __init__(
        self, process: subprocess.Popen[bytes], port: int, log_path: Path, connections: int, secret: str
    ) -> None:
        self.process = process
        self.port = port
        self.log_path = log_path
        self.secret = secret
        self._pool: queue.LifoQueue[http.client.HTTPConnection] = queue.LifoQueue()
        for _ in range(max(1, connections)):
            self._pool.put(http.client.HTTPConnection("127.0.0.1", port))

    @classmethod
    def launch(cls, spawner: ProcessSpawner, plan: LaunchPlan, connections: int) -> ServerInstance:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind(("127.0.0.1", 0))
            listener.listen(128)
            port = listener.getsockname()[1]
            secret = secrets.token_urlsafe(32)
            env = {
                **plan.env,
                "AMLEMU_LISTEN_FD": str(listener.fileno()),
                "AMLEMU_PARENT_PID": str(os.getpid()),
                SECRET_ENV: secret,
            }
            argv = [plan.python, str(Path(serve_instance.__file__).resolve()), *plan.argv, "--port", str(port)]
            plan.log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(plan.log_path, "ab", buffering=0) as log:
                process = spawner.popen(
                    args=argv,
                    env=env,
                    cwd=str(plan.cwd),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    pass_fds=(listener.fileno(),),
                    start_new_session=True,
                )
        finally:
            listener.close()
        return cls(process, port, plan.log_path, connections, secret)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, deadline: float) -> bool:
        """Poll the liveness route until it answers 200; False if the process died or time ran out."""
        while time.monotonic() < deadline:
            if not self.alive():
                return False
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1.0)
            try:
                conn.request("GET", "/", headers={SECRET_HEADER: self.secret})
                if conn.getresponse().status == 200:
                    return True
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
            time.sleep(0.02)
        return False

    def forward(
        self, method: str, target: str, headers: dict[str, str], body: bytes, timeout_s: float
    ) -> UpstreamAnswer:
        """Send one request over a pooled connection; raise InstanceTimeout or InstanceUnreachable."""
        deadline = time.monotonic() + timeout_s
        # The caller's copy of the header, if any, never reaches the instance: ours replaces it.
        headers = {name: value for name, value in headers.items() if name.lower() != SECRET_HEADER.lower()}
        headers[SECRET_HEADER] = self.secret
        try:
            conn = self._pool.get(timeout=timeout_s)
        except queue.Empty:
            raise InstanceTimeout() from None
        try:
            for attempt in (1, 2):
                reused = conn.sock is not None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise InstanceTimeout()
                conn.timeout = remaining
                if conn.sock is not None:
                    conn.sock.settimeout(remaining)
                try:
                    conn.request(method, target, body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    if response.will_close:
                        conn.close()
                    return UpstreamAnswer(response.status, response.getheaders(), data)
                except TimeoutError:
                    conn.close()
                    raise InstanceTimeout() from None
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                    conn.close()
                    # A kept-alive connection the server had already closed: send again once.
                    if reused and attempt == 1:
                        continue
                    raise InstanceUnreachable(str(exc)) from exc
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    raise InstanceUnreachable(str(exc)) from exc
            raise InstanceUnreachable("no answer")
        finally:
            self._pool.put(conn)

    def signal_stop(self) -> None:
        """Ask the whole process group (server and its workers) to stop; the worker logs its exit."""
        _signal_group(self.process.pid, signal.SIGTERM)

    def wait_stopped(self, deadline: float) -> None:
        """Give the server until `deadline` (monotonic) to stop, then kill its group.

        Requests in flight were drained before; gunicorn's master would take a
        second more to shut down gracefully, and nothing of the user's runs then.
        """
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        # Workers may outlive a master that exited; the group goes in any case.
        _signal_group(self.process.pid, signal.SIGKILL)
        try:
            self.process.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            pass
        while True:
            try:
                conn = self._pool.get_nowait()
            except queue.Empty:
                break
            conn.close()


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
