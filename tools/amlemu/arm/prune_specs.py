"""Regenerate `arm/specs/`: the part of Microsoft's published REST definitions the emulator serves.

    python -m amlemu.arm.prune_specs PATH/TO/azure-rest-api-specs

reads the Swagger 2.0 files of Microsoft.MachineLearningServices stable 2023-04-01 from a
checkout of Azure/azure-rest-api-specs (or a copy kept at the same relative paths), keeps
the operations of the resource families the emulator emulates, and everything their
`$ref`s reach (definitions, parameters, and the subtypes of every discriminated base),
and writes the result under `arm/specs/` at the same relative paths, so each `$ref`
resolves unchanged. Nothing else is edited: kept entries are copied as they are.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

STABLE = "specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2023-04-01"
MFE = f"{STABLE}/mfe.json"
WORKSPACES = f"{STABLE}/machineLearningServices.json"
# The families the emulator answers (arm/routes.py), by the operationId prefix of the definitions.
SERVED = {
    MFE: (
        "OnlineEndpoints_",
        "OnlineDeployments_",
        "CodeContainers_",
        "CodeVersions_",
        "ModelContainers_",
        "ModelVersions_",
        "EnvironmentContainers_",
        "EnvironmentVersions_",
        "Datastores_",
    ),
    WORKSPACES: ("Workspaces_",),
}
TARGET = Path(__file__).resolve().parent / "specs"
METHODS = ("get", "put", "post", "patch", "delete")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-ms-examples":  # sample files, not schemas
                continue
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


class Pruner:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.documents: dict[str, dict] = {}
        self.kept: dict[str, dict[str, set[str]]] = {}  # file -> section -> names

    def document(self, relative: str) -> dict:
        if relative not in self.documents:
            self.documents[relative] = json.loads((self.root / relative).read_text(encoding="utf-8"))
            self.kept[relative] = {"definitions": set(), "parameters": set(), "responses": set()}
        return self.documents[relative]

    def _target(self, file: str, ref: str) -> tuple[str, str, str]:
        path, _, pointer = ref.partition("#")
        if path:
            file = (Path(file).parent / path).as_posix()
            parts: list[str] = []
            for part in file.split("/"):
                if part == "..":
                    parts.pop()
                elif part not in ("", "."):
                    parts.append(part)
            file = "/".join(parts)
        section, _, name = pointer.strip("/").partition("/")
        return file, section, name

    def keep_reachable(self, file: str, node: Any) -> None:
        pending = [(file, node)]
        while pending:
            current_file, current = pending.pop()
            for ref in _refs(current):
                target_file, section, name = self._target(current_file, ref)
                document = self.document(target_file)
                if name in self.kept[target_file].setdefault(section, set()):
                    continue
                self.kept[target_file][section].add(name)
                pending.append((target_file, document[section][name]))

    def keep_subtypes(self) -> bool:
        """Add the definitions that extend a kept discriminated base; True when any was added."""
        added = False
        for file, document in list(self.documents.items()):
            definitions = document.get("definitions", {})
            for name, node in definitions.items():
                if name in self.kept[file]["definitions"]:
                    continue
                for parent in node.get("allOf", []):
                    ref = parent.get("$ref", "")
                    target_file, _, base = self._target(file, ref)
                    base_node = self.documents.get(target_file, {}).get("definitions", {}).get(base, {})
                    if (
                        base in self.kept.get(target_file, {}).get("definitions", set())
                        and "discriminator" in base_node
                    ):
                        self.kept[file]["definitions"].add(name)
                        self.keep_reachable(file, node)
                        added = True
                        break
        return added

    def run(self) -> dict[str, dict]:
        kept_paths: dict[str, dict] = {}
        for file, prefixes in SERVED.items():
            document = self.document(file)
            paths = {}
            for template, item in document["paths"].items():
                operations = {m: op for m, op in item.items() if m in METHODS}
                if operations and all(op["operationId"].startswith(prefixes) for op in operations.values()):
                    paths[template] = item
                    self.keep_reachable(file, item)
            kept_paths[file] = paths
        while self.keep_subtypes():
            pass
        pruned = {}
        for file, document in self.documents.items():
            out = {
                key: value
                for key, value in document.items()
                if key not in ("paths", "definitions", "parameters", "responses", "x-ms-paths")
            }
            if file in kept_paths:
                out["paths"] = kept_paths[file]
            elif "paths" in document:
                out["paths"] = {}
            for section in ("definitions", "parameters", "responses"):
                if section in document:
                    names = self.kept[file].get(section, set())
                    out[section] = {name: value for name, value in document[section].items() if name in names}
            pruned[file] = out
        return pruned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m amlemu.arm.prune_specs", description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="root of an azure-rest-api-specs checkout (holds specification/)")
    parser.add_argument("--target", type=Path, default=TARGET, help=f"where to write (default: {TARGET})")
    args = parser.parse_args(argv)
    if not (args.source / MFE).is_file():
        print(
            f"prune_specs: {args.source / MFE} not found; give the root of an azure-rest-api-specs checkout",
            file=sys.stderr,
        )
        return 2
    for relative, document in Pruner(args.source).run().items():
        destination = args.target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{relative}: {len(document.get('paths', {}))} paths, {len(document.get('definitions', {}))} definitions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
