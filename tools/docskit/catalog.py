"""The catalogue of diagnostic codes: one entry per defect the toolkit can name.

Every part that reports a finding (parser, resolver, rules, Markdown extension)
takes its code, short name and default severity from here, so codes stay stable
and the rules reference can be generated from one table. Codes are grouped by a
letter prefix (`DIR` directive syntax, `SRC` source files, `REG` regions, `RNG`
ranges and highlights, ...), which `--select`/`--ignore` accept as prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass

from docskit.diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 - short names keep the table one line a code


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str
    docfx: str | None = None  # DocFX's own warning name, accepted as an alias


CODES: tuple[Code, ...] = (
    # directive syntax
    Code("DIR001", "unknown-attribute", E, "`:::code` has an attribute DocFX does not know.", "invalid-code"),
    Code("DIR002", "repeated-attribute", E, "`:::code` repeats an attribute.", "invalid-code"),
    Code("DIR003", "missing-source", E, "`:::code` has no `source` attribute.", "invalid-code"),
    Code("DIR004", "unquoted-value", E, "An attribute value is not double-quoted or not terminated.", "invalid-code"),
    Code("DIR005", "id-with-range", W, "`id` and `range` together: DocFX ignores `range`.", "invalid-code"),
    Code(
        "DIR006",
        "unknown-language",
        E,
        "`language` is not a Learn language, or cannot be inferred.",
        "unknown-language-code",
    ),
    # source files
    Code("SRC001", "source-not-found", E, "The `source` file does not exist.", "codesnippet-not-found"),
    Code("SRC002", "source-outside-root", E, "The `source` path leaves its root; it is never read."),
    Code("SRC003", "source-unreadable", E, "The source file cannot be read as text (binary or unreadable)."),
    Code("SRC004", "source-not-utf8", E, "The source file is not valid UTF-8."),
    Code(
        "SRC005",
        "unknown-root",
        E,
        "`~/NAME/` names a root that is not configured (reported once per root and run, with how many directives use it).",
    ),
    # regions
    Code("REG001", "region-not-found", E, "The `id` names no region of the source file.", "invalid-code"),
    Code(
        "REG002",
        "region-other-family",
        E,
        "The region exists only in a marker family DocFX does not use for this file type.",
    ),
    Code("REG003", "region-unclosed", E, "A region is opened and never closed; DocFX shows nothing for it."),
    Code("REG004", "region-end-without-start", W, "An end marker has no open region of that name."),
    Code("REG005", "region-repeated", W, "A region id is opened more than once; DocFX shows the last definition."),
    Code("REG006", "region-empty", W, "The selected region has no lines; DocFX shows nothing."),
    Code(
        "REG007",
        "region-unused",
        I,
        "A region is defined in a source file but shown by no article (reported only when `--select` names it).",
    ),
    Code(
        "REG008", "region-ambiguous", E, "The id is found in two marker families of a file whose family is not fixed."
    ),
    # ranges and highlights
    Code(
        "RNG001",
        "range-malformed",
        E,
        "`range` does not parse; DocFX shows the whole file (or the ranges before the bad one).",
    ),
    Code("RNG002", "range-out-of-bounds", E, "`range` reaches past the end of the file; DocFX silently clamps it."),
    Code("RNG003", "highlight-malformed", E, "`highlight` does not parse."),
    Code("RNG004", "highlight-out-of-bounds", E, "`highlight` names a line past the end of the displayed snippet."),
    Code(
        "RNG005",
        "highlight-drift",
        W,
        "A YAML `highlight` does not cover the lines that changed since the previous version of that file shown in the article.",
    ),
    # duplicates
    Code(
        "DUP001",
        "duplicate-snippet",
        E,
        "Two steps of one article show the same code (tabs of one group are alternatives).",
    ),
    Code("DUP002", "duplicate-region-body", W, "Two regions of one source file have the same body."),
    # Markdown and prose
    Code("TXT001", "tk-placeholder", E, "A `tk` placeholder is left in."),
    Code("TXT002", "critic-markup", E, "CriticMarkup (a review mark or comment) is left in."),
    Code("TXT003", "mojibake", E, "UTF-8 text decoded as Windows-1252 (mojibake)."),
    Code("INC001", "include-not-found", E, "The `[!INCLUDE]` file does not exist.", "include-not-found"),
    Code("INC002", "include-cycle", E, "Includes form a cycle.", "circular-reference"),
    Code("INC003", "include-too-deep", E, "Includes are nested deeper than Learn allows."),
    Code("LNK001", "link-target-missing", E, "A relative link or image points at a file that does not exist."),
    Code("LNK002", "link-anchor-missing", E, "A `#anchor` matches no heading of the target page."),
    Code("FMT001", "front-matter-invalid", E, "Front matter is missing required Learn metadata or has invalid values."),
    Code(
        "NBK001",
        "notebook-reference",
        I,
        "A `[!notebook-…]` reference in a language other than Python: the cell is shown, its code is not checked.",
    ),
    Code(
        "NBK002",
        "notebook-not-found",
        E,
        "The notebook a `[!notebook-…]` reference names does not exist.",
        "codesnippet-not-found",
    ),
    Code(
        "NBK003",
        "notebook-invalid",
        E,
        "The notebook is not valid JSON (or not UTF-8), or not a Jupyter notebook; DocFX shows an empty block.",
        "not-notebook-content",
    ),
    Code(
        "NBK004",
        "notebook-cell-not-found",
        E,
        "No cell of the notebook has the reference's `name` in its metadata; DocFX shows an empty block.",
        "tag-not-found",
    ),
    Code(
        "NBK005",
        "notebook-cell-ambiguous",
        E,
        "More than one cell has the reference's `name`; DocFX shows none of them (an empty block).",
        "mutiple-tags-with-same-name",
    ),
    Code(
        "NBK006", "notebook-cell-unnamed", E, "The reference has no `?name=CELL`; DocFX shows the notebook's raw JSON."
    ),
    # snippet content
    Code("YML001", "yaml-syntax", E, "The YAML snippet does not parse."),
    Code(
        "YML002",
        "yaml-refused",
        E,
        "The YAML is refused unread: too large (`max_yaml_bytes`), too deep, too many nodes once its aliases are expanded (an alias bomb), or an alias inside itself.",
    ),
    Code("AML001", "azureml-schema", E, "The Azure ML YAML does not load with the Azure ML SDK's schema."),
    Code("AML002", "azureml-path-missing", E, "A file path inside an Azure ML YAML does not exist."),
    Code("AML003", "deprecated-image", E, "The YAML uses a deprecated base image."),
    Code(
        "AML004",
        "azureml-yaml-kind",
        E,
        "An `az ml` command is given a YAML file of another kind (a deployment to `batch-endpoint create`).",
    ),
    Code(
        "CMD001", "name-override", E, "A command passes `--name` with a literal that differs from the YAML's `name:`."
    ),
    Code("CMD002", "cli-command-invalid", E, "A command line does not match the CLI's command table."),
    Code(
        "CMD003",
        "typographic-dash",
        E,
        "An en or em dash stands where a command line needs `-` or `--` (`–-container`, `—name`).",
    ),
    Code(
        "PY001",
        "python-syntax",
        E,
        "A Python snippet (fence, `:::code` or notebook cell) does not compile; IPython magics and shell escapes are skipped.",
    ),
    Code("SH001", "shell-syntax", E, "The shell snippet has a syntax error (`bash -n`)."),
    Code("SH002", "shellcheck", W, "shellcheck reports an error in the shell snippet."),
    # the tool itself
    Code("CFG001", "config-invalid", E, "The toolkit's configuration cannot be used."),
    Code("INT001", "internal-error", E, "The checker itself failed on this file; the file was not fully checked."),
)

BY_CODE: dict[str, Code] = {c.code: c for c in CODES}
BY_NAME: dict[str, Code] = {c.name: c for c in CODES}


def lookup(code: str) -> Code:
    return BY_CODE[code]


def expand_selector(selector: str) -> set[str]:
    """Codes named by a selector: a code, a prefix (`REG`), a short name or a DocFX alias."""
    token = selector.strip()
    if not token:
        return set()
    upper = token.upper()
    found = {c.code for c in CODES if c.code.startswith(upper)}
    found |= {c.code for c in CODES if c.name == token.lower() or c.docfx == token.lower()}
    return found
