"""Blob storage checks credentials: SharedKey and SAS signatures are verified against the
account key, SAS times and permissions are honoured, bearer tokens must be for storage.
Refusals are Azure Storage's: the XML error body and the `x-ms-error-code` header."""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Iterator
from functools import cmp_to_key

import pytest
import requests
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import (
    AccountSasPermissions,
    BlobSasPermissions,
    BlobServiceClient,
    ContainerSasPermissions,
    ResourceTypes,
    generate_account_sas,
    generate_blob_sas,
    generate_container_sas,
)
from azure.storage.blob._shared.authentication import compare as sdk_header_compare

from amlemu.identity import issue_token
from amlemu.storage_auth.shared_key import header_order
from amlemu.testing import RunningEmulator, running_emulator

CONTAINER = "guarded"
BLOB = "code/score.py"
ORIGINAL = b"def init():\n    pass\n\ndef run(raw):\n    return raw\n"


class Storage:
    def __init__(self, emu: RunningEmulator) -> None:
        self.emu = emu
        self.account = emu.identity.storage_account
        self.key = emu.identity.storage_account_key
        self.url = f"https://{self.account}.blob.core.windows.net"
        self.ca = str(emu.state_dir / "ca.pem")

    def blob_url(self, blob: str = BLOB, container: str = CONTAINER) -> str:
        return f"{self.url}/{container}/{blob}"

    def stored(self) -> bytes:
        return (self.emu.state_dir / "blobs" / "data" / self.account / CONTAINER / BLOB).read_bytes()

    def sas(
        self, blob: str = BLOB, expiry_in: datetime.timedelta = datetime.timedelta(hours=1), **permissions: bool
    ) -> str:
        return generate_blob_sas(
            self.account,
            CONTAINER,
            blob,
            account_key=self.key,
            permission=BlobSasPermissions(**permissions),
            expiry=datetime.datetime.now(datetime.UTC) + expiry_in,
        )


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storage]:
    with running_emulator(tmp_path_factory.mktemp("blob-auth") / "state") as emu:
        emu.apply_env()  # proxy and CA for the storage client
        store = Storage(emu)
        service = BlobServiceClient(store.url, credential=store.key)
        service.get_container_client(CONTAINER).create_container()
        service.get_blob_client(CONTAINER, BLOB).upload_blob(ORIGINAL)
        yield store


