"""Roots of an existing Learn repository: `.openpublishing.publish.config.json` and `--checkouts`.

The fixture configuration is modelled on MicrosoftDocs/azure-ai-docs, whose
`dependent_repositories` declare `azureml-examples-main` (Azure/azureml-examples,
branch main) beside other branches of the same repository under other names.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from checker_support import write_files
from click.testing import CliRunner

from docskit.cli import command
from docskit.config import DeclaredRoot, load_config, roots_from_checkouts

PUBLISH = {
    "docsets_to_publish": [{"docset_name": "azure-ai", "build_source_folder": ".", "build_entry_point": "docs"}],
    "dependent_repositories": [
        {"path_to_root": "_themes", "url": "https://github.com/Microsoft/templates.docs.msft", "branch": "main"},
        {
            "path_to_root": "azureml-examples-main",
            "url": "https://github.com/azure/azureml-examples",
            "branch": "main",
            "branch_mapping": {},
        },
        {
            "path_to_root": "azureml-examples-archive",
            "url": "https://github.com/azure/azureml-examples",
            "branch": "v1-archive",
            "branch_mapping": {},
        },
    ],
}
ARTICLE = """---
title: Deploy
description: Deploy a model.
ms.topic: how-to
---

# Deploy

:::code language="azurecli" source="~/azureml-examples-main/cli/deploy.sh" id="create_endpoint":::
"""
SCRIPT = "#!/bin/bash\n# <create_endpoint>\naz ml online-endpoint create --name my-endpoint\n# </create_endpoint>\n"


def _learn_repository(root: Path) -> Path:
    """A Learn repository (no mkdocs.yml) and, beside it, a plain clone of the samples on main."""
    repo = root / "azure-ai-docs"
    write_files(repo, {".openpublishing.publish.config.json": json.dumps(PUBLISH, indent=2), "docs/deploy.md": ARTICLE})
    clone = root / "checkouts" / "azureml-examples"
    write_files(clone, {"cli/deploy.sh": SCRIPT, ".git/HEAD": "ref: refs/heads/main\n"})
    return repo


def _run(repo: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(command, ["--no-cache", "--select", "SRC,REG", *args], standalone_mode=False)
    finally:
        os.chdir(cwd)


def test_without_a_mapping_the_declared_roots_and_the_fix_are_named(tmp_path):
    repo = _learn_repository(tmp_path)
    result = _run(repo, "docs/deploy.md")
    assert result.return_value == 1
    note = [line for line in result.stderr.splitlines() if "openpublishing" in line]
    assert len(note) == 1
    assert "`azureml-examples-main` (https://github.com/azure/azureml-examples main)" in note[0]
    assert "--checkouts DIR or --root NAME=DIR" in note[0]


def test_checkouts_maps_a_plain_clone_on_the_declared_branch(tmp_path):
    repo = _learn_repository(tmp_path)
    result = _run(repo, "--checkouts", str(tmp_path / "checkouts"), "docs/deploy.md")
    assert result.return_value == 0, result.output
    assert "azureml-examples-main" not in result.stderr  # mapped; the other two roots are still named
    assert "`azureml-examples-archive`" in result.stderr


def test_a_clone_stands_only_for_its_own_branch_and_the_build_layout_comes_first(tmp_path):
    declared = [
        DeclaredRoot(**{k: r[k] for k in ("url", "branch")}, name=r["path_to_root"])
        for r in PUBLISH["dependent_repositories"]
    ]
    write_files(tmp_path, {"azureml-examples/.git/HEAD": "ref: refs/heads/main\n", "_themes/README.md": "themes\n"})
    mapped = roots_from_checkouts(declared, tmp_path)
    assert mapped == {
        "_themes": (tmp_path / "_themes").resolve(),
        "azureml-examples-main": (tmp_path / "azureml-examples").resolve(),
    }


def test_checkouts_without_a_publish_configuration_is_a_usage_error(tmp_path):
    write_files(tmp_path, {"docs/a.md": "# A\n"})
    result = _run(tmp_path, "--checkouts", str(tmp_path))
    assert "no .openpublishing.publish.config.json" in str(result.exception)


def test_declared_roots_are_read_from_the_docset_root(tmp_path):
    repo = _learn_repository(tmp_path)
    from docskit.config import declared_roots

    names = [root.name for root in declared_roots(load_config(None, repo))]
    assert names == ["_themes", "azureml-examples-main", "azureml-examples-archive"]
