"""What ARM handlers and operation finishers may use of the emulator, and nothing more.

Handlers used to reach the whole `Emulator` (its router, certificates, port, journal, `handle`) through
the call; they need only the stores, the operations registry, the scoring runtime, and three read-only
facts fixed at start: the workspace's identity, the service limits, and the folder where deployments
are laid out for the runtime. The emulator builds one `Services` and puts it on every `Call`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from amlemu.arm.operation_runner import OperationRunner
from amlemu.rules import Limits
from amlemu.scoring_contract import ScoringRuntime
from amlemu.state import WorkspaceIdentity
from amlemu.store.blobs import BlobStore
from amlemu.store.resources import ResourceStore


@dataclass(frozen=True)
class Services:
    store: ResourceStore  # ARM resources and operation records
    blobs: BlobStore  # the storage account's blobs: default datastore, uploads, code and model files
    operations: OperationRunner  # long-running operations, one at a time per resource
    runtime: ScoringRuntime  # what runs deployments' scoring code
    identity: WorkspaceIdentity  # subscription, tenant, principal, storage account and key of the workspace
    limits: Limits  # instance and core limits the deployment rules enforce
    deployments_dir: Path  # where each deployment's code and model are copied for the runtime
