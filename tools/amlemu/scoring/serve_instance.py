"""Entry point of one deployment instance: `python -m amlemu.scoring.serve_instance`.

It runs the real `azmlinfsrv` in this process after three preparations that
the server has no option for:

- the listening socket comes from the emulator, already bound to 127.0.0.1 on a
  free port, and is handed to gunicorn through systemd socket activation
  (`LISTEN_FDS`/`LISTEN_PID`, first descriptor 3); `azmlinfsrv` itself would bind
  0.0.0.0, and choosing the port here would race with other instances;
- this process dies with the emulator (see `parent_death`), and so does every
  worker gunicorn forks;
- the arguments after `--` are `azmlinfsrv`'s own command line.

Environment: `AMLEMU_LISTEN_FD` (the inherited socket), `AMLEMU_PARENT_PID`.
"""

from __future__ import annotations

import os
import sys

_SYSTEMD_FIRST_FD = 3


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


def main(argv: list[str]) -> int:
    from amlemu.scoring.parent_death import die_with_parent, die_with_parent_after_every_fork

    die_with_parent(int(os.environ.pop("AMLEMU_PARENT_PID")))
    die_with_parent_after_every_fork()
    _adopt_listening_socket()

    from azureml_inference_server_http import amlserver

    sys.argv = ["azmlinfsrv", *argv]
    amlserver.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
