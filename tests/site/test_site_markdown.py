"""The Learn extensions in a bare `markdown.Markdown()` call: rendering and reporting, page by page."""

from __future__ import annotations

import logging
import re
import subprocess

import markdown
import pytest

from docskit.config import ConfigError
from docskit.learn import parse_article
from docskit.mdext import code_directive, context
from docskit.mdext.tabs import convert_tab_groups
from site_code_blocks import code_blocks
from site_project import REPO, SCRIPT

SCALE = ':::code language="azurecli" source="~/examples/cli/deploy.sh" id="scale_blue" highlight="2-3":::'


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.docskit" and r.levelno >= logging.WARNING]


def test_code_directive_becomes_a_fence_with_lexer_highlight_and_caption(docset):
    docset.write("docs/a.md", SCALE + "\n")
    md = docset.markdown()
    md.docskit_page = docset.docs / "a.md"
    md.convert("")  # start a page so the tracker knows its build
    directive = parse_article("docs/a.md", SCALE).code_directives[0]
    lines = code_directive.render_directive(md.docskit_tracker.page, directive)
    assert lines == [
        '``` bash hl_lines="2-3" title="cli/deploy.sh"',
        "az ml online-deployment update \\",
        "  --name blue \\",
        "  --set instance_count=2",
        "```",
    ]


def test_rendered_block_shows_docfx_text_and_highlights_the_named_lines(docset):
    html = docset.render("docs/a.md", "# Page\n\n" + SCALE + "\n")
    [block] = code_blocks(html)
    assert block.text == "az ml online-deployment update \\\n  --name blue \\\n  --set instance_count=2"
    assert block.highlighted == [2, 3]
    assert block.caption_text == "cli/deploy.sh"
    assert block.href is None  # no source_urls template for this root: the path, not a link
    assert ":::code" not in html


def test_caption_links_to_the_configured_source_url(docset):
    page = ':::code language="yaml" source="~/examples/cli/endpoint.yml" range="4-6" highlight="3":::\n'
    html = docset.render("docs/a.md", page, source_urls={"examples": "https://github.com/o/r/blob/main/{path}"})
    [block] = code_blocks(html)
    assert block.href == "https://github.com/o/r/blob/main/cli/endpoint.yml"
    assert block.caption_text == "cli/endpoint.yml"
    assert block.text == "traffic:\n  blue: 90\n  green: 10"
    assert block.highlighted == [3]


def test_a_directive_inside_a_fence_is_an_example_and_stays_literal(docset):
    html = docset.render("docs/a.md", "```markdown\n" + SCALE + "\n```\n")
    [block] = code_blocks(html)
    assert block.text == SCALE
    assert block.highlighted == []


def test_directives_keep_their_container_in_lists_callouts_and_tabs(docset):
    page = "\n".join([
        "1. Scale blue:",
        "",
        "    " + SCALE,
        "",
        "> [!NOTE]",
        "> " + SCALE,
        "",
        "# [CLI](#tab/cli)",
        "",
        SCALE,
        "",
        "# [Other](#tab/other)",
        "",
        "Nothing here.",
        "",
        "---",
        "",
    ])
    html = docset.render("docs/a.md", page)
    assert re.search(r"<li>\s*<p>Scale blue:</p>\s*<div class=\"highlight\">", html)
    assert re.search(r'<div class="admonition note">\s*<p class="admonition-title">Note</p>\s*<div class="highlight">', html)
    assert re.search(r'<div class="tabbed-block">\s*<div class="highlight">', html)
    blocks = code_blocks(html)
    assert len(blocks) == 3
    assert all(b.highlighted == [2, 3] and b.text.endswith("instance_count=2") for b in blocks)


def test_every_broken_directive_is_logged_with_page_line_and_code(docset, docskit_log):
    page = "\n".join([
        "# Broken",
        "",
        ':::code language="azurecli" source="~/examples/cli/deploy.sh" id="scale_green":::',
        "",
        ':::code language="azurecli" source="~/examples/cli/missing.sh" id="scale_blue":::',
        "",
        ':::code language="yaml" source="~/examples/cli/endpoint.yml" range="5-9":::',
        "",
    ])
    html = docset.render("docs/a.md", page)
    logged = warnings_of(docskit_log)
    for line, code in ((3, "REG001"), (5, "SRC001"), (7, "RNG002")):
        assert any(m.startswith(f"docs/a.md:{line}:") and f" {code} " in m for m in logged), (line, code, logged)
    assert "Snippet not shown" in html  # a reader of a non-strict build sees the gap, not the raw directive
    assert ":::code" not in html


