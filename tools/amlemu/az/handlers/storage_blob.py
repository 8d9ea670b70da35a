"""`az storage blob upload|upload-batch|download|list` against the emulated Blob service.

As azure-cli's storage module does (its `_validators.validate_client_parameters`), the
account and credential come from the options or the environment (AZURE_STORAGE_ACCOUNT,
AZURE_STORAGE_KEY, AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_SAS_TOKEN,
AZURE_STORAGE_AUTH_MODE): `--auth-mode login` signs requests with a bearer token of the
signed-in principal; with no credential at all the account key is looked up through ARM
(list the subscription's storage accounts, then `listKeys`) after the CLI's warning.
Requests go through azure-storage-blob, the SDK the CLI uses.
"""

from __future__ import annotations

import base64
import datetime
import fnmatch
import mimetypes
import os
from typing import Any

from knack.log import get_logger
from knack.util import CLIError

from amlemu.az import profile
from amlemu.az.handlers.group import arm_request

logger = get_logger(__name__)

STORAGE_API_VERSION = "2023-05-01"  # what azure-mgmt-storage sends for listKeys
NO_CREDENTIALS_WARNING = (
    "\nThere are no credentials provided in your command and environment, we will query for account key for your "
    "storage account.\nIt is recommended to provide --connection-string, --account-key or --sas-token in your "
    "command as credentials.\n\nYou also can add `--auth-mode login` in your command to use Azure Active Directory "
    "(Azure AD) for authorization if your login account is assigned required RBAC roles.\nFor more information "
    "about RBAC roles in storage, visit https://learn.microsoft.com/azure/storage/common/storage-auth-aad-rbac-cli."
    "\n\nIn addition, setting the corresponding environment variables can avoid inputting credentials in your "
    "command. Please use --help to get more information about environment variable usage."
)
MISSING_ACCOUNT = (
    "Missing storage account name: use --account-name or set AZURE_STORAGE_ACCOUNT (or pass --connection-string)."
)


def _blob_service(
    ctx,
    account_name=None,
    account_key=None,
    connection_string=None,
    sas_token=None,
    auth_mode=None,
    blob_endpoint=None,
    subscription=None,
):
    """A BlobServiceClient with the credential the CLI would pick, in the CLI's order."""
    from azure.storage.blob import BlobServiceClient

    connection_string = connection_string or os.environ.get("AZURE_STORAGE_CONNECTION_STRING")
    if connection_string and not (account_name or account_key or sas_token):
        return BlobServiceClient.from_connection_string(connection_string)
    account_name = account_name or os.environ.get("AZURE_STORAGE_ACCOUNT")
    if not account_name:
        raise CLIError(MISSING_ACCOUNT)
    auth_mode = auth_mode or os.environ.get("AZURE_STORAGE_AUTH_MODE")
    url = blob_endpoint or _account_url(account_name)
    if auth_mode == "login":
        from azure.identity import DefaultAzureCredential

        return BlobServiceClient(url, credential=DefaultAzureCredential())
    account_key = account_key or os.environ.get("AZURE_STORAGE_KEY")
    sas_token = sas_token or os.environ.get("AZURE_STORAGE_SAS_TOKEN")
    if not account_key and not sas_token:
        logger.warning(NO_CREDENTIALS_WARNING)
        account_key = _query_account_key(ctx, account_name, subscription)
    credential: Any = (
        {"account_name": account_name, "account_key": account_key} if account_key else sas_token.lstrip("?")
    )
    return BlobServiceClient(url, credential=credential)


def _account_url(account: str) -> str:
    metadata_url = os.environ.get("ARM_CLOUD_METADATA_URL")
    if metadata_url:  # direct mode: the emulator serves accounts path-style on its loopback port
        from urllib.parse import urlsplit

        parts = urlsplit(metadata_url)
        return f"{parts.scheme}://{parts.netloc}/{account}"
    return f"https://{account}.blob.core.windows.net"


def _query_account_key(ctx, account: str, subscription: str | None) -> str:
    """`az storage account keys list` for the account found in the subscription."""
    subscription_id = profile.subscription_id(ctx.config_dir, subscription)
    accounts = arm_request(
        ctx, f"/subscriptions/{subscription_id}/providers/Microsoft.Storage/storageAccounts", STORAGE_API_VERSION
    ).get("value", [])
    found = next((a for a in accounts if a.get("name", "").lower() == account.lower()), None)
    if found is None:
        raise CLIError(f"The storage account '{account}' was not found in the subscription.")
    keys = arm_request(ctx, f"{found['id']}/listKeys", STORAGE_API_VERSION, method="POST").get("keys", [])
    if not keys:
        raise CLIError(f"The storage account '{account}' has no keys.")
    return keys[0]["value"]


