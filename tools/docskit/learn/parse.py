"""Turn Learn Markdown text into an `Article`: every construct with its position.

One pass over the lines, after fenced code and front matter are masked, so a
directive shown as an example inside a fence is never mistaken for a real one,
and with HTML comments blanked: what is never published is never checked.
"""

from __future__ import annotations

from itertools import accumulate

from docskit.learn import (
    alerts,
    code_directive,
    critic,
    front_matter,
    headings,
    html_comments,
    includes,
    links,
    notebooks,
    tabs,
)
from docskit.learn.inline_code import blank_inline_code
from docskit.learn.items import Article
from docskit.sourcefile import split_lines
from docskit.yaml_budget import YamlBudget


def parse_article(path: str, text: str, yaml_budget: YamlBudget | None = None) -> Article:
    """Parse `text` (already decoded, BOM removed); `path` is how reports name the file.

    The front matter is read within `yaml_budget` (the configured one: `Config.yaml_budget`).
    """
    lines, _ = split_lines(text)
    article = Article(path=path, lines=lines)
    article.front_matter = front_matter.find_front_matter(lines, yaml_budget)
    skip = set(range(article.front_matter.end_line)) if article.front_matter else set()
    masks = html_comments.mask(lines, skip)
    article.fences, fenced = masks.fences, masks.fenced
    article.uncommented_lines = masks.uncommented
    masked = skip | fenced
    hidden = masked | masks.commented
    first = article.front_matter.end_line if article.front_matter else 0

    blanked_lines: list[str] = []
    for index, line in enumerate(masks.uncommented):
        if index in hidden:
            blanked_lines.append(" " * len(line))
            continue
        line_no = index + 1
        directive, problems = code_directive.parse_code_directive(path, line_no, line)
        if directive is not None:
            article.code_directives.append(directive)
            article.syntax_problems.extend(problems)
            blanked_lines.append(line)
            continue
        prose = blank_inline_code(line)
        blanked_lines.append(prose)
        article.prose_lines.append((line_no, prose))
        found_includes = includes.find_includes(line_no, prose)
        found_notebooks = notebooks.find_notebooks(line_no, prose)
        article.includes.extend(found_includes)
        article.notebooks.extend(found_notebooks)
        linkable = _blank_spans(
            prose, [(item.column - 1, len(item.raw)) for item in [*found_includes, *found_notebooks]]
        )
        is_tab = tabs.tab_heading(line_no, line) is not None
        if not is_tab:
            article.links.extend(links.find_links(line_no, linkable))
        alert = alerts.find_alert(line_no, line)
        if alert:
            article.alerts.append(alert)
        if not is_tab:
            heading = headings.find_heading(line_no, line)
            if heading:
                article.headings.append(heading)
    article.tab_groups = tabs.group_tabs(masks.uncommented, hidden, first)

    starts = [0, *accumulate(len(line) + 1 for line in blanked_lines[:-1])] if blanked_lines else []
    article.critic_marks = critic.find_critic_marks("\n".join(blanked_lines), "\n".join(lines), starts)
    return article


def _blank_spans(line: str, spans: list[tuple[int, int]]) -> str:
    """`line` with each (start, width) span blanked, in one join: a line of many includes stays linear."""
    if not spans:
        return line
    pieces, done = [], 0
    for start, width in sorted(spans):
        end = max(done, start + width)
        start = min(max(start, done), end)
        pieces += [line[done:start], " " * (end - start)]
        done = end
    pieces.append(line[done:])
    return "".join(pieces)


def anchors_of(article: Article) -> frozenset[str]:
    """Every anchor a link may target in this article: heading ids and explicit HTML anchors.

    Computed once per article: a page of many links asks for each of them.
    """
    if article.anchors is None:
        found = {h.anchor for h in article.headings}
        for line_no, _ in article.prose_lines:
            line = article.uncommented_lines[line_no - 1]
            if "<a" in line or "<A" in line:
                found.update(headings.html_anchors(line))
        article.anchors = frozenset(found)
    return article.anchors
