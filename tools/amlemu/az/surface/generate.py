"""Generate the real Azure CLI's command surface (`*.json` next to this file) from the CLI's own source.

Why: the static checker of `az` lines must know every command a Learn article can
show (`az ml batch-endpoint create`, `az group create`, …), not only the few the
emulator implements. The Azure CLI builds its parser at run time from Python
modules; importing them needs azure-cli-core and the SDKs, so this script reads
them *statically* with `ast` instead and writes what argparse would be given:

* commands: `with self.command_group('ml job', …) as g:` blocks and their
  `g.command / custom_command / show_command / custom_show_command /
  generic_update_command / wait_command / …('name', 'handler')` calls, with
  `supports_no_wait=True` (`--no-wait`) and `confirmation=True` (`--yes/-y`);
  AAZ commands from their `@register_command('network vnet create')` classes;
* parameters: the handler function's signature when its module is among the
  sources (a parameter without default is required, a `bool` default makes a
  flag, as knack does), merged with the argument registry of the `_params`
  modules: `with self.argument_context('ml online-endpoint') as c:` applies to
  every command under that scope, more specific scopes win;
  `c.argument(dest, [arg_type], options_list=…, required=…, action=…, nargs=…)`,
  `c.extra(…)`, `c.ignore(…)`, helper functions that receive `c` (inlined, as
  deep as they go), and `arg_type=` names bound to `CLIArgumentType(…)` in the
  same sources or to the well-known types of azure-cli-core (`CORE_ARG_TYPES`).

Limits, by design lenient (an unknown is accepted, never reported):

* A handler whose source is not given (SDK operations such as
  `ResourceGroupsOperations.begin_delete`, dynamic templates, storage's
  injected account arguments, AAZ commands that custom code may extend) makes
  the command *open*: its known options are recorded, any other option is accepted.
  A table may declare its registry complete (`registry_complete`): then a command
  whose handler source is missing takes the registry's options as its parameter
  list (the `ml` extension registers every parameter of a command under that
  command's own scope), provided some `argument_context` names the command itself.
* An option whose value-taking cannot be decided (no signature, no `action`/`nargs`)
  is recorded as `maybe`: it takes one value if one follows.
* `required` comes only from a signature without default or `required=True`;
  an argument with a `configured_default` is recorded with it and is never missing.
* Control flow is ignored: commands behind `if` branches are all recorded,
  scopes built at run time (f-strings, `.format`, loops) are skipped.

Each table records its sources (repository, revision, path) and, for an
extension, its version. Run `python -m amlemu.az.surface.generate --help`.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import pathlib
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

HERE = pathlib.Path(__file__).resolve().parent
FORMAT = 1

VALUE, FLAG, LIST, MAYBE = "value", "flag", "list", "maybe"
EXCLUDED_PARAMETERS = {"cmd", "client", "self", "kwargs", "instance", "parameters", "no_wait"}
GENERIC_UPDATE_ARGUMENTS = (("--set",), ("--add",), ("--remove",), ("--force-string",))
WAIT_ARGUMENTS = (
    ("--created", FLAG),
    ("--updated", FLAG),
    ("--deleted", FLAG),
    ("--exists", FLAG),
    ("--custom", VALUE),
    ("--interval", VALUE),
    ("--timeout", VALUE),
)

# Argument types defined in azure-cli-core (not part of the command modules' source), as they reach argparse.
CORE_ARG_TYPES: dict[str, dict] = {
    "resource_group_name_type": {
        "options_list": ["--resource-group", "-g"],
        "configured_default": "group",
        "typed": True,
    },
    "get_location_type": {"options_list": ["--location", "-l"], "configured_default": "location", "typed": True},
    "get_resource_name_completion_list": {},
    "name_type": {"options_list": ["--name", "-n"], "typed": True},
    "tags_type": {"options_list": ["--tags"], "nargs": "*"},
    "tag_type": {"options_list": ["--tag"]},
    "no_wait_type": {"options_list": ["--no-wait"], "action": "store_true"},
    "file_type": {},
    "zone_type": {"options_list": ["--zone", "-z"]},
    "zones_type": {"options_list": ["--zones", "-z"], "nargs": "+"},
    "edge_zone_type": {"options_list": ["--edge-zone"]},
    "get_enum_type": {"typed": True},
    "get_three_state_flag": {"nargs": "?"},
    "ignore_type": {"ignore": True},
    "quotes": {},
}


@dataclass(frozen=True)
class Source:
    """Where one table's Python sources are: a checkout (or unpacked release) of one repository."""

    repository: str
    checkout: pathlib.Path
    package_roots: tuple[str, ...]  # folders, relative to the checkout, from which module names resolve
    loaders: tuple[tuple[str, tuple[str, ...]], ...]  # (commands file, its _params files or folders)
    aaz: tuple[str, ...] = ()  # folders of AAZ command classes
    registry_complete: bool = False
    version_file: str | None = None  # a file that sets VERSION = "x.y.z"