def _plain(value: Any) -> Any:
    """JSON-ready values as the CLI prints SDK results: ISO times, base64 bytes."""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _blob_output(props: Any, container: str) -> dict[str, Any]:
    """A BlobProperties as `az storage blob list/download` print it (camelCase keys)."""
    settings = props.content_settings
    return _plain(
        {
            "container": container,
            "content": "",
            "deleted": bool(props.deleted),
            "encryptionScope": props.encryption_scope,
            "metadata": dict(props.metadata or {}),
            "name": props.name,
            "properties": {
                "blobTier": props.blob_tier,
                "blobType": str(props.blob_type.value if hasattr(props.blob_type, "value") else props.blob_type),
                "contentLength": props.size,
                "contentSettings": {
                    "cacheControl": settings.cache_control,
                    "contentDisposition": settings.content_disposition,
                    "contentEncoding": settings.content_encoding,
                    "contentLanguage": settings.content_language,
                    "contentMd5": settings.content_md5,
                    "contentType": settings.content_type,
                },
                "creationTime": props.creation_time,
                "etag": props.etag,
                "lastModified": props.last_modified,
                "lease": {"duration": None, "state": props.lease.state, "status": props.lease.status},
            },
            "snapshot": props.snapshot,
            "tagCount": props.tag_count,
            "tags": props.tags,
            "versionId": props.version_id,
        }
    )


def upload(
    ctx,
    file_path,
    container_name,
    blob_name,
    content_type=None,
    overwrite=None,
    no_progress=False,
    subscription=None,
    **credentials,
):
    from azure.storage.blob import ContentSettings

    service = _blob_service(ctx, subscription=subscription, **credentials)
    blob = service.get_blob_client(container_name, blob_name)
    settings = ContentSettings(
        content_type=content_type or mimetypes.guess_type(file_path)[0] or "application/octet-stream"
    )
    with open(file_path, "rb") as data:
        result = blob.upload_blob(data, overwrite=bool(overwrite), content_settings=settings)
    keys = (
        "client_request_id",
        "content_md5",
        "date",
        "encryption_key_sha256",
        "encryption_scope",
        "etag",
        "last_modified",
        "request_id",
        "request_server_encrypted",
        "version",
        "version_id",
    )
    return _plain({key: result.get(key) for key in keys})


def _split_destination(destination: str) -> tuple[str, str]:
    """'container/some/path' or a container URL -> (container, path prefix)."""
    from urllib.parse import urlsplit

    if destination.startswith(("https://", "http://")):
        destination = urlsplit(destination).path.lstrip("/")
    container, _, prefix = destination.partition("/")
    return container, prefix.strip("/")


def upload_batch(
    ctx,
    source,
    destination,
    destination_path=None,
    pattern=None,
    dryrun=False,
    overwrite=None,
    no_progress=False,
    subscription=None,
    **credentials,
):
    """Every file under `source` (matching `pattern`) becomes `<prefix>/<relative path>` in the container."""
    from azure.storage.blob import ContentSettings

    if not os.path.isdir(source):
        raise CLIError(f"incorrect usage: source {source} is not an existing directory")
    container, prefix = _split_destination(destination)
    if destination_path:
        prefix = "/".join(p for p in (prefix, destination_path.strip("/")) if p)
    files = []
    for folder, _, names in sorted(os.walk(source)):
        for file_name in sorted(names):
            full = os.path.join(folder, file_name)
            relative = os.path.relpath(full, source).replace(os.sep, "/")
            if pattern and not fnmatch.fnmatch(relative, pattern):
                continue
            files.append((full, f"{prefix}/{relative}" if prefix else relative))
    service = _blob_service(ctx, subscription=subscription, **credentials)
    results = []
    for full, name in files:
        blob = service.get_blob_client(container, name)
        content_type = mimetypes.guess_type(full)[0] or "application/octet-stream"
        if dryrun:
            results.append({"Blob": blob.url, "Last Modified": None, "Type": content_type, "eTag": None})
            continue
        with open(full, "rb") as data:
            result = blob.upload_blob(
                data, overwrite=overwrite is not False, content_settings=ContentSettings(content_type=content_type)
            )
        results.append(
            _plain(
                {
                    "Blob": blob.url,
                    "Last Modified": result.get("last_modified"),
                    "Type": content_type,
                    "eTag": result.get("etag"),
                }
            )
        )
    return results


def download(
    ctx, container_name, blob_name, file_path=None, overwrite=None, no_progress=False, subscription=None, **credentials
):
    service = _blob_service(ctx, subscription=subscription, **credentials)
    blob = service.get_blob_client(container_name, blob_name)
    target = file_path or blob_name
    if os.path.exists(target) and overwrite is False:
        raise CLIError(f"The specified file already exists: {target}")
    stream = blob.download_blob()
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    temporary = target + ".part"
    with open(temporary, "wb") as handle:
        stream.readinto(handle)
    os.replace(temporary, target)
    return _blob_output(stream.properties, container_name)


def list_(
    ctx,
    container_name,
    prefix=None,
    num_results="5000",
    show_next_marker=False,
    marker=None,
    subscription=None,
    **credentials,
):
    try:
        limit = int(num_results)
    except (TypeError, ValueError):
        raise CLIError(f"argument --num-results: invalid int value: '{num_results}'") from None
    service = _blob_service(ctx, subscription=subscription, **credentials)
    container = service.get_container_client(container_name)
    pages = container.list_blobs(name_starts_with=prefix, include=["metadata"], results_per_page=limit).by_page(
        continuation_token=marker
    )
    blobs = [_blob_output(props, container_name) for props in next(pages, [])]
    if pages.continuation_token:
        if show_next_marker:
            blobs.append({"nextMarker": pages.continuation_token})
        else:
            logger.warning("Next Marker:")
            logger.warning(pages.continuation_token)
    return blobs
