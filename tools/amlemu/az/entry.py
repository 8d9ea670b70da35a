"""Entry point of `python -m amlemu.az`: through the resident helper, or in this process.

The helper serves calls that have an AZURE_CONFIG_DIR (every emulated run sets
one). `AMLEMU_AZ_RESIDENT=0` forces the in-process path, which is also the
fallback whenever the helper cannot be reached; both paths run the same code
and print the same bytes.
"""

from __future__ import annotations

import os

from amlemu.az.resident.client import HelperUnavailable, run_through_helper


def main(argv: list[str]) -> int:
    config_dir = os.environ.get("AZURE_CONFIG_DIR")
    if config_dir and os.environ.get("AMLEMU_AZ_RESIDENT", "1") != "0":
        try:
            return run_through_helper(argv, os.path.abspath(config_dir))
        except HelperUnavailable:
            pass
    from amlemu.az.cli import run

    return run(argv)
