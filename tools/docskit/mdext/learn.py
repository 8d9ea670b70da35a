"""`docskit.mdext.learn`: the one extension entry a site configures, wiring the Learn syntax.

In `mkdocs.yml`, under `markdown_extensions:` (list it after the pymdownx
extensions, whose settings then stay the site's own):

    - docskit.mdext.learn:
        roots: {azureml-examples: snippets}
        source_urls: {azureml-examples: "https://github.com/Azure/azureml-examples/blob/main/{path}"}

The options are `docskit.config.Options`, the same entry `check-snippets` reads.
The extensions it wires, in the order their preprocessors run: includes (31.5),
placeholder review marks (29.8), tabs (29), `:::code` (28), notebook references
(27.5). Alerts are the `github-callouts` extension of `markdown-callouts`. Whatever the page needs
and the Markdown instance lacks (SuperFences with highlighting, alternate-style
content tabs, callouts, CriticMarkup) is registered here, so a bare
`markdown.Markdown(extensions=["docskit.mdext.learn"])` renders the same syntax.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown

from docskit.mdext import code_directive, includes, notebooks, review_marks, tabs
from docskit.mdext.context import OptionsExtension


class LearnExtension(OptionsExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        _add_missing_companions(md)
        options = self.getConfigs()
        md.registerExtensions(
            [module.makeExtension(**options) for module in (includes, review_marks, tabs, code_directive, notebooks)],
            {},
        )
        md.registerExtension(self)

    def reset(self) -> None:
        self.tracker.reset()


def _add_missing_companions(md: Markdown) -> None:
    blocks = md.parser.blockprocessors
    fences = md.preprocessors["fenced_code_block"] if "fenced_code_block" in md.preprocessors else None
    if fences is None or not type(fences).__module__.startswith("pymdownx.superfences"):
        md.registerExtensions(["pymdownx.highlight", "pymdownx.superfences"], {})
    if "tabbed" not in blocks:
        md.registerExtensions(["pymdownx.tabbed"], {"pymdownx.tabbed": {"alternate_style": True}})
    if "github-callouts" not in blocks:
        md.registerExtensions(["github-callouts"], {})


def makeExtension(**kwargs: Any) -> LearnExtension:  # noqa: N802
    return LearnExtension(**kwargs)
