"""Tokens are scoped: ARM takes only tokens for the management audience, and an endpoint's
scoring route takes only that endpoint's keys or tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from arm_client import ArmSession, endpoint_body, error_of

from amlemu.http_messages import Request
from amlemu.identity import issue_token
from amlemu.scoring.routing import is_authorized
from amlemu.scoring_contract import EndpointRouting
from amlemu.testing import running_emulator

ARM_API = "2022-02-01-preview"


@pytest.fixture(scope="module")
def arm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArmSession]:
    with running_emulator(tmp_path_factory.mktemp("scopes") / "state") as emu:
        session = ArmSession(emu)
        for name, mode in (("token-ep", "AMLToken"), ("keyed-ep", "Key")):
            assert session.ws("PUT", f"/onlineEndpoints/{name}", endpoint_body(mode), api_version=ARM_API).ok
        yield session


def _entra_token(arm: ArmSession, scope: str) -> str:
    """A token from the emulated Entra endpoint, as a client-credentials grant gets it."""
    identity = arm.emu.identity
    login = "https://login.microsoftonline.com" if arm.emu.mode == "proxy" else arm.emu.arm_url
    response = requests.post(
        f"{login}/{identity.tenant_id}/oauth2/v2.0/token",
        verify=arm.ca,
        data={
            "grant_type": "client_credentials",
            "client_id": identity.client_id,
            "client_secret": identity.client_secret,
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_scoring_token_of_one_endpoint_cannot_list_keys_of_another(arm: ArmSession) -> None:
    scoring_token = arm.ws("POST", "/onlineEndpoints/token-ep/token", api_version=ARM_API).json()["accessToken"]
    stolen = arm.ws(
        "POST",
        "/onlineEndpoints/keyed-ep/listKeys",
        api_version=ARM_API,
        headers={"Authorization": f"Bearer {scoring_token}"},
    )
    status, code, message = error_of(stolen)
    assert (status, code) == (401, "InvalidAuthenticationTokenAudience")
    assert "'https://ml.azure.com'" in message and "'https://management.azure.com/'" in message
    assert "primaryKey" not in stolen.text
    # the caller's own management token still works
    assert set(arm.ws("POST", "/onlineEndpoints/keyed-ep/listKeys", api_version=ARM_API).json()) == {
        "primaryKey",
        "secondaryKey",
    }


@pytest.mark.parametrize(
    "scope", ["https://storage.azure.com/.default", "https://ml.azure.com/.default", "https://vault.azure.net/.default"]
)
def test_tokens_for_other_resources_are_refused_by_arm(arm: ArmSession, scope: str) -> None:
    token = _entra_token(arm, scope)
    response = arm.ws("GET", "", headers={"Authorization": f"Bearer {token}"})
    assert error_of(response)[:2] == (401, "InvalidAuthenticationTokenAudience")


@pytest.mark.parametrize(
    "scope",
    [
        "https://management.azure.com/.default",  # azure-mgmt and ArmSession
        "https://management.azure.com//.default",  # azure-ai-ml: the cloud's resource_manager + "/.default"
        "https://management.core.windows.net//.default",  # the Azure CLI's active_directory_resource_id
        "https://management.core.windows.net/.default",
    ],
)
def test_management_audiences_are_accepted(arm: ArmSession, scope: str) -> None:
    token = _entra_token(arm, scope)
    assert arm.ws("GET", "", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_direct_mode_accepts_its_own_management_url_as_audience(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with running_emulator(tmp_path / "state", mode="direct") as emu:
        session = ArmSession(emu)  # asks for f"{emu.arm_url}/.default", as the custom cloud's scope
        assert session.ws("GET", "").status_code == 200
        slash = _entra_token(session, f"{emu.arm_url}//.default")
        assert session.ws("GET", "", headers={"Authorization": f"Bearer {slash}"}).status_code == 200
        storage = _entra_token(session, "https://storage.azure.com/.default")
        assert error_of(session.ws("GET", "", headers={"Authorization": f"Bearer {storage}"}))[:2] == (
            401,
            "InvalidAuthenticationTokenAudience",
        )


# -- the scoring side: pure decisions over an endpoint's routing state -----------------------


def _scoring_request(credential: str) -> Request:
    return Request(
        "POST", "ep.eastus.inference.ml.azure.com", "/score", {}, {"authorization": f"Bearer {credential}"}, b"{}"
    )


def _routing(auth_mode: str, keys: tuple[str, ...]) -> EndpointRouting:
    return EndpointRouting(endpoint="ep", auth_mode=auth_mode, keys=keys, traffic={"blue": 100}, mirror_traffic={})


def test_scoring_takes_only_this_endpoints_tokens(arm: ArmSession) -> None:
    identity = arm.emu.identity
    own = issue_token(identity, "https://ml.azure.com", "ep")
    other = issue_token(identity, "https://ml.azure.com", "other-ep")
    arm_token = _entra_token(arm, "https://management.azure.com/.default")
    routing = _routing("aml_token", ("primary-key", "secondary-key", own))
    assert is_authorized(routing, _scoring_request(own))
    assert not is_authorized(routing, _scoring_request(other))
    assert not is_authorized(routing, _scoring_request(arm_token))
    # keys belong to key-auth endpoints; an AMLToken endpoint takes tokens only
    assert not is_authorized(routing, _scoring_request("primary-key"))


def test_scoring_refuses_an_expired_token_it_once_issued(arm: ArmSession) -> None:
    expired = issue_token(arm.emu.identity, "https://ml.azure.com", "ep", lifetime_s=-10)
    assert not is_authorized(_routing("aml_token", ("k1", "k2", expired)), _scoring_request(expired))


def test_key_endpoint_takes_its_keys_only(arm: ArmSession) -> None:
    token = issue_token(arm.emu.identity, "https://ml.azure.com", "ep")
    routing = _routing("key", ("primary-key", "secondary-key", token))
    assert is_authorized(routing, _scoring_request("primary-key"))
    assert is_authorized(routing, _scoring_request("secondary-key"))
    assert not is_authorized(routing, _scoring_request(token))
    assert not is_authorized(routing, _scoring_request("other-key"))
