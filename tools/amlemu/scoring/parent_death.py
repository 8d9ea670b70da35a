"""Tie a process's life to its parent's, so scoring servers never outlive the emulator.

Linux delivers a chosen signal to a process when the thread that forked it ends
(`prctl(PR_SET_PDEATHSIG)`). That covers a SIGKILL of the emulator, which no
cleanup code of ours can see. The setting is not inherited across `fork()`, so
the inference server's own workers must set it again after every fork.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None = None, sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send `sig` to this process when its parent goes away.

    If the parent already died before the request was made (we were re-parented),
    exit at once: the signal would never come.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(errno)}")
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)


def die_with_parent_after_every_fork() -> None:
    """Make each child forked from now on (the server's workers) die with this process."""
    os.register_at_fork(after_in_child=lambda: die_with_parent(sig=signal.SIGKILL))
