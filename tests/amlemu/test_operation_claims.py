"""`OperationRunner.claimed`: the one way a handler holds a resource for an operation.

A claim ends with the block unless the block started the operation; then the operation holds it until
it finishes. While it is held, a second claim on the resource gets ARM's 409.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from amlemu.arm.errors import ArmError
from amlemu.arm.operation_runner import OperationRunner
from amlemu.store.resources import ResourceStore

RESOURCE = (
    "/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w/onlineEndpoints/e"
)


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[OperationRunner]:
    store = ResourceStore(tmp_path / "resources.sqlite")
    runner = OperationRunner(store)
    yield runner
    runner.shutdown()
    store.close()


def _is_free(runner: OperationRunner) -> bool:
    try:
        with runner.claimed(RESOURCE, "endpoint", "e"):
            return True
    except ArmError as busy:
        assert busy.status == 409
        return False


def test_a_block_that_raises_releases_the_claim(runner: OperationRunner) -> None:
    with pytest.raises(RuntimeError):
        with runner.claimed(RESOURCE, "endpoint", "e"):
            assert not _is_free(runner)
            raise RuntimeError("refused")
    assert _is_free(runner)


def test_a_block_that_starts_nothing_releases_the_claim(runner: OperationRunner) -> None:
    with runner.claimed(RESOURCE, "endpoint", "e"):
        pass
    assert _is_free(runner)


def test_a_started_operation_keeps_the_claim_until_it_finishes(runner: OperationRunner) -> None:
    may_finish = threading.Event()
    runner.register("onlineEndpoint:update", lambda op: None if may_finish.wait(10) else {"code": "Timeout"})
    with runner.claimed(RESOURCE, "endpoint", "e") as op_id:
        runner.start(op_id, RESOURCE, "onlineEndpoint", "update")
    assert not _is_free(runner)
    may_finish.set()
    runner.wait_idle(10)
    assert _is_free(runner)