@dataclass(frozen=True)
class TableSpec:
    name: str
    repository: str
    package_roots: tuple[str, ...]
    loaders: tuple[tuple[str, tuple[str, ...]], ...]
    aaz: tuple[str, ...] = ()
    registry_complete: bool = False
    version_file: str | None = None


_CORE = "src/azure-cli/azure/cli/command_modules/"
CORE_MODULES = (
    "resource",
    "profile",
    "configure",
    "extension",
    "storage",
    "monitor",
    "role",
    "acr",
    "keyvault",
    "identity",
    "acs",
    "vm",
    "network",
)


def _core_loader(module: str) -> tuple[str, tuple[str, ...]]:
    return (f"{_CORE}{module}/commands.py", (f"{_CORE}{module}/_params.py",))


TABLES: dict[str, TableSpec] = {
    "ml": TableSpec(
        "ml",
        "Azure/azure-cli-extensions",
        ("src/machinelearningservices",),
        (
            (
                "src/machinelearningservices/azext_mlv2/manual/commands.py",
                ("src/machinelearningservices/azext_mlv2/manual/_params",),
            ),
        ),
        registry_complete=True,
        version_file="src/machinelearningservices/azext_mlv2/manual/version.py",
    ),
    "core": TableSpec(
        "core",
        "Azure/azure-cli",
        ("src/azure-cli",),
        tuple(_core_loader(m) for m in CORE_MODULES)
        + (
            (f"{_CORE}profile/__init__.py", (f"{_CORE}profile/__init__.py",)),
            (f"{_CORE}extension/__init__.py", (f"{_CORE}extension/__init__.py", f"{_CORE}extension/_params.py")),
        ),
        aaz=tuple(f"{_CORE}{m}/aaz" for m in CORE_MODULES),
    ),
}


# Reading sources ------------------------------------------------------------------


class SourceTree:
    """The files of one checkout that the generator read, with their revisions."""

    def __init__(self, repository: str, root: pathlib.Path) -> None:
        self.repository = repository
        self.root = root
        self.read: dict[str, str] = {}  # path -> revision
        self._revisions = self._load_revisions()

    def _load_revisions(self) -> dict:
        manifest = self.root / "REVISIONS.json"
        if manifest.is_file():
            return json.loads(manifest.read_text())
        if (self.root / ".git").exists():
            head = subprocess.run(["git", "-C", str(self.root), "rev-parse", "HEAD"], capture_output=True, text=True)
            if head.returncode == 0:
                return {"default": head.stdout.strip(), "files": {}}
        return {"default": "unknown", "files": {}}

    def exists(self, path: str) -> bool:
        return (self.root / path).is_file()

    def parse(self, path: str) -> ast.Module | None:
        file = self.root / path
        if not file.is_file():
            return None
        try:
            tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        except SyntaxError:
            return None
        self.read[path] = self._revisions.get("files", {}).get(path, self._revisions.get("default", "unknown"))
        return tree

    def python_files(self, path: str) -> list[str]:
        """`path` itself when it is a file, else the .py files under that folder, sorted."""
        base = self.root / path
        if base.is_file():
            return [path]
        if not base.is_dir():
            return []
        return sorted(str(p.relative_to(self.root)) for p in base.rglob("*.py"))

    def module_path(self, module: str, roots: Iterable[str]) -> str | None:
        for root in roots:
            for candidate in (
                f"{root}/{module.replace('.', '/')}.py",
                f"{root}/{module.replace('.', '/')}/__init__.py",
            ):
                if self.exists(candidate):
                    return candidate
        return None


def _literal(node: ast.AST | None) -> object:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _Unknown


