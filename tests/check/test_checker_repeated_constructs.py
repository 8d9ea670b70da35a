"""Pages that repeat one construct many times: every finding kept, each finding of bounded size.

The per-file check memoises what a page repeats (a link target's state, a
missing file's "did you mean", the normalised text of a step); these tests pin
that each occurrence still gets its own finding, with the same message, and
that a step copied many times is reported with a message of bounded length.
"""

from __future__ import annotations

FRONT = "---\ntitle: Deploy\ndescription: Deploy a model.\n---\n\n# Deploy\n"
HINT = "show each step once; a step that only looks alike must differ in what it runs"


def _fences(count: int) -> str:
    """`count` identical fenced shell blocks; block i opens on line 8 + 4 * i."""
    return FRONT + "".join("\n```bash\necho hello\n```\n" for _ in range(count))


def _dup(report) -> list[tuple[int, str, str | None]]:
    return [(d.line, d.message, d.hint) for d in report.diagnostics if d.code == "DUP001"]


def test_two_copies_name_each_other(docset):
    assert _dup(docset({"docs/article.md": _fences(2)})) == [
        (8, "the fenced block shows the same code as the fenced block on line 12", HINT),
        (12, "the fenced block shows the same code as the fenced block on line 8", HINT),
    ]


def test_three_copies_name_the_two_others(docset):
    found = _dup(docset({"docs/article.md": _fences(3)}))
    assert [m for _, m, _ in found] == [
        "the fenced block shows the same code as the fenced block on line 12, the fenced block on line 16",
        "the fenced block shows the same code as the fenced block on line 8, the fenced block on line 16",
        "the fenced block shows the same code as the fenced block on line 8, the fenced block on line 12",
    ]


def test_fifty_copies_name_three_and_count_the_rest(docset):
    found = _dup(docset({"docs/article.md": _fences(50)}))
    assert len(found) == 50  # every copy is still reported
    first, second, last = found[0], found[1], found[-1]
    assert first[1] == (
        "the fenced block shows the same code as the fenced block on line 12, "
        "the fenced block on line 16, the fenced block on line 20 and 46 more"
    )
    assert second[1] == (
        "the fenced block shows the same code as the fenced block on line 8, "
        "the fenced block on line 16, the fenced block on line 20 and 46 more"
    )
    assert last[0] == 8 + 4 * 49
    assert last[1] == (
        "the fenced block shows the same code as the fenced block on line 8, "
        "the fenced block on line 12, the fenced block on line 16 and 46 more"
    )


def test_copies_in_tabs_count_only_the_copies_on_one_path(docset):
    # Two copies in the CLI tab, one in the Python tab, one after the group: the Python copy
    # is an alternative to the CLI copies, not a repetition of them.
    fence = "```bash\necho hello\n```\n"
    article = (
        FRONT
        + "\n# [Azure CLI](#tab/cli)\n\n"
        + fence
        + "\n"
        + fence
        + "\n# [Python](#tab/python)\n\n"
        + fence
        + "\n---\n\n"
        + fence
    )
    found = {line: message for line, message, _ in _dup(docset({"docs/article.md": article}))}
    assert found == {
        10: "the fenced block shows the same code as the fenced block on line 14, the fenced block on line 26",
        14: "the fenced block shows the same code as the fenced block on line 10, the fenced block on line 26",
        20: "the fenced block shows the same code as the fenced block on line 26",
        26: "the fenced block shows the same code as the fenced block on line 10, the fenced block on line 14, "
        "the fenced block on line 20",
    }


def test_each_repeated_broken_link_and_anchor_gets_its_own_finding(docset):
    page = FRONT + "\n## Set up\n" + "\nSee [it](how-to-manage-workspac.md) and [there](#set-upp).\n" * 3
    report = docset({"docs/article.md": page, "docs/how-to-manage-workspace.md": "# Manage\n"})
    found = [(d.code, d.line, d.message, d.hint) for d in report.diagnostics if d.code.startswith("LNK")]
    missing = (
        "LNK001",
        "link target `how-to-manage-workspac.md` does not exist",
        "did you mean `how-to-manage-workspace.md`?",
    )
    anchor = ("LNK002", "`#set-upp` matches no heading of this page", "did you mean `#set-up`?")
    assert found == [(code, line, message, hint) for line in (10, 12, 14) for code, message, hint in (missing, anchor)]


def test_each_repeated_missing_include_gets_its_own_finding(docset):
    page = FRONT + "\n[!INCLUDE [p](includes/prerequisite.md)]\n" * 3
    report = docset({"docs/article.md": page, "docs/includes/prerequisites.md": "You need a workspace.\n"})
    found = [(d.line, d.message, d.hint) for d in report.diagnostics if d.code == "INC001"]
    assert found == [
        (line, "include file `includes/prerequisite.md` does not exist", "did you mean `prerequisites.md`?")
        for line in (8, 10, 12)
    ]


def test_very_long_shell_blocks_are_compared_as_text(docset):
    """A shell block of thousands of lines (an unclosed fence swallows the page) is not parsed line by line,
    yet two equal ones are still the same step, and one differing line makes them different."""
    body = "".join(f"az ml online-endpoint show -n endpoint-{index}\n" for index in range(2500))
    same = FRONT + f"\n```bash\n{body}```\n\n```bash\n{body}```\n"
    assert [line for line, _, _ in _dup(docset({"docs/article.md": same}))] == [8, 2511]
    other = FRONT + f"\n```bash\n{body}```\n\n```bash\n{body.replace('endpoint-7', 'endpoint-x')}```\n"
    assert _dup(docset({"docs/article.md": other})) == []
