"""A command that names a resource with `--name X` while its `--file` YAML says `name: Y`.

The CLI lets the flag win, so the page creates or updates a different resource
than the YAML under version control describes (the seed passed
`-n my-new-endpoint` with files that say `name: my-endpoint`). Only literal
values are compared; `$VARIABLE` names are left alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from docskit.analysis.commands import Word, simple_commands
from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


def _option_value(words: tuple[Word, ...], short: str, long: str) -> Word | None:
    for index, word in enumerate(words):
        text = word.text
        if text.startswith(long + "="):
            return Word(text[len(long) + 1 :], word.line, word.column)
        is_prefix = text.startswith("--") and len(text) >= 3 and long.startswith(text)
        if text == short or is_prefix:
            if index + 1 < len(words):
                return words[index + 1]
    return None


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for snippet in ctx.snippets:
        if not snippet.is_shell or snippet.cwd is None or "-" not in snippet.text:
            continue
        for command in simple_commands(snippet.text):
            name = _option_value(command.words, "-n", "--name")
            file = _option_value(command.words, "-f", "--file")
            if name is None or file is None or "$" in name.text or "$" in file.text:
                continue
            target = Path(os.path.normpath(snippet.cwd / file.text))
            ctx.deps.add(target)
            if not target.is_file():
                continue
            document = ctx.memo.yaml_of(target)
            if document is None or not document.ok or not isinstance(document.data, dict):
                continue
            declared = document.data.get("name")
            if isinstance(declared, str) and declared and declared != name.text:
                yield ctx.at_snippet(
                    snippet,
                    name.line,
                    "CMD001",
                    f"`--name {name.text}` overrides `name: {declared}` of `{file.text}`",
                    "use the name the YAML declares, or change the YAML",
                    column=name.column,
                )


_ARTICLE = '# Update\n\n:::code language="azurecli" source="~/samples/update.sh" id="update":::\n'
_YAML = "name: my-endpoint\nauth_mode: key\n"
RULES = (
    Rule(
        "CMD001",
        check,
        {
            "docs/article.md": _ARTICLE,
            "samples/endpoint.yml": _YAML,
            "samples/update.sh": "# <update>\naz ml online-endpoint update -n my-new-endpoint -f endpoint.yml\n# </update>\n",
        },
        {
            "docs/article.md": _ARTICLE,
            "samples/endpoint.yml": _YAML,
            "samples/update.sh": "# <update>\naz ml online-endpoint update -n my-endpoint -f endpoint.yml\n# </update>\n",
        },
    ),
)
