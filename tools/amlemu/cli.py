"""`amlemu serve | env | run`: the emulator from a shell.

amlemu serve --state DIR [--port N]     run in the foreground, print port and environment
amlemu env --state DIR                  print `export ...` lines for a running emulator
amlemu run [--state DIR] -- CMD ...     start an emulator, run CMD against it, stop it,
                                        exit with CMD's status
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from amlemu.client_env import client_environment, export_lines, read_running
from amlemu.state import prepare_state_folder
from amlemu.testing import running_emulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amlemu", description="An emulated Azure ML workspace on loopback.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the emulator in the foreground")
    serve.add_argument("--state", required=True, type=Path, help="state folder (created if missing)")
    serve.add_argument("--port", type=int, default=0, help="loopback port (default: any free port)")
    serve.add_argument(
        "--runtime",
        default=None,
        choices=["null", "recording", "inference-server"],
        help="what runs deployments' scoring code (default: inference-server when amlemu.scoring "
        "is installed, else null: deployments succeed without running code)",
    )
    serve.add_argument(
        "--operation-delay-ms",
        type=int,
        default=0,
        help="minimum duration of long-running operations, to observe Creating/Updating states",
    )
    serve.add_argument("--ready-file", type=Path, help="write {port, pid} here once ready")
    serve.add_argument("--journal", type=Path, help="append every ARM request and response here (JSON lines)")
    serve.add_argument("--quiet", action="store_true", help="do not print the banner")
    serve.add_argument("--verbose", action="store_true", help="log every request to stderr")

    env = commands.add_parser("env", help="print export lines for a client shell")
    env.add_argument("--state", required=True, type=Path)
    env.add_argument("--mode", choices=["proxy", "direct"], default="proxy")

    run = commands.add_parser("run", help="run a command against a fresh (or given) emulator")
    run.add_argument("--state", type=Path, help="state folder (default: a temporary one, removed afterwards)")
    run.add_argument(
        "--runtime",
        default=None,
        choices=["null", "recording", "inference-server"],
        help="default: inference-server when amlemu.scoring is installed, else null",
    )
    run.add_argument("--mode", choices=["proxy", "direct"], default="proxy")
    run.add_argument("argv", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        from amlemu.serving import serve

        return serve(
            args.state,
            args.port,
            args.runtime or _default_runtime(),
            args.operation_delay_ms / 1000.0,
            args.ready_file,
            banner=not args.quiet,
            verbose=args.verbose,
            journal=args.journal,
        )
    if args.command == "env":
        return _env(args.state, args.mode)
    return _run(args.state, args.runtime, args.mode, args.argv)


def _env(state: Path, mode: str) -> int:
    state = state.resolve()
    running = read_running(state)
    if running is None or not (state / "emulator.json").exists():
        print(f"amlemu: no emulator has run on {state}; start one with `amlemu serve --state {state}`", file=sys.stderr)
        return 1
    if not _alive(running.get("pid")):
        print(f"amlemu: warning: the emulator on {state} (pid {running.get('pid')}) is not running", file=sys.stderr)
    identity = prepare_state_folder(state)
    sys.stdout.write(export_lines(client_environment(state, identity, int(running["port"]), mode)))
    return 0


def _alive(pid: object) -> bool:
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _default_runtime() -> str:
    import importlib.util

    try:
        found = importlib.util.find_spec("amlemu.scoring.runtime") is not None
    except (ImportError, ValueError):
        found = False
    return "inference-server" if found else "null"


def _run(state: Path | None, runtime: str | None, mode: str, argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print("amlemu run: give the command to run after --, e.g. `amlemu run -- python script.py`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="amlemu-") if state is None else contextlib.nullcontext() as temporary:
        folder = state if state is not None else Path(temporary) / "state"
        with running_emulator(folder, mode=mode, runtime=runtime or _default_runtime()) as emu:
            try:
                completed = subprocess.run(argv, env=emu.env)
            except FileNotFoundError:
                print(f"amlemu run: command not found: {argv[0]}", file=sys.stderr)
                return 127
            except KeyboardInterrupt:
                return 130
    # a command killed by signal N ends with 128 + N, as a shell reports it
    return completed.returncode if completed.returncode >= 0 else 128 - completed.returncode


if __name__ == "__main__":
    sys.exit(main())
