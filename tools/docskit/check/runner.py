"""A whole run: collect articles and sources, reuse cached results, check the rest, run docset rules.

Data flows one way: options and configuration in, a `Report` out. Nothing here
prints; the command line turns the report into one of the output formats.
Helpers (shell batches, the Azure ML worker) work beside the article checks;
what they owe is collected after the last article, and results are cached then.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from docskit.analysis.docset import ArticleRef, Docset, DocsetIndex, collect_articles
from docskit.analysis.memo import RunMemo
from docskit.catalog import expand_selector, lookup
from docskit.check.article import ArticleResult, apply_severity, check_article, contained, internal_error
from docskit.check.cache import FileStates, ResultCache, StoredResults, diagnostic_from_list, diagnostic_to_list
from docskit.check.changes import GitError, changed_files
from docskit.check.code_version import fingerprint
from docskit.check.collector import few_collections
from docskit.check.progress import Progress
from docskit.check.report import Report, RunError
from docskit.config import Config, build_roots
from docskit.diagnostics import Diagnostic
from docskit.rules import ALL_CODES, EXTERNAL_CODES, RULES, Rule
from docskit.sourcefile import SourceCache

# From this many articles to check, the Azure ML SDK works in a process of its own, its second-long import
# hidden behind the checking of the articles; a short run (an editor hook, a pull request touching a few
# pages) keeps to one process and one copy of the SDK in memory.
BACKGROUND_ARTICLES = 100


@dataclass
class RunOptions:
    paths: list[Path] = field(default_factory=list)
    roots: dict[str, Path] = field(default_factory=dict)  # --root overrides
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    changed_since: str | None = None
    sources_only: bool = False
    exec_checks: bool = True
    cache_dir: Path | None = None  # None: no cache
    progress: bool = False


# Codes reported only when `--select` names them (by code or short name, not by a prefix): a region shown by
# no article (REG007) is news only when the articles checked are the whole docset its samples serve.
OPT_IN = frozenset({"REG007"})


def _named(token: str, code: str) -> bool:
    token = token.strip()
    return token.upper() == code or token.lower() == lookup(code).name


def selected_codes(select: list[str], ignore: list[str]) -> frozenset[str]:
    def expand(items: list[str]) -> set[str]:
        found: set[str] = set()
        for item in items:
            for token in item.split(","):
                if not token.strip():
                    continue
                codes = expand_selector(token)
                if not codes:
                    raise RunError(
                        f"unknown rule code or name `{token.strip()}` (see docs/reference/check-snippets-rules.md)"
                    )
                found |= codes
        return found

    chosen = expand(select) if select else set(ALL_CODES)
    tokens = [token for item in select for token in item.split(",")]
    chosen -= {code for code in OPT_IN if not any(_named(token, code) for token in tokens)}
    return frozenset((chosen - expand(ignore)) | {"INT001"})  # the tool's own failures are always shown


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def run(config: Config, options: RunOptions, cwd: Path | None = None) -> Report:
    cwd = cwd or Path(os.getcwd())
    wanted = selected_codes(options.select, options.ignore)
    cache = ResultCache(options.cache_dir)
    memo = RunMemo(config, SourceCache(), cwd, stored=cache.tools)
    with few_collections():
        try:
            return _run(config, options, cwd, wanted, cache, memo)
        finally:
            memo.close()  # no background worker outlives the run


def _run(
    config: Config, options: RunOptions, cwd: Path, wanted: frozenset[str], cache: ResultCache, memo: RunMemo
) -> Report:
    docset = Docset(config, build_roots(config, options.roots), memo.files, memo.display)
    if options.sources_only:
        report, found = _lint_every_source(docset, set(options.roots), wanted, memo)
    else:
        report, found = _ArticleRun(config, options, cwd, wanted, cache, memo, docset).run()
    return _finish(report, found, config, wanted, cache, memo)


def _lint_every_source(
    docset: Docset, root_names: set[str], wanted: frozenset[str], memo: RunMemo
) -> tuple[Report, list[Diagnostic]]:
    """`--sources-only`: the docset rules over every source of the roots named by `--root` (else of every root)."""
    report = Report()
    sources = docset.sources(root_names or None)
    found = _docset_rules(DocsetIndex(docset, sources, None), wanted, RULES, memo.display(docset.roots.docset))
    report.sources = len(sources)
    return report, found


# An article to report on, with the result it may reuse (a stored entry, or one checked earlier in this run;
# None: check it now), and whether it is an include file.
Planned = tuple[ArticleRef, dict[str, Any] | ArticleResult | None, bool]


class _ArticleRun:
    """A run over articles, step by step: plan which results to reuse, check the rest (and the include files
    they name), run the docset rules over the sources they show, then settle and store what was checked."""

    def __init__(
        self,
        config: Config,
        options: RunOptions,
        cwd: Path,
        wanted: frozenset[str],
        cache: ResultCache,
        memo: RunMemo,
        docset: Docset,
    ) -> None:
        self.options = options
        self.wanted = wanted
        self.cache = cache
        self.memo = memo
        self.docset = docset
        self.check_codes = frozenset(ALL_CODES - (set() if options.exec_checks else EXTERNAL_CODES))
        self.articles = self._articles(config)
        self.changed = self._changed_files(cwd)  # with --changed-since: only what these files affect is reported
        self.changed_names = {str(p) for p in self.changed} if self.changed is not None else None
        states = FileStates(memo.files, docset.may_read, cache.mark_changed)
        self.stored = StoredResults(cache.articles, fingerprint(config, docset.roots), states, options.exec_checks)
        self.report = Report()
        self.found: list[Diagnostic] = []  # stored findings reported; those checked now are in `reported`
        self.uses: dict[str, set[str]] = {}  # source path -> regions shown; Path objects only once, at the end
        self.progress = Progress(len(self.articles), options.progress)
        self.done_before: dict[Path, ArticleResult] = {}  # checked while finding out whether they are affected
        self.fresh: list[tuple[ArticleRef, ArticleResult]] = []  # checked in this run: to settle and cache
        self.checked: set[Path] = set()
        self.reported: list[ArticleResult] = []  # checked in this run and part of the report

    def run(self) -> tuple[Report, list[Diagnostic]]:
        plan = self._plan()
        self._start_shell_batches(plan)
        self._check_planned(plan)
        self._lint_shown_sources()
        self._settle_and_store()
        return self.report, self.found + [d for result in self.reported for d in result.diagnostics]

    def _articles(self, config: Config) -> list[ArticleRef]:
        articles, problems = collect_articles(self.options.paths, config, self.memo.display)
        if problems:
            raise RunError(problems[0])
        return articles

    def _changed_files(self, cwd: Path) -> set[Path] | None:
        since = self.options.changed_since
        if not since:
            return None
        try:
            return changed_files(cwd, since)
        except GitError as exc:
            raise RunError(f"--changed-since {since}: {exc}") from None

    def _plan(self) -> list[Planned]:
        """Each article with the stored result it may reuse; with --changed-since, only the affected ones."""
        entries = [(article, self.stored.own(article.path)) for article in self.articles]
        self.memo.azureml.background = sum(1 for _, entry in entries if entry is None) >= BACKGROUND_ARTICLES
        plan: list[Planned] = []
        for article, entry in entries:
            if self.changed_names is not None and not self._affected(article, entry, self.changed_names):
                continue
            reusable = entry if entry is not None and self.stored.dependencies_unchanged(entry) else None
            plan.append((article, reusable, False))
        return plan

    def _start_shell_batches(self, plan: list[Planned]) -> None:
        """When shell findings are wanted and an article is checked now, the shell checks start at once."""
        if self.options.exec_checks and any(e is None for _, e, _ in plan) and ({"SH001", "SH002"} & self.wanted):
            _prefetch_shell(self.docset, self.memo, self.changed)

    def _affected(self, article: ArticleRef, entry: dict[str, Any] | None, changed: set[str]) -> bool:
        """Whether a changed file is the article or one its result depends on (without a stored result, it is
        checked to find out). One not affected is not reported, but the regions it shows still count."""
        if str(article.path) in changed:
            return True
        if entry is not None:
            if any(path in changed for path in entry["deps"]):
                return True
            self._note_uses(entry.get("uses", ()))
            return False
        result = self._check_now(article, False)
        self.done_before[article.path] = result
        if any(str(dep) in changed for dep in result.deps):
            return True
        self._note_uses(_shown_by(result))
        return False

    def _check_planned(self, plan: list[Planned]) -> None:
        """Each planned article, then each include file they name, once: reused or checked now."""
        queue = deque(plan)
        while queue:
            article, entry, is_include = queue.popleft()
            if article.path in self.checked:
                continue
            self.checked.add(article.path)
            diagnostics, uses, included = self._result(article, entry, is_include)
            self.found.extend(diagnostics)
            self.report.checked.append(article.display)
            self._note_uses(uses)
            queue.extend(self._includes_to_check(included))
            if not is_include:
                self.progress.advance()
        self.progress.close()

    def _result(
        self, article: ArticleRef, entry: dict[str, Any] | ArticleResult | None, is_include: bool
    ) -> tuple[list[Diagnostic], Iterable[Sequence[str]], list[Path]]:
        """The article's stored findings (those checked in this run are reported once settled), the regions
        it shows (source path, region) and the include files it names."""
        if isinstance(entry, ArticleResult):  # checked earlier in this run, as the cache would have it
            self.report.cache_hits += 1
            self.reported.append(entry)
            return [], _shown_by(entry), entry.included
        if entry is not None:
            self.report.cache_hits += 1
            return (
                [diagnostic_from_list(d) for d in entry["diags"]],
                entry.get("uses", ()),
                [Path(p) for p in entry.get("included", ())],
            )
        result = None if is_include else self.done_before.get(article.path)
        if result is None:
            result = self._check_now(article, is_include)
        self.reported.append(result)
        return [], _shown_by(result), result.included

    def _includes_to_check(self, included: list[Path]) -> list[Planned]:
        """The include files not checked yet, each with its result from earlier in this run when results are
        cached at all, else with its stored result if that still holds."""
        queued: list[Planned] = []
        for path in included:
            if path in self.checked:
                continue
            ref = ArticleRef(path, self.memo.display(path))
            if path in self.done_before and self.cache.folder is not None:
                queued.append((ref, self.done_before[path], True))
            else:
                queued.append((ref, self.stored.reusable(path), True))
        return queued

    def _note_uses(self, uses: Iterable[Sequence[str]]) -> None:
        for path, region in uses:
            self.uses.setdefault(path, set()).add(region)

    def _check_now(self, article: ArticleRef, is_include: bool) -> ArticleResult:
        result = _check(article, is_include, self.docset, self.memo, self.check_codes, self.options)
        self.fresh.append((article, result))
        return result

    def _lint_shown_sources(self) -> None:
        """The docset rules over the sources the articles show; REG007 over every source of their roots."""
        used = {Path(path): regions for path, regions in self.uses.items()}
        docset, roots = self.docset, self.docset.roots
        used_roots = {name for name, root in roots.named.items() if any(_under(p, root) for p in used)}
        # A shared samples repository serves many docsets: the articles' check reports on the files they show
        # (the whole repository is `--sources-only`'s business); REG007 alone looks at every file of their roots.
        shown = set(used) if self.changed is None else set(used) & self.changed
        sources = docset.sources(used_roots, only=shown)
        self.report.sources = len(sources)
        where = self.memo.display(roots.docset)
        self.found.extend(_docset_rules(DocsetIndex(docset, sources, used), self.wanted - OPT_IN, RULES, where))
        if self.wanted & OPT_IN:
            every = docset.sources(used_roots, only=self.changed)
            self.report.sources = len(every)
            self.found.extend(_docset_rules(DocsetIndex(docset, every, used), self.wanted & OPT_IN, RULES, where))

    def _settle_and_store(self) -> None:
        """Findings owed by background jobs are collected last; then each result checked now is kept."""
        for article, result in self.fresh:
            result.settle()
            problem = self._store(article, result)
            if problem:
                self.report.notes.append(problem)

    def _store(self, article: ArticleRef, result: ArticleResult) -> str | None:
        """Keep the article's result for the next run; what cannot be recorded is left out (and re-checked then)."""
        if self.cache.folder is None or any(d.code == "INT001" for d in result.diagnostics):
            return None
        states = self.stored.states
        try:
            entry = {
                "fp": self.stored.fingerprint,
                "exec": self.options.exec_checks,
                "self": states.record(article.path),
                "deps": {str(p): states.record(p) for p in sorted(result.deps)},
                "diags": [diagnostic_to_list(d) for d in result.diagnostics],
                "uses": sorted([str(p), r] for p, r in result.uses),
                "included": [str(p) for p in result.included],
            }
        except Exception as exc:  # noqa: BLE001 - a path the file system refuses, say: the findings stand, only the caching is lost
            return f"{article.display}: not cached ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
        self.cache.store_article(str(article.path), entry)
        return None


