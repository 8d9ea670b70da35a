"""The one-pass shell reader: the commands bashlex finds, word for word, in every shell snippet we hold,
and None (a full parser's turn) for what it does not follow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docskit.analysis.commands import _with_bashlex, simple_commands
from docskit.analysis.placeholders import mask_placeholders
from docskit.analysis.shell_reader import read_commands

REPO = Path(__file__).resolve().parents[2]
_FENCE = re.compile(r"```(?:azurecli|azurecli-interactive|bash|sh|shell|console)[^\n]*\n(.*?)\n```", re.DOTALL)


def _snippets() -> list[tuple[str, str]]:
    """Every shell script and fenced shell block of the repository's docs and fixtures (real ones among them)."""
    found = []
    for root in ("docs", "snippets", "tests/fixtures"):
        for path in sorted((REPO / root).rglob("*")):
            if path.suffix == ".sh":
                found.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8", errors="replace")))
            elif path.suffix == ".md":
                text = path.read_text(encoding="utf-8", errors="replace")
                found += [(f"{path.relative_to(REPO)}@{m.start()}", m.group(1)) for m in _FENCE.finditer(text)]
    return found


def _words(commands) -> list[list[tuple[str, int, int]]]:
    return [[(w.text, w.line, w.column) for w in command.words] for command in commands]


def test_the_reader_agrees_with_bashlex_wherever_both_read_a_snippet() -> None:
    snippets = _snippets()
    compared = 0
    for name, text in snippets:
        text = mask_placeholders(text)  # bashlex would read `<rg>` as a redirection
        fast, full = read_commands(text), _with_bashlex(text)
        if fast is None or full is None:
            continue
        compared += 1
        assert fast == _words(full), name
    assert len(snippets) > 80 and compared > 0.5 * len(snippets), compared  # the comparison covers most of them


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'STATUS=$(az ml online-endpoint show -n "$E" -o tsv)\nif [[ "$STATUS" != "Succeeded" ]]; then\n'
            '  echo "bad: $STATUS" >&2\n  exit 1\nfi',
            [["az", "ml", "online-endpoint", "show", "-n", "$E", "-o", "tsv"], ["echo", "bad: $STATUS"], ["exit", "1"]],
        ),
        (
            'for i in $(seq 1 3); do curl -s -d @a.json "$URI" 2>&1 | tee -a out.log; done',
            [["seq", "1", "3"], ["curl", "-s", "-d", "@a.json", "$URI"], ["tee", "-a", "out.log"]],
        ),
        (
            "az account set --subscription <subscription-ID>\naz group show -g <resource group> < in.json",
            [
                ["az", "account", "set", "--subscription", "<subscription-ID>"],
                ["az", "group", "show", "-g", "<resource group>"],
            ],
        ),
        (
            "X=1 Y='a b' env | grep a && ! false # a comment\n(cd sub && ls)",
            [["env"], ["grep", "a"], ["false"], ["cd", "sub"], ["ls"]],
        ),
        ("echo 'it''s' \"q\\\"x\" a#b \\\n  next", [["echo", "its", 'q"x', "a#b", "next"]]),
    ],
)
def test_commands_of_the_usual_shapes(text: str, expected: list[list[str]]) -> None:
    read = read_commands(text)
    assert read is not None and [[word for word, _, _ in command] for command in read] == expected


def test_words_carry_their_line_and_column() -> None:
    assert read_commands('az ml job show \\\n  -n "$JOB"') == [
        [("az", 0, 0), ("ml", 0, 3), ("job", 0, 6), ("show", 0, 10), ("-n", 1, 2), ("$JOB", 1, 5)]
    ]


@pytest.mark.parametrize(
    "text",
    [
        "cat <<EOF\nhi\nEOF",
        "case $x in a) echo a;; esac",
        "f() { echo hi; }",
        "diff <(ls a) <(ls b)",
        "echo 'unclosed",
        "((i++))",
        "echo $'\\n'",
        "echo ${A:-$B}",
        "echo trailing \\",
    ],
)
def test_what_it_does_not_follow_is_left_to_a_full_parser(text: str) -> None:
    assert read_commands(text) is None


def test_simple_commands_still_reads_what_the_reader_leaves() -> None:
    assert [c.argv for c in simple_commands("cat <<EOF\nhi\nEOF\necho done")][-1] == ["echo", "done"]