def test_nothing_is_logged_for_a_clean_page(docset, docskit_log):
    docset.render("docs/a.md", "# Clean\n\n" + SCALE + "\n")
    assert warnings_of(docskit_log) == []


def test_block_and_inline_includes_with_relative_paths_rewritten(docset):
    docset.write("docs/code/hello.py", "print('hello')\n")
    docset.write("docs/includes/steps.md", "\n".join([
        "---",
        "author: someone",
        "---",
        "See [the guide](../guide/setup.md#install) and ![diagram](../media/flow.png).",
        "",
        ':::code language="python" source="../code/hello.py":::',
        "",
    ]))
    docset.write("docs/includes/version.md", "2.0\n")
    html = docset.render("docs/a.md", "Version [!INCLUDE [v](includes/version.md)] is current.\n\n"
                         "[!INCLUDE [steps](includes/steps.md)]\n")
    assert "<p>Version 2.0 is current.</p>" in html
    assert '<a href="guide/setup.md#install">the guide</a>' in html
    assert 'src="media/flow.png"' in html
    assert [b.text for b in code_blocks(html)] == ["print('hello')"]
    assert "author: someone" not in html and "[!INCLUDE" not in html


def test_an_include_inside_an_include_file_is_relative_to_that_file(docset):
    docset.write("docs/includes/outer.md", "Outer text.\n\n[!INCLUDE [inner](more/inner.md)]\n")
    docset.write("docs/includes/more/inner.md", "Inner text with [a link](../../b.md).\n")
    html = docset.render("docs/a.md", "[!INCLUDE [outer](includes/outer.md)]\n")
    assert "<p>Outer text.</p>" in html
    assert '<p>Inner text with <a href="b.md">a link</a>.</p>' in html


def test_an_include_cycle_is_cut_and_reported(docset, docskit_log):
    docset.write("docs/includes/x.md", "X says hi.\n\n[!INCLUDE [y](y.md)]\n")
    docset.write("docs/includes/y.md", "Y says hi.\n\n[!INCLUDE [x](x.md)]\n")
    html = docset.render("docs/a.md", "[!INCLUDE [x](includes/x.md)]\n")
    assert html.count("X says hi.") == 1 and html.count("Y says hi.") == 1
    assert "would be a cycle" in html
    assert any(" INC00" in m for m in warnings_of(docskit_log))


def test_a_missing_include_is_visible_and_logged(docset, docskit_log):
    html = docset.render("docs/a.md", "Intro.\n\n[!INCLUDE [gone](includes/gone.md)]\n")
    assert "Include file <code>includes/gone.md</code> was not found." in html
    assert any(m.startswith("docs/a.md:3:") and " INC001 " in m for m in warnings_of(docskit_log))


def test_learn_tab_groups_become_alternate_style_content_tabs():
    lines = ["Intro", "", "# [Azure CLI](#tab/cli)", "", "CLI text", "", "# [Python SDK](#tab/python)", "",
             "    indented code", "", "---", "", "After"]
    assert convert_tab_groups(lines) == [
        "Intro", "",
        "", '===! "Azure CLI"', "", "", "    CLI text", "",
        "", '=== "Python SDK"', "", "", "        indented code", "", "",
        "", "After",
    ]


def test_tabs_render_as_a_tabbed_set_and_the_closing_rule_disappears(docset):
    page = "# [Azure CLI](#tab/cli)\n\nCLI words\n\n# [Python SDK](#tab/python)\n\nSDK words\n\n---\n\nAfter the tabs.\n"
    html = docset.render("docs/a.md", page)
    assert re.search(r'<label for="__tabbed_1_1">Azure CLI</label><label for="__tabbed_1_2">Python SDK</label>', html)
    assert "<hr" not in html and "#tab/" not in html
    blocks = re.findall(r'<div class="tabbed-block">\s*<p>(.*?)</p>', html)
    assert blocks == ["CLI words", "SDK words"]
    assert html.rstrip().endswith("<p>After the tabs.</p>")


