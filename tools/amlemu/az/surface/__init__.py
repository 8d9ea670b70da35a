"""The real Azure CLI's command surface, as data: which commands exist and what options they take.

`generate.py` writes one JSON table per source (`ml.json` for the `ml` extension,
`core.json` for the core commands docs use) from the CLI's own source; this
module reads them, lazily and once, with nothing but `json` (the docs linter
imports it on every run). See `generate.py` for what the tables contain and
the limits of reading the CLI statically.
"""

from __future__ import annotations

import json
import pathlib
from functools import lru_cache

HERE = pathlib.Path(__file__).resolve().parent
TABLES = ("ml", "core")


class RealCommand:
    """One command of the real CLI: its options as (names, kind, required, configured default)."""

    __slots__ = ("name", "options", "open", "table")

    def __init__(
        self, name: str, options: list[tuple[tuple[str, ...], str, bool, str | None]], open_: bool, table: str
    ) -> None:
        self.name = name
        self.options = options
        self.open = open_  # options beyond these may exist: unknown options are accepted
        self.table = table


class Surface:
    """Every command of the loaded tables, and the groups their names imply."""

    def __init__(self, tables: dict[str, dict]) -> None:
        self.tables = tables
        self._raw: dict[str, tuple[str, dict]] = {}
        for table_name, table in tables.items():
            for name, entry in table.get("commands", {}).items():
                self._raw.setdefault(name, (table_name, entry))
        self.groups: set[str] = {""}
        for name in self._raw:
            words = name.split()
            for length in range(1, len(words)):
                self.groups.add(" ".join(words[:length]))
        self._built: dict[str, RealCommand] = {}

    def names(self) -> list[str]:
        return list(self._raw)

    def command(self, name: str) -> RealCommand | None:
        if name in self._built:
            return self._built[name]
        found = self._raw.get(name)
        if found is None:
            return None
        table_name, entry = found
        options = []
        for option in entry.get("options", []):
            names, kind, *marks = option
            default = next((m.split("=", 1)[1] for m in marks if m.startswith("default=")), None)
            options.append((tuple(names), kind, "required" in marks, default))
        command = RealCommand(name, options, bool(entry.get("open")), table_name)
        self._built[name] = command
        return command


@lru_cache(maxsize=1)
def surface() -> Surface:
    """The real surface from the JSON tables next to this module (read once per process)."""
    tables = {}
    for name in TABLES:
        path = HERE / f"{name}.json"
        if path.is_file():
            tables[name] = json.loads(path.read_text(encoding="utf-8"))
    return Surface(tables)
