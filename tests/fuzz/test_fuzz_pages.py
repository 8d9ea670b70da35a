"""Generated pages against the per-file check and the Markdown extension: answers, never exceptions.

Each page mixes the constructs a Learn page is made of, written carelessly or with
intent: `:::code` directives with missing, duplicate or unquoted attributes and odd
ranges, CriticMarkup of all five kinds (opened, unclosed, nested), `[!INCLUDE]` lines
to existing, missing, absolute and `..` targets, tab groups, front matter (valid, broken,
odd scalars), NUL characters, every newline convention and long lines. The page is
written into a small docset configured by the repository's own `mkdocs.yml`, then

- checked as `check-snippets` checks one article (`docskit.check.runner.run` on that
  path) and as the site checks one page (`docskit.check.check_page`), and
- converted by Python-Markdown with the extensions `mkdocs.yml` lists.

Whatever the page holds, nothing raises, every finding names a file, a line and a
column (both from 1) and a known rule, and none is INT001: an INT001 is the checker
failing on a file, which is a bug to fix.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from docskit.check import check_page
from docskit.check.runner import RunOptions, run
from docskit.config import build_roots, load_config
from docskit.diagnostics import Diagnostic
from docskit.rules import ALL_CODES
from docskit.snippets import Resolver

REPO = Path(__file__).resolve().parents[2]
LOGGER = "mkdocs.plugins.docskit"

FILES = {
    "snippets/cli/deploy.sh": "#!/bin/bash\n# <create>\naz group create --name demo --location westeurope\n# </create>\n"
    "# <scale>\naz ml online-deployment update \\\n  --name blue \\\n  --set instance_count=2\n# </scale>\n",
    "snippets/cli/endpoint.yml": "name: my-endpoint\nauth_mode: key\ntraffic:\n  blue: 90\n  green: 10\n",
    "snippets/sdk/app.py": "import os\n\n# <load>\nprint(os.getcwd())\n# </load>\n",
    "docs/other.md": "# Other\n\n## Part one\n\nText.\n",
    "docs/includes/inc.md": "Included [other](../other.md#part-one).\n\n"
    ':::code language="azurecli" source="~/azureml-examples/cli/deploy.sh" id="create":::\n',
    "docs/includes/nested.md": "Nested.\n\n[!INCLUDE [inc](inc.md)]\n",
    "docs/includes/self.md": "[!INCLUDE [self](self.md)]\n",
}

# -- strategies ---------------------------------------------------------------------------

odd_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # no lone surrogates: pages are UTF-8
word = (
    st.sampled_from(["create", "scale", "load", "missing", "CREATE", "snippetcreate", "", "é", "a b", "\x00"])
    | odd_text
)

SOURCES = [
    "~/azureml-examples/cli/deploy.sh",
    "~/azureml-examples/cli/endpoint.yml",
    "~/azureml-examples/sdk/app.py",
    "~/azureml-examples/cli/missing.sh",
    "~/nowhere/x.sh",
    "~/../azureml-examples/cli/deploy.sh",
    "/etc/passwd",
    "../../etc/passwd",
    "other.md",
    "includes",
    "~/",
    "~/azureml-examples/",
    "https://example.com/a.sh",
    "~/azureml-examples/cli/de\x00ploy.sh",
    "~/azureml-examples/" + "n" * 300 + ".sh",
    "C:\\x.sh",
    "ünï.sh",
]
RANGES = [
    "1-",
    "-3",
    "0",
    "2-1",
    "1-3",
    "3",
    "1,,3",
    "1-2,4-",
    "99999999999999999999999",
    "-",
    "a",
    "١-٢",
    "1 - 2",
    "0-0",
    "-0",
    "5-4,3",
    "",
]
source = st.sampled_from(SOURCES) | odd_text
number_spec = st.sampled_from(RANGES) | odd_text | st.integers(-(10**30), 10**30).map(str)
attribute = st.one_of(
    st.tuples(st.just("source"), source),
    st.tuples(st.just("language"), st.sampled_from(["azurecli", "bash", "yaml", "python", "xyz", ""]) | odd_text),
    st.tuples(st.just("id"), word),
    st.tuples(st.just("range"), number_spec),
    st.tuples(st.just("highlight"), number_spec),
    st.tuples(st.just("interactive"), st.sampled_from(["cloudshell-bash", "try", ""])),
    st.tuples(odd_text, odd_text),
)
QUOTES = ['"{}"', "'{}'", "{}", '"{}', '{}"', '""{}""']


@st.composite
def code_directive(draw) -> str:
    attributes = draw(st.lists(attribute, max_size=6))
    if draw(st.booleans()):
        attributes.append(("source", draw(source)))  # often a source, sometimes twice
    parts = [
        f"{name}={draw(st.sampled_from(QUOTES)).format(value)}" if draw(st.integers(0, 9)) else name
        for name, value in attributes
    ]
    opener = draw(st.sampled_from([":::code ", ":::code", "::: code ", ":::CODE ", ":::code-block "]))
    closer = draw(st.sampled_from([":::", "", "::", ":::x", " :::"]))
    prefix = draw(st.sampled_from(["", "    ", "> ", "1. ", "\t", "> > "]))
    return prefix + opener + draw(st.sampled_from([" ", "  ", "\t"])).join(parts) + closer


CRITIC = [("{++", "++}"), ("{--", "--}"), ("{==", "==}"), ("{>>", "<<}"), ("{~~", "~~}")]


@st.composite
def critic(draw) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        opening, closing = draw(st.sampled_from(CRITIC))
        inner = draw(odd_text)
        if opening == "{~~":
            inner += draw(st.sampled_from(["~>", "", "~>~>"])) + draw(odd_text)
        shape = draw(st.sampled_from(["closed", "unclosed", "nested", "stray", "repeated"]))
        if shape == "closed":
            pieces.append(opening + inner + closing)
        elif shape == "unclosed":
            pieces.append(opening + inner)
        elif shape == "nested":
            other, other_close = draw(st.sampled_from(CRITIC))
            pieces.append(opening + inner + other + draw(odd_text) + other_close + closing)
        elif shape == "stray":
            pieces.append(inner + closing)
        else:
            pieces.append((opening + inner) * draw(st.integers(2, 40)) + closing * draw(st.integers(0, 40)))
    return draw(st.sampled_from([" ", "\n", ""])).join(pieces)


INCLUDE_TARGETS = [
    "includes/inc.md",
    "includes/nested.md",
    "includes/self.md",
    "includes/missing.md",
    "/etc/hostname",
    "../../etc/hostname",
    "../docs/includes/inc.md",
    "includes/",
    "includes/inc.md#part",
    "",
    "includes/in\x00c.md",
    "includes/" + "n" * 300 + ".md",
    "https://example.com/x.md",
    "~/includes/inc.md",
    "other.md",
]


@st.composite
def include(draw) -> str:
    target = draw(st.sampled_from(INCLUDE_TARGETS) | odd_text)
    title = draw(st.sampled_from(["inc", "", "a ] b"]) | odd_text)
    line = f"[!INCLUDE [{title}]({target})]"
    return draw(st.sampled_from(["{}", "Text {} more.", "> {}", "    {}", "{} {}", "[!INCLUDE {}"])).replace("{}", line)


@st.composite
def tab_group(draw) -> str:
    out = []
    for _ in range(draw(st.integers(1, 3))):
        tab = draw(st.sampled_from(["a", "b", "a/b", "", "cli", "tab/x"]) | odd_text)
        out.append(draw(st.sampled_from(["# [{}](#tab/{})", "## [{}](#tab/{})", "#[{}](#tab/{})"])).format(tab, tab))
        out.append(draw(st.sampled_from(["", "Text.", "```bash\necho x\n```", "    code"])))
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["---", "* * *", "-----"])))
    return "\n".join(out)


FRONT_MATTERS = [
    "---\ntitle: A page\nms.date: 01/15/2024\nauthor: someone\n---",
    "---\ntitle: [unclosed\n---",
    "---\n: : :\n---",
    "---\nms.date: 2024-13-45\n---",
    "---\nms.date: 13/45/2024\n---",
    "---\ntitle: 5\nms.topic: null\n---",
    "---\n- a\n- b\n---",
    "---\ntitle: x",
    "---\n---",
    "---\n\x00\n---",
    "---\ntitle: !!binary aGVsbG8=\n---",
    "---\ntitle: 1e999\nms.date: .nan\n---",
    "---\ntitle: ~\n---",
]
front_matter = st.sampled_from(FRONT_MATTERS) | st.builds(
    lambda key, value: f"---\n{key}: {value}\n---", odd_text, odd_text
)

prose = (
    st.sampled_from(
        [
            "# Heading",
            "## Part one",
            "Some text with a tk in it.",
            "[link](other.md#part-one)",
            "[gone](missing.md)",
            "[anchor](#nowhere)",
            "![image](media/x.png)",
            "> [!NOTE]\n> A note.",
            "> [!WARNING]",
            '<a name="here"></a>',
            "```bash\naz version\n```",
            "```\nunclosed fence",
            "~~~yaml\na: 1\n~~~",
            '`inline :::code source="x":::`',
            "<!-- check-snippets-disable-next-line SRC001 -->",
            "\x00",
            "\ufeff",
            "    indented",
            "* item",
            "|a|b|\n|-|-|",
            "a" * 10_000,
            "word " * 3_000,
            "[" * 500,
            "`" * 300,
            "{" * 300,
        ]
    )
    | odd_text
)

block = st.one_of(code_directive(), critic(), include(), tab_group(), prose)


PADDING = "Prose that pushes what follows past the first 8 KB.\n" * 160  # a NUL there is not taken as binary


@st.composite
def page(draw) -> str:
    blocks = draw(st.lists(block, max_size=10))
    if draw(st.booleans()):
        blocks.insert(0, PADDING)
    if draw(st.booleans()):
        blocks.insert(0, draw(front_matter))
    lines = "\n\n".join(blocks).split("\n")
    if not lines:
        return ""
    newlines = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=3))
    text = lines[0]
    for index, line in enumerate(lines[1:]):
        text += newlines[index % len(newlines)] + line
    return text + draw(st.sampled_from(["", "\n", "\r\n", "\r"]))


# -- the docset ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docset_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-docset")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")  # the repository's own configuration
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def write_page(root: Path, text: str) -> Path:
    path = root / "docs" / "page.md"
    path.write_bytes(text.encode("utf-8"))
    return path


def assert_answers(diagnostics: list[Diagnostic], text: str) -> None:
    for d in diagnostics:
        assert d.path and d.line >= 1 and d.column >= 1 and d.code in ALL_CODES, (d, text)
        assert d.code != "INT001", (d.format_text(), text)
        assert "\n" not in d.format_text() and "\r" not in d.format_text(), (d.format_text(), text)  # one line


def markdown_extensions(root: Path) -> tuple[list[str], dict[str, dict]]:
    """The extension list and settings of the docset's mkdocs.yml, roots made absolute (a bare call has no base)."""
    listed = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    names, configs = [], {}
    for entry in listed:
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if settings:
            configs[name] = dict(settings)
    learn = configs["docskit.mdext.learn"]
    learn["roots"] = {name: str(root / folder) for name, folder in learn["roots"].items()}
    return names, configs


# -- properties -----------------------------------------------------------------------------


@given(text=page())
def test_check_snippets_answers_every_page(docset_root: Path, text: str) -> None:
    path = write_page(docset_root, text)
    config = load_config(docset_root / "mkdocs.yml", docset_root)
    report = run(config, RunOptions(paths=[path], exec_checks=False, cache_dir=docset_root / ".cache"), docset_root)
    assert_answers(report.diagnostics, text)
    assert report.exit_code in (0, 1)


@given(text=page())
def test_the_site_answers_every_page(docset_root: Path, text: str) -> None:
    path = write_page(docset_root, text)
    config = load_config(docset_root / "mkdocs.yml", docset_root)
    found = check_page(path, "docs/page.md", text, config, Resolver(build_roots(config)))
    assert_answers(found, text)

    names, configs = markdown_extensions(docset_root)
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    md.docskit_page = path  # type: ignore[attr-defined]
    logged: list[str] = []
    handler = _Collect(logged)
    logging.getLogger(LOGGER).addHandler(handler)
    try:
        html = md.convert(text)
    finally:
        logging.getLogger(LOGGER).removeHandler(handler)
    assert isinstance(html, str)
    assert not [m for m in logged if " INT001 " in m], (logged, text)


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())
