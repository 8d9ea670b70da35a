"""Start child processes from one long-lived thread.

`PR_SET_PDEATHSIG` fires when the *thread* that forked a child ends, not the
process. The emulator answers ARM requests on short-lived threads, so a
scoring server started from one of them would be killed as soon as that request
finished. Every instance is therefore forked from this thread, which lives as
long as the emulator process.
"""

from __future__ import annotations

import queue
import subprocess
import threading
from concurrent.futures import Future
from typing import Any


class ProcessSpawner:
    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[dict[str, Any], Future[subprocess.Popen[bytes]]]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="amlemu-scoring-spawner", daemon=True)
        self._thread.start()

    def popen(self, **popen_kwargs: Any) -> subprocess.Popen[bytes]:
        """`subprocess.Popen(**popen_kwargs)`, run on the spawner thread."""
        future: Future[subprocess.Popen[bytes]] = Future()
        self._jobs.put((popen_kwargs, future))
        return future.result()

    def _serve(self) -> None:
        while True:
            kwargs, future = self._jobs.get()
            try:
                future.set_result(subprocess.Popen(**kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller, who raises it
                future.set_exception(exc)
