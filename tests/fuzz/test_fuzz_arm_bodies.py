"""Generated request bodies against the emulator's ARM handlers.

Bodies come from the published definitions (objects of the right shape whose members are
sometimes replaced by arbitrary JSON) and from arbitrary JSON values and bytes. They go
through `Emulator.handle`, the dispatch the HTTPS transport calls, as real `Request`s.

Properties: no answer is a 500; every 4xx carries ARM's error envelope; whatever was stored
reads back valid against the published definitions. The long run:

    FUZZ_EXAMPLES=10000 .venv/bin/pytest -p no:xdist tests/fuzz/test_fuzz_arm_bodies.py
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amlemu.arm.swagger import Schema, Spec
from amlemu.emulator import Emulator
from amlemu.http_messages import Request, Response
from amlemu.identity import issue_token

SPEC = Spec()
ENDPOINT = "/onlineEndpoints/fuzz-ep"
DEPLOYMENT = ENDPOINT + "/deployments/fuzz-dep"
# Values the service accepts for the members whose free text it checks, so that generated
# bodies get past the first rule often enough to be stored.
LIKELY_TEXT = [
    "Key",
    "AMLToken",
    "AADToken",
    "Managed",
    "Kubernetes",
    "Default",
    "TargetUtilization",
    "Standard_DS3_v2",
    "Standard_F2s_v2",
    "PT5S",
    "PT0.5S",
    "SystemAssigned",
    "UserAssigned",
    "None",
    "eastus",
    "Primary",
    "Secondary",
    "fuzz-dep",
    "Enabled",
    "Disabled",
    "",
]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
raw_bodies = st.binary(max_size=300) | st.sampled_from(
    [
        b"NaN",
        b"[Infinity]",
        b'{"a": -Infinity}',
        b"1" * 400,
        b"[" * 5000,
        b'{"a": 1, "a": 2}',
        b"\xff\xfe{}",
        b'{"location": "eastus", "properties": {"authMode": "Key", "description": 1e400}}',
    ]
)


def _from_schema(schema: Schema, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped by the definition, any member of which may be replaced by arbitrary JSON."""
    return st.one_of(_shaped(schema, depth), _shaped(schema, depth), _shaped(schema, depth), json_values)


def _shaped(schema: Schema, depth: int) -> st.SearchStrategy[Any]:
    schema = SPEC.resolve(schema.file, schema.node)
    node = schema.node
    if depth > 6:
        return json_scalars
    if "enum" in node:
        return st.sampled_from(node["enum"]) | st.sampled_from([str(v).lower() for v in node["enum"]])
    kind = node.get("type") or ("object" if "properties" in node or "allOf" in node else None)
    if kind == "object":
        flat = SPEC.flatten(schema)
        if flat.discriminator:
            subtypes = [
                SPEC.subtype(schema, value) for value in ("Managed", "Default", "Kubernetes", "TargetUtilization")
            ]
            options = [SPEC.flatten(s) for s in subtypes if s is not None] or [flat]
            flat = options[0]
        members = {name: _from_schema(sub, depth + 1) for name, sub in flat.properties.items()}
        required = {name: members[name] for name in flat.required if name in members}
        optional = {name: value for name, value in members.items() if name not in required}
        shaped = st.fixed_dictionaries(required, optional=optional)
        if flat.additional is not None and flat.additional is not False:
            mapped = st.dictionaries(
                st.sampled_from(["blue", "fuzz-dep", "a", "x" * 40]) | st.text(max_size=8),
                _from_schema(flat.additional, depth + 1),
                max_size=3,
            )
            return mapped if not flat.properties else shaped
        return shaped
    if kind == "array":
        return st.lists(_from_schema(Schema(schema.file, node.get("items", {})), depth + 1), max_size=3)
    if kind == "string":
        return st.sampled_from(LIKELY_TEXT) | st.text(max_size=30)
    if kind == "integer":
        return st.integers(0, 100) | st.integers(-(2**40), 2**40) | st.integers()
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    return json_values


# Bodies the service accepts, which generated members are merged into, so that many
# generated bodies are stored and read back.
VALID = {
    "OnlineEndpointTrackedResource": {"location": "eastus", "properties": {"authMode": "Key"}},
    "OnlineDeploymentTrackedResource": {
        "location": "eastus",
        "sku": {"name": "Default", "capacity": 1},
        "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2"},
    },
    "PartialMinimalTrackedResourceWithSku": {"sku": {"capacity": 1}},
    "RegenerateEndpointKeysRequest": {"keyType": "Primary"},
    "DeploymentLogsRequest": {"containerType": "InferenceServer"},
}


