"""The subset of the Azure Blob service that the SDK's uploads and downloads use.

Container create/get/list, blob HEAD/GET (with ranges)/PUT/DELETE, Put Block and Put Block
List for large files, and Set Blob Metadata. Errors carry Azure Storage's XML body and
`x-ms-error-code` header, which is what azure-storage-blob reads. Every request is
authorized first (storage_auth/): a SharedKey signature or a SAS made with the account
key, or a bearer token for the storage audience; anything else is refused as Azure
refuses it, before the store is touched.
"""

from __future__ import annotations

import base64
import email.utils
import re
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from amlemu.http_messages import Request, Response
from amlemu.state import WorkspaceIdentity
from amlemu.storage_auth.check import authorize
from amlemu.store.blobs import BadBlobName, BlobProperties, BlobStore

API_VERSION = "2021-08-06"


def _now() -> str:
    return email.utils.formatdate(usegmt=True)


def _base_headers(request: Request) -> dict[str, str]:
    headers = {
        "x-ms-request-id": str(uuid.uuid4()),
        "x-ms-version": request.header("x-ms-version") or API_VERSION,
        "Date": _now(),
        "Server": "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0",
    }
    if request.header("x-ms-client-request-id"):
        headers["x-ms-client-request-id"] = request.header("x-ms-client-request-id") or ""
    return headers


def storage_error(
    request: Request,
    status: int,
    code: str,
    message: str,
    detail: str = "",
    extra_headers: dict[str, str] | None = None,
) -> Response:
    """Azure Storage's error: XML body, `x-ms-error-code`; `detail` becomes the
    `AuthenticationErrorDetail` element Azure adds to authentication failures."""
    headers = {
        **_base_headers(request),
        "x-ms-error-code": code,
        "Content-Type": "application/xml",
        **(extra_headers or {}),
    }
    text = f"{message}\nRequestId:{headers['x-ms-request-id']}\nTime:{_now()}"
    detail_xml = f"<AuthenticationErrorDetail>{escape(detail)}</AuthenticationErrorDetail>" if detail else ""
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{code}</Code>'
        f"<Message>{escape(text)}</Message>{detail_xml}</Error>"
    ).encode()
    return Response(status, headers, b"" if request.method == "HEAD" else body)


def _metadata(request: Request) -> dict[str, str]:
    return {
        name[len("x-ms-meta-") :]: value for name, value in request.headers.items() if name.startswith("x-ms-meta-")
    }


def _blob_headers(request: Request, props: BlobProperties) -> dict[str, str]:
    headers = {
        **_base_headers(request),
        "ETag": props.etag,
        "Last-Modified": props.modified,
        "x-ms-blob-type": "BlockBlob",
        "x-ms-creation-time": props.modified,
        "x-ms-lease-state": "available",
        "x-ms-lease-status": "unlocked",
        "x-ms-server-encrypted": "true",
        "Accept-Ranges": "bytes",
        "Content-Type": props.content_type or "application/octet-stream",
        "Content-MD5": props.md5,
    }
    headers.update({f"x-ms-meta-{name}": value for name, value in props.metadata.items()})
    return headers


def handle_blob(blobs: BlobStore, identity: WorkspaceIdentity, account: str, path: str, request: Request) -> Response:
    """`path` is `/container[/blob name]` within `account`."""
    container, _, name = path.lstrip("/").partition("/")
    refusal = authorize(identity, account, container, name, request)
    if refusal is not None:
        return storage_error(request, refusal.status, refusal.code, refusal.message, refusal.detail, refusal.headers)
    try:
        if not container:
            return storage_error(
                request, 400, "InvalidUri", "The requested URI does not represent any resource on the server."
            )
        if not name:
            return _container(blobs, account, container, request)
        return _blob(blobs, account, container, name, request)
    except BadBlobName:
        return storage_error(
            request, 400, "InvalidResourceName", "The specifed resource name contains invalid characters."
        )


def _container(blobs: BlobStore, account: str, container: str, request: Request) -> Response:
    restype, comp = request.query.get("restype"), request.query.get("comp")
    if request.method == "PUT" and restype == "container":
        if not re.fullmatch(r"[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]", container):
            return storage_error(
                request, 400, "InvalidResourceName", "The specifed resource name contains invalid characters."
            )
        if not blobs.create_container(account, container, _now()):
            return storage_error(request, 409, "ContainerAlreadyExists", "The specified container already exists.")
        return Response(
            201, {**_base_headers(request), "ETag": f'"0x{uuid.uuid4().hex[:15].upper()}"', "Last-Modified": _now()}
        )
    if request.method in ("GET", "HEAD") and restype == "container" and comp == "list":
        return _list(blobs, account, container, request)
    if request.method in ("GET", "HEAD") and restype == "container":
        if not blobs.container_exists(account, container):
            return storage_error(request, 404, "ContainerNotFound", "The specified container does not exist.")
        return Response(
            200,
            {
                **_base_headers(request),
                "ETag": '"0x8D0000000000000"',
                "Last-Modified": _now(),
                "x-ms-lease-state": "available",
                "x-ms-lease-status": "unlocked",
                "x-ms-has-immutability-policy": "false",
                "x-ms-has-legal-hold": "false",
            },
        )
    return storage_error(
        request,
        400,
        "UnsupportedHttpVerb" if request.method not in ("GET", "HEAD", "PUT") else "InvalidQueryParameterValue",
        "The resource doesn't support the specified operation.",
    )


