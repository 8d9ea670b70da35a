"""`--changed-since GITREF`: the files that differ from GITREF, tracked or new.

Asks git once for the diff against the working tree (`git diff --name-only`) and
once for untracked files; deleted files are included, since articles that used
them must be checked again.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """git could not answer; the message is one line for the user."""


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise GitError("--changed-since needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError("git did not answer within 60 s") from None
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["git failed"])[-1]
        raise GitError(message)
    return done.stdout


def changed_files(cwd: Path, ref: str) -> set[Path]:
    top = Path(_git(cwd, "rev-parse", "--show-toplevel").strip())
    _git(cwd, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
    names = _git(top, "diff", "--name-only", "-z", ref, "--").split("\0")
    names += _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return {(top / name).resolve() for name in names if name}
