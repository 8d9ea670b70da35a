"""The emulated Microsoft Entra token endpoint, and the check of bearer tokens.

An unmodified `DefaultAzureCredential` (through its `EnvironmentCredential` and MSAL)
asks `login.microsoftonline.com` for the tenant's OpenID configuration and then posts
a client-credentials grant. The emulator answers both and issues an HS256 JWT signed
with the state folder's secret, so tokens survive a restart and ARM can tell its own
tokens from anything else.

Every token names its audience (`aud`: the resource of the requested scope, the scope
without `/.default`), and each service takes only tokens meant for it, as Azure's do:
ARM the management audiences, Blob storage the storage audience. An endpoint's scoring
tokens (audience `https://ml.azure.com`) therefore open neither ARM nor storage.
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

# What ARM accepts as `aud`: the resource ids clients ask for. azure-ai-ml asks for the cloud's
# resource manager URL with its trailing slash, azure-mgmt and azure-identity users without it,
# the Azure CLI for the classic `management.core.windows.net/`.
MANAGEMENT_AUDIENCES = (
    "https://management.core.windows.net/",
    "https://management.core.windows.net",
    "https://management.azure.com/",
    "https://management.azure.com",
)
# What Blob storage accepts as `aud` (https://storage.azure.com/.default is the scope clients ask for).
STORAGE_AUDIENCES = ("https://storage.azure.com", "https://storage.azure.com/")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(identity: WorkspaceIdentity, audience: str, subject: str, lifetime_s: int = TOKEN_LIFETIME_S) -> str:
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "aud": audience,
        "iss": f"https://sts.windows.net/{identity.tenant_id}/",
        "iat": now,
        "nbf": now,
        "exp": now + lifetime_s,
        "tid": identity.tenant_id,
        "appid": subject,
        "oid": subject,
        "sub": subject,
        "uti": uuid.uuid4().hex,
    }
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    signature = hmac.new(identity.signing_secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def verify_token(identity: WorkspaceIdentity, token: str) -> dict[str, Any] | None:
    """The claims of a token this emulator signed, else None. Expiry and audience are the
    caller's to check (`claims_expired`, `audience_of`): each service words its refusal itself."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    expected = hmac.new(identity.signing_secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(expected, _unb64(parts[2])):
            return None
        claims = json.loads(_unb64(parts[1]))
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(claims, dict) or type(claims.get("exp")) is not int:
        return None
    return claims


def claims_expired(claims: dict[str, Any], now: float | None = None) -> bool:
    return claims["exp"] < (time.time() if now is None else now)


def audience_of(claims: dict[str, Any]) -> str:
    audience = claims.get("aud")
    return audience if isinstance(audience, str) else ""


def issued_token_expired(token: str, now: float | None = None) -> bool:
    """Whether a token the emulator issued and kept (an endpoint's scoring token) is past its
    `exp`. Only for tokens compared byte for byte with a kept copy: the signature is not checked."""
    try:
        claims = json.loads(_unb64(token.split(".")[1]))
    except (ValueError, TypeError, IndexError, RecursionError):
        return True
    if not isinstance(claims, dict) or type(claims.get("exp")) is not int:
        return True
    return claims_expired(claims, now)


def check_arm_authorization(identity: WorkspaceIdentity, request: Request, management_url: str) -> None:
    """Raise ARM's 401 envelope unless the request carries a valid bearer token for ARM.

    `management_url` is ARM's base URL as the caller reaches it: in direct mode the custom
    cloud's resource manager is the loopback URL, and clients ask for tokens for it."""
    header = request.header("authorization")
    if not header:
        raise ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ArmError(
            401,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        )
    claims = verify_token(identity, token.strip())
    if claims is None:
        raise ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.")
    now = int(time.time())
    if claims_expired(claims, now):
        expired = time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(min(max(claims["exp"], 0), 2**33)))
        current = time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(now))
        raise ArmError(
            401,
            "ExpiredAuthenticationToken",
            f"The access token expiry UTC time '{expired}' is earlier than current UTC time '{current}'.",
        )
    own = management_url.rstrip("/")
    allowed = tuple(dict.fromkeys((*MANAGEMENT_AUDIENCES, own + "/", own)))
    if audience_of(claims) not in allowed:
        raise ArmError(
            401,
            "InvalidAuthenticationTokenAudience",
            f"The access token has been obtained for wrong audience or resource '{audience_of(claims)}'. "
            "It should exactly match with one of the allowed audiences "
            + ",".join(f"'{audience}'" for audience in allowed)
            + ".",
        )


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response.json(
        status,
        {
            "error": error,
            "error_description": description,
            "error_codes": [int(description[len("AADSTS") : description.index(":")])],
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
            "trace_id": str(uuid.uuid4()),
            "correlation_id": str(uuid.uuid4()),
        },
    )


def handle_login(identity: WorkspaceIdentity, base_url: str, request: Request) -> Response:
    """Answer the few Entra routes a client-credentials flow uses."""
    segments = [part for part in request.path.split("/") if part]
    if (
        request.method == "GET"
        and segments[-3:] == ["v2.0", ".well-known", "openid-configuration"]
        or (request.method == "GET" and segments[-2:] == [".well-known", "openid-configuration"])
    ):
        tenant = segments[0]
        return Response.json(
            200,
            {
                "issuer": f"https://login.microsoftonline.com/{identity.tenant_id}/v2.0",
                "authorization_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base_url}/{tenant}/oauth2/v2.0/devicecode",
                "jwks_uri": f"{base_url}/{tenant}/discovery/v2.0/keys",
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "tenant_region_scope": "NA",
            },
        )
    if request.method == "GET" and segments[-2:] == ["discovery", "instance"]:
        authority = request.query.get("authorization_endpoint", f"{base_url}/common/oauth2/v2.0/authorize")
        host = base_url.split("//", 1)[1]
        return Response.json(
            200,
            {
                "tenant_discovery_endpoint": authority.replace(
                    "/oauth2/v2.0/authorize", "/v2.0/.well-known/openid-configuration"
                ),
                "api-version": "1.1",
                "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}],
            },
        )
    if request.method == "POST" and segments[-3:] == ["oauth2", "v2.0", "token"]:
        return _token(identity, segments[0], request)
    return Response.json(404, {"error": "not_found", "error_description": "This Entra route is not emulated."})


def _token(identity: WorkspaceIdentity, tenant: str, request: Request) -> Response:
    form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
    if tenant not in (identity.tenant_id, "organizations", "common"):
        return _oauth_error(
            400,
            "invalid_request",
            f"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
            "and are signing into the correct cloud.",
        )
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(
            400,
            "unsupported_grant_type",
            "AADSTS70003: The app requested an unsupported grant type; "
            "the emulator issues tokens for client credentials only.",
        )
    if form.get("client_id") != identity.client_id:
        return _oauth_error(
            400,
            "unauthorized_client",
            f"AADSTS700016: Application with identifier '{form.get('client_id')}' was not found "
            f"in the directory '{tenant}'.",
        )
    if not hmac.compare_digest(form.get("client_secret", ""), identity.client_secret):
        return _oauth_error(
            401,
            "invalid_client",
            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request "
            f"is the client secret value, not the client secret ID, for a secret added to app "
            f"'{identity.client_id}'.",
        )
    scope = form.get("scope", "").split(" ")[0]
    audience = scope[: -len("/.default")] if scope.endswith("/.default") else scope
    token = issue_token(identity, audience or "https://management.azure.com", identity.client_id)
    return Response.json(
        200,
        {
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_S,
            "ext_expires_in": TOKEN_LIFETIME_S,
            "access_token": token,
        },
    )
