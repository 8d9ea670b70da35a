"""Entry point of `python -m amlemu.az`: in process for now."""

from __future__ import annotations


def main(argv: list[str]) -> int:
    from amlemu.az.cli import run

    return run(argv)
