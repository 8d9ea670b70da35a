"""A digest of the code that produced a cached result, and the fingerprint of a run's settings.

A cached finding is only as good as the rules that made it: after an upgrade of
the toolkit, or an edit of a configured command checker (such as the emulated
CLI's command table), every cached result must be recomputed. Hashing the
source files costs about a millisecond per hundred files, far less than one
stale report.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

import docskit
from docskit.config import Config
from docskit.snippets.roots import Roots


def _module_files(dotted: str) -> list[Path]:
    """The file of `module` in a "module:function" reference, found without importing it."""
    module = dotted.partition(":")[0].strip()
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return []
    return [Path(spec.origin)] if spec and spec.origin and spec.origin.endswith(".py") else []


@lru_cache(maxsize=8)
def code_version(plugins: tuple[str, ...] = ()) -> str:
    """Digest of every docskit source file and of the configured plugin modules."""
    package = Path(docskit.__file__).parent
    files = sorted(package.rglob("*.py")) + sorted(package.rglob("*.json"))
    for reference in plugins:
        files.extend(_module_files(reference))
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digest.update(str(path.name).encode() + b"\0" + hashlib.blake2b(data, digest_size=16).digest())
    return digest.hexdigest()


def fingerprint(config: Config, roots: Roots) -> str:
    """What a cached result depends on besides files: the code, the options and the roots."""
    plugins = tuple(sorted({*config.options.command_checkers.values(), *config.options.command_normalizers.values()}))
    options = {k: v for k, v in asdict(config.options).items() if k != "roots"}  # roots count as resolved, below
    data = {
        "tool": code_version(plugins),
        "options": options,
        "docset": str(roots.docset),
        "roots": {k: str(v) for k, v in sorted(roots.named.items())},
        "base": str(config.base),
    }
    return hashlib.blake2b(json.dumps(data, sort_keys=True, default=str).encode(), digest_size=16).hexdigest()
