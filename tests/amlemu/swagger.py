"""A small Swagger 2.0 validator that honours ARM's conventions.

Plain JSON Schema validation of ARM definitions rejects even the published examples,
because inheritance is written as `allOf` with `additionalProperties: false` on every
level, and polymorphism as `discriminator` + `x-ms-discriminator-value`. This validator:

- resolves `$ref` across files relative to the file that holds it;
- flattens `allOf` (properties, required) before judging additional properties;
- picks the subtype named by the discriminator value before validating;
- accepts null only where `x-nullable` says so.

`shape_differences` compares a response with a published example: same properties
present, same JSON types, same enum values; keys of map-like objects
(`additionalProperties` schemas) are data and not compared.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Microsoft's published definitions live in shared/ beside the repository (not copied into it)
SPEC_ROOT = Path(__file__).resolve().parents[3] / "shared" / "azure-rest-api-specs" / "specification"
MFE = SPEC_ROOT / "machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2023-04-01/mfe.json"
DURATION = re.compile(r"^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


@dataclass(frozen=True)
class Schema:
    file: Path
    node: dict  # the schema object, never a bare $ref
    name: str | None = None  # definition name when it is one


@dataclass
class Flat:
    properties: dict[str, Schema] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    additional: Any = None  # None: unspecified; False; or a Schema
    discriminator: str | None = None


class Spec:
    def __init__(self) -> None:
        self._files: dict[Path, dict] = {}

    def document(self, path: Path) -> dict:
        path = path.resolve()
        if path not in self._files:
            self._files[path] = json.loads(path.read_text())
        return self._files[path]

    def resolve(self, file: Path, node: dict) -> Schema:
        name = None
        while "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            file = (file.parent / target).resolve() if target else file
            node = self.document(file)
            for part in pointer.strip("/").split("/"):
                if part:
                    node = node[part]
            name = pointer.rsplit("/", 1)[-1]
        return Schema(file, node, name)

    def definition(self, name: str, file: Path = MFE) -> Schema:
        return Schema(file.resolve(), self.document(file)["definitions"][name], name)

    # -- flattening and discriminators -------------------------------------------

    def flatten(self, schema: Schema) -> Flat:
        flat = Flat()
        for parent in schema.node.get("allOf", []):
            inherited = self.flatten(self.resolve(schema.file, parent))
            flat.properties.update(inherited.properties)
            flat.required |= inherited.required
            flat.discriminator = flat.discriminator or inherited.discriminator
        for name, node in schema.node.get("properties", {}).items():
            flat.properties[name] = Schema(schema.file, node)
        flat.required |= set(schema.node.get("required", []))
        if "additionalProperties" in schema.node:
            extra = schema.node["additionalProperties"]
            flat.additional = False if extra is False else (None if extra is True else Schema(schema.file, extra))
        flat.discriminator = schema.node.get("discriminator") or flat.discriminator
        return flat

    def _ancestors(self, schema: Schema) -> set[str]:
        names = set()
        for parent in schema.node.get("allOf", []):
            resolved = self.resolve(schema.file, parent)
            if resolved.name:
                names.add(resolved.name)
            names |= self._ancestors(resolved)
        return names

    def subtype(self, base: Schema, value: str) -> Schema | None:
        definitions = self.document(base.file)["definitions"]
        for name, node in definitions.items():
            candidate = Schema(base.file, node, name)
            tag = node.get("x-ms-discriminator-value", name)
            if tag == value and base.name in self._ancestors(candidate):
                return candidate
        return None

    # -- validation --------------------------------------------------------------

    def validate(self, schema: Schema, value: Any, where: str = "$") -> list[str]:
        nullable = schema.node.get("x-nullable")  # may sit beside a $ref, as AutoRest reads it
        schema = self.resolve(schema.file, schema.node)
        node = schema.node
        if value is None:
            return [] if nullable or node.get("x-nullable") else [f"{where}: null is not allowed"]
        errors: list[str] = []
        kind = node.get("type") or ("object" if "properties" in node or "allOf" in node else None)
        if "enum" in node and value not in node["enum"]:
            errors.append(f"{where}: {value!r} is not one of {node['enum']}")
        if kind == "object":
            errors += self._object(schema, value, where)
        elif kind == "array":
            if not isinstance(value, list):
                return [f"{where}: expected an array, got {type(value).__name__}"]
            for index, item in enumerate(value):
                errors += self.validate(Schema(schema.file, node.get("items", {})), item, f"{where}[{index}]")
        elif kind == "string":
            if not isinstance(value, str):
                return [f"{where}: expected a string, got {type(value).__name__}"]
            errors += _format(node.get("format"), value, where)
        elif kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return [f"{where}: expected an integer, got {type(value).__name__}"]
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return [f"{where}: expected a number, got {type(value).__name__}"]
        elif kind == "boolean":
            if not isinstance(value, bool):
                return [f"{where}: expected a boolean, got {type(value).__name__}"]
        return errors

    def _object(self, schema: Schema, value: Any, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        flat = self.flatten(schema)
        if flat.discriminator and isinstance(value.get(flat.discriminator), str):
            chosen = self.subtype(schema, value[flat.discriminator])
            if chosen is not None and chosen.node is not schema.node:
                return self._object(chosen, value, where)
        errors = [f"{where}: required property '{name}' is missing" for name in sorted(flat.required)
                  if name not in value]
        for name, item in value.items():
            if name in flat.properties:
                errors += self.validate(flat.properties[name], item, f"{where}.{name}")
            elif flat.additional is False:
                errors.append(f"{where}: property '{name}' is not in the definition")
            elif isinstance(flat.additional, Schema):
                errors += self.validate(flat.additional, item, f"{where}.{name}")
        return errors

    # -- shapes --------------------------------------------------------------------

    def shape_differences(self, schema: Schema, example: Any, actual: Any, where: str = "$",
                          ignore: frozenset[str] = frozenset()) -> list[str]:
        """Where `actual` lacks a property `example` has, or has another type or enum value."""
        if where in ignore:
            return []
        schema = self.resolve(schema.file, schema.node)
        if example is None:
            return []
        if actual is None:
            return [f"{where}: the example has a value, the response has null or nothing"]
        if _json_type(example) != _json_type(actual):
            return [f"{where}: the example has a {_json_type(example)}, the response a {_json_type(actual)}"]
        if "enum" in schema.node and example != actual:
            return [f"{where}: the example has {example!r}, the response {actual!r}"]
        differences: list[str] = []
        if isinstance(example, dict):
            flat = self.flatten(schema)
            if flat.discriminator and isinstance(actual.get(flat.discriminator), str):
                chosen = self.subtype(schema, actual[flat.discriminator])
                if chosen is not None:
                    flat = self.flatten(chosen)
            if not flat.properties and isinstance(flat.additional, Schema):
                # a map: keys are data; compare one value's shape
                if example and actual:
                    return self.shape_differences(flat.additional, next(iter(example.values())),
                                                  next(iter(actual.values())), f"{where}.*", ignore)
                return [] if not example else [f"{where}: the example map has entries, the response none"]
            for name, item in example.items():
                sub = flat.properties.get(name) or (flat.additional if isinstance(flat.additional, Schema) else None)
                if name not in actual:
                    if f"{where}.{name}" not in ignore:
                        differences.append(f"{where}.{name}: missing from the response")
                    continue
                differences += self.shape_differences(sub or Schema(schema.file, {}), item, actual[name],
                                                      f"{where}.{name}", ignore)
        elif isinstance(example, list):
            item_schema = Schema(schema.file, schema.node.get("items", {}))
            if example and not actual:
                return [f"{where}: the example list has items, the response none"]
            if example:
                differences += self.shape_differences(item_schema, example[0], actual[0], f"{where}[0]", ignore)
        return differences

    # -- operations ----------------------------------------------------------------

    def operations(self, file: Path = MFE) -> list[tuple[str, str, dict]]:
        """(method, path template, operation) for every operation in the file."""
        found = []
        for template, item in self.document(file)["paths"].items():
            for method, operation in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    found.append((method.upper(), template, operation))
        return found

    def operation_for(self, method: str, path: str, file: Path = MFE) -> tuple[str, dict] | None:
        for op_method, template, operation in self.operations(file):
            if op_method != method:
                continue
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            if re.fullmatch(pattern, path, re.IGNORECASE):
                return template, operation
        return None

    def response_schema(self, operation: dict, status: int, file: Path = MFE) -> Schema | None:
        responses = operation["responses"]
        entry = responses.get(str(status)) or (responses.get("default") if status >= 400 else None)
        if entry is None or "schema" not in entry:
            return None
        return self.resolve(file.resolve(), entry["schema"])


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _format(fmt: str | None, value: str, where: str) -> list[str]:
    if fmt == "date-time":
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return [f"{where}: {value!r} is not a date-time"]
    elif fmt == "duration" and not DURATION.match(value):
        return [f"{where}: {value!r} is not an ISO 8601 duration"]
    elif fmt == "uri" and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return [f"{where}: {value!r} is not a URI"]
    elif fmt == "uuid" and not re.fullmatch(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", value):
        return [f"{where}: {value!r} is not a UUID"]
    return []
