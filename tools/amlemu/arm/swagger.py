"""A Swagger 2.0 validator that honours ARM's conventions, for requests and for responses.

Plain JSON Schema validation of ARM definitions rejects even the published examples,
because inheritance is written as `allOf` with `additionalProperties: false` on every
level, and polymorphism as `discriminator` + `x-ms-discriminator-value`. This validator:

- resolves `$ref` across files relative to the file that holds it;
- flattens `allOf` (properties, required) before judging additional properties;
- picks the subtype named by the discriminator value before validating;
- accepts null only where `x-nullable` says so.

Two readings of the same definitions:

- `validate` judges a response strictly: exact enum values, no property the definition
  forbids.
- `read_request` reads a request body as the service's JSON reader does: members the
  definition does not know and read-only members are dropped, integers written as
  strings are read as integers, extensible enums (`modelAsString`) take any string;
  anything else of the wrong type is an error naming the property's path. It returns the
  body as it would be stored, so what is stored always validates.

Resolution, flattening and subtype lookup are computed once per schema node and kept,
so validating a body costs one walk over the body.

`shape_differences` compares a response with a published example: same properties
present, same JSON types, same enum values; keys of map-like objects
(`additionalProperties` schemas) are data and not compared.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STABLE = "machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2023-04-01"
# The copy shipped with the package (arm/specs/README.md says where it comes from).
SPEC_ROOT = Path(__file__).resolve().parent / "specs" / "specification"
MFE = SPEC_ROOT / STABLE / "mfe.json"
WORKSPACES = SPEC_ROOT / STABLE / "machineLearningServices.json"
DURATION = re.compile(r"^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
INTEGER_TEXT = re.compile(r"^\s*[+-]?\d{1,19}\s*$")
INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), None: (-(2**63), 2**63 - 1), "int64": (-(2**63), 2**63 - 1)}


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
    read_only: set[str] = field(default_factory=set)  # members the service fills itself


class Spec:
    def __init__(self, mfe: Path = MFE) -> None:
        self.mfe = _normal(mfe)
        self._files: dict[Path, dict] = {}
        self._lock = threading.Lock()
        # Memos keyed by the identity of schema nodes; documents are never released, so ids stay valid.
        # Each memo keeps the node it was computed for, so a reused id is never mistaken for it.
        self._resolved: dict[tuple[Path, int], tuple[dict, Schema]] = {}
        self._flat: dict[int, tuple[dict, Flat]] = {}
        self._subtypes: dict[tuple[Path, str | None], dict[str, Schema]] = {}

    def document(self, path: Path) -> dict:
        path = _normal(path)
        if path not in self._files:
            with self._lock:
                if path not in self._files:
                    self._files[path] = json.loads(path.read_text(encoding="utf-8"))
        return self._files[path]

    def resolve(self, file: Path, node: dict) -> Schema:
        key = (file, id(node))
        found = self._resolved.get(key)
        if found is None or found[0] is not node:
            found = self._resolved[key] = (node, self._resolve(file, node))
        return found[1]

    def _resolve(self, file: Path, node: dict) -> Schema:
        name = None
        while "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            file = _normal(file.parent / target) if target else file
            node = self.document(file)
            for part in pointer.strip("/").split("/"):
                if part:
                    node = node[part]
            name = pointer.rsplit("/", 1)[-1]
        return Schema(file, node, name)

    def definition(self, name: str, file: Path | None = None) -> Schema:
        file = _normal(file or self.mfe)
        return Schema(file, self.document(file)["definitions"][name], name)

    # -- flattening and discriminators -------------------------------------------

    def flatten(self, schema: Schema) -> Flat:
        found = self._flat.get(id(schema.node))
        if found is None or found[0] is not schema.node:
            found = self._flat[id(schema.node)] = (schema.node, self._flatten(schema))
        return found[1]

    def _flatten(self, schema: Schema) -> Flat:
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
        flat.read_only = {
            name
            for name, member in flat.properties.items()
            if member.node.get("readOnly") or self.resolve(member.file, member.node).node.get("readOnly")
        }
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
        key = (base.file, base.name)
        table = self._subtypes.get(key)
        if table is None:
            table = {}
            for name, node in self.document(base.file)["definitions"].items():
                candidate = Schema(base.file, node, name)
                if base.name in self._ancestors(candidate):
                    table.setdefault(node.get("x-ms-discriminator-value", name), candidate)
            self._subtypes[key] = table
        return table.get(value)

    def _chosen(self, schema: Schema, flat: Flat, value: dict) -> Schema | None:
        """The subtype the discriminator value names, if it is another definition."""
        if flat.discriminator and isinstance(value.get(flat.discriminator), str):
            chosen = self.subtype(schema, value[flat.discriminator])
            if chosen is not None and chosen.node is not schema.node:
                return chosen
        return None

    # -- validation of responses ---------------------------------------------------

    def validate(self, schema: Schema, value: Any, where: str = "$") -> list[str]:
        nullable = schema.node.get("x-nullable")  # may sit beside a $ref, as AutoRest reads it
        schema = self.resolve(schema.file, schema.node)
        node = schema.node
        if value is None:
            return [] if nullable or node.get("x-nullable") else [f"{where}: null is not allowed"]
        errors: list[str] = []
        kind = _kind(node)
        if "enum" in node and value not in node["enum"]:
            errors.append(f"{where}: {value!r} is not one of {node['enum']}")
        if kind == "object":
            errors += self._object(schema, value, where)
        elif kind == "array":
            if not isinstance(value, list):
                return [f"{where}: expected an array, got {type(value).__name__}"]
            for index, item in enumerate(value):
                errors += self.validate(Schema(schema.file, node.get("items", {})), item, f"{where}[{index}]")
        elif kind is not None:
            problem = _scalar_problem(kind, node, value)
            if problem:
                return [f"{where}: {problem}"]
        return errors

    def _object(self, schema: Schema, value: Any, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        flat = self.flatten(schema)
        chosen = self._chosen(schema, flat, value)
        if chosen is not None:
            return self._object(chosen, value, where)
        errors = [
            f"{where}: required property '{name}' is missing" for name in sorted(flat.required) if name not in value
        ]
        for name, item in value.items():
            if name in flat.properties:
                errors += self.validate(flat.properties[name], item, f"{where}.{name}")
            elif flat.additional is False:
                errors.append(f"{where}: property '{name}' is not in the definition")
            elif isinstance(flat.additional, Schema):
                errors += self.validate(flat.additional, item, f"{where}.{name}")
        return errors

    # -- reading requests ------------------------------------------------------------

    def read_request(self, schema: Schema, value: Any, where: str = "") -> tuple[Any, list[str]]:
        """`value` as the service reads it (see the module docstring), and what it refused."""
        errors: list[str] = []
        read = self._read(schema, value, where, errors)
        return read, errors

    def _read(self, schema: Schema, value: Any, where: str, errors: list[str], map_value: bool = False) -> Any:
        nullable = schema.node.get("x-nullable")
        schema = self.resolve(schema.file, schema.node)
        node = schema.node
        if value is None:
            if not (nullable or node.get("x-nullable")):
                errors.append(_at(where, "A null value is not allowed."))
            return None
        kind = _kind(node)
        if kind == "object":
            return self._read_object(schema, value, where, errors)
        if kind == "array":
            if not isinstance(value, list):
                errors.append(_at(where, f"Expected an array, got {_json_type(value)}."))
                return None
            items = Schema(schema.file, node.get("items", {}))
            return [self._read(items, item, f"{where}[{index}]", errors) for index, item in enumerate(value)]
        if kind == "integer" and isinstance(value, str) and INTEGER_TEXT.match(value):
            value = int(value)  # the service's JSON reader converts integers written as text
        if kind == "string" and map_value and isinstance(value, (int, float)):
            value = str(value)  # tag and property maps hold text; the service stores numbers as text
        if kind is not None:
            problem = _scalar_problem(kind, node, value)
            if problem:
                errors.append(_at(where, problem[0].upper() + problem[1:] + "."))
                return None
        if "enum" in node and isinstance(value, str):
            extensible = (node.get("x-ms-enum") or {}).get("modelAsString", False)
            canonical = next((option for option in node["enum"] if str(option).lower() == value.lower()), None)
            if canonical is not None:
                return canonical
            if not extensible:
                errors.append(_at(where, f"'{_clip(value)}' is not one of {', '.join(map(str, node['enum']))}."))
        return value

    def _read_object(self, schema: Schema, value: Any, where: str, errors: list[str]) -> Any:
        if not isinstance(value, dict):
            errors.append(_at(where, f"Expected an object, got {_json_type(value)}."))
            return None
        flat = self.flatten(schema)
        chosen = self._chosen(schema, flat, value)
        if chosen is not None:
            return self._read_object(chosen, value, where, errors)
        if not flat.required.issubset(value):
            for name in sorted(flat.required.difference(value)):
                errors.append(_at(where, f"Required property '{name}' not found."))
        read: dict[str, Any] = {}
        prefix = f"{where}." if where else ""
        for name, item in value.items():
            known = flat.properties.get(name)
            if known is not None:
                if name in flat.read_only:
                    continue  # the service fills read-only members itself
                read[name] = self._read(known, item, prefix + name, errors)
            elif isinstance(flat.additional, Schema):
                read[name] = self._read(flat.additional, item, prefix + name, errors, map_value=True)
            elif not flat.properties and flat.additional is None and "allOf" not in schema.node:
                read[name] = item  # a free-form object: its content is data
        return read

    # -- shapes --------------------------------------------------------------------

    def shape_differences(
        self, schema: Schema, example: Any, actual: Any, where: str = "$", ignore: frozenset[str] = frozenset()
    ) -> list[str]:
        """Where `actual` lacks a property `example` has, or has another type or enum value."""
        if where in ignore:
            return []
        schema = self.resolve(schema.file, schema.node)
        if example is None:
            return []
        if actual is None:
            return [f"{where}: the example has a value, the response has null or nothing"]
        if _json_type(example) != _json_type(actual):
            return [f"{where}: the example has {_json_type(example)}, the response {_json_type(actual)}"]
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
                    return self.shape_differences(
                        flat.additional, next(iter(example.values())), next(iter(actual.values())), f"{where}.*", ignore
                    )
                return [] if not example else [f"{where}: the example map has entries, the response none"]
            for name, item in example.items():
                sub = flat.properties.get(name) or (flat.additional if isinstance(flat.additional, Schema) else None)
                if name not in actual:
                    if f"{where}.{name}" not in ignore:
                        differences.append(f"{where}.{name}: missing from the response")
                    continue
                differences += self.shape_differences(
                    sub or Schema(schema.file, {}), item, actual[name], f"{where}.{name}", ignore
                )
        elif isinstance(example, list):
            item_schema = Schema(schema.file, schema.node.get("items", {}))
            if example and not actual:
                return [f"{where}: the example list has items, the response none"]
            if example:
                differences += self.shape_differences(item_schema, example[0], actual[0], f"{where}[0]", ignore)
        return differences

    # -- operations ----------------------------------------------------------------

    def operations(self, file: Path | None = None) -> list[tuple[str, str, dict]]:
        """(method, path template, operation) for every operation in the file."""
        found = []
        for template, item in self.document(file or self.mfe)["paths"].items():
            for method, operation in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    found.append((method.upper(), template, operation))
        return found

    def operation_for(self, method: str, path: str, file: Path | None = None) -> tuple[str, dict] | None:
        for op_method, template, operation in self.operations(file):
            if op_method != method:
                continue
            if PathTemplate(template).matches(path):
                return template, operation
        return None

    def response_schema(self, operation: dict, status: int, file: Path | None = None) -> Schema | None:
        responses = operation["responses"]
        entry = responses.get(str(status)) or (responses.get("default") if status >= 400 else None)
        if entry is None or "schema" not in entry:
            return None
        return self.resolve(_normal(file or self.mfe), entry["schema"])

    def body_schema(self, operation: dict, file: Path | None = None) -> Schema | None:
        """The schema of the operation's body parameter, if it takes one."""
        file = _normal(file or self.mfe)
        for parameter in operation.get("parameters", []):
            parameter = self.resolve(file, parameter)
            if parameter.node.get("in") == "body":
                return self.resolve(parameter.file, parameter.node["schema"])
        return None


