"""Bad requests get ARM's answers: an error envelope with the right status, never a 500."""

from __future__ import annotations

from typing import Iterator

import pytest
import requests

from amlemu.identity import issue_token
from amlemu.state import WorkspaceIdentity
from amlemu.testing import RunningEmulator, running_emulator
from arm_client import ArmSession, error_of


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
    response = arm.ws("PUT", "/onlineEndpoints/json-ep", raw=b'[1, 2]')
    assert error_of(response)[:2] == (400, "InvalidRequestContent")


def test_missing_api_version(arm: ArmSession) -> None:
    response = arm.ws("GET", "/onlineEndpoints", api_version=None)
    assert error_of(response) == (400, "MissingApiVersionParameter",
                                  "The api-version query parameter (?api-version=) is required for all requests.")


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
    assert error_of(response) == (401, "AuthenticationFailed",
                                  "Authentication failed. The 'Authorization' header is missing.")


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
    response = requests.post(f"{emu.arm_url}/{emu.identity.tenant_id}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": emu.identity.client_id, "client_secret": "wrong",
        "scope": "https://management.azure.com/.default"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.json()["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")
