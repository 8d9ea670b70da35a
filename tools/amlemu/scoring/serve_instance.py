"""Entry point of one deployment instance: `<environment's python> .../serve_instance.py`.

It runs by file path with the interpreter of the deployment's environment,
where amlemu itself is not installed: it needs only the standard library, the
inference server and gunicorn (and its sibling `parent_death.py`, loaded by path).
It runs the real `azmlinfsrv` in this process after preparations that the
server has no option for:

- the listening socket comes from the emulator, already bound to 127.0.0.1 on a
  free port, and is handed to gunicorn through systemd socket activation
  (`LISTEN_FDS`/`LISTEN_PID`, first descriptor 3); `azmlinfsrv` itself would bind
  0.0.0.0, and choosing the port here would race with other instances;
- this process dies with the emulator (see `parent_death`), and so does every
  worker gunicorn forks;
- every request must carry the instance's secret in `X-AmlEmu-Instance-Secret`,
  which only the emulator knows and adds when it forwards; anything else gets
  401. The port is on loopback, but any local user can connect to it, and the
  endpoint's keys are checked by the emulator, not here;
- the arguments after `--` are `azmlinfsrv`'s own command line.

Environment: `AMLEMU_LISTEN_FD` (the inherited socket), `AMLEMU_PARENT_PID`,
`AMLEMU_INSTANCE_SECRET`. The secret travels in the environment, which only the
same user can read, never on the command line, which every user can; it is
removed from `os.environ` before gunicorn or the scoring script starts.
"""

from __future__ import annotations

import hmac
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_SYSTEMD_FIRST_FD = 3
SECRET_ENV = "AMLEMU_INSTANCE_SECRET"
SECRET_HEADER = "X-AmlEmu-Instance-Secret"
_SECRET_WSGI_KEY = "HTTP_" + SECRET_HEADER.upper().replace("-", "_")
_REFUSAL = b'{"message": "This scoring instance answers only the emulator; call the endpoint\'s scoring URI."}'

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class RequireInstanceSecret:
    """WSGI middleware: the app sees only requests that carry the secret, and never the secret itself."""

    def __init__(self, app: WsgiApp, secret: str) -> None:
        self._app = app
        self._secret = secret.encode("latin-1")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        offered = environ.pop(_SECRET_WSGI_KEY, "").encode("latin-1", "replace")
        if not hmac.compare_digest(offered, self._secret):
            start_response(
                "401 Unauthorized", [("Content-Type", "application/json"), ("Content-Length", str(len(_REFUSAL)))]
            )
            return [_REFUSAL]
        return self._app(environ, start_response)


def _guard_the_wsgi_app(secret: str) -> None:
    """Make gunicorn wrap the app it loads (in each worker, or once with --preload).

    `azmlinfsrv` builds gunicorn's `WSGIApplication` itself and has no hook for
    middleware, so the class it looks up is replaced by one whose `load` wraps.
    """
    import gunicorn.app.wsgiapp

    base = gunicorn.app.wsgiapp.WSGIApplication

    class GuardedApplication(base):  # type: ignore[misc, valid-type]
        def load(self) -> WsgiApp:
            return RequireInstanceSecret(super().load(), secret)

    gunicorn.app.wsgiapp.WSGIApplication = GuardedApplication  # type: ignore[misc]


def _adopt_listening_socket() -> None:
    inherited = int(os.environ.pop("AMLEMU_LISTEN_FD"))
    if inherited != _SYSTEMD_FIRST_FD:
        try:
            os.fstat(_SYSTEMD_FIRST_FD)
        except OSError:
            pass
        else:
            raise SystemExit(f"serve_instance: descriptor {_SYSTEMD_FIRST_FD} is busy; cannot adopt the socket")
        os.dup2(inherited, _SYSTEMD_FIRST_FD)
        os.close(inherited)
    os.set_inheritable(_SYSTEMD_FIRST_FD, True)
    os.environ["LISTEN_FDS"] = "1"
    os.environ["LISTEN_PID"] = str(os.getpid())


def _sibling(name: str) -> Any:
    """A module of this folder, loaded by path: amlemu is not importable in a deployment's environment."""
    spec = importlib.util.spec_from_file_location(f"_amlemu_{name}", Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _forget_own_folder() -> None:
    """Run as a script, this folder is sys.path[0]; its modules must not shadow the user's."""
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if not entry or Path(entry).resolve() != here]


def main(argv: list[str]) -> int:
    _forget_own_folder()
    parent_death = _sibling("parent_death")
    parent_death.die_with_parent(int(os.environ.pop("AMLEMU_PARENT_PID")))
    parent_death.die_with_parent_after_every_fork()
    _adopt_listening_socket()
    secret = os.environ.pop(SECRET_ENV, "")
    if not secret:
        raise SystemExit(f"serve_instance: {SECRET_ENV} is not set; an instance never runs unguarded")
    _guard_the_wsgi_app(secret)

    from azureml_inference_server_http import amlserver

    sys.argv = ["azmlinfsrv", *argv]
    amlserver.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