def test_two_groups_one_right_after_the_other_stay_two_sets(docset):
    group = "# [Azure CLI](#tab/cli)\n\n{0} CLI\n\n# [Python](#tab/python)\n\n{0} SDK\n\n---\n\n"
    html = docset.render("docs/a.md", group.format("First") + group.format("Second"))
    sets = re.findall(r'<div class="tabbed-set[^"]*"', html)
    assert len(sets) == 2
    assert html.count("<label for=") == 4


def test_alerts_become_admonitions(docset):
    html = docset.render("docs/a.md", "> [!WARNING]\n> Deleting the endpoint deletes its deployments.\n")
    assert '<div class="admonition warning">' in html and "[!WARNING]" not in html


REVIEW_PAGE = "# Draft\n\nDeploy the tk model now.{>> which model? <<}\n"


def test_review_marks_are_errors_outside_preview(docset, docskit_log):
    docset.render("docs/a.md", REVIEW_PAGE)
    logged = warnings_of(docskit_log)
    assert any(m.startswith("docs/a.md:3:") and " TXT001 " in m for m in logged)
    assert any(m.startswith("docs/a.md:3:") and " TXT002 " in m for m in logged)


def test_a_review_mark_in_an_include_file_fails_the_build_once(docset, docskit_log):
    """Include files are never pages of their own, so the pages that include them report them."""
    docset.write("docs/includes/steps.md", "Steps {>> still true? <<} here.\n")
    build = object()  # both pages in one build, as MkDocs converts them
    for page, text in (("docs/a.md", "[!INCLUDE [steps](includes/steps.md)]\n"),
                       ("docs/b.md", "Also: [!INCLUDE [steps](includes/steps.md)]\n")):
        md = docset.markdown()
        md.docskit_page, md.docskit_build_owner = docset.write(page, text), build
        md.convert(text)
    logged = [m for m in warnings_of(docskit_log) if " TXT002 " in m]
    assert len(logged) == 1 and logged[0].startswith("docs/includes/steps.md:1:7:")


def test_review_marks_are_shown_and_not_failing_in_a_preview_build(docset, docskit_log):
    html = docset.render("docs/a.md", REVIEW_PAGE, preview=True)
    assert '<mark class="critic docskit-placeholder" title="TXT001 placeholder">tk</mark>' in html
    assert '<span class="critic comment">' in html
    assert warnings_of(docskit_log) == []
    infos = [r.getMessage() for r in docskit_log.records if r.levelno == logging.INFO]
    assert any(" TXT001 " in m for m in infos) and any(" TXT002 " in m for m in infos)


def test_preview_can_be_switched_on_from_the_environment(docset, docskit_log, monkeypatch):
    monkeypatch.setenv("DOCSKIT_PREVIEW", "1")
    html = docset.render("docs/a.md", REVIEW_PAGE)
    assert "docskit-placeholder" in html
    assert warnings_of(docskit_log) == []


def test_a_placeholder_in_code_or_a_word_is_not_marked(docset):
    html = docset.render("docs/a.md", "Use `tk` and tkinter, see [x](tk.md).\n", preview=True)
    assert "docskit-placeholder" not in html


def test_unknown_option_is_a_one_line_configuration_error():
    with pytest.raises(ConfigError, match=r"unknown option `rootz` for docskit\.mdext\.learn"):
        markdown.Markdown(extensions=["docskit.mdext.learn"], extension_configs={"docskit.mdext.learn": {"rootz": {}}})


def test_bare_call_without_a_page_resolves_through_roots(docset):
    html = markdown.markdown(SCALE, extensions=["docskit.mdext.learn"], extension_configs={"docskit.mdext.learn": docset.options()})
    assert [b.highlighted for b in code_blocks(html)] == [[2, 3]]


def test_one_build_reads_each_file_once_and_reset_starts_a_new_build(docset):
    md = docset.markdown()
    first_page = docset.write("docs/a.md", SCALE + "\n")
    second_page = docset.write("docs/b.md", SCALE + "\n\n" + SCALE + "\n")
    for page in (first_page, second_page):
        md.docskit_page = page
        md.convert(page.read_text())
    build = md.docskit_tracker.page.build
    assert build.resolver.cache.reads == 1
    docset.write("snippets/cli/deploy.sh", SCRIPT.replace("instance_count=2", "instance_count=3"))
    md.docskit_page = first_page
    [kept] = code_blocks(md.convert(first_page.read_text()))
    assert kept.text.endswith("instance_count=2")  # same build: the file was read once
    md.reset()
    [fresh] = code_blocks(md.convert(first_page.read_text()))
    assert md.docskit_tracker.page.build is not build
    assert fresh.text.endswith("instance_count=3")


