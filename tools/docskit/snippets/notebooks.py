"""Resolve `[!notebook-python[](path.ipynb?name=CELL)]` to the cell DocFX would show, and say what is off.

DocFX reads the notebook as JSON and selects `$..cells[?(@.metadata.name=='CELL')].source`:
the name is matched exactly (case matters) against each cell's `metadata.name`,
whatever the cell's type, and the cell's source lines are shown joined, as written.
Where DocFX fails it still publishes a code block, an empty one: the file is not
JSON (`not-notebook-content`), no cell has the name (`tag-not-found`), or more
than one has it (`mutiple-tags-with-same-name`: DocFX picks none). A reference
without a name shows the notebook's raw JSON. Each of these is a finding here.

Paths resolve exactly as `:::code` sources do (the same `Roots`, so `~/NAME/`
and the containment rules are one fact), and files are read through the same
`SourceCache`: a notebook is read and parsed once per run, however many
references show its cells.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from docskit.catalog import lookup
from docskit.diagnostics import Diagnostic
from docskit.learn.items import NotebookRef
from docskit.snippets.resolver import Resolver
from docskit.snippets.roots import Refusal, ResolvedPath, Roots
from docskit.sourcefile import SourceCache, SourceFile

DOCFX_MISSING_NAME = "the notebook's raw JSON"


@dataclass(frozen=True)
class Cell:
    index: int  # 0-based position among the notebook's cells
    kind: str  # cell_type: code, markdown, raw
    name: str | None  # metadata.name
    text: str  # the source lines joined, as DocFX shows them


@dataclass
class Notebook:
    """A parsed notebook, or why the file is not one."""

    cells: list[Cell] = field(default_factory=list)
    problem: str | None = None

    def named(self, name: str) -> list[Cell]:
        return [cell for cell in self.cells if cell.name == name]


@dataclass
class ResolvedCell:
    """What one notebook reference shows, where it comes from, and what is off with it."""

    ref: NotebookRef
    article: str  # the article path as reported
    source: ResolvedPath | None = None
    file: SourceFile | None = None
    cell: Cell | None = None
    text: str = ""  # what DocFX shows (empty when it shows an empty block)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.ref.language

    @property
    def source_name(self) -> str:
        return self.source.relative if self.source else self.ref.path

    def where(self, index: int | None = None, column: int | None = None) -> str:
        """` (notebook, cell `NAME`, line L:C)`: a line of the shown cell counts from the cell's first line."""
        cell = f"cell `{self.cell.name}`" if self.cell is not None else "cell"
        if index is None:
            return f" ({self.source_name}, {cell})"
        return f" ({self.source_name}, {cell}, line {index + 1}" + (f":{column + 1}" if column is not None else "") + ")"


class NotebookResolver:
    """Resolves notebook references of one run (or one site build); each notebook is parsed once."""

    def __init__(self, roots: Roots, cache: SourceCache) -> None:
        self.roots = roots
        self.cache = cache
        self._notebooks: dict[Path, Notebook] = {}

    def resolve(self, article_path: Path, article: str, ref: NotebookRef) -> ResolvedCell:
        out = ResolvedCell(ref, article)
        path = ref.path
        if not path:
            self._report(out, "NBK002", "the notebook reference names no file", "write [!notebook-python[](PATH.ipynb?name=CELL)]")
            return out
        located = self.roots.resolve(article_path, path)
        if isinstance(located, Refusal):
            code = "NBK002" if located.code == "SRC001" else located.code
            self._report(out, code, located.message, located.hint)
            return out
        out.source = located
        file = out.file = self.cache.get(located.path)
        if file.problem in ("missing", "unreadable"):
            detail = "does not exist" if file.problem == "missing" else f"cannot be read: {file.problem_detail}"
            self._report(out, "NBK002", f"notebook `{path}` {detail}")
            return out
        notebook = self.notebook(file)
        if notebook.problem is not None:
            self._report(out, "NBK003", f"notebook `{path}` {notebook.problem}; DocFX shows an empty block")
            return out
        name = ref.cell_name
        if name is None:
            self._report(out, "NBK006", f"the reference to `{path}` names no cell; DocFX shows {DOCFX_MISSING_NAME}",
                         f"add ?name=CELL, the `name` in the cell's metadata{_names_hint(notebook)}")
            return out
        found = notebook.named(name)
        if not found:
            self._report(out, "NBK004", f"no cell of `{path}` has the name `{name}`; DocFX shows an empty block",
                         _missing_hint(notebook, name), at_name=True)
        elif len(found) > 1:
            positions = ", ".join(str(cell.index + 1) for cell in found)
            self._report(out, "NBK005", f"{len(found)} cells of `{path}` have the name `{name}` (cells {positions}); "
                         "DocFX shows none of them (an empty block)", "give each cell its own `name` in its metadata",
                         at_name=True)
        else:
            out.cell = found[0]
            out.text = found[0].text
        return out

    def notebook(self, file: SourceFile) -> Notebook:
        found = self._notebooks.get(file.path)
        if found is None:
            found = self._notebooks[file.path] = parse_notebook(file)
        return found

    def _report(self, out: ResolvedCell, code: str, message: str, hint: str | None = None, *, at_name: bool = False) -> None:
        ref = out.ref
        column = ref.target_column or ref.column
        if at_name:
            at = ref.target.find(ref.cell_name or "", len(ref.path))
            column += max(at, 0)
        out.diagnostics.append(Diagnostic(out.article, ref.line, column, code, message, lookup(code).severity, hint))


