"""The site includes nothing from outside the docset: not through a symlink, an absolute path or a named root."""

from __future__ import annotations

import os

import pytest

SECRET = "SECRET-TEXT from outside\n"


@pytest.mark.parametrize("how", ["symlink", "absolute", "named-root"])
def test_an_include_from_outside_the_docset_is_not_rendered(docset, tmp_path, how):
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, encoding="utf-8")
    docset.write("snippets/cli/secret.md", SECRET)
    (docset.docs / "includes").mkdir()
    os.symlink(outside / "secret.md", docset.docs / "includes" / "x.md")
    target = {"symlink": "includes/x.md", "absolute": str(outside / "secret.md"),
              "named-root": "~/examples/cli/secret.md"}[how]
    html = docset.render("docs/a.md", f"# A\n\n[!INCLUDE [x]({target})]\n")
    assert "SECRET-TEXT" not in html
    assert "cannot be included: it is outside the docset" in html
