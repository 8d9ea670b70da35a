"""The emulated Microsoft Entra token endpoint, and the check of ARM bearer tokens.

An unmodified `DefaultAzureCredential` (through its `EnvironmentCredential` and MSAL)
asks `login.microsoftonline.com` for the tenant's OpenID configuration and then posts
a client-credentials grant. The emulator answers both and issues an HS256 JWT signed
with the state folder's secret, so tokens survive a restart and ARM can tell its own
tokens from anything else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

from amlemu.arm.errors import ArmError
from amlemu.http_messages import Request, Response
from amlemu.state import WorkspaceIdentity

TOKEN_LIFETIME_S = 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(identity: WorkspaceIdentity, audience: str, subject: str, lifetime_s: int = TOKEN_LIFETIME_S) -> str:
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "aud": audience, "iss": f"https://sts.windows.net/{identity.tenant_id}/", "iat": now, "nbf": now,
        "exp": now + lifetime_s, "tid": identity.tenant_id, "appid": subject, "oid": subject, "sub": subject,
        "uti": uuid.uuid4().hex,
    }
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    signature = hmac.new(identity.signing_secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def verify_token(identity: WorkspaceIdentity, token: str) -> dict[str, Any] | None:
    """The claims of a token this emulator signed and that has not expired, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    expected = hmac.new(identity.signing_secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(expected, _unb64(parts[2])):
            return None
        claims = json.loads(_unb64(parts[1]))
    except (ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None


def check_arm_authorization(identity: WorkspaceIdentity, request: Request) -> None:
    """Raise ARM's 401 envelope unless the request carries a valid bearer token."""
    header = request.header("authorization")
    if not header:
        raise ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ArmError(401, "AuthenticationFailed",
                       "Authentication failed. The 'Authorization' header is provided in an invalid format.")
    claims = verify_token(identity, token.strip())
    if claims is None:
        raise ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.")
    now = int(time.time())
    if int(claims.get("exp", 0)) < now:
        expired = time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(int(claims.get("exp", 0))))
        current = time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(now))
        raise ArmError(401, "ExpiredAuthenticationToken",
                       f"The access token expiry UTC time '{expired}' is earlier than current UTC time '{current}'.")


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response.json(status, {"error": error, "error_description": description,
                                  "error_codes": [int(description[len("AADSTS"):description.index(":")])],
                                  "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
                                  "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4())})


def handle_login(identity: WorkspaceIdentity, base_url: str, request: Request) -> Response:
    """Answer the few Entra routes a client-credentials flow uses."""
    segments = [part for part in request.path.split("/") if part]
    if request.method == "GET" and segments[-3:] == ["v2.0", ".well-known", "openid-configuration"] or (
        request.method == "GET" and segments[-2:] == [".well-known", "openid-configuration"]
    ):
        tenant = segments[0]
        return Response.json(200, {
            "issuer": f"https://login.microsoftonline.com/{identity.tenant_id}/v2.0",
            "authorization_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/devicecode",
            "jwks_uri": f"{base_url}/{tenant}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "tenant_region_scope": "NA",
        })
    if request.method == "GET" and segments[-2:] == ["discovery", "instance"]:
        authority = request.query.get("authorization_endpoint", f"{base_url}/common/oauth2/v2.0/authorize")
        host = base_url.split("//", 1)[1]
        return Response.json(200, {
            "tenant_discovery_endpoint": authority.replace("/oauth2/v2.0/authorize", "/v2.0/.well-known/openid-configuration"),
            "api-version": "1.1",
            "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}],
        })
    if request.method == "POST" and segments[-3:] == ["oauth2", "v2.0", "token"]:
        return _token(identity, segments[0], request)
    return Response.json(404, {"error": "not_found", "error_description": "This Entra route is not emulated."})


def _token(identity: WorkspaceIdentity, tenant: str, request: Request) -> Response:
    form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
    if tenant not in (identity.tenant_id, "organizations", "common"):
        return _oauth_error(400, "invalid_request",
                            f"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
                            "and are signing into the correct cloud.")
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type",
                            "AADSTS70003: The app requested an unsupported grant type; "
                            "the emulator issues tokens for client credentials only.")
    if form.get("client_id") != identity.client_id:
        return _oauth_error(400, "unauthorized_client",
                            f"AADSTS700016: Application with identifier '{form.get('client_id')}' was not found "
                            f"in the directory '{tenant}'.")
    if not hmac.compare_digest(form.get("client_secret", ""), identity.client_secret):
        return _oauth_error(401, "invalid_client",
                            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request "
                            f"is the client secret value, not the client secret ID, for a secret added to app "
                            f"'{identity.client_id}'.")
    scope = form.get("scope", "").split(" ")[0]
    audience = scope[: -len("/.default")] if scope.endswith("/.default") else scope
    token = issue_token(identity, audience or "https://management.azure.com", identity.client_id)
    return Response.json(200, {"token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S,
                               "ext_expires_in": TOKEN_LIFETIME_S, "access_token": token})