def test_a_build_is_owned_by_the_host_configuration():
    owner = object()
    host = context.Host(owner, None, None, None)
    first = context.build_for(host, owner, {"roots": {}})
    assert context.build_for(host, owner, {"roots": {}}) is first
    assert context.build_for(host, object(), {"roots": {}}) is not first  # a new MkDocs build brings a new config
    assert context.build_for(host, owner, {"roots": {"x": "y"}}) is not first




def test_the_site_reports_what_check_snippets_reports_for_the_same_page(docset, docskit_log):
    page = "\n".join([
        "# Broken",
        "",
        ':::code language="azurecli" source="~/examples/cli/deploy.sh" id="scale_green":::',
        "",
        "A tk placeholder.",
        "",
        ':::code language="yaml" source="~/examples/cli/endpoint.yml" range="5-9" highlight="7":::',
        "",
    ])
    docset.render("docs/a.md", page)
    cli = subprocess.run([str(REPO / "tools" / "check-snippets"), "--root", f"examples={docset.snippets}", "--no-exec-checks",
                          "docs/a.md"], cwd=docset.root, capture_output=True, text=True, timeout=120)
    reported = [line for line in cli.stdout.splitlines() if line.startswith("docs/a.md:")]
    assert cli.returncode == 1 and len(reported) >= 3, cli.stdout + cli.stderr
    assert sorted(warnings_of(docskit_log)) == sorted(reported)


@pytest.mark.parametrize("page", ["a\r[!INCLUDE [x](includes/p.md)]\rb", "a\r\n[!INCLUDE [x](includes/p.md)]\r\nb",
                                  "a\n\r[!INCLUDE [x](includes/p.md)]\r\n\rb\n", "a\rInline [!INCLUDE [x](includes/p.md)] too\r"],
                         ids=["cr", "crlf", "mixed", "inline"])
def test_includes_are_found_whatever_the_line_ends(docset, page):
    docset.write("docs/includes/p.md", "Included text.\n")
    md = docset.markdown()
    md.docskit_page = docset.docs / "a.md"
    html = md.convert(page)
    assert "Included text." in html and "[!INCLUDE" not in html


def test_a_thousand_deep_include_chain_is_expanded_without_recursion(docset, monkeypatch):
    from docskit.mdext import includes

    monkeypatch.setattr(includes, "MAX_NESTING", 2000)  # the hard stop raised: the depth is the files' alone
    for n in range(1000):
        docset.write(f"docs/includes/i{n}.md", f"Level {n}.\n\n[!INCLUDE [next](i{n + 1}.md)]\n" if n < 999 else "Bottom.\n")
    html = docset.render("docs/a.md", "[!INCLUDE [first](includes/i0.md)]\n")
    assert "<p>Level 998.</p>" in html and "<p>Bottom.</p>" in html and "[!INCLUDE" not in html


def test_a_nul_in_a_source_path_after_8_kb_is_a_finding_not_a_traceback(docset, docskit_log):
    page = "# Page\n\n" + "Filler prose.\n" * 700 + '\n:::code language="bash" source="~/examples/cli/de\x00ploy.sh":::\n'
    html = docset.render("docs/a.md", page)
    assert "Snippet not shown" in html
    assert [m.split(" ")[0:2] for m in warnings_of(docskit_log)] == [["docs/a.md:704:25:", "SRC001"]]


def test_a_failure_while_rendering_a_directive_is_int001_not_a_traceback(docset, docskit_log, monkeypatch):
    from docskit.snippets.resolver import Resolver

    def broken(*args, **kwargs):
        raise RuntimeError("resolver bug")

    monkeypatch.setattr(Resolver, "resolve", broken)
    html = docset.render("docs/a.md", "# Page\n\n" + SCALE + "\n\nAfter.\n")
    assert "Snippet not shown" in html and "<p>After.</p>" in html
    logged = warnings_of(docskit_log)
    assert logged and all(m.startswith("docs/a.md:3:1: INT001 ") and "RuntimeError: resolver bug" in m for m in logged)
