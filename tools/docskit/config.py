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
from docskit.snippets.roots import Roots, roots_from_openpublishing
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
    tutorial: dict[str, Any] = field(default_factory=dict)  # the tutorial runner's settings (docskit.doctest.settings)

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None, origin: str) -> Options:
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"{origin}: unknown option `{unknown[0]}` for {EXTENSION_NAME}; known options: {', '.join(sorted(known))}"
            )
        options = cls(**data)
        # YAML 1.1 reads a bare `off` as false
        options.severity = {str(k): ("off" if v is False else v) for k, v in (options.severity or {}).items()}
        if (
            isinstance(options.max_yaml_bytes, bool)
            or not isinstance(options.max_yaml_bytes, int)
            or options.max_yaml_bytes < 1
        ):
            raise ConfigError(
                f"{origin}: max_yaml_bytes must be a positive number of bytes, not `{options.max_yaml_bytes}`"
            )
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
    return Config(
        Options.from_mapping({k: v for k, v in options.items() if k in known}, EXTENSION_NAME),
        base,
        base / "docs",
        str(mkdocs_yml or "extension options"),
    )


def build_roots(config: Config, overrides: dict[str, Path] | None = None) -> Roots:
    """Roots from, in rising priority: `.openpublishing.publish.config.json`, mkdocs.yml, `--root`."""
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


@dataclass(frozen=True)
class DeclaredRoot:
    """A dependent repository of `.openpublishing.publish.config.json`: `~/NAME/` on the published site."""

    name: str  # its `path_to_root`
    url: str
    branch: str

    @property
    def repository(self) -> str:
        """The folder a plain `git clone URL` makes."""
        return self.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")


def publish_config_files(config: Config) -> list[Path]:
    """The `.openpublishing.publish.config.json` files build_roots reads, in the order it reads them."""
    return [
        folder / ".openpublishing.publish.config.json"
        for folder in dict.fromkeys((config.docset_root, config.base))
        if (folder / ".openpublishing.publish.config.json").is_file()
    ]


def declared_roots(config: Config) -> list[DeclaredRoot]:
    """Every dependent repository the publish configuration declares (later files win a name)."""
    import json

    found: dict[str, DeclaredRoot] = {}
    for publish in publish_config_files(config):
        try:
            data = json.loads(publish.read_text(encoding="utf-8-sig"))
        except (ValueError, OSError) as exc:
            raise ConfigError(f"{publish}: cannot be read: {exc}") from None
        for repo in (data.get("dependent_repositories") if isinstance(data, dict) else None) or []:
            if not isinstance(repo, dict):
                continue
            name = str(repo.get("path_to_root", "")).strip("/")
            if name:
                found[name] = DeclaredRoot(name, str(repo.get("url") or ""), str(repo.get("branch") or "main"))
    return list(found.values())


def _checked_out_branch(folder: Path) -> str | None:
    try:
        head = (folder / ".git" / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return head.removeprefix("ref: refs/heads/") if head.startswith("ref: refs/heads/") else None


def roots_from_checkouts(declared: list[DeclaredRoot], checkouts: Path) -> dict[str, Path]:
    """Map declared roots to local checkouts under `checkouts`.

    `DIR/NAME` is taken first (the layout of the publishing build, which clones each
    dependent repository to its `path_to_root`); else `DIR/REPOSITORY`, a plain
    `git clone` of the URL, when it is on the declared branch, or when no other
    declared root comes from that repository (one clone cannot stand for two branches).
    """
    per_repository: dict[str, int] = {}
    for root in declared:
        per_repository[root.repository.lower()] = per_repository.get(root.repository.lower(), 0) + 1
    mapped: dict[str, Path] = {}
    for root in declared:
        if (checkouts / root.name).is_dir():
            mapped[root.name] = (checkouts / root.name).resolve()
            continue
        clone = checkouts / root.repository
        if root.repository and clone.is_dir():
            branch = _checked_out_branch(clone)
            if branch == root.branch or per_repository[root.repository.lower()] == 1:
                mapped[root.name] = clone.resolve()
    return mapped


def unmapped_roots(config: Config, mapped: dict[str, Path]) -> list[DeclaredRoot]:
    """Declared roots with neither a mapping nor a checkout at `path_to_root` beside the publish configuration."""
    configured = set(config.options.roots) | set(mapped)
    places = [p.parent for p in publish_config_files(config)]
    return [
        root
        for root in declared_roots(config)
        if root.name not in configured and not any((place / root.name).is_dir() for place in places)
    ]
