"""A base image the platform retired (by default any ubuntu16.04 or ubuntu18.04 image).

Deployments built on a retired image fail or get no security fixes, and readers
copy whatever the page shows. Every line a page shows is searched, fenced blocks
included; the list is configurable (`deprecated_images`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

_IMAGE = re.compile(r"[\w./:@-]+")


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    words = [w.lower() for w in ctx.config.options.deprecated_images if w]
    if not words:
        return
    for snippet in ctx.snippets:
        lowered = snippet.text.lower()
        if not any(w in lowered for w in words):
            continue
        for index, line in enumerate(snippet.lines):
            low = line.lower()
            for word in words:
                at = low.find(word)
                if at < 0:
                    continue
                image = next((m.group(0) for m in _IMAGE.finditer(line) if m.start() <= at < m.end()), word)
                yield ctx.at_snippet(
                    snippet,
                    index,
                    "AML003",
                    f"base image `{image}` is deprecated ({word})",
                    "use a current image such as mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
                    column=at,
                )
                break


def _docset(image: str) -> dict[str, str]:
    return {
        "docs/article.md": '# Environment\n\n:::code language="yaml" source="~/samples/environment.yml":::\n',
        "samples/environment.yml": f"name: sklearn-env\nimage: {image}\nconda_file: conda.yaml\n",
    }


RULES = (
    Rule(
        "AML003",
        check,
        _docset("mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20210301.v1"),
        _docset("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"),
    ),
)
