"""Read highlighted code blocks back out of rendered HTML: caption, text, highlighted lines."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

BLOCK = re.compile(r'<div class="(?:language-\S+ )?highlight">(?P<inner>.*?</code></pre>)</div>', re.DOTALL)
CAPTION = re.compile(r'<span class="filename">(?P<caption>.*?)</span>', re.DOTALL)
CODE = re.compile(r"<code>(?P<code>.*?)</code>", re.DOTALL)
HREF = re.compile(r"href='([^']*)'")
HLL = "\x01"


@dataclass
class CodeBlock:
    caption_html: str
    text: str
    highlighted: list[int]  # 1-based lines
    html: str

    @property
    def caption_text(self) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", self.caption_html))

    @property
    def href(self) -> str | None:
        found = HREF.search(self.caption_html)
        return html.unescape(found.group(1)) if found else None


def code_blocks(page_html: str) -> list[CodeBlock]:
    blocks = []
    for match in BLOCK.finditer(page_html):
        inner = match.group("inner")
        caption = CAPTION.search(inner.split("<pre", 1)[0])
        code = CODE.search(inner).group("code")
        marked = html.unescape(re.sub(r"<[^>]+>", "", code.replace('<span class="hll">', HLL)))
        lines = marked.rstrip("\n").split("\n")
        highlighted = [n for n, line in enumerate(lines, 1) if line.startswith(HLL)]
        blocks.append(CodeBlock(caption.group("caption") if caption else "", "\n".join(l.lstrip(HLL) for l in lines),
                                highlighted, match.group(0)))
    return blocks
