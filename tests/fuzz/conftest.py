"""Property-based fuzzing: a short run in every test session, a long one on demand.

The number of generated examples per test is `FUZZ_EXAMPLES` (default 100), so the
long run the README documents is the same tests with a larger number:

    FUZZ_EXAMPLES=10000 .venv/bin/pytest -p no:xdist tests/fuzz

Examples come from a fixed seed, so a failure in CI reproduces on a developer's machine;
`FUZZ_RANDOM=1` draws new ones each run (hypothesis then prints the seed of a failure, for
`--hypothesis-seed`).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")),
    deadline=None,  # timing belongs in benchmarks/, never in a test's verdict
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    database=None,  # nothing written beside the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("fuzz")