def _assert_refused(response: requests.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["x-ms-error-code"] == code
    assert response.headers["Content-Type"] == "application/xml"
    assert re.match(
        rf'<\?xml version="1.0" encoding="utf-8"\?><Error><Code>{code}</Code><Message>[^<]+</Message>', response.text
    ), response.text


def _put(storage: Storage, url: str, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.put(
        url,
        data=b"import os; os.system('evil')",
        headers={"x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-08-06", **(headers or {})},
        verify=storage.ca,
    )


# -- refused ---------------------------------------------------------------------------


def test_request_without_credentials(storage: Storage) -> None:
    _assert_refused(_put(storage, storage.blob_url()), 401, "NoAuthenticationInformation")
    _assert_refused(requests.get(storage.blob_url(), verify=storage.ca), 401, "NoAuthenticationInformation")
    assert storage.stored() == ORIGINAL


def test_unsigned_shared_key_header_cannot_overwrite_code(storage: Storage) -> None:
    date = datetime.datetime.now(datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    for authorization in (
        f"SharedKey {storage.account}:c2ln",
        f"SharedKey {storage.account}:",
        "SharedKey c2ln",
        "Basic dXNlcjpwdw==",
    ):
        response = _put(storage, storage.blob_url(), {"Authorization": authorization, "x-ms-date": date})
        _assert_refused(response, 403, "AuthenticationFailed")
    assert storage.stored() == ORIGINAL


def test_shared_key_signed_with_a_wrong_key(storage: Storage) -> None:
    wrong = BlobServiceClient(storage.url, credential="d3Jvbmcga2V5IG9mIDY0IGJ5dGVz" * 3)
    with pytest.raises(HttpResponseError) as raised:
        wrong.get_blob_client(CONTAINER, BLOB).upload_blob(b"evil", overwrite=True)
    assert (raised.value.status_code, raised.value.error_code) == (403, "AuthenticationFailed")
    with pytest.raises(HttpResponseError) as raised:
        wrong.get_blob_client(CONTAINER, BLOB).download_blob().readall()
    assert (raised.value.status_code, raised.value.error_code) == (403, "AuthenticationFailed")
    assert storage.stored() == ORIGINAL


def test_tampered_sas(storage: Storage) -> None:
    read_only = storage.sas(read=True)
    widened = read_only.replace("sp=r", "sp=rcw")
    assert widened != read_only
    _assert_refused(_put(storage, f"{storage.blob_url()}?{widened}"), 403, "AuthenticationFailed")
    # a SAS for one blob opens no other blob
    _assert_refused(
        requests.get(f"{storage.blob_url('code/other.py')}?{read_only}", verify=storage.ca), 403, "AuthenticationFailed"
    )
    forged = re.sub(r"sig=[^&]+", "sig=c2ln", read_only)
    _assert_refused(requests.get(f"{storage.blob_url()}?{forged}", verify=storage.ca), 403, "AuthenticationFailed")
    assert storage.stored() == ORIGINAL


def test_expired_and_not_yet_valid_sas(storage: Storage) -> None:
    expired = storage.sas(read=True, write=True, expiry_in=datetime.timedelta(minutes=-1))
    response = requests.get(f"{storage.blob_url()}?{expired}", verify=storage.ca)
    _assert_refused(response, 403, "AuthenticationFailed")
    assert "Signature not valid in the specified time frame" in response.text
    now = datetime.datetime.now(datetime.UTC)
    early = generate_blob_sas(
        storage.account,
        CONTAINER,
        BLOB,
        account_key=storage.key,
        permission=BlobSasPermissions(read=True),
        start=now + datetime.timedelta(hours=1),
        expiry=now + datetime.timedelta(hours=2),
    )
    _assert_refused(requests.get(f"{storage.blob_url()}?{early}", verify=storage.ca), 403, "AuthenticationFailed")


def test_read_only_sas_cannot_write_or_delete(storage: Storage) -> None:
    read_only = storage.sas(read=True)
    _assert_refused(_put(storage, f"{storage.blob_url()}?{read_only}"), 403, "AuthorizationPermissionMismatch")
    _assert_refused(
        requests.delete(f"{storage.blob_url()}?{read_only}", verify=storage.ca), 403, "AuthorizationPermissionMismatch"
    )
    listing = generate_container_sas(
        storage.account,
        CONTAINER,
        account_key=storage.key,
        permission=ContainerSasPermissions(read=True),
        expiry=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1),
    )
    _assert_refused(
        requests.get(f"{storage.url}/{CONTAINER}?restype=container&comp=list&{listing}", verify=storage.ca),
        403,
        "AuthorizationPermissionMismatch",
    )
    assert storage.stored() == ORIGINAL


def test_bearer_tokens_for_other_audiences(storage: Storage) -> None:
    identity = storage.emu.identity
    for audience in ("https://management.azure.com/", "https://ml.azure.com"):
        token = issue_token(identity, audience, identity.client_id)
        response = requests.get(
            storage.blob_url(),
            headers={"Authorization": f"Bearer {token}", "x-ms-version": "2021-08-06"},
            verify=storage.ca,
        )
        _assert_refused(response, 401, "InvalidAuthenticationInfo")
        assert "Audience validation failed" in response.text
        assert "resource_id=https://storage.azure.com" in response.headers["WWW-Authenticate"]
    expired = issue_token(identity, "https://storage.azure.com", identity.client_id, lifetime_s=-10)
    _assert_refused(
        requests.get(storage.blob_url(), headers={"Authorization": f"Bearer {expired}"}, verify=storage.ca),
        403,
        "AuthenticationFailed",
    )
    _assert_refused(
        requests.get(storage.blob_url(), headers={"Authorization": "Bearer a.b.c"}, verify=storage.ca),
        403,
        "AuthenticationFailed",
    )


def test_other_accounts_are_not_served(storage: Storage) -> None:
    other = BlobServiceClient("https://someoneelse.blob.core.windows.net", credential=storage.key)
    with pytest.raises(HttpResponseError) as raised:
        other.get_blob_client(CONTAINER, BLOB).download_blob().readall()
    assert (raised.value.status_code, raised.value.error_code) == (403, "AuthenticationFailed")


# -- accepted --------------------------------------------------------------------------


def test_account_key_through_the_sdk(storage: Storage) -> None:
    """The real azure-storage-blob signs with SharedKeyCredentialPolicy: names that need
    encoding, metadata, block uploads, listing and delete all verify."""
    service = BlobServiceClient(storage.url, credential=storage.key, max_single_put_size=1024, max_block_size=1024)
    container = service.get_container_client(CONTAINER)
    data = bytes(range(256)) * 9
    for name in ("model/weights v2.bin", "model/ünïcode+plus&amp.txt", "model/a%20b"):
        blob = container.get_blob_client(name)
        blob.upload_blob(data, metadata={"upload_status": "completed", "name": "m", "version": "1", "a0": "x"})
        assert blob.download_blob().readall() == data
        assert blob.get_blob_properties().metadata["upload_status"] == "completed"
    assert {b.name for b in container.list_blobs(name_starts_with="model/")} == {
        "model/weights v2.bin",
        "model/ünïcode+plus&amp.txt",
        "model/a%20b",
    }
    container.get_blob_client("model/a%20b").delete_blob()


def test_sas_from_the_sdk(storage: Storage) -> None:
    reader = BlobServiceClient(storage.url, credential=storage.sas(read=True)).get_blob_client(CONTAINER, BLOB)
    assert reader.download_blob().readall() == ORIGINAL
    expiry = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    container_sas = generate_container_sas(
        storage.account,
        CONTAINER,
        account_key=storage.key,
        permission=ContainerSasPermissions(read=True, create=True, write=True, list=True),
        expiry=expiry,
    )
    writer = BlobServiceClient(storage.url, credential=container_sas).get_container_client(CONTAINER)
    writer.get_blob_client("sas/new.txt").upload_blob(b"new")
    assert "sas/new.txt" in [b.name for b in writer.list_blobs(name_starts_with="sas/")]
    account_sas = generate_account_sas(
        storage.account,
        storage.key,
        ResourceTypes(container=True, object=True),
        AccountSasPermissions(read=True, write=True, create=True, list=True, delete=True),
        expiry,
    )
    account_client = BlobServiceClient(storage.url, credential=account_sas)
    account_client.get_container_client("made-with-account-sas").create_container()
    blob = account_client.get_blob_client("made-with-account-sas", "x.txt")
    blob.upload_blob(b"x")
    blob.delete_blob()


def test_bearer_token_for_storage(storage: Storage) -> None:
    identity = storage.emu.identity
    token = issue_token(identity, "https://storage.azure.com", identity.client_id)
    response = requests.get(
        storage.blob_url(),
        headers={"Authorization": f"Bearer {token}", "x-ms-version": "2021-08-06"},
        verify=storage.ca,
    )
    assert response.status_code == 200 and response.content == ORIGINAL


def test_path_style_shared_key_in_direct_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """On a loopback URL the account is in the path, so SharedKey signs it twice."""
    with running_emulator(tmp_path / "state", mode="direct") as emu:
        emu.apply_env()
        account, key = emu.identity.storage_account, emu.identity.storage_account_key
        service = BlobServiceClient(f"https://127.0.0.1:{emu.port}/{account}", credential=key)
        container = service.get_container_client("direct")
        container.create_container()
        container.get_blob_client("a b/c.txt").upload_blob(b"direct")
        assert container.get_blob_client("a b/c.txt").download_blob().readall() == b"direct"
        wrong = BlobServiceClient(f"https://127.0.0.1:{emu.port}/{account}", credential="a2V5" * 8)
        with pytest.raises(HttpResponseError) as raised:
            wrong.get_blob_client("direct", "a b/c.txt").download_blob().readall()
        assert raised.value.error_code == "AuthenticationFailed"


def test_header_order_is_the_one_azure_storage_signs() -> None:
    """x-ms- headers are ordered as the service (and azure-storage-blob) order them, which is
    not plain code-point order: hyphens only break ties, '_' comes before digits."""
    rng = random.Random(10)
    for _ in range(2000):
        names = list({"x-ms-meta-" + "".join(rng.choice("ab0_-") for _ in range(rng.randint(0, 5))) for _ in range(5)})
        assert sorted(names, key=header_order) == sorted(names, key=cmp_to_key(sdk_header_compare))


def test_a_state_folder_without_an_account_key_gets_one_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from amlemu.state import prepare_state_folder

    first = prepare_state_folder(tmp_path / "state")
    identity_file = tmp_path / "state" / "emulator.json"
    fields = json.loads(identity_file.read_text())
    del fields["storage_account_key"]  # as written before storage checked credentials
    identity_file.write_text(json.dumps(fields))
    upgraded = prepare_state_folder(tmp_path / "state")
    assert upgraded.storage_account == first.storage_account and len(upgraded.storage_account_key) == 88
    assert prepare_state_folder(tmp_path / "state").storage_account_key == upgraded.storage_account_key