class _UnknownType:
    def __repr__(self) -> str:
        return "<unknown>"


_Unknown = _UnknownType()


def _string(node: ast.AST | None) -> str | None:
    value = _literal(node)
    return value if isinstance(value, str) else None


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


# Commands -------------------------------------------------------------------------


@dataclass
class CommandDef:
    name: str
    kind: str  # command | custom_command | generic_update_command | wait_command | aaz
    handlers: list[tuple[str | None, str]]  # (operations template, function name)
    no_wait: bool = False
    confirmation: bool = False
    aaz_options: list[Argument] = field(default_factory=list)


def _command_types(tree: ast.Module) -> dict[str, str]:
    """Names bound to `CliCommandType(operations_tmpl='…')` (or a custom type) anywhere in the file."""
    types: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and _call_name(node.value) == "CliCommandType":
                for keyword in node.value.keywords:
                    if keyword.arg == "operations_tmpl":
                        template = _string(keyword.value)
                        if template:
                            types[target.id] = template
    return types


def _template(node: ast.AST | None, types: dict[str, str]) -> str | None:
    if node is None:
        return None
    if isinstance(node, ast.Name):
        return types.get(node.id)
    if isinstance(node, ast.Call) and _call_name(node) == "CliCommandType":
        for keyword in node.keywords:
            if keyword.arg == "operations_tmpl":
                return _string(keyword.value)
    return None


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def read_commands(tree: ast.Module, default_custom: str | None = None) -> list[CommandDef]:
    """Every `g.*command*('name', 'handler')` inside `with self.command_group('group', …) as g:`.

    `default_custom` is the loader's custom template (by convention the module's `custom.py`),
    used when a group names none.
    """
    types = _command_types(tree)
    commands: list[CommandDef] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.With):
            continue
        for item in node.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and _call_name(call) == "command_group"):
                continue
            group = _string(call.args[0]) if call.args else None
            if group is None or not isinstance(item.optional_vars, ast.Name):
                continue
            alias = item.optional_vars.id
            operations = _template(call.args[1] if len(call.args) > 1 else _keyword(call, "command_type"), types)
            custom = _template(_keyword(call, "custom_command_type"), types) or default_custom
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and isinstance(inner.func.value, ast.Name)
                    and inner.func.value.id == alias
                    and "command" in inner.func.attr
                    and inner.args
                ):
                    word = _string(inner.args[0])
                    if word is None:
                        continue
                    commands.append(_command(f"{group} {word}".strip(), inner, operations, custom, types))
    return commands


def _command(
    name: str, call: ast.Call, operations: str | None, custom: str | None, types: dict[str, str]
) -> CommandDef:
    method = call.func.attr  # type: ignore[union-attr]
    explicit = _template(_keyword(call, "command_type"), types)
    function = _string(call.args[1]) if len(call.args) > 1 else None
    handlers: list[tuple[str | None, str]] = []
    if method == "generic_update_command":
        kind = "generic_update_command"
        for getter, getter_type in (
            ("getter_name", "getter_type"),
            ("setter_name", "setter_type"),
            ("custom_func_name", "custom_func_type"),
        ):
            fn = _string(_keyword(call, getter))
            template = _template(_keyword(call, getter_type), types)
            if fn:
                handlers.append((template or (custom if getter == "custom_func_name" else operations), fn))
        if not _keyword(call, "getter_name"):
            handlers.append((None, "get"))  # the group's SDK getter: not in these sources
    elif method in ("wait_command", "custom_wait_command"):
        kind = "wait_command"
        handlers.append((None, function or "get"))
    else:
        kind = "custom_command" if method.startswith("custom") else "command"
        template = explicit or (custom if kind == "custom_command" else operations)
        if kind == "custom_command" and template is None:
            template = None
        handlers.append((template, function or ""))
    no_wait = _literal(_keyword(call, "supports_no_wait")) is True
    confirmation = _keyword(call, "confirmation") is not None and _literal(_keyword(call, "confirmation")) is not False
    return CommandDef(name, kind, handlers, no_wait, confirmation)


