"""An HTML comment is never published: the extensions expand nothing inside one."""

from __future__ import annotations

from site_code_blocks import code_blocks

SCALE = ':::code language="azurecli" source="~/examples/cli/deploy.sh" id="scale_blue":::'


def test_a_directive_or_include_inside_a_comment_stays_a_comment(docset):
    docset.write("docs/includes/note.md", "INCLUDED TEXT\n")
    page = ("# Page\n\n<!-- [!INCLUDE [note](includes/note.md)] -->\n\n<!--\n" + SCALE + "\n-->\n\n"
            "[!INCLUDE [note](includes/note.md)]\n\n" + SCALE + "\n")
    html = docset.render("docs/a.md", page)
    assert html.count("INCLUDED TEXT") == 1
    assert len(code_blocks(html)) == 1
    assert "<!--\n" + SCALE + "\n-->" in html
    assert "<!-- [!INCLUDE [note](includes/note.md)] -->" in html
