"""A whole run: collect articles and sources, reuse cached results, check the rest, run docset rules.

Data flows one way: options and configuration in, a `Report` out. Nothing here
prints; the command line turns the report into one of the output formats.
Helpers (shell batches, the Azure ML worker) work beside the article checks;
what they owe is collected after the last article, and results are cached then.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

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
                    raise RunError(f"unknown rule code or name `{token.strip()}` (see docs/reference/check-snippets-rules.md)")
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


def _run(config: Config, options: RunOptions, cwd: Path, wanted: frozenset[str], cache: ResultCache,
         memo: RunMemo) -> Report:
    check_codes = frozenset(ALL_CODES - (set() if options.exec_checks else EXTERNAL_CODES))
    files = memo.files
    roots = build_roots(config, options.roots)
    docset = Docset(config, roots, files, memo.display)
    report = Report()
    found: list[Diagnostic] = []

    if options.sources_only:
        names = set(options.roots) or None
        sources = docset.sources(names)
        found.extend(_docset_rules(DocsetIndex(docset, sources, None), wanted, RULES, memo.display(roots.docset)))
        report.sources = len(sources)
        return _finish(report, found, config, wanted, cache, memo)

    articles, problems = collect_articles(options.paths, config, memo.display)
    if problems:
        raise RunError(problems[0])
    changed: set[Path] | None = None
    if options.changed_since:
        try:
            changed = changed_files(cwd, options.changed_since)
        except GitError as exc:
            raise RunError(f"--changed-since {options.changed_since}: {exc}") from None

    states = FileStates(files, docset.may_read, cache.mark_changed)
    fp = fingerprint(config, roots)
    stored = StoredResults(cache.articles, fp, states, options.exec_checks)
    uses: dict[str, set[str]] = {}  # source path -> regions shown; Path objects only once, at the end
    progress = Progress(len(articles), options.progress)
    plan: list[tuple[ArticleRef, dict | ArticleResult | None, bool]] = []  # (article, reusable result, is include)
    changed_names = {str(p) for p in changed} if changed is not None else None
    done_before: dict[Path, ArticleResult] = {}  # articles checked while finding out whether they are affected
    fresh_results: list[tuple[ArticleRef, ArticleResult]] = []  # checked in this run: to settle and cache

    entries = [(article, stored.own(article.path)) for article in articles]
    memo.azureml.background = sum(1 for _, entry in entries if entry is None) >= BACKGROUND_ARTICLES
    for article, entry in entries:
        fresh = entry is not None
        if changed_names is not None:
            affected = str(article.path) in changed_names
            if fresh:
                affected = affected or any(p in changed_names for p in entry["deps"])
                if not affected:
                    for path, region in entry.get("uses", ()):
                        uses.setdefault(path, set()).add(region)
                    continue
            elif not affected:
                result = _check(article, False, docset, memo, check_codes, options)
                fresh_results.append((article, result))
                done_before[article.path] = result
                if not any(str(dep) in changed_names for dep in result.deps):
                    for path, region in result.uses:
                        uses.setdefault(str(path), set()).add(region)
                    continue
                plan.append((article, None, False))
                continue
        deps_ok = fresh and stored.dependencies_unchanged(entry)
        plan.append((article, entry if deps_ok else None, False))

    if options.exec_checks and any(e is None for _, e, _ in plan) and ({"SH001", "SH002"} & wanted):
        _prefetch_shell(docset, memo, changed)

    checked: set[Path] = set()
    reported: list[ArticleResult] = []  # checked in this run and part of the report
    queue = list(plan)
    while queue:
        article, entry, is_include = queue.pop(0)
        if article.path in checked:
            continue
        checked.add(article.path)
        if isinstance(entry, ArticleResult):  # checked earlier in this run, as the cache would have it
            report.cache_hits += 1
            reported.append(entry)
            diagnostics, article_uses, included = [], [(str(p), r) for p, r in entry.uses], entry.included
        elif entry is not None:
            report.cache_hits += 1
            diagnostics = [diagnostic_from_list(d) for d in entry["diags"]]
            article_uses = entry.get("uses", ())
            included = [Path(p) for p in entry.get("included", ())]
        else:
            result = None if is_include else done_before.get(article.path)
            if result is None:
                result = _check(article, is_include, docset, memo, check_codes, options)
                fresh_results.append((article, result))
            reported.append(result)
            diagnostics, article_uses, included = [], [(str(p), r) for p, r in result.uses], result.included
        found.extend(diagnostics)
        report.checked.append(article.display)
        for path, region in article_uses:
            uses.setdefault(path, set()).add(region)
        for path in included:
            if path in done_before and cache.folder is not None and path not in checked:
                queue.append((ArticleRef(path, memo.display(path)), done_before[path], True))
            elif path not in checked:
                queue.append((ArticleRef(path, memo.display(path)), stored.reusable(path), True))
        if not is_include:
            progress.advance()
    progress.close()

    used = {Path(path): regions for path, regions in uses.items()}
    used_roots = {name for name, root in roots.named.items() if any(_under(p, root) for p in used)}
    # A shared samples repository serves many docsets: the articles' check reports on the files they show
    # (the whole repository is `--sources-only`'s business); REG007 alone looks at every file of their roots.
    shown = set(used) if changed is None else set(used) & changed
    sources = docset.sources(used_roots, only=shown)
    report.sources = len(sources)
    where = memo.display(roots.docset)
    found.extend(_docset_rules(DocsetIndex(docset, sources, used), wanted - OPT_IN, RULES, where))
    if wanted & OPT_IN:
        every = docset.sources(used_roots, only=changed)
        report.sources = len(every)
        found.extend(_docset_rules(DocsetIndex(docset, every, used), wanted & OPT_IN, RULES, where))
    for article, result in fresh_results:  # findings owed by background jobs are collected last
        result.settle()
        problem = _store(article, result, cache, states, fp, options)
        if problem:
            report.notes.append(problem)
    for result in reported:
        found.extend(result.diagnostics)
    return _finish(report, found, config, wanted, cache, memo)


def _check(article: ArticleRef, is_include: bool, docset: Docset, memo: RunMemo, codes: frozenset[str],
           options: RunOptions) -> ArticleResult:
    """Check one article; findings owed by background jobs are collected by `ArticleResult.settle`.

    Never raises: whatever fails on this article is its INT001, and the run goes on.
    """
    if article.refusal is not None:
        return ArticleResult([article.refusal])
    return contained(article.display, partial(_check_file, article, is_include, docset, memo, codes, options))


def _check_file(article: ArticleRef, is_include: bool, docset: Docset, memo: RunMemo, codes: frozenset[str],
                options: RunOptions) -> ArticleResult:
    file = docset.files.get(article.path)
    if not file.ok:
        code = "SRC004" if file.problem == "not-utf8" else "SRC003"
        line, column = file.problem_at if file.problem == "not-utf8" else (1, 1)
        return ArticleResult([Diagnostic(article.display, line, column, code,
                                         f"the article cannot be read as UTF-8 text: {file.problem_detail}",
                                         lookup(code).severity)])
    resolver = docset.resolver_for(article.path)
    return check_article(article.path, article.display, file.text, docset.config, resolver, memo, codes,
                         exec_checks=options.exec_checks, is_include=is_include, defer=True)


def _store(article: ArticleRef, result: ArticleResult, cache: ResultCache, states: FileStates, fp: str,
           options: RunOptions) -> str | None:
    """Keep the article's result for the next run; what cannot be recorded is left out (and re-checked then)."""
    if cache.folder is None or any(d.code == "INT001" for d in result.diagnostics):
        return None
    try:
        entry = {
            "fp": fp, "exec": options.exec_checks, "self": states.record(article.path),
            "deps": {str(p): states.record(p) for p in sorted(result.deps)},
            "diags": [diagnostic_to_list(d) for d in result.diagnostics],
            "uses": sorted([str(p), r] for p, r in result.uses),
            "included": [str(p) for p in result.included]}
    except Exception as exc:  # a path the file system refuses, say: the findings stand, only the caching is lost
        return f"{article.display}: not cached ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
    cache.store_article(str(article.path), entry)
    return None


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
        except Exception as exc:  # the other rules' findings stand
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
    for name, uses in by_root.items():
        first = min(uses, key=lambda d: (d.path, d.line, d.column))
        count, files = len(uses), len({d.path for d in uses})
        if count > 1:
            more = f"; {count} directives in {files} file{'s' if files > 1 else ''} use it, only this first one is reported"
            first = replace(first, message=first.message + more)
        rest.append(first)
    return rest


def _finish(report: Report, found: list[Diagnostic], config: Config, wanted: frozenset[str], cache: ResultCache,
            memo: RunMemo) -> Report:
    kept = one_per_unknown_root([d for d in set(found) if d.code in wanted])
    report.diagnostics = sorted(apply_severity(kept, config), key=lambda d: (d.path, d.line, d.column, d.code, d.message))
    cache.store_tools(memo.stored(), memo.has_new_results)
    report.notes.extend(cache.notes)
    problem = cache.save()
    if problem:
        report.notes.append(problem)
    return report
