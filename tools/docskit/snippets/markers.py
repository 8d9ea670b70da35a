"""Region marker families and which family a source file uses.

A marker family is a pair of line templates such as `#<{tag}>` / `#</{tag}>`.
A line matches a template when, ignoring whitespace and case, it reads exactly
the template with a tag name in place of `{tag}` — so `#   < Scale_Blue >`
opens `scale_blue`, and `# <a> note` is not a marker at all. This is DocFX's
matching rule; the family table follows DocFX's language alias table, with an
explicit entry for file types DocFX does not know (YAML, Bicep, Terraform,
Dockerfile, TOML, INI), where DocFX tries every family and warns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

TAG = "{tag}"
_TAG_NAME = re.compile(r"^[\w.-]+$")
_ELEMENT_WITH_ATTRIBUTES = re.compile(r"^<(?P<name>[\w.-]+)\s+[\w:.-]+\s*=\s*[\"'][^>]*>$")


@dataclass(frozen=True)
class Family:
    name: str
    start: str
    end: str

    @property
    def end_names_tag(self) -> bool:
        return TAG in self.end

    def match_start(self, line: str) -> str | None:
        return _match(line, self.start)

    def match_end(self, line: str) -> str | None:
        """The tag an end marker closes; "" for a nameless end (`#endregion`)."""
        return _match(line, self.end)

    def match_element_start(self, line: str) -> str | None:
        """The name of an XML element opened with attributes in this family's comment, e.g. C#'s file header
        `// <copyright file="Program.cs" company="Contoso">`. DocFX's start pattern takes a bare name only,
        so such a line opens no region, and its `// </copyright>` closes none."""
        if TAG not in self.start or "<" not in self.start:
            return None
        comment = self.start.partition("<")[0]
        body = line.strip()
        if not comment or not body.lower().startswith(comment):
            return None
        match = _ELEMENT_WITH_ATTRIBUTES.match(body[len(comment):].strip())
        return match.group("name").lower() if match else None


def _match(line: str, template: str) -> str | None:
    if not line:
        return None
    before, _, after = template.partition(TAG)
    has_tag = TAG in template
    col, idx = 0, 0
    while col < len(line) and idx < len(before):
        ch = line[col]
        if not ch.isspace():
            if ch.lower() != before[idx]:
                return None
            idx += 1
        col += 1
    if idx != len(before):
        return None
    start = col
    while col < len(line) and (not after or line[col] != after[0]):
        col += 1
    tag = line[start:col].strip().lower()
    idx = 0
    while col < len(line) and idx < len(after):
        ch = line[col]
        if not ch.isspace():
            if ch.lower() != after[idx]:
                return None
            idx += 1
        col += 1
    if idx != len(after) or line[col:].strip():
        return None
    if has_tag and not _TAG_NAME.match(tag):
        return None
    return tag if has_tag else ""


VB_COMMENT = Family("vb-comment", "'<{tag}>", "'</{tag}>")
C_COMMENT = Family("c-comment", "//<{tag}>", "//</{tag}>")
MARKUP = Family("markup-comment", "<!--<{tag}>-->", "<!--</{tag}>-->")
SQL = Family("sql-comment", "--<{tag}>", "--</{tag}>")
SCRIPT = Family("hash-comment", "#<{tag}>", "#</{tag}>")
BATCH = Family("rem-comment", "rem<{tag}>", "rem</{tag}>")
REGION = Family("region", "#region{tag}", "#endregion")
PERCENT = Family("percent-comment", "%<{tag}>", "%</{tag}>")
LISP = Family("semicolon-comment", ";<{tag}>", ";</{tag}>")
CSS = Family("css-comment", "/*<{tag}>*/", "/*</{tag}>*/")

# DocFX's order when it does not know the file type and tries every family.
ALL_FAMILIES: tuple[Family, ...] = (VB_COMMENT, C_COMMENT, MARKUP, SQL, SCRIPT, BATCH, REGION, PERCENT, LISP, CSS)

# DocFX's languages with their aliases (file extensions without the dot).
_LANGUAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "actionscript": ("as",), "arduino": ("ino",), "assembly": ("nasm", "asm"), "batchfile": ("bat", "cmd"),
    "css": (), "cpp": ("c", "c++", "objective-c", "obj-c", "objc", "objectivec", "h", "hpp", "cc", "m"),
    "csharp": ("cs",), "cuda": ("cu", "cuh"), "d": ("dlang",), "erlang": ("erl",), "fsharp": ("fs", "fsi", "fsx"),
    "go": ("golang",), "handlebars": ("hbs",), "haskell": ("hs",), "html": ("jsp", "asp", "aspx", "ascx"),
    "cshtml": ("aspx-cs", "aspx-csharp"), "vbhtml": ("aspx-vb",), "java": ("gradle",),
    "javascript": ("js", "node", "json"), "lisp": ("lsp",), "lua": (), "matlab": (), "pascal": ("pas",),
    "perl": ("pl",), "php": (), "powershell": ("posh", "ps1"), "processing": ("pde",), "python": ("py",),
    "r": (), "react": ("tsx",), "ruby": ("ru", "erb", "rb", ""), "rust": ("rs",), "scala": (),
    "shell": ("sh", "bash"), "smalltalk": ("st",), "sql": (), "swift": (), "typescript": ("ts",), "xaml": (),
    "xml": ("xsl", "xslt", "xsd", "wsdl", "csdl", "edmx"), "vb": ("vbnet", "vbscript", "bas", "vbs", "vba"),
}

_LANGUAGE_FAMILIES: tuple[tuple[tuple[str, ...], Family], ...] = (
    (("vb", "vbhtml"), VB_COMMENT),
    (("actionscript", "arduino", "assembly", "cpp", "csharp", "cshtml", "cuda", "d", "fsharp", "go", "java",
      "javascript", "objectivec", "pascal", "php", "processing", "react", "rust", "scala", "smalltalk", "swift",
      "typescript"), C_COMMENT),
    (("xml", "xaml", "handlebars", "html", "cshtml", "php", "react", "ruby", "vbhtml"), MARKUP),
    (("haskell", "lua", "sql"), SQL),
    (("perl", "powershell", "python", "r", "ruby", "shell"), SCRIPT),
    (("batchfile",), BATCH),
    (("csharp", "cshtml"), REGION),
    (("erlang", "matlab"), PERCENT),
    (("lisp",), LISP),
    (("vb", "vbhtml"), REGION),
    (("css",), CSS),
)


def _build_tables() -> tuple[dict[str, str], dict[str, tuple[Family, ...]]]:
    language_of: dict[str, str] = {}
    for language, aliases in _LANGUAGE_ALIASES.items():
        for key in (language, *aliases):
            language_of.setdefault(key, language)
    families_of: dict[str, list[Family]] = {}
    for languages, family in _LANGUAGE_FAMILIES:
        for language in languages:
            for key in (language, *_LANGUAGE_ALIASES.get(language, ())):
                bucket = families_of.setdefault(key, [])
                if family not in bucket:
                    bucket.append(family)
    return language_of, {k: tuple(v) for k, v in families_of.items()}


DOCFX_LANGUAGE_BY_EXTENSION, _DOCFX_FAMILIES = _build_tables()

# Our deterministic choice for file types DocFX does not know.
EXPLICIT_FAMILIES: dict[str, tuple[Family, ...]] = {
    "yml": (SCRIPT,), "yaml": (SCRIPT,), "toml": (SCRIPT,), "ini": (SCRIPT,), "cfg": (SCRIPT,),
    "conf": (SCRIPT,), "env": (SCRIPT,), "dockerfile": (SCRIPT,), "tf": (SCRIPT, C_COMMENT),
    "hcl": (SCRIPT, C_COMMENT), "bicep": (C_COMMENT,), "zsh": (SCRIPT,), "ipynb": (),
}


def extension_of(path: PurePath) -> str:
    """The key used for family lookup: the suffix without its dot; `dockerfile` for Dockerfiles."""
    name = path.name
    if name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".dockerfile"):
        return "dockerfile"
    return path.suffix[1:] if path.suffix else ""


@dataclass(frozen=True)
class FamilyChoice:
    families: tuple[Family, ...]  # the families we use, in order
    docfx_families: tuple[Family, ...]  # the families DocFX uses, in order
    docfx_knows_type: bool  # False: DocFX warns `unknown-language-code` and tries all


def families_for(path: PurePath) -> FamilyChoice:
    ext = extension_of(path)
    docfx_key = "" if ext == "dockerfile" and path.name == "Dockerfile" else path.suffix[1:]
    docfx = _DOCFX_FAMILIES.get(docfx_key)
    docfx_families = docfx if docfx is not None else ALL_FAMILIES
    if ext in EXPLICIT_FAMILIES:
        return FamilyChoice(EXPLICIT_FAMILIES[ext], docfx_families, docfx is not None)
    if docfx is not None:
        return FamilyChoice(docfx, docfx, True)
    return FamilyChoice(ALL_FAMILIES, ALL_FAMILIES, False)
