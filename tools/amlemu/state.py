"""The state folder: its layout, and the identity of the emulated workspace.

Everything an emulator knows lives under one folder, created owner-only:

    emulator.json      subscription, resource group, workspace, region, service principal,
                       token signing secret, storage account and its key (fixed at creation)
    resources.sqlite   ARM resources and operation records
    blobs/             blob contents and properties
    ca.pem, ca-key.pem, server.pem, server-key.pem   the folder's own CA and leaf
    azure-config/      the `az` configuration folder with the workspace defaults
    runtime/           whatever the scoring runtime keeps (its own business)
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_REGION = "eastus"


@dataclass(frozen=True)
class WorkspaceIdentity:
    subscription_id: str
    resource_group: str
    workspace: str
    region: str
    tenant_id: str
    client_id: str
    client_secret: str
    signing_secret: str
    storage_account: str
    storage_account_key: str  # base64, as Azure shows an account key; signs SharedKey requests and SAS

    @property
    def workspace_id(self) -> str:
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/Microsoft.MachineLearningServices/workspaces/{self.workspace}"
        )


def prepare_state_folder(folder: Path) -> WorkspaceIdentity:
    """Create the folder (owner-only) and its identity file on first use; read it afterwards."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    identity_file = folder / "emulator.json"
    if identity_file.exists():
        fields = json.loads(identity_file.read_text())
        if "storage_account_key" in fields:
            return WorkspaceIdentity(**fields)
        # A folder made before storage checked credentials: give its account a key once.
        identity = WorkspaceIdentity(**fields, storage_account_key=new_account_key())
        _write_identity(identity_file, identity)
        return identity
    short = secrets.token_hex(4)
    identity = WorkspaceIdentity(
        subscription_id=str(uuid.uuid4()),
        resource_group="amlemu-rg",
        workspace="amlemu-ws",
        region=os.environ.get("AMLEMU_REGION", DEFAULT_REGION),
        tenant_id=str(uuid.uuid4()),
        client_id=str(uuid.uuid4()),
        client_secret=secrets.token_urlsafe(24),
        signing_secret=secrets.token_hex(32),
        storage_account=f"amlemu{short}",
        storage_account_key=new_account_key(),
    )
    _write_identity(identity_file, identity)
    return identity


def new_account_key() -> str:
    """64 random bytes in base64, the shape of an Azure storage account key."""
    return base64.b64encode(secrets.token_bytes(64)).decode()


def _write_identity(identity_file: Path, identity: WorkspaceIdentity) -> None:
    fd = os.open(identity_file.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(asdict(identity), handle, indent=2)
    os.replace(identity_file.with_suffix(".tmp"), identity_file)
