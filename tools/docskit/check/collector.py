"""Garbage collection tuned for a run: what a run builds mostly lives until the end of it.

A run over a large docset allocates millions of small objects (parsed articles,
snippets, findings) that stay referenced until the report is written. With the
interpreter's default thresholds the collector rescans them hundreds of times:
about 0.4 s, a sixth of the checking thread's time, in a cold run over the
benchmark corpus. During a run, objects alive at its start are frozen out of
collection and the youngest generation is collected about fourteen times less
often; the previous settings come back afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 10_000  # allocations between collections of the youngest generation (default 700)


@contextmanager
def few_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, max(before[1], 50), max(before[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
