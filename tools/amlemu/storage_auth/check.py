"""The decision for one Blob request: which credential it carries, and whether that
credential is genuine and enough for the operation.

    Authorization: SharedKey <account>:<signature>   checked against the account key
    Authorization: Bearer <token>                     an emulator-issued token for the storage audience
    ?...&sig=<signature>                              a service or account SAS signed with the account key

Refusals carry Azure Storage's status, code and wording, and an `AuthenticationErrorDetail`
that says what did not match (Azure sends one too), so a client author can see why.
"""

from __future__ import annotations

import datetime
import email.utils
from dataclasses import dataclass, field

from amlemu import identity as entra
from amlemu.http_messages import Request
from amlemu.state import WorkspaceIdentity
from amlemu.storage_auth import sas, shared_key
from amlemu.storage_auth.operations import operation_of

# How far a SharedKey request's x-ms-date (or Date) may be from now: Azure's 15 minutes, so a
# captured request cannot be replayed later.
REQUEST_DATE_SKEW = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str
    detail: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def authorize(identity: WorkspaceIdentity, account: str, container: str, blob: str, request: Request) -> Refusal | None:
    """None when the request may proceed; otherwise Azure Storage's refusal."""
    authorization = (request.header("authorization") or "").strip()
    if not authorization and "sig" not in request.query:
        return Refusal(
            401,
            "NoAuthenticationInformation",
            "Server failed to authenticate the request. Please refer to the information in the "
            "www-authenticate header.",
            headers=_challenge(identity),
        )
    if account != identity.storage_account:
        return _authentication_failed(
            f"The emulator serves the storage account '{identity.storage_account}' "
            f"only; no credential is valid for '{account}'."
        )
    operation = operation_of(request, container, blob)
    if not authorization:
        try:
            sas.check(request.query, account, identity.storage_account_key, operation)
        except sas.SasRefused as refused:
            return Refusal(refused.status, refused.code, refused.message, refused.detail)
        return None
    scheme, _, credential = authorization.partition(" ")
    if scheme == "SharedKey":
        return _check_shared_key(identity, account, credential.strip(), request)
    if scheme.lower() == "bearer":
        return _check_bearer(identity, credential.strip())
    return _authentication_failed(
        f"The authorization scheme '{scheme}' is not supported; use SharedKey, Bearer or a shared access signature."
    )


def _check_shared_key(identity: WorkspaceIdentity, account: str, credential: str, request: Request) -> Refusal | None:
    named, _, signature = credential.rpartition(":")
    if named != account:
        return _authentication_failed(
            f"The account '{named}' in the Authorization header is not the account '{account}' of the request."
        )
    stamp = request.header("x-ms-date") or request.header("date")
    sent = _parse_http_date(stamp)
    if sent is None:
        return _authentication_failed("Request date header not specified or not an RFC 1123 date (send x-ms-date).")
    now = datetime.datetime.now(datetime.UTC)
    if abs(now - sent) > REQUEST_DATE_SKEW:
        return _authentication_failed(
            f"Request date header too old or too far ahead: '{stamp}'; the server's "
            f"time is '{email.utils.format_datetime(now, usegmt=True)}'."
        )
    text = shared_key.string_to_sign(account, request)
    if not shared_key.signature_matches(identity.storage_account_key, text, signature):
        return _authentication_failed(
            f"The MAC signature found in the HTTP request '{signature}' is not the same as any computed "
            f"signature. Server used following string to sign: '{text}'."
        )
    return None


def _check_bearer(identity: WorkspaceIdentity, token: str) -> Refusal | None:
    claims = entra.verify_token(identity, token)
    if claims is None:
        return _authentication_failed("Signature validation failed. Signature is invalid.")
    if entra.claims_expired(claims):
        return _authentication_failed("Lifetime validation failed. The token is expired.")
    if entra.audience_of(claims) not in entra.STORAGE_AUDIENCES:
        return Refusal(
            401,
            "InvalidAuthenticationInfo",
            "Server failed to authenticate the request. Please refer to the information in the "
            "www-authenticate header.",
            "Audience validation failed. Audience did not match.",
            _challenge(identity),
        )
    return None


def _authentication_failed(detail: str) -> Refusal:
    return Refusal(403, "AuthenticationFailed", sas.AUTH_MESSAGE, detail)


def _challenge(identity: WorkspaceIdentity) -> dict[str, str]:
    return {
        "WWW-Authenticate": f"Bearer authorization_uri=https://login.microsoftonline.com/{identity.tenant_id}"
        f"/oauth2/authorize resource_id={entra.STORAGE_AUDIENCES[0]}"
    }


def _parse_http_date(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)
