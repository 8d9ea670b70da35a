"""Reading an ARM request body: strict JSON, then the operation's published definition.

A body is refused before any handler sees it when it is

- larger than `MAX_BODY_BYTES` (413);
- not UTF-8 JSON, or JSON outside the standard: `NaN`, `Infinity`, `-Infinity`, an
  integer beyond 64 bits, a number beyond a double, nesting deeper than `MAX_DEPTH`,
  a member name twice in one object (400 `InvalidRequestContent`);
- not what the operation's body parameter in the published REST definitions
  (`arm/specs/`) describes (400 `InvalidRequestContent`, naming the property's path).

Raw control characters inside a string (an unescaped line break) are read as themselves,
as the service's JSON reader reads them: Microsoft's REST sample (azureml-examples,
cli/deploy-rest.sh) sends a conda file pasted into `condaFile` that way.

What passes is the body as the service reads it (`Spec.read_request`): unknown and
read-only members dropped, integers written as text converted. Handlers store only
what they get from here, so nothing that does not fit the definitions is stored.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import Any

from amlemu.arm.errors import ArmError
from amlemu.arm.swagger import MFE, WORKSPACES, PathTemplate, Schema, Spec
from amlemu.http_messages import Request

MAX_BODY_BYTES = 4 * 1024 * 1024  # ours: no public limit for this service; ample for any resource body
MAX_DEPTH = 64  # ours: the deepest published definition nests 8 levels
MAX_INTEGER = 2**63 - 1
DESERIALIZE = "The request content was invalid and could not be deserialized: "


@dataclass(frozen=True)
class Contract:
    method: str
    path: PathTemplate
    operation_id: str
    body: Schema | None


class Contracts:
    """The served operations of the shipped definitions, with their body schemas, compiled once."""

    def __init__(self, spec: Spec | None = None) -> None:
        self.spec = spec or Spec()
        self._contracts: list[Contract] = []
        for file in (MFE, WORKSPACES):
            for method, template, operation in self.spec.operations(file):
                self._contracts.append(
                    Contract(
                        method, PathTemplate(template), operation["operationId"], self.spec.body_schema(operation, file)
                    )
                )

    def body_schema(self, method: str, path: str) -> Schema | None:
        for contract in self._contracts:
            if contract.method == method and contract.path.matches(path):
                return contract.body
        return None

    def read(self, request: Request) -> Any:
        """The request's body, decoded strictly and read through its operation's definition."""
        payload = decode(request.body)
        schema = self.body_schema(request.method, request.path)
        if schema is None or payload is None:
            return payload
        read, errors = self.spec.read_request(schema, payload)
        if errors:
            raise ArmError(400, "InvalidRequestContent", f"{DESERIALIZE}'{errors[0]}'.")
        return read


@functools.cache
def contracts() -> Contracts:
    return Contracts()


def decode(body: bytes) -> Any:
    """Standard JSON only, within the size and depth bounds; None for an empty body."""
    if not body:
        return None
    if len(body) > MAX_BODY_BYTES:
        # wording: ours
        raise ArmError(
            413,
            "RequestEntityTooLarge",
            f"The request content is {len(body)} bytes; at most {MAX_BODY_BYTES} bytes are accepted.",
        )
    try:
        text = body.decode("utf-8")
        payload = json.loads(
            text,
            parse_constant=_no_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
            object_pairs_hook=_unique_members,
            strict=False,
        )
    except RecursionError:
        raise _invalid(f"The JSON nests deeper than {MAX_DEPTH} levels.") from None
    except UnicodeDecodeError as error:
        raise _invalid(f"The request content is not UTF-8: {error.reason} at byte {error.start}.") from None
    except ValueError as error:
        raise _invalid(str(error)) from None
    if _depth(payload) > MAX_DEPTH:
        raise _invalid(f"The JSON nests deeper than {MAX_DEPTH} levels.")
    return payload


class _Refused(ValueError):
    pass


def _invalid(reason: str) -> ArmError:
    return ArmError(400, "InvalidRequestContent", f"{DESERIALIZE}'{reason}'.")


def _no_constant(name: str) -> Any:
    raise _Refused(f"'{name}' is not a JSON value; numbers must be finite.")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(int(text)) > MAX_INTEGER:
        raise _Refused(f"The integer {text[:30]}{'...' if len(text) > 30 else ''} does not fit in 64 bits.")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"The number {text[:30]} is out of range.")
    return value


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        twice = next(name for name, _ in pairs if name in seen or seen.add(name))  # type: ignore[func-returns-value]
        raise _Refused(f"The member '{twice[:60]}' appears twice in one object.")
    return result


def _depth(payload: Any) -> int:
    """Nesting depth, without recursion (the decoder already bounded it by the interpreter's limit)."""
    deepest = 0
    pending = [(payload, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        pending.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest
