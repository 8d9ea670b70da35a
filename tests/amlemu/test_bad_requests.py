"""Bad requests get ARM's answers: an error envelope with the right status, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from arm_client import ArmSession, error_of

from amlemu.identity import issue_token
from amlemu.state import WorkspaceIdentity
from amlemu.testing import RunningEmulator, running_emulator


@pytest.fixture(scope="module")
def arm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArmSession]:
    with running_emulator(tmp_path_factory.mktemp("bad") / "state", mode="direct") as emu:
        yield ArmSession(emu)


def test_malformed_json_body(arm: ArmSession) -> None:
    response = arm.ws("PUT", "/onlineEndpoints/json-ep", raw=b'{"properties": {')
    status, code, message = error_of(response)
    assert (status, code) == (400, "InvalidRequestContent")
    assert message.startswith("The request content was invalid and could not be deserialized: ")


def test_body_that_is_not_an_object(arm: ArmSession) -> None:
    response = arm.ws("PUT", "/onlineEndpoints/json-ep", raw=b"[1, 2]")
    assert error_of(response)[:2] == (400, "InvalidRequestContent")


def test_missing_api_version(arm: ArmSession) -> None:
    response = arm.ws("GET", "/onlineEndpoints", api_version=None)
    assert error_of(response) == (
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
    )


def test_unknown_api_version(arm: ArmSession) -> None:
    response = arm.ws("GET", "/onlineEndpoints", api_version="1999-01-01")
    status, code, message = error_of(response)
    assert (status, code) == (400, "NoRegisteredProviderFound")
    assert "API version '1999-01-01'" in message and "2023-04-01" in message


def test_unknown_path(arm: ArmSession) -> None:
    response = arm.ws("GET", "/onlineEndpoints/ep/gadgets")
    assert error_of(response)[:2] == (404, "InvalidResourceType")
    response = arm.ws("GET", "/batchWidgets")
    assert error_of(response)[:2] == (404, "InvalidResourceType")


def test_wrong_method(arm: ArmSession) -> None:
    response = arm.ws("PATCH", "/onlineEndpoints/ep/listKeys")
    status, code, message = error_of(response)
    assert (status, code) == (405, "MethodNotAllowed")
    assert "'PATCH'" in message and "POST" in message


def test_missing_authorization(arm: ArmSession) -> None:
    response = requests.get(arm.emu.arm_url + arm.workspace, params={"api-version": "2023-04-01"})
    assert error_of(response) == (
        401,
        "AuthenticationFailed",
        "Authentication failed. The 'Authorization' header is missing.",
    )


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer a.b.c"])
def test_bad_token(arm: ArmSession, header: str) -> None:
    response = arm.ws("GET", "", headers={"Authorization": header})
    assert error_of(response) == (401, "InvalidAuthenticationToken", "The access token is invalid.")


def test_token_signed_by_another_emulator(arm: ArmSession) -> None:
    other = WorkspaceIdentity(**{**arm.emu.identity.__dict__, "signing_secret": "0" * 64})
    response = arm.ws("GET", "", headers={"Authorization": "Bearer " + issue_token(other, "x", "y")})
    assert error_of(response)[:2] == (401, "InvalidAuthenticationToken")


def test_expired_token(arm: ArmSession) -> None:
    token = issue_token(arm.emu.identity, "x", "y", lifetime_s=-10)
    response = arm.ws("GET", "", headers={"Authorization": f"Bearer {token}"})
    status, code, message = error_of(response)
    assert (status, code) == (401, "ExpiredAuthenticationToken")
    assert "is earlier than current UTC time" in message


def test_wrong_basic_scheme(arm: ArmSession) -> None:
    response = arm.ws("GET", "", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert error_of(response)[:2] == (401, "AuthenticationFailed")


def test_wrong_client_secret_gets_entra_error(arm: ArmSession) -> None:
    emu: RunningEmulator = arm.emu
    response = requests.post(
        f"{emu.arm_url}/{emu.identity.tenant_id}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": emu.identity.client_id,
            "client_secret": "wrong",
            "scope": "https://management.azure.com/.default",
        },
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.json()["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")


# -- bodies are read through the published definitions before anything is stored ----------------
#
# ARM answers a body its JSON reader cannot read into the resource's contract with 400
# `InvalidRequestContent` and a message naming the JSON path, e.g. "The request content was
# invalid and could not be deserialized: 'Required property 'server' not found in JSON. Path
# 'properties.imageRegistryCredentials[0]' ...'" (MicrosoftDocs/azure-docs,
# articles/container-instances/container-instances-troubleshooting.md); Azure ML's own
# troubleshooting guide shows the same code for a Microsoft.MachineLearningServices body
# (MicrosoftDocs/azure-ai-docs, articles/machine-learning/troubleshooting-managed-feature-store.md).

ENDPOINT = {"location": "eastus", "properties": {"authMode": "Key"}}
DEPLOYMENT = {
    "location": "eastus",
    "sku": {"name": "Default", "capacity": 1},
    "properties": {"endpointComputeType": "Managed", "instanceType": "Standard_DS3_v2"},
}


def _with(base: dict, path: str, value: object) -> dict:
    import copy

    body = copy.deepcopy(base)
    *parents, last = path.split(".")
    target = body
    for name in parents:
        target = target.setdefault(name, {})
    target[last] = value
    return body


@pytest.fixture(scope="module")
def endpoint(arm: ArmSession) -> str:
    assert arm.ws("PUT", "/onlineEndpoints/valid-ep", ENDPOINT).status_code == 201
    _settle(arm, "/onlineEndpoints/valid-ep")
    return "/onlineEndpoints/valid-ep"


def _settle(arm: ArmSession, path: str) -> None:
    import time

    deadline = time.monotonic() + 10
    while arm.ws("GET", path).json()["properties"]["provisioningState"] not in ("Succeeded", "Failed"):
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _refused(response: requests.Response, path: str) -> None:
    status, code, message = error_of(response)
    assert (status, code) == (400, "InvalidRequestContent"), response.text
    assert message.startswith("The request content was invalid and could not be deserialized: ")
    assert f"Path '{path}" in message, message


@pytest.mark.parametrize(
    "field, value",
    [
        ("location", 5),
        ("tags", [1]),
        ("identity", 5),
        ("identity", [1]),
        ("properties.keys", "x"),
        ("properties.properties", [1, 2]),
        ("properties.traffic", {"blue": "1" * 5000}),
        ("properties.description", {"text": "x"}),
    ],
)
def test_endpoint_body_that_does_not_fit_the_definition(
    arm: ArmSession, endpoint: str, field: str, value: object
) -> None:
    before = arm.ws("GET", endpoint).json()
    _refused(arm.ws("PUT", endpoint, _with(ENDPOINT, field, value)), field)
    _refused(arm.ws("PUT", "/onlineEndpoints/never-made", _with(ENDPOINT, field, value)), field)
    assert arm.ws("GET", "/onlineEndpoints/never-made").status_code == 404
    after = arm.ws("GET", endpoint).json()
    assert after["location"] == before["location"] and after["tags"] == before["tags"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("properties.requestSettings", "x"),
        ("properties.properties", [1, 2]),
        ("identity", 5),
        ("sku.capacity", "many"),
        ("properties.livenessProbe", {"period": "often"}),
    ],
)
def test_deployment_body_that_does_not_fit_the_definition(
    arm: ArmSession, endpoint: str, field: str, value: object
) -> None:
    _refused(arm.ws("PUT", f"{endpoint}/deployments/blue", _with(DEPLOYMENT, field, value)), field)
    assert arm.ws("GET", f"{endpoint}/deployments/blue").status_code == 404


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b'{"location": "eastus", "properties": {"authMode": "Key", "description": NaN}}', "'NaN' is not a JSON value"),
        (b'{"location": "eastus", "properties": {"authMode": "Key", "description": Infinity}}', "'Infinity'"),
        (b'{"location": "eastus", "properties": {"authMode": "Key", "description": -Infinity}}', "'-Infinity'"),
        (
            b'{"location": "eastus", "properties": {"authMode": "Key", "traffic": {"b": ' + b"9" * 5000 + b"}}}",
            "does not fit in 64 bits",
        ),
        (b'{"location": "eastus", "properties": {"authMode": "Key", "traffic": {"b": 1e999}}}', "out of range"),
        (b"[" * 100_000 + b"]" * 100_000, "nests deeper than 64 levels"),
        (
            b'{"location": "eastus", "tags": '
            + b'{"a": ' * 80
            + b"1"
            + b"}" * 80
            + b', "properties": {"authMode": "Key"}}',
            "nests deeper than 64 levels",
        ),
        (
            b'{"location": "eastus", "location": "westus", "properties": {"authMode": "Key"}}',
            "'location' appears twice",
        ),
    ],
)
def test_non_standard_json_is_refused(arm: ArmSession, raw: bytes, reason: str) -> None:
    response = arm.ws("PUT", "/onlineEndpoints/json-ep", raw=raw)
    status, code, message = error_of(response)
    assert (status, code) == (400, "InvalidRequestContent")
    assert reason in message, message
    assert arm.ws("GET", "/onlineEndpoints/json-ep").status_code == 404


def test_a_body_over_the_size_limit_is_refused_unread(arm: ArmSession) -> None:
    from amlemu.arm.request_body import MAX_BODY_BYTES

    description = "x" * (MAX_BODY_BYTES + 1)
    response = arm.ws("PUT", "/onlineEndpoints/big-ep", _with(ENDPOINT, "properties.description", description))
    assert error_of(response)[:2] == (413, "RequestEntityTooLarge")
    assert arm.ws("GET", "/onlineEndpoints/big-ep").status_code == 404


def test_regenerate_keys_with_a_key_value_that_is_not_a_string(arm: ArmSession, endpoint: str) -> None:
    """A stored non-string key made every scoring request of the endpoint a 500."""
    _refused(arm.ws("POST", f"{endpoint}/regenerateKeys", {"keyType": "Primary", "keyValue": 5}), "keyValue")
    _refused(arm.ws("POST", f"{endpoint}/regenerateKeys", {"keyType": "Primary", "keyValue": [1]}), "keyValue")
    keys = arm.ws("POST", f"{endpoint}/listKeys").json()
    assert isinstance(keys["primaryKey"], str) and isinstance(keys["secondaryKey"], str)
    scoring = arm.emu.arm_url + "/inference/valid-ep." + arm.emu.identity.region + ".inference.ml.azure.com/score"
    answer = arm.session.post(
        scoring, json={}, headers={"Authorization": f"Bearer {keys['primaryKey']}"}, verify=arm.ca
    )
    assert answer.status_code != 500


def test_what_is_read_is_what_is_stored(arm: ArmSession) -> None:
    """Members the definition does not know, and read-only ones, are dropped; integers written
    as text are read as integers; tag values are text."""
    body = _with(_with(ENDPOINT, "properties.provisioningState", "Succeeded"), "properties.colour", "blue")
    body["tags"] = {"build": 42}
    body["unknown"] = {"x": 1}
    response = arm.ws("PUT", "/onlineEndpoints/read-ep", body)
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["properties"]["provisioningState"] == "Creating"
    assert "colour" not in stored["properties"] and "unknown" not in stored
    assert stored["tags"] == {"build": "42"}


def test_token_whose_expiry_is_not_a_number(arm: ArmSession) -> None:
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    claims = {"aud": "https://management.azure.com", "exp": "tomorrow", "tid": arm.emu.identity.tenant_id}
    signing_input = b64(b'{"alg": "HS256", "typ": "JWT"}') + "." + b64(json.dumps(claims).encode())
    signature = hmac.new(arm.emu.identity.signing_secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    response = arm.ws("GET", "", headers={"Authorization": f"Bearer {signing_input}.{b64(signature)}"})
    assert error_of(response) == (401, "InvalidAuthenticationToken", "The access token is invalid.")
