"""Run one emulator in the current process until SIGTERM/SIGINT.

Order matters for the readiness promise: bind the port, restart the scoring of
Succeeded deployments and finish interrupted operations, record the port in the state
folder, and only then announce readiness (ready file and/or the printed banner).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from amlemu.client_env import client_environment, export_lines, record_running
from amlemu.emulator import Emulator, runtime_by_name
from amlemu.transport.server import EmulatorServer, server_tls_context


def serve(
    state_dir: Path,
    port: int = 0,
    runtime: str = "null",
    min_operation_s: float = 0.0,
    ready_file: Path | None = None,
    banner: bool = True,
    verbose: bool = False,
    on_ready: Callable[[Emulator], None] | None = None,
    journal: Path | None = None,
) -> int:
    emulator = Emulator(state_dir, runtime_by_name(runtime, state_dir.resolve()), min_operation_s, journal)
    tls = server_tls_context(str(emulator.certificates.leaf_cert), str(emulator.certificates.leaf_key))
    try:
        server = EmulatorServer(port, tls, emulator.handle, emulator.accepts_tunnel, verbose)
    except OSError as error:
        emulator.close()
        print(f"amlemu: cannot listen on 127.0.0.1:{port}: {error.strerror}", file=sys.stderr)
        return 1
    emulator.port = server.port
    emulator.recover()
    record_running(emulator.state_dir, server.port)

    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    if ready_file is not None:
        temporary = ready_file.with_suffix(".tmp")
        temporary.write_text(json.dumps({"port": server.port, "pid": os.getpid()}))
        os.replace(temporary, ready_file)
    if banner:
        env = client_environment(emulator.state_dir, emulator.identity, server.port)
        print(
            f"amlemu: workspace emulator listening on 127.0.0.1:{server.port} "
            f"(HTTPS, and an HTTPS proxy on the same port); state in {emulator.state_dir}"
        )
        print("amlemu: a client needs this environment:")
        sys.stdout.write(export_lines(env))
        sys.stdout.flush()
    if on_ready is not None:
        on_ready(emulator)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        emulator.close()
    return 0
