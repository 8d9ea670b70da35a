"""Shared access signatures for the Blob service, as Microsoft documents them: a service SAS
(`sr`, one container or blob) and an account SAS (`ss`/`srt`), each an HMAC-SHA256 with the
account key over its fields, versions 2015-04-05 and later.

The emulator both issues them (the container SAS of `startPendingUpload`) and checks them
on every request that carries `sig`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from amlemu.storage_auth.operations import Operation
from amlemu.storage_auth.shared_key import sign, signature_matches

OLDEST_VERSION = "2015-04-05"  # the first with signedIP and signedProtocol
ENCRYPTION_SCOPE_VERSION = "2020-12-06"  # adds signedEncryptionScope
RESOURCE_VERSION = "2018-11-09"  # adds signedResource and signedSnapshotTime to a service SAS
ISSUED_VERSION = "2021-08-06"


class SasRefused(Exception):
    """A SAS that does not authorize the request: `code` and `detail` are Azure Storage's."""

    def __init__(self, status: int, code: str, message: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.message, self.detail = status, code, message, detail


AUTH_MESSAGE = (
    "Server failed to authenticate the request. Make sure the value of Authorization header "
    "is formed correctly including the signature."
)


def _authentication_failed(detail: str) -> SasRefused:
    return SasRefused(403, "AuthenticationFailed", AUTH_MESSAGE, detail)


def _not_authorized(code: str, detail: str) -> SasRefused:
    return SasRefused(
        403,
        code,
        "This request is not authorized to perform this operation using this "
        + {
            "AuthorizationPermissionMismatch": "permission.",
            "AuthorizationResourceTypeMismatch": "resource type.",
            "AuthorizationServiceMismatch": "service.",
            "AuthorizationProtocolMismatch": "protocol.",
        }.get(code, "credential."),
        detail,
    )


@dataclass(frozen=True)
class Sas:
    fields: dict[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def is_account_sas(self) -> bool:
        return "ss" in self.fields or "srt" in self.fields


def _field_lines(sas: Sas, *names: str) -> list[str]:
    return [sas.get(name) for name in names]


def service_string_to_sign(sas: Sas, account: str, container: str, blob: str) -> str:
    """Fields in the documented order; the resource is the one `sr` names, taken from the request."""
    version = sas.get("sv")
    resource = f"/blob/{account}/{container}" + (f"/{blob}" if sas.get("sr") != "c" else "")
    lines = [*_field_lines(sas, "sp", "st", "se"), resource, *_field_lines(sas, "si", "sip", "spr", "sv")]
    if version >= RESOURCE_VERSION:
        lines += _field_lines(sas, "sr", "snapshot")
        if version >= ENCRYPTION_SCOPE_VERSION:
            lines.append(sas.get("ses"))
    lines += _field_lines(sas, "rscc", "rscd", "rsce", "rscl", "rsct")
    return "\n".join(lines)


def account_string_to_sign(sas: Sas, account: str) -> str:
    lines = [account, *_field_lines(sas, "sp", "ss", "srt", "st", "se", "sip", "spr", "sv")]
    if sas.get("sv") >= ENCRYPTION_SCOPE_VERSION:
        lines.append(sas.get("ses"))
    return "\n".join(lines) + "\n"


def container_sas(
    account: str,
    key: str,
    container: str,
    permissions: str,
    expiry: datetime.datetime,
    start: datetime.datetime | None = None,
) -> str:
    """A service SAS query string for one container (what `startPendingUpload` hands out)."""
    fields = {
        "sv": ISSUED_VERSION,
        "st": _iso(start) if start else "",
        "se": _iso(expiry),
        "sr": "c",
        "sp": permissions,
        "spr": "https",
    }
    sas = Sas({name: value for name, value in fields.items() if value})
    signature = sign(key, service_string_to_sign(sas, account, container, ""))
    return urlencode({**sas.fields, "sig": signature})


def check(
    query: dict[str, str], account: str, key: str, operation: Operation, now: datetime.datetime | None = None
) -> None:
    """Raise `SasRefused` unless the SAS in `query` is genuine, current, and grants `operation`."""
    sas = Sas(
        {
            name: value
            for name, value in query.items()
            if name
            in (
                "sv",
                "ss",
                "srt",
                "sr",
                "sp",
                "st",
                "se",
                "sip",
                "spr",
                "si",
                "ses",
                "sig",
                "snapshot",
                "rscc",
                "rscd",
                "rsce",
                "rscl",
                "rsct",
                "sdd",
                "skoid",
            )
        }
    )
    for name in ("sv", "se", "sp"):
        if not sas.get(name):
            detail = (
                "Stored access policies are not emulated; a SAS must carry its own sp and se."
                if sas.get("si")
                else f"{name} is mandatory. Cannot be empty"
            )
            raise _authentication_failed(detail)
    if sas.get("sv") < OLDEST_VERSION:
        raise _authentication_failed(
            f"Signed version {sas.get('sv')} is older than {OLDEST_VERSION}, the oldest the emulator checks."
        )
    if sas.get("skoid") or sas.get("si"):
        raise _authentication_failed("User delegation SAS and stored access policies are not emulated.")
    if sas.is_account_sas:
        text = account_string_to_sign(sas, account)
    elif sas.get("sr") == "c" or (sas.get("sr") in ("b", "bs", "bv") and operation.blob):
        text = service_string_to_sign(sas, account, operation.container, operation.blob)
    else:
        raise _authentication_failed(f"The signed resource '{sas.get('sr')}' does not name this resource.")
    if not signature_matches(key, text, sas.get("sig")):
        raise _authentication_failed("Signature did not match. String to sign used was " + text.replace("\n", "\\n"))
    _check_time(sas, now or datetime.datetime.now(datetime.UTC))
    _check_grant(sas, operation)


def _check_time(sas: Sas, now: datetime.datetime) -> None:
    start = _parse_time(sas.get("st"), "st") if sas.get("st") else None
    expiry = _parse_time(sas.get("se"), "se")
    if (start is not None and now < start) or now >= expiry:
        raise _authentication_failed(
            f"Signature not valid in the specified time frame: Start [{_http_date(start) if start else ''}] - "
            f"Expiry [{_http_date(expiry)}] - Current [{_http_date(now)}]"
        )


def _check_grant(sas: Sas, operation: Operation) -> None:
    if "https" not in sas.get("spr").split(",") and sas.get("spr"):
        raise _not_authorized("AuthorizationProtocolMismatch", "The emulator answers over https only.")
    if sas.is_account_sas:
        if "b" not in sas.get("ss"):
            raise _not_authorized("AuthorizationServiceMismatch", "The SAS does not grant the Blob service (ss).")
        if operation.resource_type not in sas.get("srt"):
            raise _not_authorized(
                "AuthorizationResourceTypeMismatch",
                f"The SAS does not grant the resource type '{operation.resource_type}' (srt).",
            )
    elif operation.needs_account_sas:
        raise _not_authorized(
            "AuthorizationResourceTypeMismatch",
            "Creating or deleting a container needs an account SAS or the account key.",
        )
    if not set(operation.permissions) & set(sas.get("sp")):
        raise _not_authorized(
            "AuthorizationPermissionMismatch",
            f"The SAS grants '{sas.get('sp')}'; this operation needs one of '{operation.permissions}'.",
        )


def _parse_time(text: str, name: str) -> datetime.datetime:
    """ISO 8601 in UTC, as SAS times are written: a date, or a date and time ending in Z."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise _authentication_failed(f"{name} is not a valid ISO 8601 UTC time: '{text}'") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _http_date(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
