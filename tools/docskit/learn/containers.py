"""Blockquote and indentation prefixes: what sits before a block's own text."""

from __future__ import annotations

import re

_PREFIX = re.compile(r"^((?:[ \t]*>)*[ \t]*)")


def split_prefix(line: str) -> tuple[str, str]:
    """Split a line into its container prefix (indentation, `>` markers) and the rest."""
    if not line or line[0] not in " \t>":  # most lines have none
        return "", line
    match = _PREFIX.match(line)
    prefix = match.group(1) if match else ""
    return prefix, line[len(prefix) :]
