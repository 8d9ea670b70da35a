"""Every `:::code` directive of the 2021 seed article, resolved against the seed-era fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from docskit.learn import parse_article
from docskit.snippets import Resolver, Roots

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "000_adacd73c93b39043.txt"
FIXTURE_ROOT = REPO / "tests" / "fixtures" / "seed-era" / "azureml-examples-cli-preview"
CANARY = "endpoints/online/managed/canary-declarative-flow"

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"seed article not found at {SEED}")


@pytest.fixture(scope="module")
def resolved():
    article = parse_article("seed.md", SEED.read_text(encoding="utf-8"))
    resolver = Resolver(Roots(SEED.parent, {"azureml-examples-cli-preview": FIXTURE_ROOT}))
    return {d.line: resolver.resolve(SEED, "seed.md", d) for d in article.code_directives}, resolver


def fixture_lines(relative: str) -> list[str]:
    return (FIXTURE_ROOT / relative).read_text().split("\n")


def test_the_seed_has_fourteen_directives_at_known_lines(resolved):
    by_line, _ = resolved
    assert sorted(by_line) == [34, 37, 52, 57, 63, 67, 73, 86, 90, 98, 102, 108, 112, 118]


def test_scale_blue_is_one_command_line(resolved):
    by_line, _ = resolved
    snippet = by_line[57]
    assert snippet.text == f"az ml endpoint update -n my-new-endpoint -f {CANARY}/2-scale-blue.yaml"
    assert snippet.source_lines == [8] and snippet.diagnostics == []


def test_create_green_highlight_against_the_56_line_file(resolved):
    by_line, _ = resolved
    snippet = by_line[63]
    expected = fixture_lines(f"cli/{CANARY}/3-create-green.yaml")
    assert len(expected) == 56  # no final newline: 56 editor lines
    assert snippet.text == "\n".join(expected).rstrip()
    assert snippet.highlight == [7, *range(35, 57)]
    assert snippet.shown_lines[6] == "  green: 0" and snippet.shown_lines[34] == "  green:    "
    assert snippet.diagnostics == []


def test_flight_range_5_7(resolved):
    by_line, _ = resolved
    assert by_line[86].text == "traffic:\n  blue: 90\n  green: 10"
    assert by_line[98].text == "traffic:\n  blue: 0\n  green: 100"


def test_scale_blue_yaml_highlight_29_is_the_instance_count(resolved):
    by_line, _ = resolved
    snippet = by_line[52]
    assert len(snippet.shown_lines) == 31 and snippet.highlight == [29]
    assert snippet.shown_lines[28].strip() == "instance_count: 2"


def test_every_safe_rollout_region_is_one_command(resolved):
    by_line, _ = resolved
    script = fixture_lines("cli/how-to-deploy-declarative-safe-rollout-online-endpoints.sh")
    for line, file_line in {67: 12, 73: 16, 90: 20, 102: 24, 112: 28, 118: 32}.items():
        assert by_line[line].text == script[file_line - 1].strip()
        assert by_line[line].source_lines == [file_line]
    assert "--f " in by_line[73].text and by_line[73].text.replace("--f ", "-f ") == by_line[90].text


def test_az_ml_verify_from_the_configure_script(resolved):
    by_line, _ = resolved
    assert by_line[34].text == "az ml -h" and by_line[34].source_lines == [73]


def test_delete_blue_file_whole(resolved):
    by_line, _ = resolved
    assert len(by_line[108].shown_lines) == 31 and "green: 100" in by_line[108].text


def test_placeholder_source_does_not_resolve(resolved):
    by_line, _ = resolved
    snippet = by_line[37]
    assert snippet.text == "" and [d.code for d in snippet.diagnostics] == ["SRC001"]
    assert snippet.diagnostics[0].column == 29  # the `source` attribute


def test_the_missing_id_exists_in_no_fixture_file():
    for path in FIXTURE_ROOT.rglob("*.sh"):
        assert "confirm_rg_ws_config" not in path.read_text()


def test_resolving_the_whole_seed_reads_each_source_once(resolved):
    _, resolver = resolved
    assert resolver.cache.reads == 8  # 7 distinct sources + the placeholder `tk`


def test_configure_script_marker_defects_are_visible_to_the_resolver():
    from docskit.snippets.markers import SCRIPT
    from docskit.snippets.regions import index_regions
    from docskit.sourcefile import read_source_file

    index = index_regions(read_source_file(FIXTURE_ROOT / "cli/how-to-configure-cli.sh").lines, SCRIPT)
    unclosed = sorted(r.name for r in index.regions.values() if not r.closed)
    assert unclosed == ["az_extension_list", "check_extension_list", "check_job_status_detailed"]
    assert index.regions["check_job_status"].end == 38
    assert (54, "check_job_status") in index.stray_ends