def _shown_by(result: ArticleResult) -> list[tuple[str, str]]:
    """The (source path, region) pairs a result shows, named by strings as the cache names them."""
    return [(str(p), r) for p, r in result.uses]


def _check(
    article: ArticleRef, is_include: bool, docset: Docset, memo: RunMemo, codes: frozenset[str], options: RunOptions
) -> ArticleResult:
    """Check one article; findings owed by background jobs are collected by `ArticleResult.settle`.

    Never raises: whatever fails on this article is its INT001, and the run goes on.
    """
    if article.refusal is not None:
        return ArticleResult([article.refusal])
    return contained(article.display, partial(_check_file, article, is_include, docset, memo, codes, options))


def _check_file(
    article: ArticleRef, is_include: bool, docset: Docset, memo: RunMemo, codes: frozenset[str], options: RunOptions
) -> ArticleResult:
    file = docset.files.get(article.path)
    if not file.ok:
        code = "SRC004" if file.problem == "not-utf8" else "SRC003"
        line, column = file.problem_at if file.problem == "not-utf8" else (1, 1)
        return ArticleResult(
            [
                Diagnostic(
                    article.display,
                    line,
                    column,
                    code,
                    f"the article cannot be read as UTF-8 text: {file.problem_detail}",
                    lookup(code).severity,
                )
            ]
        )
    resolver = docset.resolver_for(article.path)
    return check_article(
        article.path,
        article.display,
        file.text,
        docset.config,
        resolver,
        memo,
        codes,
        exec_checks=options.exec_checks,
        is_include=is_include,
        defer=True,
    )


