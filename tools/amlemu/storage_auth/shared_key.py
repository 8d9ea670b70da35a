"""Azure Storage's SharedKey scheme for the Blob service, version 2009-09-19 and later.

    Authorization: SharedKey <account>:<base64 HMAC-SHA256 of the string-to-sign, keyed with the account key>

The string-to-sign is the verb, eleven standard headers (Content-Length empty when 0), the
canonicalized `x-ms-` headers and the canonicalized resource, as Microsoft documents in
"Authorize with Shared Key". The resource is `/<account><encoded URI path>`: on a path-style
(loopback) URL the path already starts with the account, so the account appears twice, as
Azure documents for the storage emulator.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from urllib.parse import quote

from amlemu.http_messages import Request

STANDARD_HEADERS = (
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
)

# Azure orders the x-ms- headers with a culture-aware comparison, which azure-storage-blob
# reproduces: hyphens weigh nothing at first and only break ties; '_' sorts before digits,
# digits before letters, letters without case. Header names in the Blob API (and metadata
# names, which are C# identifiers) use only these characters.
_PRIMARY_RANK = {
    "_": 0,
    **{c: 1 + i for i, c in enumerate("0123456789")},
    **{c: 11 + i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")},
}
_IGNORED_FIRST = "'-"


def header_order(name: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key of a lower-cased header name in the canonicalized-headers block.

    First the non-hyphen characters by rank (a name that is a prefix of another comes first);
    between names equal there, the first position where one has a hyphen and the other
    not decides, and the one without sorts first. Other characters rank before '_', by code point.
    """
    primary = tuple(_PRIMARY_RANK.get(c, ord(c) - 0x110000) for c in name if c not in _IGNORED_FIRST)
    secondary = tuple(1 + _IGNORED_FIRST.index(c) if c in _IGNORED_FIRST else 0 for c in name)
    return primary, secondary


def canonicalized_headers(request: Request) -> str:
    names = sorted((name for name in request.headers if name.startswith("x-ms-")), key=header_order)
    return "".join(f"{name}:{_unfold(request.headers[name])}\n" for name in names)


def canonicalized_resource(account: str, request: Request) -> str:
    """`/account` + the URI path as the client encoded it + one `\\nname:values` line per query
    parameter, names lower-cased and sorted, values decoded."""
    resource = "/" + account + encoded_path(request.path)
    for name in sorted({name.lower() for name in request.query}):
        values = sorted(value for key, value in request.query.items() if key.lower() == name)
        resource += f"\n{name}:{','.join(values)}"
    return resource


def encoded_path(path: str) -> str:
    """The request path as Azure SDKs and the Azure CLI encode it: everything but the
    unreserved characters and '/' percent-encoded (the server receives the path decoded)."""
    return quote(path, safe="/~")


def string_to_sign(account: str, request: Request) -> str:
    headers = {name: _unfold(value) for name, value in request.headers.items()}
    if headers.get("content-length") == "0":
        headers["content-length"] = ""
    lines = [request.method.upper(), *(headers.get(name, "") for name in STANDARD_HEADERS)]
    return "\n".join(lines) + "\n" + canonicalized_headers(request) + canonicalized_resource(account, request)


def sign(key: str, text: str) -> str:
    """Base64 HMAC-SHA256 of `text` keyed with the base64-decoded account key."""
    digest = hmac.new(base64.b64decode(key), text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_matches(key: str, text: str, offered: str) -> bool:
    try:
        offered_bytes = base64.b64decode(offered, validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(base64.b64decode(sign(key, text)), offered_bytes)


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", value).strip()
