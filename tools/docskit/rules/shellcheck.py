"""Errors `shellcheck` finds in a shell snippet (only its error level), when shellcheck is installed.

`bash -n` accepts much that fails at run time; shellcheck's error level catches
such lines (a `$(` never closed inside quotes, `[[` tests with no spaces, …).
Scripts are checked whole, many to a shellcheck run, one run per core; results are cached by
content. Parse errors bash already reported are not repeated.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.rules.shell_syntax import findings


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    return findings(ctx, "shellcheck", "SH002")


RULES = (
    Rule(
        "SH002",
        check,
        {"docs/article.md": '# Check\n\n```bash\nif [["$STATUS" == Failed]]; then exit 1; fi\n```\n'},
        {"docs/article.md": '# Check\n\n```bash\nif [[ "$STATUS" == Failed ]]; then exit 1; fi\n```\n'},
        site=False,
        external=True,
    ),
)
