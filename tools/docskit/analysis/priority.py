"""Batch helpers give way to the run's own work: their answers are needed only at the end.

The run checks articles on one core while helpers work beside it. The shell
batches (bash, two shellcheck halves) are several processes that can take any
core whenever one is free, so they run at a lower scheduling priority and take
what the run leaves; the articles, and the Azure ML worker with its long serial
import, keep their share. On the benchmark corpus (2 cores) this ordering ends
a cold run about 0.15 s sooner than equal priorities.
"""

from __future__ import annotations

import os
import subprocess

NICENESS = 10


def in_background(process: subprocess.Popen) -> subprocess.Popen:
    """Lower `process`'s priority (where the platform allows; otherwise leave it)."""
    try:
        os.setpriority(os.PRIO_PROCESS, process.pid, os.getpriority(os.PRIO_PROCESS, 0) + NICENESS)
    except (AttributeError, OSError):  # no setpriority (Windows), or the process is already gone
        pass
    return process
