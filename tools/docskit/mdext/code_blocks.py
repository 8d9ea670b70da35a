"""The fenced block that stands where a reference to code was: `:::code` and notebook cells alike.

Both preprocessors replace one reference line with Markdown fence lines that
SuperFences then highlights, captioned with the file's path in its root (a link
when the root has a `source_urls` template). A reference that cannot be shown
becomes a visible one-line block; a failure while rendering is that block plus
one INT001 line, never a traceback.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from docskit.mdext.context import Page
from docskit.mdext.reporting import LOG
from docskit.snippets.roots import ResolvedPath

_BACKTICKS = re.compile(r"^\s*(`{3,})")


def fenced_block(prefix: str, text: str, info: list[str]) -> list[str]:
    """`text` as a fence longer than any backtick run inside it; `prefix` repeats a container's markers."""
    body = text.split("\n")
    fence = "`" * max([3, *(len(m.group(1)) + 1 for m in map(_BACKTICKS.match, body) if m)])
    lines = [prefix + fence + " " + " ".join(part for part in info if part)]
    lines += [prefix + line if line else prefix.rstrip() for line in body]
    lines.append(prefix + fence)
    return lines


def caption(page: Page, shown: str, source: ResolvedPath | None) -> str:
    """`title=…` naming `shown`, a link to `source` when its root has a URL template."""
    url = page.build.roots.source_url(source) if source is not None else None
    if not url:
        return f'title="{_attribute(shown)}"'
    link = f"<a href='{html.escape(url, quote=True)}' class='docskit-source'>{html.escape(shown)}</a>"
    return f'title="{_attribute(link)}" title_mode="html"'


def not_shown(prefix: str, title: str, message: str) -> list[str]:
    """The visible block that stands for what could not be shown."""
    return [prefix + f'```text title="{title}"', prefix + message.replace("`", ""), prefix + "```"]


def guarded(
    page: Page,
    render: Callable[[], list[str]],
    what: str,
    line: int,
    column: int,
    prefix: str,
    title: str,
    subject: str,
) -> list[str]:
    """`render()`, except that a failure is a visible block and one INT001 line, never a traceback."""
    try:
        return render()
    except Exception as exc:  # noqa: BLE001 - a failure is a visible block and one INT001 line, never a traceback
        from docskit.check.article import internal_error

        failure = internal_error(page.display, f"rendering this {what} failed", exc, line, column)
        LOG.error("%s", failure.format_text())
        return not_shown(prefix, title, f"{subject} not shown: {failure.message}")


def _attribute(text: str) -> str:
    """A fence option value: SuperFences reads up to the next double quote."""
    return text.replace('"', "&quot;")