def parse_notebook(file: SourceFile) -> Notebook:
    """The cells of an nbformat 4 notebook; a file that is not one is a `Notebook` with a `problem`."""
    if file.problem == "binary":
        return Notebook(problem=f"is not a notebook: {file.problem_detail}")
    if file.problem == "not-utf8":
        line, column = file.problem_at
        return Notebook(problem=f"is not UTF-8 ({file.problem_detail}, line {line}, column {column})")
    if not file.text.strip():
        return Notebook(problem="is empty, not a notebook")
    try:
        data = json.loads(file.text)
    except json.JSONDecodeError as exc:
        return Notebook(problem=f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    except RecursionError:
        return Notebook(problem="is not a notebook: its JSON is nested too deeply to read")
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return Notebook(problem="is JSON but not a Jupyter notebook: it has no `cells` list (nbformat 4)")
    parsed = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            continue
        metadata = cell.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        parsed.append(Cell(index, str(cell.get("cell_type", "")), name if isinstance(name, str) else None,
                           _joined(cell.get("source"))))
    return Notebook(parsed)


def _joined(source: object) -> str:
    """nbformat stores a cell's source as one string or as a list of lines that keep their newlines."""
    if isinstance(source, str):
        text = source
    elif isinstance(source, list):
        text = "".join(part for part in source if isinstance(part, str))
    else:
        text = ""
    return text.replace("\r\n", "\n").rstrip()


def _names_hint(notebook: Notebook) -> str:
    names = [cell.name for cell in notebook.cells if cell.name]
    return "; cells named here: " + ", ".join(f"`{n}`" for n in names[:8]) if names else ""


def _missing_hint(notebook: Notebook, name: str) -> str:
    import difflib

    names = sorted({cell.name for cell in notebook.cells if cell.name})
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
    if not names:
        return "no cell of this notebook has a `name` in its metadata"
    return "cells named here: " + ", ".join(f"`{n}`" for n in names[:8])


def notebook_text(cells: list[tuple[str, str]]) -> str:
    """The nbformat 4 JSON of a notebook of named code cells (name, source), as Jupyter writes it."""
    return json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "metadata": {"name": name},
                                  "outputs": [], "source": source.splitlines(keepends=True)} for name, source in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 2}, indent=1) + "\n"


_BY_RESOLVER: "weakref.WeakKeyDictionary[Resolver, NotebookResolver]" = weakref.WeakKeyDictionary()


def notebooks_for(resolver: Resolver) -> NotebookResolver:
    """The notebook resolver that goes with `resolver`: its roots, its file cache, one parse per notebook."""
    found = _BY_RESOLVER.get(resolver)
    if found is None:
        found = _BY_RESOLVER[resolver] = NotebookResolver(resolver.roots, resolver.cache)
    return found
