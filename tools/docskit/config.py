"""The toolkit's configuration: one entry under `markdown_extensions:` in `mkdocs.yml`.

The site build (the Markdown extension) and `check-snippets` both read their
options from that one entry, so they can never disagree about roots, severities
or placeholder words. Every option is declared once, in `Options`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from docskit.diagnostics import Severity
from docskit.yaml_budget import GuardedLoader, YamlBudget, load_yaml

EXTENSION_NAME = "docskit.mdext.learn"
DEFAULT_DEPRECATED_IMAGES = ("ubuntu16.04", "ubuntu18.04")


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line for the user."""


@dataclass
class Options:
    """Options of the `docskit.mdext.learn` extension entry (paths relative to mkdocs.yml)."""

    roots: dict[str, str] = field(default_factory=dict)  # NAME -> folder, for source="~/NAME/…"
    source_urls: dict[str, str] = field(default_factory=dict)  # NAME -> URL template with {path}
    docset_root: str = "."  # the folder `~/` means
    severity: dict[str, str] = field(default_factory=dict)  # code or prefix -> error|warning|info|off
    placeholder_words: list[str] = field(default_factory=lambda: ["tk", "tktk"])
    deprecated_images: list[str] = field(default_factory=lambda: list(DEFAULT_DEPRECATED_IMAGES))
    max_include_depth: int = 1  # an included file may not include further files
    command_checkers: dict[str, str] = field(default_factory=dict)  # program -> "module:function"
    command_normalizers: dict[str, str] = field(default_factory=dict)  # program -> "module:function"
    exclude: list[str] = field(default_factory=lambda: ["includes/**"])  # not articles (still checked via includes)
    preview: bool = False  # site only: render CriticMarkup and `tk` as review marks instead of failing
    max_yaml_bytes: int = YamlBudget.max_bytes  # a larger YAML text (source, snippet, front matter) is refused unread

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None, origin: str) -> "Options":
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{origin}: unknown option `{unknown[0]}` for {EXTENSION_NAME}; known options: {', '.join(sorted(known))}")
        options = cls(**data)
        # YAML 1.1 reads a bare `off` as false
        options.severity = {str(k): ("off" if v is False else v) for k, v in (options.severity or {}).items()}
        if isinstance(options.max_yaml_bytes, bool) or not isinstance(options.max_yaml_bytes, int) or options.max_yaml_bytes < 1:
            raise ConfigError(f"{origin}: max_yaml_bytes must be a positive number of bytes, not `{options.max_yaml_bytes}`")
        for code, level in options.severity.items():
            if str(level).lower() not in ("error", "warning", "info", "off"):
                raise ConfigError(f"{origin}: severity of {code} must be error, warning, info or off, not `{level}`")
        return options


@dataclass
class Config:
    """Options plus where they came from; paths made absolute."""

    options: Options
    base: Path  # the folder of mkdocs.yml (or the working directory)
    docs_dir: Path
    origin: str = "defaults"

    @property
    def yaml_budget(self) -> YamlBudget:
        """The one budget every YAML of the docset is read within."""
        return YamlBudget(max_bytes=self.options.max_yaml_bytes)

    @property
    def docset_root(self) -> Path:
        return (self.base / self.options.docset_root).resolve()

    def root_dirs(self) -> dict[str, Path]:
        return {name: (self.base / folder).resolve() for name, folder in self.options.roots.items()}

    def severity_for(self, code: str, default: Severity) -> Severity | None:
        """The configured severity of a code (longest matching prefix wins); None when turned off."""
        best, level = -1, None
        for key, value in self.options.severity.items():
            if code.startswith(key.upper()) and len(key) > best:
                best, level = len(key), str(value).lower()
        if level is None:
            return default
        return None if level == "off" else Severity(level)


class _TolerantLoader(GuardedLoader):
    """Reads mkdocs.yml without executing its `!!python/name:` or `!ENV` tags."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def find_mkdocs_yml(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    return None


def load_config(mkdocs_yml: Path | None = None, cwd: Path | None = None) -> Config:
    """Read the extension entry from mkdocs.yml (searched upwards from cwd when not given)."""
    cwd = cwd or Path(os.getcwd())
    path = mkdocs_yml or find_mkdocs_yml(cwd)
    if path is None:
        return Config(Options(), cwd, cwd / "docs")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    document = load_yaml(text, YamlBudget(), _TolerantLoader)  # the configured budget is not known yet: the default
    if not document.ok:
        what = "refused" if document.refused else "not valid YAML"
        raise ConfigError(f"{path}:{document.error_line}:{document.error_column}: {what}: {document.error}")
    data = document.data or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    entry: dict[str, Any] | None = None
    for item in data.get("markdown_extensions") or []:
        if isinstance(item, dict) and EXTENSION_NAME in item:
            entry = item[EXTENSION_NAME] or {}
        elif item == EXTENSION_NAME:
            entry = {}
    options = Options.from_mapping(entry, str(path))
    base = path.parent
    return Config(options, base, (base / str(data.get("docs_dir", "docs"))).resolve(), str(path))


def config_from_extension(options: dict[str, Any], mkdocs_yml: Path | None) -> Config:
    """The same `Config`, built from the options Python-Markdown hands to the extension."""
    base = mkdocs_yml.parent if mkdocs_yml else Path(os.getcwd())
    known = {f.name for f in fields(Options)}
    return Config(Options.from_mapping({k: v for k, v in options.items() if k in known}, EXTENSION_NAME), base,
                  base / "docs", str(mkdocs_yml or "extension options"))


def build_roots(config: Config, overrides: dict[str, Path] | None = None) -> "Roots":
    """Roots from, in rising priority: `.openpublishing.publish.config.json`, mkdocs.yml, `--root`."""
    from docskit.snippets.roots import Roots, roots_from_openpublishing

    named: dict[str, Path] = {}
    urls: dict[str, str] = {}
    for folder in dict.fromkeys((config.docset_root, config.base)):
        publish = folder / ".openpublishing.publish.config.json"
        if publish.is_file():
            try:
                found, found_urls = roots_from_openpublishing(publish)
            except (ValueError, OSError) as exc:
                raise ConfigError(f"{publish}: cannot be read: {exc}") from None
            named.update(found)
            urls.update(found_urls)
    named.update(config.root_dirs())
    urls.update(config.options.source_urls)
    named.update({name: Path(folder).resolve() for name, folder in (overrides or {}).items()})
    return Roots(config.docset_root, named, urls)
