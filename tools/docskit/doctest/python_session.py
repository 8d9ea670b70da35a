"""One Python interpreter that runs an article's Python steps in order, in one namespace.

A reader pastes the Python steps of a tutorial into one interpreter; `ml_client`
made in one step is used in the next. A session reproduces that in a child
process (the steps change the working folder and environment, and may hang, so
they must not run inside pytest's own process): each step is compiled as a REPL
would, its stdout is captured, and a last bare expression is shown as its repr.
A notebook cell's step also finds `get_ipython()` there, as in a Jupyter kernel
(`docskit.doctest.ipython_shell`, loaded by the child when a cell first needs it).
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from docskit.doctest import ipython_shell
from docskit.doctest.shell_session import GRACE_S, BlockResult, SessionError, StepTimedOut

# The child's side: read one JSON request per line on fd IN, answer one JSON line on fd OUT.
_CHILD = r"""
import ast, contextlib, io, json, os, runpy, sys, traceback
commands, answers = os.fdopen(int(sys.argv[1]), "r"), os.fdopen(int(sys.argv[2]), "w")
namespace = {"__name__": "__main__"}
for line in commands:
    request = json.loads(line)
    if request.get("cwd"):
        os.chdir(request["cwd"])
    if request.get("ipython") and "get_ipython" not in namespace:
        namespace["get_ipython"] = runpy.run_path(request["ipython"])["get_ipython"]
    captured, status = io.StringIO(), 0
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        try:
            tree = ast.parse(request["code"], "<step>")
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, "<step>", "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<step>", "eval"), namespace)
                if value is not None:
                    print(repr(value))
        except BaseException:
            status = 1
            kind, error, trace = sys.exc_info()
            traceback.print_exception(kind, error, trace.tb_next if trace else None)
    answers.write(json.dumps({"status": status, "output": captured.getvalue()}) + "\n")
    answers.flush()
"""


class PythonSession:
    """A child interpreter with one namespace; `run` executes a step and returns what it showed."""

    def __init__(self, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 600.0) -> None:
        self._timeout = timeout
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-u", "-c", _CHILD, str(to_child_r), str(from_child_w)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(to_child_r, from_child_w),
            cwd=str(cwd) if cwd else None,
            env=env,
            start_new_session=True,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""

    def run(
        self, code: str, cwd: Path | None = None, timeout: float | None = None, ipython: bool = False
    ) -> BlockResult:
        """Run one step (`ipython`: a notebook cell); a timeout ends the interpreter (its state cannot be trusted after)."""
        started = time.monotonic()
        request = (
            json.dumps(
                {"code": code, "cwd": str(cwd) if cwd else None, "ipython": ipython_shell.__file__ if ipython else None}
            )
            + "\n"
        )
        try:
            os.write(self._to_child, request.encode())
        except BrokenPipeError:
            raise SessionError("the Python session has ended") from None
        limit = timeout or self._timeout
        deadline = started + limit
        interrupted = False
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 and not interrupted:  # KeyboardInterrupt in the step; the namespace survives
                interrupted = True
                os.kill(self._process.pid, signal.SIGINT)
                deadline = time.monotonic() + GRACE_S
                continue
            if remaining <= 0:
                self.close()
                raise StepTimedOut(f"the step did not finish within {limit:g} s", alive=False)
            ready, _, _ = select.select([self._from_child], [], [], remaining)
            if ready:
                chunk = os.read(self._from_child, 65536)
                if not chunk:
                    raise SessionError("the Python session ended while running a step")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        answer = json.loads(line)
        if interrupted:
            raise StepTimedOut(
                f"the step did not finish within {limit:g} s; it printed:\n{answer['output']}", alive=True
            )
        return BlockResult(answer["status"], answer["output"], time.monotonic() - started)

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                os.killpg(self._process.pid, signal.SIGTERM)
                self._process.wait(timeout=5)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self._to_child = self._from_child = -1

    def __enter__(self) -> PythonSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
