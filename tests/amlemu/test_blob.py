"""The Blob subset through the real azure-storage-blob client, via the proxy: block uploads
of a large file, metadata, ranged downloads, listing and Azure's error codes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import BlobServiceClient

from amlemu.testing import running_emulator


def test_blob_subset_through_azure_storage_blob(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "state") as emu:
        emu.apply_env()  # proxy and CA for the storage client
        account = emu.identity.storage_account
        service = BlobServiceClient(
            f"https://{account}.blob.core.windows.net",
            credential=emu.identity.storage_account_key,
            max_single_put_size=64 * 1024,
            max_block_size=64 * 1024,
            max_single_get_size=32 * 1024,
            max_chunk_get_size=32 * 1024,
        )
        container = service.get_container_client("uploads")
        container.create_container()
        with pytest.raises(ResourceExistsError) as exists:
            container.create_container()
        assert exists.value.error_code == "ContainerAlreadyExists"

        data = os.urandom(300 * 1024 + 17)  # several blocks and a put block list
        blob = container.get_blob_client("folder/large.bin")
        blob.upload_blob(data, metadata={"upload_status": "completed"})
        assert blob.download_blob().readall() == data  # ranged, chunked download
        properties = blob.get_blob_properties()
        assert properties.size == len(data) and properties.metadata == {"upload_status": "completed"}
        blob.set_blob_metadata({"name": "large", "version": "1"})
        assert blob.get_blob_properties().metadata == {"name": "large", "version": "1"}

        container.get_blob_client("folder/small.txt").upload_blob(b"small")
        container.get_blob_client("other.txt").upload_blob(b"other")
        assert [b.name for b in container.list_blobs(name_starts_with="folder/")] == [
            "folder/large.bin",
            "folder/small.txt",
        ]

        missing = container.get_blob_client("folder/missing.txt")
        assert not missing.exists()
        with pytest.raises(ResourceNotFoundError) as raised:
            missing.download_blob().readall()
        assert raised.value.error_code == "BlobNotFound"
        with pytest.raises(ResourceNotFoundError) as raised:
            service.get_blob_client("no-such-container", "x").upload_blob(b"x")
        assert raised.value.error_code == "ContainerNotFound"

        # bytes on disk are the bytes uploaded
        on_disk = emu.state_dir / "blobs" / "data" / account / "uploads" / "folder" / "large.bin"
        assert on_disk.read_bytes() == data