def read_aaz_commands(tree: ast.Module) -> list[CommandDef]:
    """AAZ classes: `@register_command('group verb')` and their `_args_schema.x = AAZ…Arg(options=[…])`."""
    commands = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        name = None
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and _call_name(decorator) == "register_command" and decorator.args:
                name = _string(decorator.args[0])
        if not name:
            continue
        options: list[Argument] = []
        no_wait = False
        for inner in ast.walk(node):
            if isinstance(inner, ast.Assign) and len(inner.targets) == 1:
                target = inner.targets[0]
                if isinstance(target, ast.Name) and target.id == "AZ_SUPPORT_NO_WAIT":
                    no_wait = _literal(inner.value) is True
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "_args_schema"
                    and isinstance(inner.value, ast.Call)
                ):
                    options.append(_aaz_argument(target.attr, inner.value))
        commands.append(CommandDef(name, "aaz", [], no_wait=no_wait, aaz_options=options))
    return commands


def _aaz_argument(dest: str, call: ast.Call) -> Argument:
    names = _literal(_keyword(call, "options"))
    kind_name = _call_name(call) or ""
    if kind_name == "AAZResourceGroupNameArg":
        names = names if isinstance(names, list) else ["--resource-group", "-g"]
    elif kind_name == "AAZResourceLocationArg":
        names = names if isinstance(names, list) else ["--location", "-l"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        names = [f"--{dest.replace('_', '-')}"]
    kind = MAYBE if kind_name in ("AAZBoolArg",) else LIST if kind_name in ("AAZListArg", "AAZDictArg") else VALUE
    argument = Argument(dest, names, kind)
    argument.required = _literal(_keyword(call, "required")) is True
    if kind_name in ("AAZResourceGroupNameArg",):
        argument.configured_default = "group"
    if kind_name in ("AAZResourceLocationArg",):
        argument.configured_default = "location"
    return argument


# Arguments ------------------------------------------------------------------------


@dataclass
class Argument:
    """One parameter as argparse will get it."""

    dest: str
    names: list[str]
    kind: str = MAYBE
    required: bool = False
    configured_default: str | None = None

    def as_json(self) -> list:
        ordered = sorted(self.names, key=lambda n: (not n.startswith("--"),))  # long name first, as written
        out: list = [ordered, self.kind]
        if self.required:
            out.append("required")
        if self.configured_default:
            out.append(f"default={self.configured_default}")
        return out


@dataclass
class Setting:
    """What one `c.argument(...)`/`c.extra(...)`/`c.ignore(...)` says about one dest, under one scope."""

    scope: str
    dest: str
    settings: dict
    extra: bool = False
    order: int = 0


class Registry:
    """The `_params` argument registry: scoped settings, applied from the widest scope to the narrowest."""

    def __init__(self) -> None:
        # azure-cli-core registers these for every command before a module's own registry.
        self.settings: list[Setting] = [
            Setting("", "resource_group_name", dict(CORE_ARG_TYPES["resource_group_name_type"]), order=-2),
            Setting("", "location", dict(CORE_ARG_TYPES["get_location_type"]), order=-1),
        ]
        self.arg_types: dict[str, dict] = dict(CORE_ARG_TYPES)

    def read(self, trees: list[ast.Module]) -> None:
        functions: dict[str, ast.FunctionDef] = {}
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef):
                    functions.setdefault(node.name, node)
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Call)
                    and _call_name(node.value) == "CLIArgumentType"
                ):
                    self.arg_types[node.targets[0].id] = self._settings_of(node.value, skip_positional=0)
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.With):
                    for item in node.items:
                        call = item.context_expr
                        if (
                            isinstance(call, ast.Call)
                            and _call_name(call) == "argument_context"
                            and call.args
                            and isinstance(item.optional_vars, ast.Name)
                        ):
                            scope = _string(call.args[0])
                            if scope is not None:
                                self._read_block(scope.strip(), item.optional_vars.id, node.body, functions, 0)

    def _read_block(
        self, scope: str, alias: str, body: list[ast.stmt], functions: dict[str, ast.FunctionDef], depth: int
    ) -> None:
        if depth > 8:
            return
        for statement in body:
            for node in ast.walk(statement):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == alias:
                    self._read_call(scope, func.attr, node)
                elif (
                    isinstance(func, ast.Name)
                    and func.id in functions
                    and any(isinstance(a, ast.Name) and a.id == alias for a in node.args)
                ):
                    helper = functions[func.id]
                    position = next(i for i, a in enumerate(node.args) if isinstance(a, ast.Name) and a.id == alias)
                    if position < len(helper.args.args):
                        self._read_block(scope, helper.args.args[position].arg, helper.body, functions, depth + 1)

    def _read_call(self, scope: str, method: str, call: ast.Call) -> None:
        if method == "ignore":
            for arg in call.args:
                dest = _string(arg)
                if dest:
                    self.settings.append(Setting(scope, dest, {"ignore": True}, order=len(self.settings)))
            return
        if method not in ("argument", "extra", "positional") or not call.args:
            return
        dest = _string(call.args[0])
        if dest is None:
            return
        settings = self._settings_of(call, skip_positional=1)
        if method == "positional":
            settings["positional"] = True
        self.settings.append(Setting(scope, dest, settings, extra=method == "extra", order=len(self.settings)))

    def _settings_of(self, call: ast.Call, skip_positional: int) -> dict:
        settings: dict = {}
        type_nodes = list(call.args[skip_positional : skip_positional + 1]) + [
            k.value for k in call.keywords if k.arg == "arg_type"
        ]
        for node in type_nodes:
            settings.update(self._arg_type(node))
        for keyword in call.keywords:
            if keyword.arg in ("options_list", "required", "action", "nargs", "configured_default"):
                value = _literal(keyword.value)
                if keyword.arg == "options_list":
                    value = self._options_list(keyword.value)
                elif keyword.arg == "action" and value is _Unknown:
                    value = "custom"
                if value is not _Unknown:
                    settings[keyword.arg] = value
            elif keyword.arg == "type" and _call_name(keyword.value) not in ("bool", None):
                settings["typed"] = True  # `type=str`, `type=int`: the argument takes a value
        return settings

    def _arg_type(self, node: ast.AST) -> dict:
        name = _call_name(node)
        if name in self.arg_types:
            found = dict(self.arg_types[name])
            if name == "get_location_type" or not isinstance(node, ast.Call):
                return found
            return found
        return {"unresolved_type": True}

    @staticmethod
    def _options_list(node: ast.AST) -> list[str] | object:
        value = _literal(node)
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return list(value)
        if isinstance(node, (ast.List, ast.Tuple)):
            # Deprecated aliases are calls (`c.deprecate(target='--old', …)`): argparse still accepts them.
            names = []
            for element in node.elts:
                text = _string(element)
                if text is None and isinstance(element, ast.Call):
                    text = _string(_keyword(element, "target"))
                if text:
                    names.append(text)
            return names
        return _Unknown

    def has_scope(self, command: str) -> bool:
        """Whether some `argument_context` names exactly this command."""
        return any(s.scope == command for s in self.settings)

    def for_command(self, command: str) -> dict[str, dict]:
        """Merged settings per dest for `command`, widest scope first; `extra` marks arguments outside the signature."""
        words = command.split()
        applicable = [s for s in self.settings if s.scope == "" or s.scope.split() == words[: len(s.scope.split())]]
        applicable.sort(key=lambda s: (len(s.scope.split()), s.order))
        merged: dict[str, dict] = {}
        for setting in applicable:
            entry = merged.setdefault(setting.dest, {})
            entry.update(setting.settings)
            if setting.scope:
                entry["scoped"] = True  # named by the command's own registry, not only by azure-cli-core
            if setting.extra:
                entry["extra"] = True
        return merged


