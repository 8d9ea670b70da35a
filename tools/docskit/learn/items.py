"""The things a Learn article is made of, each with its exact position.

Positions are 1-based line and column in the article as written (front matter
included), so every report points at the character an author has to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fence:
    line: int  # the opening fence line
    end_line: int  # the closing fence line (== last line of the file when unclosed)
    column: int
    info: str  # the info string: language and attributes
    body: tuple[str, ...]  # body lines with the container indentation removed
    closed: bool = True

    @property
    def language(self) -> str:
        return self.info.split()[0].strip("{}.") if self.info.strip() else ""


@dataclass(frozen=True)
class Attribute:
    name: str  # lower-cased
    value: str
    column: int  # where the attribute name starts
    quoted: bool = True


@dataclass(frozen=True)
class CodeDirective:
    line: int
    column: int
    raw: str
    attributes: tuple[Attribute, ...]
    prefix: str = ""  # indentation / blockquote markers before `:::`

    def get(self, name: str) -> str | None:
        for attr in self.attributes:
            if attr.name == name:
                return attr.value
        return None

    def column_of(self, name: str) -> int:
        for attr in self.attributes:
            if attr.name == name:
                return attr.column
        return self.column

    @property
    def source(self) -> str | None:
        return self.get("source")

    @property
    def id(self) -> str | None:
        return self.get("id")

    @property
    def range(self) -> str | None:
        return self.get("range")

    @property
    def highlight(self) -> str | None:
        return self.get("highlight")

    @property
    def language(self) -> str | None:
        return self.get("language")


@dataclass(frozen=True)
class Include:
    line: int
    column: int
    title: str
    target: str
    target_column: int
    block: bool  # alone on its line
    raw: str


@dataclass(frozen=True)
class Alert:
    line: int
    column: int
    kind: str  # NOTE, TIP, IMPORTANT, CAUTION, WARNING


@dataclass(frozen=True)
class Tab:
    line: int
    column: int
    title: str
    tab_id: str


@dataclass(frozen=True)
class TabGroup:
    line: int
    end_line: int  # the `---` line, or the last line when the group is never closed
    tabs: tuple[Tab, ...]
    closed: bool


@dataclass(frozen=True)
class CriticMark:
    line: int
    column: int
    kind: str  # comment | addition | deletion | substitution | highlight
    text: str


@dataclass(frozen=True)
class Link:
    line: int
    column: int
    text: str
    target: str
    target_column: int
    image: bool


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class NotebookRef:
    """`[!notebook-python[](path.ipynb?name=cell)]`: one named cell of a Jupyter notebook."""

    line: int
    column: int
    language: str  # after `notebook-`, lower-cased: "python"
    target: str  # inside the parentheses: the path, then `?name=CELL` (or `#CELL`)
    raw: str = ""
    target_column: int = 0  # where `target` starts (0 when unknown: the reference's column)
    prefix: str = ""  # indentation and blockquote markers before the reference, when it stands alone on its line
    alone: bool = False  # nothing but the reference (and its container markers) on the line: DocFX renders it

    @property
    def path(self) -> str:
        """The notebook's path, without the query or fragment that names the cell."""
        return self.target.split("?", 1)[0].split("#", 1)[0].strip()

    @property
    def cell_name(self) -> str | None:
        """The cell DocFX selects: `name=` of the query, else a `#fragment`; None when neither is given."""
        rest = self.target[len(self.target.split("?", 1)[0].split("#", 1)[0]) :]
        query, _, fragment = rest.partition("#")
        for pair in query.lstrip("?").split("&"):
            key, sep, value = pair.partition("=")
            if sep and key.strip().lower() == "name" and value.strip():
                return value.strip()
        return fragment.strip() or None


@dataclass(frozen=True)
class FrontMatter:
    line: int  # the opening `---`
    end_line: int
    raw: str
    data: Any  # parsed YAML (None when it does not parse)
    error: str | None = None
    error_line: int = 0


@dataclass
class Article:
    """A parsed Learn article: positions of every Learn construct, nothing resolved yet."""

    path: str  # as shown in reports
    lines: list[str]
    front_matter: FrontMatter | None = None
    fences: list[Fence] = field(default_factory=list)
    code_directives: list[CodeDirective] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    tab_groups: list[TabGroup] = field(default_factory=list)
    critic_marks: list[CriticMark] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    notebooks: list[NotebookRef] = field(default_factory=list)
    prose_lines: list[tuple[int, str]] = field(default_factory=list)  # outside fences and comments, inline code blanked
    uncommented_lines: list[str] = field(
        default_factory=list
    )  # `lines` with HTML comment text blanked (never published)
    syntax_problems: list[Any] = field(default_factory=list)  # Diagnostics from parsing
    anchors: frozenset[str] | None = field(default=None, repr=False, compare=False)  # filled by `anchors_of`, once
