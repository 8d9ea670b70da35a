"""Learn alerts: a blockquote whose first line is `> [!NOTE]` (or TIP, IMPORTANT, CAUTION, WARNING)."""

from __future__ import annotations

import re

from docskit.learn.items import Alert

KINDS = ("NOTE", "TIP", "IMPORTANT", "CAUTION", "WARNING")
_ALERT = re.compile(r"^(?P<lead>\s*>\s*)\[!(?P<kind>[A-Za-z]+)\]\s*$")


def find_alert(line_no: int, line: str) -> Alert | None:
    if "[!" not in line:
        return None
    match = _ALERT.match(line)
    if match and match.group("kind").upper() in KINDS:
        return Alert(line_no, len(match.group("lead")) + 1, match.group("kind").upper())
    return None