def _merged(base: Any, change: Any) -> Any:
    if isinstance(base, dict) and isinstance(change, dict):
        return {**base, **{key: _merged(base.get(key), value) for key, value in change.items()}}
    return change


def _body(definition: str) -> st.SearchStrategy[bytes]:
    shaped = _from_schema(SPEC.definition(definition))
    near_valid = shaped.map(lambda change: _merged(VALID[definition], change))
    return (
        st.one_of(
            near_valid,
            near_valid,
            shaped,
            json_values,
        ).map(lambda value: json.dumps(value).encode())
        | raw_bodies
    )


class Client:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.workspace = emulator.identity.workspace_id
        token = issue_token(emulator.identity, "https://management.azure.com", emulator.identity.client_id)
        self.headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}

    def send(self, method: str, relative: str, body: bytes = b"") -> Response:
        request = Request(
            method, "management.azure.com", self.workspace + relative, {"api-version": "2023-04-01"}, self.headers, body
        )
        response = self.emulator.handle(request)
        self.emulator.operations.wait_idle()
        return response


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with tempfile.TemporaryDirectory(prefix="amlemu-fuzz-") as folder:
        emulator = Emulator(Path(folder) / "state")
        try:
            arm = Client(emulator)
            created = arm.send(
                "PUT",
                ENDPOINT,
                json.dumps({"location": emulator.identity.region, "properties": {"authMode": "Key"}}).encode(),
            )
            assert created.status == 201, created.body
            created = arm.send("PUT", DEPLOYMENT, json.dumps(VALID["OnlineDeploymentTrackedResource"]).encode())
            assert created.status == 201, created.body
            yield arm
        finally:
            emulator.close()


def _check(client: Client, response: Response) -> None:
    assert response.status < 500, response.body[:500]
    if 400 <= response.status < 500:
        envelope = json.loads(response.body)
        assert isinstance(envelope["error"]["code"], str) and envelope["error"]["code"]
        assert isinstance(envelope["error"]["message"], str) and envelope["error"]["message"]
    for path, definition in (
        (ENDPOINT, "OnlineEndpointTrackedResource"),
        (DEPLOYMENT, "OnlineDeploymentTrackedResource"),
    ):
        stored = client.send("GET", path)
        assert stored.status in (200, 404), stored.body[:500]
        if stored.status == 200:
            errors = SPEC.validate(SPEC.definition(definition), json.loads(stored.body))
            assert errors == [], errors
    scored = client.emulator.handle(
        Request(
            "POST",
            f"fuzz-ep.{client.emulator.identity.region}.inference.ml.azure.com",
            "/score",
            {},
            {"authorization": "Bearer x", "content-type": "application/json"},
            b"{}",
        )
    )
    assert scored.status < 500 or scored.status == 503, scored.body[:300]


@given(body=_body("OnlineEndpointTrackedResource"))
def test_put_endpoint(client: Client, body: bytes) -> None:
    _check(client, client.send("PUT", ENDPOINT, body))


@given(body=_body("OnlineDeploymentTrackedResource"))
def test_put_deployment(client: Client, body: bytes) -> None:
    _check(client, client.send("PUT", DEPLOYMENT, body))


@given(body=_body("PartialMinimalTrackedResourceWithSku"))
def test_patch_deployment(client: Client, body: bytes) -> None:
    _check(client, client.send("PATCH", DEPLOYMENT, body))


@given(body=_body("RegenerateEndpointKeysRequest"))
def test_regenerate_keys(client: Client, body: bytes) -> None:
    _check(client, client.send("POST", ENDPOINT + "/regenerateKeys", body))
    keys = client.send("POST", ENDPOINT + "/listKeys")
    if keys.status == 200:
        assert all(isinstance(value, str) for value in json.loads(keys.body).values())


@given(body=json_values.map(lambda v: json.dumps(v).encode()) | raw_bodies)
def test_token_and_keys_take_no_body(client: Client, body: bytes) -> None:
    for action in ("/token", "/listKeys"):
        _check(client, client.send("POST", ENDPOINT + action, body))


@given(body=_body("DeploymentLogsRequest"))
def test_get_logs(client: Client, body: bytes) -> None:
    _check(client, client.send("POST", DEPLOYMENT + "/getLogs", body))
