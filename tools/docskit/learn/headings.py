"""ATX headings and the anchors Learn and MkDocs give them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from docskit.learn.items import Heading

# The closing `#`s and trailing blanks are stripped in Python: a lazy text followed by optional
# blanks and hashes backtracks quadratically over a long run of blanks.
_ATX = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<rest>.*)$")
_CLOSING = re.compile(r"[ \t]#+$")
_EXPLICIT = re.compile(r"\{\s*#(?P<id>[\w-]+)[^{}]*\}\s*$")
_HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"(?P<id>[^\"]+)\"", re.IGNORECASE)


_CODE_SPAN = re.compile(r"`([^`]*)`")
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^)\[]*\)")  # no part runs over the next `[`: linear
_TAG = re.compile(r"<[^<>]+>")
_PUNCTUATION = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")


@lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Heading text to anchor: lower case, markup and punctuation dropped, spaces to hyphens.

    Remembered by text: generated and templated pages repeat the same headings many times.
    """
    text = _CODE_SPAN.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = _PUNCTUATION.sub("", text).strip().lower()
    return _SEPARATORS.sub("-", text)


def find_heading(line_no: int, line: str) -> Heading | None:
    if "#" not in line:
        return None
    match = _ATX.match(line)
    if not match:
        return None
    text = _heading_text(match.group("rest"))
    explicit = _EXPLICIT.search(text)
    if explicit:
        return Heading(line_no, len(match.group("hashes")), text[: explicit.start()].strip(), explicit.group("id"))
    return Heading(line_no, len(match.group("hashes")), text, slugify(text))


def _heading_text(rest: str) -> str:
    """The heading's text: `rest` without trailing blanks, nor a closing run of `#` after a blank."""
    text = rest.rstrip(" \t")
    closing = _CLOSING.search(text)
    return text[: closing.start()].rstrip(" \t") if closing else text


def html_anchors(line: str) -> list[str]:
    return [m.group("id") for m in _HTML_ANCHOR.finditer(line)]