# Signatures -------------------------------------------------------------------------


def _signature(tree: ast.Module, function: str) -> list[tuple[str, object]] | None:
    """(parameter, default) pairs of a top-level function, `_Required` for no default; None when not found."""
    target: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    class_name, _, method = function.partition(".")
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function:
            target = node
        if method and isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == method:
                    target = item
    if target is None:
        return None
    args = target.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.AST | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    pairs: list[tuple[str, object]] = []
    for arg, default in zip(positional, defaults, strict=True):
        pairs.append((arg.arg, _Required if default is None else _literal(default)))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        pairs.append((arg.arg, _Required if default is None else _literal(default)))
    return pairs


class _RequiredType:
    pass


_Required = _RequiredType()


# Building a table -------------------------------------------------------------------


def _argument_from(dest: str, settings: dict, default: object) -> Argument | None:
    if settings.get("ignore") or settings.get("positional"):
        return None
    names = settings.get("options_list")
    if not isinstance(names, list) or not names:
        names = [f"--{dest.replace('_', '-')}"]
    kind = MAYBE
    action, nargs = settings.get("action"), settings.get("nargs")
    if action in ("store_true", "store_false", "store_const", "count", "help", "version"):
        kind = FLAG
    elif nargs in ("+", "*") or (isinstance(nargs, int) and nargs > 1):
        kind = LIST
    elif nargs == "?":
        kind = MAYBE
    elif action is not None or nargs == 1 or settings.get("typed"):
        kind = VALUE
    elif default is not None and default is not _Unknown and default is not _Required:
        kind = FLAG if isinstance(default, bool) else VALUE
    elif default is None or default is _Required:
        kind = VALUE if not settings.get("unresolved_type") else MAYBE
    required = settings["required"] if isinstance(settings.get("required"), bool) else default is _Required
    argument = Argument(dest, list(names), kind, bool(required))
    if isinstance(settings.get("configured_default"), str):
        argument.configured_default = settings["configured_default"]
    return argument


