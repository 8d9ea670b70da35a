"""The Learn Markdown parser: each construct found, with exact positions."""

from docskit.learn import anchors_of, parse_article

ARTICLE = """---
title: Example
ms.date: 01/02/2026
---

# Heading one

:::code language="bash" source="~/samples/a.sh" id="step":::
  ::: code ID="upper" SOURCE="x.py" :::
> :::code source="q.py":::

```markdown
:::code source="inside-a-fence.sh":::
[!INCLUDE [not real](nope.md)]
```

[!INCLUDE [prereqs](includes/prereqs.md)]
Text with an inline [!INCLUDE [inline](includes/inline.md)] include.

> [!NOTE]
> A note.

# [Azure CLI](#tab/cli)

CLI text.

# [Python SDK](#tab/python)

SDK text.

---

A [link](other.md#part) and ![an image](img/pic.png "title") and `[not](code.md)`.
[!notebook-python[](~/samples/nb.ipynb?name=cell_one)]
{>> a comment <<} {++ added ++} {-- removed --} {~~ old ~> new ~~} {== marked ==}
{>> spans
two lines <<}
"""


def parse():
    return parse_article("a.md", ARTICLE)


def test_front_matter_is_parsed_and_masked():
    article = parse()
    assert article.front_matter.data == {"title": "Example", "ms.date": "01/02/2026"}
    assert (article.front_matter.line, article.front_matter.end_line) == (1, 4)


def test_code_directives_with_case_insensitive_names_space_and_positions():
    directives = parse().code_directives
    assert [(d.line, d.column) for d in directives] == [(8, 1), (9, 3), (10, 3)]
    assert directives[0].get("id") == "step" and directives[0].column_of("id") == 49
    assert directives[1].id == "upper" and directives[1].source == "x.py"
    assert directives[2].source == "q.py"  # inside a blockquote


def test_nothing_inside_a_fence_is_learn_syntax():
    article = parse()
    assert all("inside-a-fence" not in (d.source or "") for d in article.code_directives)
    assert [i.target for i in article.includes] == ["includes/prereqs.md", "includes/inline.md"]
    fence = article.fences[0]
    assert (fence.line, fence.end_line, fence.info, fence.language) == (12, 15, "markdown", "markdown")
    assert fence.body[0] == ':::code source="inside-a-fence.sh":::'


def test_includes_block_and_inline():
    block, inline = parse().includes
    assert (block.line, block.column, block.block, block.title) == (17, 1, True, "prereqs")
    assert (inline.line, inline.block, inline.target_column) == (18, False, 40)


def test_alert_and_tab_group():
    article = parse()
    assert [(a.line, a.kind) for a in article.alerts] == [(20, "NOTE")]
    (group,) = article.tab_groups
    assert [(t.title, t.tab_id, t.line) for t in group.tabs] == [("Azure CLI", "cli", 23), ("Python SDK", "python", 27)]
    assert group.closed and group.end_line == 31
    assert "azure-cli" not in anchors_of(article)  # tab headings are not headings


def test_links_images_not_in_code_spans():
    links = parse().links
    assert [(link.text, link.target, link.image, link.line, link.column) for link in links] == [
        ("link", "other.md#part", False, 33, 3),
        ("an image", "img/pic.png", True, 33, 29),
    ]


def test_notebook_reference_recognised():
    (nb,) = parse().notebooks
    assert (nb.line, nb.language, nb.target) == (34, "python", "~/samples/nb.ipynb?name=cell_one")


def test_all_five_critic_forms_and_multiline():
    marks = parse().critic_marks
    assert [(m.kind, m.line, m.column) for m in marks] == [
        ("comment", 35, 1),
        ("addition", 35, 19),
        ("deletion", 35, 33),
        ("substitution", 35, 49),
        ("highlight", 35, 68),
        ("comment", 36, 1),
    ]
    assert marks[-1].text == "spans\ntwo lines"


def test_headings_get_anchors():
    article = parse()
    assert [h.anchor for h in article.headings] == ["heading-one"]


def test_directive_syntax_problems():
    article = parse_article(
        "b.md",
        ':::code source=x.sh id="a" id="b" colour="red" range="1" :::\n:::code language="bash":::\n:::code source="a.sh"\n',
    )
    found = [(p.code, p.line, p.column) for p in article.syntax_problems]
    assert ("DIR004", 1, 9) in found  # unquoted value
    assert ("DIR002", 1, 28) in found  # repeated attribute
    assert ("DIR001", 1, 35) in found  # unknown attribute
    assert ("DIR005", 1, 48) in found  # id with range
    assert ("DIR003", 2, 1) in found  # missing source
    assert ("DIR004", 3, 1) in found  # not closed