def _prefetch_shell(docset: Docset, memo: RunMemo, changed: set[Path] | None) -> None:
    """Start checking the shell scripts under the roots (with --changed-since, the changed ones) at once."""
    texts = []
    for name, root in docset.roots.named.items():
        if not root.is_dir():
            continue
        for entry in docset.sources({name}, only=changed):
            if entry.path.suffix in (".sh", ".bash"):
                texts.append(entry.file.text)
    memo.shell.request(texts)


def _docset_rules(index: DocsetIndex, wanted: frozenset[str], rules: Iterable[Rule], where: str) -> list[Diagnostic]:
    """Findings of the rules that look at the sources as a whole; one that fails is an INT001 on `where`."""
    found: list[Diagnostic] = []
    done: set[object] = set()
    for rule in rules:
        if rule.docset_check is None or rule.code not in wanted or rule.docset_check in done:
            continue
        done.add(rule.docset_check)
        try:
            found.extend(d for d in rule.docset_check(index) if d.code in wanted)
        except Exception as exc:  # noqa: BLE001 - the other rules' findings stand
            found.append(internal_error(where, f"rule {rule.code} failed on the sources", exc))
    return found


_UNKNOWN_ROOT = re.compile(r"^unknown root `([^`]*)`")


def one_per_unknown_root(found: list[Diagnostic]) -> list[Diagnostic]:
    """SRC005 once per root a run does not know, at its first directive, with how many directives use it.

    A docset checked without its samples repository would otherwise answer each of its hundreds of
    directives with the same finding; one line naming the root and the `--root` fix is what a team needs.
    """
    by_root: dict[str, list[Diagnostic]] = {}
    rest: list[Diagnostic] = []
    for d in found:
        named = _UNKNOWN_ROOT.match(d.message) if d.code == "SRC005" else None
        if named:
            by_root.setdefault(named.group(1), []).append(d)
        else:
            rest.append(d)
    for uses in by_root.values():
        first = min(uses, key=lambda d: (d.path, d.line, d.column))
        count, files = len(uses), len({d.path for d in uses})
        if count > 1:
            more = f"; {count} directives in {files} file{'s' if files > 1 else ''} use it, only this first one is reported"
            first = replace(first, message=first.message + more)
        rest.append(first)
    return rest


def _finish(
    report: Report, found: list[Diagnostic], config: Config, wanted: frozenset[str], cache: ResultCache, memo: RunMemo
) -> Report:
    kept = one_per_unknown_root([d for d in set(found) if d.code in wanted])
    report.diagnostics = sorted(
        apply_severity(kept, config), key=lambda d: (d.path, d.line, d.column, d.code, d.message)
    )
    cache.store_tools(memo.stored(), memo.has_new_results)
    report.notes.extend(cache.notes)
    problem = cache.save()
    if problem:
        report.notes.append(problem)
    return report