def _package_custom(commands_file: str, roots: Iterable[str]) -> str | None:
    """`azure.cli.command_modules.resource.custom#{}` for `…/command_modules/resource/commands.py`."""
    for root in roots:
        if commands_file.startswith(root + "/"):
            package = os.path.dirname(commands_file[len(root) + 1 :]).replace("/", ".")
            return f"{package}.custom#{{}}"
    return None


def build_table(spec: TableSpec, tree: SourceTree) -> dict:
    """The JSON table for one spec, from the sources under `tree`."""
    commands: list[CommandDef] = []
    registry = Registry()
    for commands_file, params in spec.loaders:
        parsed = tree.parse(commands_file)
        if parsed is not None:
            commands.extend(read_commands(parsed, _package_custom(commands_file, spec.package_roots)))
        param_trees = [t for path in params for file in tree.python_files(path) if (t := tree.parse(file)) is not None]
        registry.read(param_trees)
    for folder in spec.aaz:
        for file in tree.python_files(folder):
            if os.path.basename(file).startswith("_") and not file.endswith("__init__.py"):
                parsed = tree.parse(file)
                if parsed is not None:
                    commands.extend(read_aaz_commands(parsed))
    table: dict[str, dict] = {}
    for command in commands:
        table[command.name] = _command_entry(command, spec, tree, registry)
    version = None
    if spec.version_file:
        parsed = tree.parse(spec.version_file)
        for node in parsed.body if parsed else []:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "VERSION" for t in node.targets
            ):
                version = _string(node.value)
    return {
        "format": FORMAT,
        "table": spec.name,
        "version": version,
        "sources": [
            {"repository": tree.repository, "revision": revision, "path": path}
            for path, revision in sorted(tree.read.items())
        ],
        "commands": {name: table[name] for name in sorted(table)},
    }


def _command_entry(command: CommandDef, spec: TableSpec, tree: SourceTree, registry: Registry) -> dict:
    settings = registry.for_command(command.name)
    arguments: dict[str, Argument] = {}
    open_ = False
    if command.kind == "aaz":
        for argument in command.aaz_options:
            arguments[argument.dest] = argument
        open_ = True  # custom code may subclass an AAZ command and add arguments
    else:
        signature: list[tuple[str, object]] = []
        resolved = True
        for template, function in command.handlers:
            params = _resolve(template, function, spec, tree)
            if params is None:
                resolved = False
            else:
                signature.extend(params)
        seen = set()
        for dest, default in signature:
            if (
                dest in EXCLUDED_PARAMETERS
                or dest in seen
                or dest.startswith("_")
                or (command.confirmation and dest == "yes")
            ):  # knack's own --yes/-y replaces it
                continue
            seen.add(dest)
            if command.kind == "generic_update_command":
                default = None if default is _Required else default
            argument = _argument_from(dest, settings.get(dest, {}), default)
            if argument is not None:
                arguments[dest] = argument
        if not resolved:
            if spec.registry_complete and registry.has_scope(command.name):
                for dest, entry in settings.items():
                    if dest not in arguments and dest not in EXCLUDED_PARAMETERS and entry.get("scoped"):
                        argument = _argument_from(dest, entry, _Unknown)
                        if argument is not None:
                            arguments[dest] = argument
            else:
                open_ = True
                for dest, entry in settings.items():
                    if (
                        dest not in arguments
                        and "options_list" in entry
                        and dest not in EXCLUDED_PARAMETERS
                        and entry.get("scoped")
                    ):
                        argument = _argument_from(dest, entry, _Unknown)
                        if argument is not None:
                            argument.required = False
                            arguments[dest] = argument
        for dest, entry in settings.items():
            if entry.get("extra") and dest not in arguments:
                argument = _argument_from(dest, entry, None)
                if argument is not None:
                    arguments[dest] = argument
    out_arguments = [a.as_json() for a in arguments.values()]
    if command.no_wait:
        out_arguments.append([["--no-wait"], FLAG])
    if command.confirmation:
        out_arguments.append([["--yes", "-y"], FLAG])
    if command.kind == "generic_update_command":
        out_arguments.extend([list(names), LIST] for names in GENERIC_UPDATE_ARGUMENTS[:3])
        out_arguments.append([["--force-string"], FLAG])
    if command.kind == "wait_command":
        out_arguments.extend([[name], kind] for name, kind in WAIT_ARGUMENTS)
    unique: dict[str, list] = {}
    for option in out_arguments:  # one entry per long name: the parameter's own entry wins
        unique.setdefault(option[0][0], option)
    out_arguments = list(unique.values())
    entry: dict = {"options": out_arguments}
    if open_:
        entry["open"] = True
    return entry


