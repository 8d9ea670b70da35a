"""Generate `docs/reference/check-snippets-rules.md` from the rule registry.

`python -m docskit.check.reference docs/reference/check-snippets-rules.md`
writes the page; a test checks the committed page is what this produces. It reads
the registry as the engine does, so it lives beside the engine, above the rules.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docskit.catalog import CODES
from docskit.rules import BY_CODE

EXTENSION = {
    "md": "markdown",
    "sh": "bash",
    "yml": "yaml",
    "yaml": "yaml",
    "py": "python",
    "json": "json",
    "tf": "terraform",
}


def _fence(text: str, language: str) -> str:
    shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    shown = "".join(ch if ch in "\n\t" or ord(ch) >= 32 else f"\\x{ord(ch):02x}" for ch in shown)
    ticks = "````" if "```" in shown else "```"
    return f"{ticks}{language}\n{shown.rstrip()}\n{ticks}\n"


def _docset(files: dict[str, str]) -> str:
    parts = []
    for name, text in files.items():
        language = EXTENSION.get(name.rsplit(".", 1)[-1], "text")
        parts.append(f"`{name}`:\n\n{_fence(text, language)}")
    return "\n".join(parts)


def render() -> str:
    lines = [
        "<!-- check-snippets-disable -->",
        "# check-snippets rules",
        "",
        "Generated from the rule registry (`tools/docskit/rules/`) by "
        "`python -m docskit.check.reference docs/reference/check-snippets-rules.md`; do not edit by hand.",
        "",
        "Each rule has a stable code, a short name and a default severity. `--select` and `--ignore` accept codes, "
        "prefixes (`REG`), short names and DocFX's own warning names (`invalid-code`, `codesnippet-not-found`, "
        "`include-not-found`, `circular-reference`, `unknown-language-code`). Severities can be changed under "
        "`severity:` in the `docskit.mdext.learn` entry of `mkdocs.yml`. In the examples, `~/samples/` is a root "
        "mapped to the folder `samples/`.",
        "",
        "| Code | Name | Severity | DocFX name | Site build |",
        "|---|---|---|---|---|",
    ]
    for code in CODES:
        rule = BY_CODE.get(code.code)
        site = "yes" if rule and rule.site and not rule.external else ("—" if rule else "")
        lines.append(
            f"| [{code.code}](#{code.code.lower()}-{code.name}) | `{code.name}` | {code.severity.value} | "
            f"{('`' + code.docfx + '`') if code.docfx else ''} | {site} |"
        )
    lines.append("")
    for code in CODES:
        lines += [f"## {code.code} {code.name}", "", f"**{code.severity.value}**. {code.summary}", ""]
        rule = BY_CODE.get(code.code)
        if rule is None:
            lines += ["Reported by the tool itself, not by a rule.", ""]
            continue
        lines += [rule.why, ""]
        if rule.external:
            lines += ["Runs an external program; skipped with `--no-exec-checks` and in the site build.", ""]
        elif not rule.site:
            lines += ["Not run in the site build (it imports the Azure ML SDK).", ""]
        if rule.options:
            options = ", ".join(f"`{k}: {v}`" for k, v in rule.options.items())
            lines += [f"The examples use the extension option(s) {options}.", ""]
        lines += ["Reported:", "", _docset(rule.bad), "Not reported:", "", _docset(rule.good)]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("docs/reference/check-snippets-rules.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