class PathTemplate:
    """A path template (`.../onlineEndpoints/{endpointName}`), matched segment by segment and
    case-insensitively, as ARM matches paths."""

    def __init__(self, template: str) -> None:
        self.segments = [None if part.startswith("{") else part.lower() for part in template.strip("/").split("/")]

    def matches(self, path: str) -> bool:
        parts = path.strip("/").split("/")
        return len(parts) == len(self.segments) and all(
            expected is None or expected == part.lower() for expected, part in zip(self.segments, parts, strict=True)
        )


def _normal(path: Path) -> Path:
    """An absolute, normalized path (no symlink resolution: the files are read where they lie)."""
    return Path(os.path.normpath(os.path.abspath(path)))


def _kind(node: dict) -> str | None:
    return node.get("type") or ("object" if "properties" in node or "allOf" in node else None)


def _scalar_problem(kind: str, node: dict, value: Any) -> str | None:
    """What is wrong with a string, number or boolean value, or None."""
    if kind == "string":
        if not isinstance(value, str):
            return f"expected a string, got {_json_type(value)}"
        return _format_problem(node.get("format"), value)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected an integer, got {_json_type(value)}"
        low, high = INTEGER_RANGES.get(node.get("format"), INTEGER_RANGES[None])
        if not low <= value <= high:
            return f"the integer {_clip(str(value))} is outside the range of {node.get('format') or 'int64'}"
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, got {_json_type(value)}"
    elif kind == "boolean":
        if not isinstance(value, bool):
            return f"expected a boolean, got {_json_type(value)}"
    return None


def _format_problem(fmt: str | None, value: str) -> str | None:
    if fmt == "date-time":
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return f"'{_clip(value)}' is not a date-time"
    elif fmt == "duration" and not DURATION.match(value):
        return f"'{_clip(value)}' is not an ISO 8601 duration"
    elif fmt == "uri" and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return f"'{_clip(value)}' is not a URI"
    elif fmt == "uuid" and not re.fullmatch(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", value):
        return f"'{_clip(value)}' is not a UUID"
    return None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _at(where: str, problem: str) -> str:
    return f"{problem} Path '{where}'." if where else f"{problem} Path ''."


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
