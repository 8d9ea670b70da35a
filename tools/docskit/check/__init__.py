"""The check engine: per-article checks (`check_page`, shared with the site) and whole runs (`run`).

`check_page` is imported on first use: the command line reaches `docskit.check.output`
and `docskit.check.report` through this package, and `--help` should not load the
engine and every rule with them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check_page"]


def __getattr__(name: str) -> Any:
    if name == "check_page":
        from docskit.check.article import check_page

        return check_page
    raise AttributeError(f"module 'docskit.check' has no attribute {name!r}")
