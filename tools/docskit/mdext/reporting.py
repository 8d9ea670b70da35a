"""Report a page's problems on the `mkdocs` logger, so `mkdocs build --strict` fails on them.

The findings are the linter's own: `docskit.check.check_page` runs on the page
file as written (front matter included, so line numbers match the editor), and
each finding is logged as one `path:line:col: CODE severity message` line, the
same text `check-snippets` prints. Nothing is raised: every problem of every page
is logged and MkDocs counts them, so one build lists all of them.

An error-severity finding is logged at ERROR level, a warning at WARNING: with
`-q` MkDocs drops records below ERROR before its strict-mode counter sees them,
so only an ERROR record fails `mkdocs build --strict -q`.

Zensical's strict mode counts only its own checks, not Python log records, so under
`zensical build --strict` an error finding ends the process with status 1 once the
build is done (`_ZensicalStrict`), after one line that says why.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from docskit.diagnostics import Diagnostic, Severity
from docskit.sourcefile import read_source_file

if TYPE_CHECKING:
    from docskit.mdext.context import Page

LOG = logging.getLogger("mkdocs.plugins.docskit")  # the `mkdocs` hierarchy is what --strict counts
REVIEW_CODES = ("TXT001", "TXT002")  # review marks: errors in a strict build, notes in a preview build


def report_page(page: Page, converted_text: str) -> list[Diagnostic]:
    """Log every finding of the page; returns what was logged (for tests and callers)."""
    build = page.build
    logged = []
    for diagnostic in page_diagnostics(page, converted_text):
        if diagnostic.path != page.display:  # an include file shared by several pages: once per build
            if diagnostic in build.reported:
                continue
            build.reported.add(diagnostic)
        if page.preview and diagnostic.code in REVIEW_CODES:
            LOG.info("%s (shown as a review mark in this preview build)", diagnostic.format_text())
        elif diagnostic.severity is Severity.INFO:
            LOG.info("%s", diagnostic.format_text())
        elif diagnostic.severity is Severity.ERROR:
            LOG.error("%s", diagnostic.format_text())
            _ZENSICAL_STRICT.count_error()
        else:
            LOG.warning("%s", diagnostic.format_text())
        logged.append(diagnostic)
    return logged


def log_config_problem(message: str) -> None:
    LOG.error("%s", message)
    _ZENSICAL_STRICT.count_error()


class _ZensicalStrict:
    """Fail `zensical build --strict` (or `-s`) on error findings, which Zensical itself does not count.

    Zensical runs the Markdown extensions in its own Python process and ends it when the
    build is done; an exit hook registered at the first error gives that process status 1.
    Under MkDocs, or a Zensical build without strict mode, this does nothing.
    """

    def __init__(self) -> None:
        self.errors = 0

    @staticmethod
    def active() -> bool:
        argv = sys.argv
        program = Path(argv[0]) if argv else Path()
        is_zensical = program.name.startswith("zensical") or program.parent.name == "zensical"  # `python -m zensical`
        return is_zensical and "build" in argv[1:] and any(arg in ("-s", "--strict") for arg in argv[1:])

    def count_error(self) -> None:
        if self.errors == 0 and self.active():
            atexit.register(self._fail)
        self.errors += 1

    def _fail(self) -> None:
        sys.stdout.flush()
        print(f"docskit: {self.errors} error finding(s) above; aborted in strict mode", file=sys.stderr, flush=True)
        os._exit(1)  # Zensical returns its own status after the hooks; only this exit can still set it


_ZENSICAL_STRICT = _ZensicalStrict()


def page_diagnostics(page: Page, converted_text: str) -> list[Diagnostic]:
    """The linter's findings for the page: stored by a check-snippets run when still true, else computed
    on the page file as written (front matter included, so lines match the editor)."""
    from docskit.check import check_page  # imported on first use: a Markdown call without Learn pages never pays for it
    from docskit.rules import SITE_CODES

    build = page.build
    text = converted_text
    if page.on_disk:
        stored = build.stored_findings().for_page(page.path, page.display, SITE_CODES)
        if stored is not None:
            return stored
        file = read_source_file(page.path)
        if file.problem is None:
            text = file.text
    return list(check_page(page.path, page.display, text, build.config, build.resolver))
