"""The tutorial as a test: Sybil runs the article's shell snippets in order, in one shell.

By default the snippets run against an emulated Azure ML workspace (amlemu) that
really runs the scoring scripts. To run them against a real workspace instead,
sign in with `az login`, put your resource group and workspace names in
RESOURCE_GROUP and WORKSPACE (the article asks its reader to) and run
`DOCSKIT_TUTORIAL_TARGET=azure .venv/bin/pytest docs`: the shell then gets your own
environment, and real resources are created and billed.

This file is where the docs toolkit and the emulator meet; neither package
imports the other.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.markdown import SkipParser

from docskit.config import build_roots, load_config
from docskit.doctest import CodeDirectiveParser, ExpectedOutputParser, stop_session
from docskit.snippets import Resolver

REPO = Path(__file__).resolve().parent
TARGET = os.environ.get("DOCSKIT_TUTORIAL_TARGET", "emulator")


def _resolver() -> Resolver:
    return Resolver(build_roots(load_config(REPO / "mkdocs.yml" if (REPO / "mkdocs.yml").is_file() else None, REPO)))


@pytest.fixture(scope="module")
def tutorial_env():
    if TARGET == "azure":
        missing = [name for name in ("RESOURCE_GROUP", "WORKSPACE") if not os.environ.get(name)]
        if missing:  # the article's defaults step would otherwise set empty defaults
            pytest.exit(f"DOCSKIT_TUTORIAL_TARGET=azure needs {' and '.join(missing)} set to your resource group "
                        "and workspace, as the article asks its reader", returncode=4)
        yield dict(os.environ)
        return
    if TARGET != "emulator":
        raise pytest.UsageError(f"DOCSKIT_TUTORIAL_TARGET must be 'emulator' or 'azure', not {TARGET!r}")
    from amlemu.testing import running_emulator

    with running_emulator(runtime="inference-server") as emulator:
        env = dict(emulator.env)
        # the article asks the reader to put these two names in shell variables
        env["RESOURCE_GROUP"] = env["AZURE_RESOURCE_GROUP"]
        env["WORKSPACE"] = env["AZUREML_WORKSPACE_NAME"]
        yield env


pytest_collect_file = Sybil(
    parsers=[CodeDirectiveParser(_resolver), ExpectedOutputParser(), SkipParser()],
    path=str(REPO / "docs"),
    patterns=["how-to-*.md"],
    teardown=stop_session,
    fixtures=["tutorial_env"],
    name="tutorial",
).pytest()
