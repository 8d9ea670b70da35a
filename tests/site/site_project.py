"""The site tests' material: small Learn docsets on disk, and the repository's site sources copied aside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import markdown

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """\
#!/bin/bash
# <create_endpoint>
az ml online-endpoint create -f endpoint.yml
# </create_endpoint>
# <scale_blue>
az ml online-deployment update \\
  --name blue \\
  --set instance_count=2
# </scale_blue>
"""

ENDPOINT_YAML = """\
$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json
name: my-endpoint
auth_mode: key
traffic:
  blue: 90
  green: 10
"""


class Docset:
    """A docs folder and a snippets root named `examples` in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs = root / "docs"
        self.snippets = root / "snippets"
        self.docs.mkdir(parents=True)
        self.write("snippets/cli/deploy.sh", SCRIPT)
        self.write("snippets/cli/endpoint.yml", ENDPOINT_YAML)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def options(self, **extra: object) -> dict:
        return {"roots": {"examples": str(self.snippets)}, **extra}

    def markdown(self, **extra: object) -> markdown.Markdown:
        return markdown.Markdown(extensions=["docskit.mdext.learn"], extension_configs={"docskit.mdext.learn": self.options(**extra)})

    def render(self, relative: str, text: str, **extra: object) -> str:
        page = self.write(relative, text)
        md = self.markdown(**extra)
        md.docskit_page = page
        return md.convert(text)




def copy_project(target: Path) -> Path:
    """The repository's site sources (mkdocs.yml, docs/, snippets/) in a folder of its own."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO / "docs", target / "docs")
    shutil.copytree(REPO / "snippets", target / "snippets", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def run_tool(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    env.pop("DOCSKIT_PREVIEW", None)
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_tool(["mkdocs", "build", "--strict", *extra], project)



ARTICLE = "how-to-safely-rollout-online-endpoints"
