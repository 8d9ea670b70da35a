"""Learn metadata missing or malformed in an article's front matter.

Learn refuses to publish an article without its required metadata (`title`,
`description`, `ms.topic`, `ms.date`, `author`, `ms.author`, `ms.service`), wants
`ms.date` as `MM/DD/YYYY` and `ms.topic` from its fixed set. The rules are a JSON
Schema shipped with the toolkit (`docskit/schemas/learn-front-matter.schema.json`).
A page is treated as a Learn article when its front matter has an `ms.` key;
pages without one (the toolkit's own guides) are plain site pages.

Include files are not articles: they are never published on their own, so Learn
asks no `title` or `description` of them. An include (a file reached through
`[!INCLUDE]`, or one whose front matter says `ms.topic: include`) is held to the
same value rules for the metadata it has, and its `ms.topic` must be `include`,
as the contributor guide's include-file metadata block has it (`author`,
`ms.service`, `ms.topic: include`, `ms.date`, `ms.author`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

ARTICLE_ONLY = ("title", "description")  # what a page needs only when it is published on its own


@lru_cache(maxsize=2)
def validator(include: bool = False) -> Any:
    """The article schema; for an include, the same without the article-only keys and with `ms.topic: include`."""
    from jsonschema import Draft202012Validator

    schema = json.loads(
        resources.files("docskit").joinpath("schemas/learn-front-matter.schema.json").read_text("utf-8")
    )
    if include:
        schema["required"] = ["ms.topic"]
        schema["properties"] = {**schema["properties"], "ms.topic": {"const": "include"}}
        for key in ARTICLE_ONLY:
            schema["properties"].pop(key, None)
    return Draft202012Validator(schema)


def is_include_page(ctx: ArticleContext, data: dict[str, Any]) -> bool:
    return ctx.is_include or str(data.get("ms.topic", "")).strip() == "include"


def _plain(value: Any) -> Any:
    """YAML gives dates and numbers; the schema speaks about the text an author wrote."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _key_line(raw: str, key: str, start: int) -> int:
    for offset, line in enumerate(raw.split("\n")):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return start + 1 + offset
    return start


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    fm = ctx.article.front_matter
    if fm is None:
        return
    if fm.error:
        yield ctx.diag(fm.error_line, 1, "FMT001", fm.error)
        return
    if not isinstance(fm.data, dict) or not any(str(k).startswith("ms.") for k in fm.data):
        return
    data = _plain(fm.data)
    include = is_include_page(ctx, data)
    document = json.dumps([include, data], sort_keys=True)
    digest = hashlib.blake2b(document.encode(), digest_size=16).hexdigest()
    # schema errors by content digest, kept between runs: an unchanged front matter costs no jsonschema import
    for kind, key, text in ctx.memo.kept("FMT001", digest, lambda: _schema_errors(data, include)):
        if kind == "required":
            missing = re.findall(r"'([^']+)' is a required property", text)
            name = missing[0] if missing else "?"
            if include:
                yield ctx.diag(
                    fm.line,
                    1,
                    "FMT001",
                    f"the include file's front matter has no `{name}`",
                    "Learn marks include files with `ms.topic: include`",
                )
            else:
                yield ctx.diag(
                    fm.line, 1, "FMT001", f"front matter has no `{name}`", "Learn requires it on every article"
                )
            continue
        line = _key_line(fm.raw, key, fm.line) if key else fm.line
        if kind == "pattern" and key == "ms.date":
            message, hint = f"`ms.date: {data.get(key)}` is not MM/DD/YYYY", "write the date like 04/24/2021"
        elif kind == "const" and key == "ms.topic":
            message, hint = f"`ms.topic: {data.get(key)}` on an include file", "write `ms.topic: include`"
        elif kind == "enum":
            message, hint = (
                f"`{key}: {data.get(key)}` is not a Learn topic type",
                "use one of: how-to, tutorial, quickstart, concept-article, overview, reference",
            )
        else:
            message, hint = f"`{key}`: {text}", None
        yield ctx.diag(line, 1, "FMT001", message, hint)


def _schema_errors(data: dict[str, Any], include: bool = False) -> list[list[str]]:
    """[validator, top-level key, message] of each schema error, in a stable order."""
    errors = sorted(validator(include).iter_errors(data), key=lambda e: list(e.path))
    return [[error.validator, str(error.path[0]) if error.path else "", error.message] for error in errors]


GOOD = (
    "---\ntitle: Safe rollout for online endpoints\ndescription: Roll out a new deployment without downtime.\n"
    "author: example\nms.author: example\nms.service: machine-learning\nms.topic: how-to\nms.date: 04/24/2021\n---\n\n# Safe rollout\n"
)
RULES = (
    Rule(
        "FMT001",
        check,
        {"docs/article.md": GOOD.replace("04/24/2021", "2021-04-24").replace("author: example\n", "", 1)},
        {"docs/article.md": GOOD},
    ),
)
