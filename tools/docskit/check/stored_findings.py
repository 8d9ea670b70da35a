"""Findings that check-snippets stored for a page, reused while they are still true.

`make site` runs check-snippets and then builds the site; without this, the
build would check every page a second time. A stored result is reused only when
it was made by the same code, options and roots (the fingerprint) and neither
the page nor anything it used (sources, includes, link targets) has changed
since; otherwise the caller checks the page itself. Either way the page gets
the same findings. The stored file is read as `ResultCache` reads it: bounded,
never through a symlink, and only entries that validate (a damaged one means
"check the page here").
"""

from __future__ import annotations

from pathlib import Path

from docskit.analysis.docset import may_read
from docskit.check.article import apply_severity
from docskit.check.cache import FILE_NAME, FileStates, ResultCache, StoredResults, diagnostic_from_list
from docskit.check.code_version import fingerprint
from docskit.config import Config
from docskit.diagnostics import Diagnostic
from docskit.snippets.roots import Roots
from docskit.sourcefile import SourceCache


class StoredFindings:
    def __init__(self, config: Config, roots: Roots, files: SourceCache, folder: Path | None) -> None:
        self._config = config
        present = folder is not None and (folder / FILE_NAME).is_file()
        entries = ResultCache(folder).articles if present else {}
        states = FileStates(files, lambda path: may_read(roots, path))
        # the site runs no external programs: a result made with or without them serves it alike
        self._stored = StoredResults(entries, fingerprint(config, roots) if entries else "", states, exec_checks=False)

    def for_page(self, path: Path, display: str, codes: frozenset[str]) -> list[Diagnostic] | None:
        """The page's findings among `codes` (severities applied), or None when they must be recomputed."""
        entry = self._stored.reusable(path)
        if entry is None:
            return None
        found = [diagnostic_from_list(item) for item in entry["diags"] if item[3] in codes]
        seen, pending = {str(path)}, list(entry.get("included", ()))
        while pending:  # include files, as `check_page` checks them
            included = pending.pop(0)
            if included in seen:
                continue
            seen.add(included)
            included_entry = self._stored.reusable(Path(included))
            if included_entry is None:
                return None
            found.extend(diagnostic_from_list(item) for item in included_entry["diags"] if item[3] in codes)
            pending.extend(included_entry.get("included", ()))
        page = path.resolve()
        if any(d.path != display and Path(d.path).resolve() == page for d in found):
            return None  # the page was named differently when checked: check it afresh rather than rename
        return apply_severity(found, self._config)
