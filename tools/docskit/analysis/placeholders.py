"""Values a reader fills in: Learn writes them `<words-in-angle-brackets>`.

`az account set --subscription <subscription-ID>` is how Learn shows a value to
replace (also `<WORDS>` and `<words with spaces>`). To bash such a token is a
redirection, so a shell snippet is checked with each placeholder turned into a
word of the same length (columns stay right), and a YAML value holding one is no
defect of the article. A real redirection is never taken for a placeholder:
`cmd < input.json`, `cmd <input.json`, `<<EOF`, `<(cmd)` and `2>&1` have no
closing `>` right after a name, or are not preceded by a word boundary.
"""

from __future__ import annotations

import re
from typing import Any

# `<` not after another `<` (a heredoc) or a word character; a name of letters, digits, `_`, `-`
# and single inner spaces, starting with a letter; `>` not followed by `>`, `&` or `(`.
PLACEHOLDER = re.compile(r"(?<![<\w])<(?P<name>[A-Za-z][\w-]*(?: [\w-]+)*)>(?![>&(])")


def has_placeholder(text: str) -> bool:
    return "<" in text and PLACEHOLDER.search(text) is not None


def mask_placeholders(text: str) -> str:
    """`text` with each placeholder replaced by a shell word of the same length (`<rg>` -> `_rg_`)."""
    if "<" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: "_" + m.group("name").replace(" ", "_") + "_", text)


def placeholder_paths(data: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Key paths of a YAML document whose scalar value holds a placeholder."""
    found: list[tuple[str, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(placeholder_paths(value, (*path, str(key))))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(placeholder_paths(value, (*path, str(index))))
    elif isinstance(data, str) and has_placeholder(data):
        found.append(path)
    return found
