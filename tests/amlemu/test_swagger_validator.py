"""The validator itself: it accepts every published example and rejects broken ones.

Plain JSON Schema would reject the published examples (allOf + additionalProperties:false);
these tests show the Swagger semantics are what makes them pass, so the validator can be
trusted to judge the emulator's responses."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from amlemu.arm.swagger import MFE, STABLE, Spec

# The published examples live in shared/ beside the repository (not shipped); the definitions
# they are checked against are the copy shipped in the package.
EXAMPLES_ROOT = Path(__file__).resolve().parents[3] / "shared" / "azure-rest-api-specs" / "specification" / STABLE
pytestmark = pytest.mark.skipif(
    not EXAMPLES_ROOT.is_dir(), reason=f"the published Azure ML REST examples are not at {EXAMPLES_ROOT}"
)


def _examples() -> list[tuple[str, str, Path]]:
    spec = Spec()
    found = []
    for method, _template, operation in spec.operations():
        for ref in (operation.get("x-ms-examples") or {}).values():
            path = (EXAMPLES_ROOT / ref["$ref"]).resolve()
            if path.exists():
                found.append((operation["operationId"], method, path))
    return found


EXAMPLES = _examples()


def test_examples_are_found() -> None:
    assert len(EXAMPLES) >= 12
    assert {op for op, _, _ in EXAMPLES} >= {
        "OnlineEndpoints_CreateOrUpdate",
        "OnlineEndpoints_Get",
        "OnlineDeployments_CreateOrUpdate",
        "OnlineDeployments_Get",
    }


@pytest.mark.parametrize("operation_id, method, path", EXAMPLES, ids=[f"{e[0]}-{e[2].parent.name}" for e in EXAMPLES])
def test_published_example_responses_are_valid(operation_id: str, method: str, path: Path) -> None:
    spec = Spec()
    operation = next(op for _, _, op in spec.operations() if op["operationId"] == operation_id)
    example = json.loads(path.read_text())
    checked = 0
    for status, response in example["responses"].items():
        schema = spec.response_schema(operation, int(status))
        if schema is not None and "body" in response:
            assert spec.validate(schema, response["body"]) == []
            checked += 1
    if operation_id.endswith(("_Get", "_CreateOrUpdate", "_List")):
        assert checked > 0


def _endpoint_example() -> tuple[Spec, object, dict]:
    spec = Spec()
    example = json.loads((EXAMPLES_ROOT / "examples/Workspace/OnlineEndpoint/get.json").read_text())
    return spec, spec.definition("OnlineEndpointTrackedResource"), example["responses"]["200"]["body"]


@pytest.mark.parametrize(
    "breakage, expected",
    [
        (
            lambda b: b["properties"].__setitem__("authMode", "Password"),
            "$.properties.authMode: 'Password' is not one of",
        ),
        (lambda b: b.pop("location"), "$: required property 'location' is missing"),
        (
            lambda b: b["properties"]["traffic"].__setitem__("blue", "ninety"),
            "$.properties.traffic.blue: expected an integer",
        ),
        (
            lambda b: b["properties"].__setitem__("colour", "blue"),
            "$.properties: property 'colour' is not in the definition",
        ),
        (lambda b: b["properties"].pop("authMode"), "$.properties: required property 'authMode' is missing"),
        (
            lambda b: b["properties"].__setitem__("scoringUri", "not a uri"),
            "$.properties.scoringUri: 'not a uri' is not a URI",
        ),
        (lambda b: b["properties"].__setitem__("authMode", None), "$.properties.authMode: null is not allowed"),
    ],
)
def test_broken_endpoint_examples_are_rejected(breakage, expected: str) -> None:
    spec, schema, body = _endpoint_example()
    assert spec.validate(schema, body) == []
    broken = copy.deepcopy(body)
    breakage(broken)
    errors = spec.validate(schema, broken)
    assert any(error.startswith(expected) for error in errors), errors


def test_discriminator_picks_the_subtype() -> None:
    spec = Spec()
    example = json.loads((EXAMPLES_ROOT / "examples/OnlineDeployment/ManagedOnlineDeployment/get.json").read_text())
    body = example["responses"]["200"]["body"]
    schema = spec.definition("OnlineDeploymentTrackedResource")
    assert spec.validate(schema, body) == []
    # a Kubernetes-only property is valid only for the Kubernetes subtype
    body["properties"]["containerResourceRequirements"] = {}
    assert any("containerResourceRequirements" in e for e in spec.validate(schema, body))
    body["properties"]["endpointComputeType"] = "Kubernetes"
    assert spec.validate(schema, body) == []
    body["properties"]["scaleSettings"] = {"scaleType": "TargetUtilization", "pollingInterval": "soon"}
    assert any("pollingInterval" in e and "duration" in e for e in spec.validate(schema, body))


def test_plain_json_schema_would_reject_the_published_example() -> None:
    """Why a Swagger-aware validator is needed at all."""
    import jsonschema

    spec, schema, body = _endpoint_example()
    definitions = spec.document(MFE)["definitions"]
    plain = {**definitions["OnlineEndpoint"], "definitions": definitions}
    validator = jsonschema.Draft4Validator(plain)
    assert not validator.is_valid(body["properties"])
    assert spec.validate(spec.definition("OnlineEndpoint"), body["properties"]) == []
