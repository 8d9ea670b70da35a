"""Virtual environments built with uv, one per definition digest, in a per-user cache folder.

Layout: `<root>/<digest>/` holds `venv/`, `requirements.txt`, `build.log` and
`environment.json` (written last). A build runs in `<root>/.build-*` and is
renamed into place, so a folder under its digest is always complete; builds of
one digest are serialized by `flock` on `<root>/<digest>.lock`, so deployments
(of one emulator or several) asking for it at once build it once.

Settings, read when the cache is created:
- `AMLEMU_ENV_CACHE`: the root (default `$XDG_CACHE_HOME/amlemu/environments`,
  else `~/.cache/amlemu/environments`). Delete the folder to clear it.
- `AMLEMU_WHEELHOUSE`: a folder of wheels; uv then installs from it alone
  (`--find-links <folder> --offline`, plus what uv's own cache holds).
- `AMLEMU_ENV_BUILD_TIMEOUT`: seconds one build may take (default 900).
uv's own variables (`UV_INDEX_URL`, `UV_FIND_LINKS`, `UV_CACHE_DIR`, ...) reach it unchanged.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from amlemu.scoring.environments.definition import EnvironmentDefinition, requirement_name
from amlemu.scoring.environments.host import host_python_version, interpreter_tag, python_mismatch, satisfied_here

ENV_CACHE_VARIABLE = "AMLEMU_ENV_CACHE"
WHEELHOUSE_VARIABLE = "AMLEMU_WHEELHOUSE"
BUILD_TIMEOUT_VARIABLE = "AMLEMU_ENV_BUILD_TIMEOUT"
DEFAULT_BUILD_TIMEOUT_S = 900.0
_COMPLETE = "environment.json"

# Where uv names the distribution it could not install.
_FAILED_PACKAGE = (
    re.compile(r"Because (?:there is no version of |there are no versions of |only )?([A-Za-z0-9][A-Za-z0-9._-]*)"),
    re.compile(r"(?:download|build|fetch|install|prepare)(?:ing)? `([A-Za-z0-9][A-Za-z0-9._-]*)"),
    re.compile(r"No (?:solution|version|matching distribution)[^`]*`?([A-Za-z0-9][A-Za-z0-9._-]*)==", re.IGNORECASE),
)


@dataclass(frozen=True)
class PreparedEnvironment:
    """The interpreter a deployment runs with, and the lines its log gets about it."""

    python: str
    notes: tuple[str, ...]
    folder: Path | None = None  # None: amlemu's own environment


class BuildFailed(Exception):
    """uv could not build the environment; `package` is the one it named, `output` its whole log."""

    def __init__(self, package: str | None, summary: str, output: str) -> None:
        super().__init__(summary)
        self.package = package
        self.summary = summary
        self.output = output


class EnvironmentCache:
    def __init__(
        self, root: Path | None = None, wheelhouse: Path | None = None, build_timeout_s: float | None = None
    ) -> None:
        self.root = Path(root) if root is not None else default_root()
        if wheelhouse is None and os.environ.get(WHEELHOUSE_VARIABLE):
            wheelhouse = Path(os.environ[WHEELHOUSE_VARIABLE])
        self.wheelhouse = wheelhouse
        if build_timeout_s is None:
            build_timeout_s = float(os.environ.get(BUILD_TIMEOUT_VARIABLE) or DEFAULT_BUILD_TIMEOUT_S)
        self.build_timeout_s = build_timeout_s

    def prepare(self, definition: EnvironmentDefinition) -> PreparedEnvironment:
        """amlemu's interpreter when it already satisfies the definition, else the cached (or new) build."""
        notes = list(_platform_notes(definition))
        if satisfied_here(definition.requirements):
            notes.append(
                f"amlemu: {definition.source}: every package it lists is installed in amlemu's own "
                f"environment; the deployment runs there"
            )
            return PreparedEnvironment(sys.executable, tuple(notes))
        digest = definition.digest(interpreter_tag() + (f"|wheelhouse={self.wheelhouse}" if self.wheelhouse else ""))
        folder = self.root / digest
        if not (folder / _COMPLETE).is_file():
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            with open(self.root / f"{digest}.lock", "a+b") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
                if not (folder / _COMPLETE).is_file():
                    seconds = self._build(definition, folder)
                    notes.append(
                        f"amlemu: environment {digest} built from {definition.source} in {seconds:.1f} s ({folder})"
                    )
                    return PreparedEnvironment(str(_python(folder)), tuple(notes), folder)
        notes.append(f"amlemu: environment {digest} reused from the cache ({folder})")
        return PreparedEnvironment(str(_python(folder)), tuple(notes), folder)

    def _build(self, definition: EnvironmentDefinition, folder: Path) -> float:
        started = time.monotonic()
        staging = Path(tempfile.mkdtemp(prefix=f".build-{folder.name[:12]}-", dir=self.root))
        log_lines: list[str] = []
        try:
            requirements = staging / "requirements.txt"
            requirements.write_text("".join(f"{line}\n" for line in definition.requirements), encoding="utf-8")
            uv = _uv()
            self._run(
                [uv, "venv", "--relocatable", "--python", sys.executable, str(staging / "venv")],
                log_lines,
                definition,
                started,
            )
            install = [uv, "pip", "install", "--python", str(_python(staging)), "-r", str(requirements)]
            if self.wheelhouse is not None:
                install += ["--find-links", str(self.wheelhouse), "--offline"]
            self._run(install, log_lines, definition, started)
            (staging / "build.log").write_text("\n".join(log_lines) + "\n", encoding="utf-8")
            (staging / _COMPLETE).write_text(
                json.dumps(
                    {
                        "requirements": list(definition.requirements),
                        "source": definition.source,
                        "python": host_python_version(),
                        "python_requested": definition.python_requested,
                        "image": definition.image,
                    },
                    indent=2,
                )
                + "\n",
                encoding="utf-8",
            )
            os.rename(staging, folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return time.monotonic() - started

    def _run(self, argv: list[str], log_lines: list[str], definition: EnvironmentDefinition, started: float) -> None:
        log_lines.append("$ " + " ".join(argv))
        remaining = max(1.0, self.build_timeout_s - (time.monotonic() - started))
        env = {**os.environ, "NO_COLOR": "1", "UV_NO_PROGRESS": "1"}
        try:
            done = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                timeout=remaining,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            output = (exc.stdout or b"").decode("utf-8", "replace")
            log_lines.append(output)
            raise BuildFailed(
                None,
                f"the image build did not finish within {self.build_timeout_s:.0f} s ({BUILD_TIMEOUT_VARIABLE})",
                "\n".join(log_lines),
            ) from None
        output = done.stdout.decode("utf-8", "replace")
        log_lines.append(output.rstrip("\n"))
        if done.returncode != 0:
            package = failed_package(output, definition.requirements)
            first = _reason(output)
            subject = (
                f"the package '{package}' could not be installed" if package else "the packages could not be installed"
            )
            raise BuildFailed(package, f"{subject}: {first}", "\n".join(log_lines))


def failed_package(output: str, requirements: tuple[str, ...]) -> str | None:
    """The distribution uv's error names, preferring one the definition lists."""
    listed = {requirement_name(line) for line in requirements} - {None}
    named = [match.group(1) for pattern in _FAILED_PACKAGE for match in pattern.finditer(output)]
    normalized = [re.sub(r"[-_.]+", "-", name).lower().rstrip("-.") for name in named]
    for name in normalized:
        if name in listed:
            return name
    return normalized[0] if normalized else None


def _reason(output: str) -> str:
    """uv's own words for the failure: its `cause:` line, else its `error:` line, else its last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for prefix in ("cause:", "error:"):
        for line in lines:
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
    return lines[-1] if lines else "uv exited with an error"


def default_root() -> Path:
    if os.environ.get(ENV_CACHE_VARIABLE):
        return Path(os.environ[ENV_CACHE_VARIABLE]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "amlemu" / "environments"


def _platform_notes(definition: EnvironmentDefinition) -> list[str]:
    """What the file asked of the platform that the host decides instead: one line each."""
    notes = []
    if definition.image:
        notes.append(f"amlemu: base image {definition.image} recorded; the deployment runs on this machine's OS")
    if python_mismatch(definition.python_requested):
        notes.append(
            f"amlemu: warning: {definition.source} asks for python={definition.python_requested}; the "
            f"environment uses the host's Python {host_python_version()}"
        )
    if definition.skipped:
        notes.append(
            f"amlemu: {definition.source}: conda-only packages skipped (no PyPI counterpart): "
            + ", ".join(definition.skipped)
        )
    return notes


def _python(folder: Path) -> Path:
    return folder / "venv" / "bin" / "python"


def _uv() -> str:
    """The uv that amlemu depends on (its PyPI package ships the binary), else one on PATH."""
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if found is None:
            raise BuildFailed(
                None, "uv is not installed; reinstall amlemu's environment (make .venv/.installed)", ""
            ) from None
        return found