def _list(blobs: BlobStore, account: str, container: str, request: Request) -> Response:
    if not blobs.container_exists(account, container):
        return storage_error(request, 404, "ContainerNotFound", "The specified container does not exist.")
    prefix = request.query.get("prefix", "")
    items = "".join(
        f"<Blob><Name>{escape(props.name)}</Name><Properties><Last-Modified>{props.modified}</Last-Modified>"
        f"<Etag>{props.etag}</Etag><Content-Length>{props.size}</Content-Length>"
        f"<Content-Type>{escape(props.content_type or 'application/octet-stream')}</Content-Type>"
        f"<Content-MD5>{props.md5}</Content-MD5><BlobType>BlockBlob</BlobType>"
        f"<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState></Properties>"
        + (
            "<Metadata>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in props.metadata.items()) + "</Metadata>"
            if "metadata" in request.query.get("include", "")
            else ""
        )
        + "</Blob>"
        for props in blobs.list(account, container, prefix)
    )
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://{account}.blob.core.windows.net/" '
        f'ContainerName="{escape(container)}"><Prefix>{escape(prefix)}</Prefix><Blobs>{items}</Blobs><NextMarker /></EnumerationResults>'
    )
    return Response(200, {**_base_headers(request), "Content-Type": "application/xml"}, body.encode())


def _blob(blobs: BlobStore, account: str, container: str, name: str, request: Request) -> Response:
    comp = request.query.get("comp")
    if not blobs.container_exists(account, container):
        return storage_error(request, 404, "ContainerNotFound", "The specified container does not exist.")
    props = blobs.get(account, container, name)
    if request.method == "PUT" and comp == "block":
        block_id = request.query.get("blockid", "")
        if not block_id:
            return storage_error(
                request,
                400,
                "InvalidQueryParameterValue",
                "Value for one of the query parameters specified in the request URI is invalid.",
            )
        blobs.stage_block(account, container, name, block_id, request.body)
        return Response(201, {**_base_headers(request), "x-ms-request-server-encrypted": "true"})
    if request.method == "PUT" and comp == "blocklist":
        try:
            root = ET.fromstring(request.body or b"<BlockList/>")
        except ET.ParseError:
            return storage_error(request, 400, "InvalidXmlDocument", "XML specified is not syntactically valid.")
        block_ids = [element.text or "" for element in root]
        try:
            props = blobs.commit_blocks(
                account,
                container,
                name,
                block_ids,
                request.header("x-ms-blob-content-type"),
                _metadata(request),
                _now(),
            )
        except KeyError:
            return storage_error(request, 400, "InvalidBlockList", "The specified block list is invalid.")
        return Response(
            201,
            {
                **_base_headers(request),
                "ETag": props.etag,
                "Last-Modified": props.modified,
                "x-ms-request-server-encrypted": "true",
            },
        )
    if request.method == "PUT" and comp == "metadata":
        if props is None:
            return storage_error(request, 404, "BlobNotFound", "The specified blob does not exist.")
        props = blobs.set_metadata(props, _metadata(request), _now())
        return Response(
            200,
            {
                **_base_headers(request),
                "ETag": props.etag,
                "Last-Modified": props.modified,
                "x-ms-request-server-encrypted": "true",
            },
        )
    if request.method == "PUT" and comp is None:
        if (request.header("x-ms-blob-type") or "").lower() != "blockblob":
            return storage_error(
                request,
                400,
                "InvalidHeaderValue",
                "The value for one of the HTTP headers is not in the correct format.",
            )
        supplied_md5 = request.header("content-md5")
        props = blobs.put(
            account,
            container,
            name,
            request.body,
            request.header("x-ms-blob-content-type") or request.header("content-type"),
            _metadata(request),
            _now(),
        )
        if supplied_md5 and supplied_md5 != props.md5:
            blobs.delete(props)
            return storage_error(
                request,
                400,
                "Md5Mismatch",
                "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
            )
        return Response(
            201,
            {
                **_base_headers(request),
                "ETag": props.etag,
                "Last-Modified": props.modified,
                "Content-MD5": props.md5,
                "x-ms-request-server-encrypted": "true",
            },
        )
    if request.method in ("GET", "HEAD") and comp is None:
        if props is None:
            return storage_error(request, 404, "BlobNotFound", "The specified blob does not exist.")
        return _read(blobs, props, request)
    if request.method == "DELETE" and comp is None:
        if props is None:
            return storage_error(request, 404, "BlobNotFound", "The specified blob does not exist.")
        blobs.delete(props)
        return Response(202, {**_base_headers(request), "x-ms-delete-type-permanent": "true"})
    return storage_error(
        request,
        400,
        "UnsupportedQueryParameter",
        "One of the query parameters specified in the request URI is not supported.",
    )


def _read(blobs: BlobStore, props: BlobProperties, request: Request) -> Response:
    headers = _blob_headers(request, props)
    wanted = request.header("x-ms-range") or request.header("range")
    if request.method == "HEAD":
        return Response(200, {**headers, "Content-Length": str(props.size)})
    data = blobs.read(props)
    match = re.fullmatch(r"bytes=(\d+)-(\d*)", wanted or "")
    if match:
        start = int(match.group(1))
        end = min(int(match.group(2)) if match.group(2) else props.size - 1, props.size - 1)
        if start >= props.size and props.size > 0:
            return storage_error(
                request, 416, "InvalidRange", "The range specified is invalid for the current size of the resource."
            )
        chunk = data[start : end + 1]
        headers["Content-Range"] = f"bytes {start}-{end}/{props.size}"
        if request.header("x-ms-range-get-content-md5") == "true":
            import hashlib

            headers["Content-MD5"] = base64.b64encode(hashlib.md5(chunk).digest()).decode()
        else:
            headers.pop("Content-MD5", None)
            headers["x-ms-blob-content-md5"] = props.md5
        return Response(206, headers, chunk)
    return Response(200, headers, data)
