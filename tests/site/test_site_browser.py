"""What a reader sees: the built article in headless Chromium.

Every `:::code` is a code block with the resolved text, the lines named by
`highlight` are the ones drawn highlighted, no Learn syntax is left as text, and
a click on a tab switches it (and the tabs with the same title elsewhere on the
page). Screenshots go to `test-artifacts/`.
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cdp_browser import Chromium, find_chromium
from site_expectations import expected_snippets
from site_project import ARTICLE, REPO

ARTIFACTS = REPO / "test-artifacts"

BLOCKS_JS = """
[...document.querySelectorAll('article .highlight')].filter(b => b.querySelector('a.docskit-source')).map(block => {
  const code = block.querySelector('code');
  let line = 1; const highlighted = [];
  for (const node of code.childNodes) {
    if (node.nodeType === 1 && node.classList.contains('hll')) highlighted.push(line);
    line += (node.textContent.match(/\\n/g) || []).length;
  }
  const hll = code.querySelector('.hll');
  return {
    caption: block.querySelector('.filename').innerText,
    href: block.querySelector('a.docskit-source').href,
    text: code.textContent.replace(/\\n$/, ''),
    highlighted,
    highlightPainted: hll ? getComputedStyle(hll).backgroundColor : null,
    copyButton: !!block.querySelector('button[data-md-type="copy"]'),
  };
})
"""

TABS_JS = """
[...document.querySelectorAll('article .tabbed-set')].map(set => ({
  labels: [...set.querySelectorAll(':scope > .tabbed-labels > label')].map(l => l.innerText.trim()),
  checked: [...set.querySelectorAll(':scope > input')].findIndex(i => i.checked),
  shown: [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')].map(b => b.offsetHeight > 0),
}))
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_site(built_project):
    project, result = built_project
    assert result.returncode == 0, result.stderr[-3000:]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield project, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser(tmp_path):
    binary = find_chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install -y chromium; .ci/run installs it)")
    pytest.importorskip("websocket", reason="websocket-client is in the test extra of pyproject.toml")
    chromium = Chromium(binary, tmp_path / "profile")
    try:
        yield chromium
    finally:
        chromium.close()


def test_a_reader_sees_every_snippet_highlighted_and_the_tabs_switch(served_site, browser):
    project, base = served_site
    browser.open(f"{base}/{ARTICLE}/")
    browser.wait_until("document.querySelectorAll('button[data-md-type=\"copy\"]').length > 0", "Material's scripts (copy buttons)")
    browser.screenshot(ARTIFACTS / "site-article-top.png")

    expected = expected_snippets(project, project / "docs" / f"{ARTICLE}.md")
    shown = browser.evaluate(BLOCKS_JS)
    assert [(s["caption"], s["text"], s["highlighted"]) for s in shown] == [(e.caption, e.text, e.highlighted) for e in expected]
    assert all(s["copyButton"] for s in shown)
    painted = {s["highlightPainted"] for s in shown if s["highlighted"]}
    assert painted and None not in painted and "rgba(0, 0, 0, 0)" not in painted
    browser.evaluate("document.querySelector('article .highlight .hll').closest('.highlight').scrollIntoView({block: 'center'})")
    browser.screenshot(ARTIFACTS / "site-article-highlight.png")

    text_everywhere = browser.evaluate("document.querySelector('article').textContent")
    visible_text = browser.evaluate("document.body.innerText")
    for literal in (":::code", "[!INCLUDE", "{>>", "<<}", "[!NOTE]", "#tab/"):
        assert literal not in text_everywhere, literal
    assert not browser.evaluate(r"/\btk\b/i.test(document.body.innerText)")
    assert "Prerequisites" in visible_text

    before = browser.evaluate(TABS_JS)
    first = before[0]
    assert first["checked"] == 0 and first["shown"][0] and not first["shown"][1]
    second_title = first["labels"][1]
    browser.click("article .tabbed-set .tabbed-labels > label:nth-child(2)")
    browser.wait_until(f"(() => {{ const s = ({TABS_JS})[0]; return s.checked === 1 && s.shown[1]; }})()", "the tab to switch")
    after = browser.evaluate(TABS_JS)
    assert after[0]["shown"] == [False, True] + [False] * (len(after[0]["shown"]) - 2)
    linked = [s for s in after[1:] if second_title in s["labels"]]
    assert linked, "the article has more than one tab group with the same tabs"
    assert all(s["labels"][s["checked"]] == second_title for s in linked)  # same tab title, switched together
    browser.evaluate("document.querySelector('article .tabbed-set').scrollIntoView({block: 'start'})")
    time.sleep(0.5)  # let the tab indicator finish its transition before the picture
    browser.screenshot(ARTIFACTS / "site-article-tabs.png")
    assert (ARTIFACTS / "site-article-tabs.png").stat().st_size > 10_000
