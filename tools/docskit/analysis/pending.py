"""Findings a rule can state only once a background job has answered.

Some answers take long to get but need no help from the main process: the Azure
ML SDK's verdict on a YAML file comes from a process of its own. A rule that
has asked such a job yields a `Pending` among its diagnostics instead of
waiting, the run checks the other articles meanwhile on the other core, and the
runner collects every pending finding at the end. A caller that wants the
findings at once (the site build, a single page) collects them right away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from docskit.diagnostics import Diagnostic


@dataclass(frozen=True)
class Pending:
    collect: Callable[[], Iterable[Diagnostic]]  # blocks until the job has answered
