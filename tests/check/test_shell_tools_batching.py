"""`bash -n` and shellcheck over many texts at once answer exactly what each text alone gets.

The batch checks texts with one bash process (a forked, never-executing parser
per text) and shellcheck over files holding many texts; these tests hold the
batch to the slow, obvious way: one `bash -n` and one shellcheck per text.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from docskit.analysis import shell_tools
from docskit.analysis.shell_tools import PARSE_ERROR_CODES, ShellTools, find_shellcheck, plan_chunks

# Texts that would disturb their neighbours if naively concatenated, mixed with clean ones.
TEXTS = [
    "az account set --subscription <subscription-ID>\n",
    'if [ -z "$STATUS" ]; then\n  echo waiting\n',  # `if` never closed
    "fi\n",  # closes nothing by itself
    'echo "unclosed\n',
    "echo 'next text'\nls -la\n",
    "cat <<EOF\nno terminator\n",
    "echo after heredoc\n",
    'echo "foo $@"\nrm -rf $@\n',  # shellcheck errors SC2145, SC2068
    "#!/bin/bash\nset -e\necho shebang first\n",
    "# shellcheck disable=SC2068\nrm -rf $@\n",  # a directive: must not silence other texts
    "for f in *.json; do\n  rm -rf $@\ndone\n",
    "echo continued \\\n",
    "local x=1\n",  # SC2168
    "x=$(\n",
    'if [["$STATUS" == Failed]]; then exit 1; fi\n',
    "echo a\n\necho )\n",
    "case $x in\n  a) echo a ;;\nesac\n",
    "echo clean one\n",
    'ENDPOINT=e\naz ml online-endpoint show -n "$ENDPOINT" -o tsv\n',
] + [f"echo filler {n}\naz ml job show -n job-{n}\n" for n in range(60)]


def _alone(text: str, tmp_path, number: int) -> list[tuple]:
    path = tmp_path / f"alone-{number}.sh"
    path.write_text(shell_tools._as_script(text), encoding="utf-8")
    found = []
    done = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    for line in done.stderr.splitlines():
        match = shell_tools._BASH_MESSAGE.match(line.replace(str(path) + ": ", "", 1))
        if match and not match.group("message").startswith("`"):
            found.append(("bash", int(match.group("line")), 1, match.group("message"), ""))
            break
    shellcheck = find_shellcheck()
    if shellcheck:
        out = subprocess.run(
            [shellcheck, "--norc", "-s", "bash", "-S", "error", "-f", "json1", str(path)],
            capture_output=True,
            text=True,
        ).stdout
        syntax = bool(found)
        for c in json.loads(out)["comments"]:
            if c["level"] == "error" and not (syntax and c["code"] in PARSE_ERROR_CODES):
                found.append(("shellcheck", c["line"], c["column"], c["message"], f"SC{c['code']}"))
    return sorted(found)


def _batched(texts: list[str]) -> dict[str, list[tuple]]:
    tools = ShellTools()
    tools.request(texts)
    return {t: sorted((f.tool, f.line, f.column, f.message, f.code) for f in tools.results(t)) for t in texts}


def test_a_batch_reports_what_each_text_gets_alone(tmp_path):
    batched = _batched(TEXTS)
    for number, text in enumerate(TEXTS):
        assert batched[text] == _alone(text, tmp_path, number), text


def test_texts_are_parsed_never_run(tmp_path):
    marker = tmp_path / "ran"
    _batched([f"touch {marker}\n", f"echo x > {marker}\n", f"$(touch {marker})\n"])
    assert not marker.exists()


def test_a_bash_that_would_run_the_probe_falls_back_to_one_bash_n_per_text(monkeypatch, tmp_path):
    monkeypatch.setattr(shell_tools, "_EVAL_LOOP", "exit 3")
    batched = _batched(TEXTS[:8])
    for number, text in enumerate(TEXTS[:8]):
        assert [f for f in batched[text] if f[0] == "bash"] == [
            f for f in _alone(text, tmp_path, number) if f[0] == "bash"
        ]


def test_many_small_texts_share_few_shellcheck_files():
    texts = {f"k{n}": f"echo {n}\naz ml job show -n j{n}\n" for n in range(500)}
    chunks = plan_chunks(texts)
    assert len(chunks) <= 500 * 2 // shell_tools.CHUNK_LINES + 1
    assert sorted(k for chunk in chunks for k in chunk) == sorted(texts)


@pytest.mark.parametrize("text", ["# shellcheck disable=SC2086\necho $x\n", "\ufeffecho bom\n", "echo a \\\n"])
def test_texts_that_would_change_their_neighbours_get_a_file_of_their_own(text):
    chunks = plan_chunks({"a": "echo a\n", "odd": text, "b": "echo b\n"})
    assert ["odd"] in chunks


def test_a_shebang_stays_on_the_first_line_of_its_file():
    chunks = plan_chunks({"a": "echo a\n", "s": "#!/bin/bash\necho s\n", "b": "echo b\n"})
    assert any(chunk[0] == "s" for chunk in chunks)
