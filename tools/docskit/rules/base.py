"""What a rule is: a code from the catalogue, the check that finds it, and two examples.

A rule's examples are small docsets (file name -> text, articles under `docs/`,
sources under the root `samples` = `samples/`). The same examples render the rules
reference page and drive the rule tests, so a documented example can never stop
meaning what the page says it means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from docskit.analysis.context import ArticleContext
from docskit.analysis.docset import DocsetIndex
from docskit.analysis.pending import Pending
from docskit.catalog import Code, lookup
from docskit.diagnostics import Diagnostic


@dataclass(frozen=True)
class Rule:
    code: str
    check: Callable[[ArticleContext], Iterable[Diagnostic | Pending]] | None  # per article
    bad: dict[str, str]  # an example docset the rule reports
    good: dict[str, str]  # the same docset, fixed
    docset_check: Callable[[DocsetIndex], Iterable[Diagnostic]] | None = None  # whole docset, once
    site: bool = True  # also runs in the site build (no external programs, no heavy imports)
    external: bool = False  # calls an external program (skipped by --no-exec-checks)
    why: str = ""  # the module docstring: why the rule exists
    options: dict[str, Any] = field(default_factory=dict)  # extension options the examples need

    @property
    def entry(self) -> Code:
        return lookup(self.code)

    @property
    def name(self) -> str:
        return self.entry.name
