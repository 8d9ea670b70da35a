"""check-snippets on real Learn articles and the real samples they show.

The corpus in `tests/fixtures/real-docset/` holds ten articles of MicrosoftDocs/azure-ai-docs,
the include files they reach and the Azure/azureml-examples files they show, unmodified.
`expected-findings.txt` lists every true error and warning, judged by reading the article and
the sample: a finding outside it is a false alarm, a line of it not reported is a missed defect.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docskit.check.runner import Report, RunOptions, run
from docskit.config import load_config
from docskit.diagnostics import Severity

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "real-docset"
SAMPLES_ROOT = "azureml-examples-main"


def _articles() -> list[Path]:
    lines = (CORPUS / "articles.txt").read_text(encoding="utf-8").splitlines()
    names = [line.split("#", 1)[0].strip() for line in lines]
    return [CORPUS / "azure-ai-docs" / name for name in names if name]


def _expected() -> dict[str, str]:
    """Stable key `path:line:CODE` -> the reason it is a real defect."""
    found = {}
    for line in (CORPUS / "expected-findings.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, reason = line.partition(" # ")
            found[key.strip()] = reason.strip()
    return found


@pytest.fixture(scope="module")
def report() -> Report:
    if shutil.which("bash") is None:
        pytest.skip("bash is needed for the shell checks")
    config = load_config(CORPUS / "mkdocs.yml", CORPUS)
    options = RunOptions(paths=_articles(), roots={SAMPLES_ROOT: CORPUS / "azureml-examples"})
    return run(config, options, CORPUS)


def _reported(report: Report) -> dict[str, str]:
    """Errors and warnings by stable key (messages carry versions and wording that may change)."""
    found = {}
    for diagnostic in report.diagnostics:
        if diagnostic.severity in (Severity.ERROR, Severity.WARNING):
            path = Path(diagnostic.path)
            relative = (path if path.is_absolute() else CORPUS / path).resolve().relative_to(CORPUS.resolve())
            found[f"{relative.as_posix()}:{diagnostic.line}:{diagnostic.code}"] = diagnostic.message
    return found


def test_the_corpus_lists_at_least_ten_articles_that_exist() -> None:
    articles = _articles()
    assert len(articles) >= 10
    assert [a for a in articles if not a.is_file()] == []


def test_every_real_defect_is_reported(report: Report) -> None:
    missed = sorted(set(_expected()) - set(_reported(report)))
    assert missed == [], "real defects no longer reported:\n" + "\n".join(
        f"  {key}  # {_expected()[key]}" for key in missed
    )


def test_the_reported_findings_are_exactly_the_real_defects(report: Report) -> None:
    reported = _reported(report)
    expected = _expected()
    false_alarms = sorted(set(reported) - set(expected))
    missed = sorted(set(expected) - set(reported))
    assert (false_alarms, missed) == ([], []), (
        f"{len(false_alarms)} false alarm(s):\n"
        + "\n".join(f"  {key}  {reported[key]}" for key in false_alarms)
        + f"\n{len(missed)} missed defect(s):\n"
        + "\n".join(f"  {key}  # {expected[key]}" for key in missed)
    )


def test_no_duplicate_step_is_reported_falsely(report: Report) -> None:
    # how-to-create-attach-compute-cluster.md runs `az ml compute create -f create-cluster.yml` twice,
    # each time with a different create-cluster.yml shown right after: two steps, not one repeated.
    false_alarms = sorted(key for key in _reported(report) if key.endswith(":DUP001") and key not in _expected())
    assert false_alarms == []