def _resolve(template: str | None, function: str, spec: TableSpec, tree: SourceTree) -> list | None:
    if not template or "#" not in template or not function:
        return None
    module, _, pattern = template.partition("#")
    path = tree.module_path(module, spec.package_roots)
    if path is None:
        return None
    parsed = tree.parse(path)
    if parsed is None:
        return None
    return _signature(parsed, pattern.replace("{}", function))


# Writing --------------------------------------------------------------------------


def render(table: dict) -> str:
    """Stable, diff-friendly JSON: one line per command."""
    head = {k: v for k, v in table.items() if k != "commands"}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, indent=None)},")
    lines.append('  "commands": {')
    names = list(table["commands"])
    for i, name in enumerate(names):
        comma = "," if i < len(names) - 1 else ""
        lines.append(f"    {json.dumps(name)}: {json.dumps(table['commands'][name], separators=(',', ':'))}{comma}")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate(
    checkouts: dict[str, pathlib.Path],
    out: pathlib.Path,
    tables: Iterable[str] | None = None,
    specs: dict[str, TableSpec] | None = None,
) -> list[pathlib.Path]:
    """Write `<table>.json` into `out` for every table whose repository has a checkout; return the files written."""
    specs = specs or TABLES
    written = []
    for name in tables or specs:
        spec = specs[name]
        if spec.repository not in checkouts:
            continue
        tree = SourceTree(spec.repository, checkouts[spec.repository])
        table = build_table(spec, tree)
        target = out / f"{name}.json"
        partial = target.with_suffix(".json.part")
        partial.write_text(render(table), encoding="utf-8")
        os.replace(partial, target)
        written.append(target)
    return written


def _checkout(text: str) -> tuple[str, pathlib.Path]:
    repository, sep, folder = text.partition("=")
    if not sep or "/" not in repository:
        raise argparse.ArgumentTypeError(f"expected OWNER/NAME=DIR, got {text!r}")
    path = pathlib.Path(folder).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{folder}: no such folder")
    return repository, path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m amlemu.az.surface.generate",
        description="Regenerate the real `az` surface tables from checkouts of Azure/azure-cli and "
        "Azure/azure-cli-extensions. A checkout is a git clone (its HEAD is recorded) or a folder "
        'with a REVISIONS.json ({"default": REV, "files": {PATH: REV}}).',
    )
    parser.add_argument(
        "--checkout",
        action="append",
        type=_checkout,
        default=[],
        metavar="OWNER/NAME=DIR",
        help="a checkout of one repository (repeatable)",
    )
    parser.add_argument("--out", type=pathlib.Path, default=HERE, help="folder for the tables (default: %(default)s)")
    parser.add_argument("--table", action="append", choices=sorted(TABLES), help="only this table (repeatable)")
    options = parser.parse_args(argv)
    if not options.checkout:
        parser.error("give at least one --checkout OWNER/NAME=DIR")
    for path in generate(dict(options.checkout), options.out, options.table):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
