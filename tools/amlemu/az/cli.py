"""The knack application behind the emulated `az`: parser, command loader, invocation.

Everything the real CLI gets from azure-cli-core on top of knack and that a
tutorial can observe is reproduced here: the "misspelled or not recognized"
answer for unknown commands, argparse errors as `ERROR: ...` with exit 2,
configured defaults for `-g`/`-w`, group help for a bare group, and the exit
codes of `handle_exception` (see `errors`). The command table itself is data
in `command_table`.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from knack.arguments import CLICommandArgument
from knack.cli import CLI
from knack.commands import CLICommand, CLICommandsLoader
from knack.help import CLIHelp
from knack.help_files import helps
from knack.invocation import CommandInvoker
from knack.log import get_logger
from knack.parser import CLICommandParser

from amlemu.az import command_table as table
from amlemu.az.command_line_check import is_emulated, is_real
from amlemu.az.errors import handle_exception
from amlemu.az.versions import CLI_VERSION, CORE_VERSION, ML_EXTENSION_VERSION

logger = get_logger(__name__)

CLI_REFERENCE = "https://aka.ms/cli_ref"


def default_config_dir() -> str:
    """`AZURE_CONFIG_DIR`, or `~/.azure` as the real CLI does."""
    return os.path.expanduser(os.environ.get("AZURE_CONFIG_DIR") or os.path.join("~", ".azure"))


class AzParser(CLICommandParser):
    """argparse with the Azure CLI's wording for unknown commands, bad values and usage errors."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is None or value in action.choices:
            return
        if action.dest in ("_command", "_subcommand"):
            logger.error("'%s' is misspelled or not recognized by the system.", value)
            candidates = difflib.get_close_matches(value, list(action.choices), cutoff=0.7)
            if candidates:
                print(f"Did you mean '{candidates[0]}' ?", file=sys.stderr)
            print(
                f"Still stuck? Run '{self.prog} --help' to view all commands or go to '{CLI_REFERENCE}' to learn more",
                file=sys.stderr,
            )
        else:
            name = action.option_strings[0] if action.option_strings else action.dest
            logger.error(
                "%s: '%s' is not a valid value for '%s'. Allowed values: %s.",
                self.prog,
                value,
                name,
                ", ".join(action.choices),
            )
        self.exit(2)

    def error(self, message: str) -> None:  # type: ignore[override]
        logger.error(message)
        self.exit(2)

    def validation_error(self, message: str) -> None:
        logger.error(message)
        self.exit(2)


def _three_state(value: str) -> bool:
    lowered = str(value).lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise argparse.ArgumentTypeError(f"invalid choice: '{value}' (choose from 'false', 'true')")


class OrderedArgsAction(argparse.Action):
    """Records every occurrence as (option string, values) in `ordered_arguments`, in command-line order.

    azure-cli-core registers the generic update's `--set`, `--add` and `--remove`
    with such an action (GenericUpdateCommandOperation.OrderedArgsAction in
    azure/cli/core/commands/command_operation.py), so `--set a=1 --set b=2`
    applies both, and a `--remove` written before a `--set` runs first.
    """

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[override]
        if not getattr(namespace, ORDERED_ARGUMENTS, None):
            setattr(namespace, ORDERED_ARGUMENTS, [])
        getattr(namespace, ORDERED_ARGUMENTS).append((option_string, values))


ORDERED_ARGUMENTS = "ordered_arguments"


def _argparse_settings(option: table.Option, configured: str | None) -> dict[str, Any]:
    """How one table option becomes an argparse argument."""
    settings: dict[str, Any] = {"help": option.help, "default": option.default}
    if option.kind == table.FLAG:
        settings["action"] = "store_true"
    elif option.kind == table.LIST:
        settings["nargs"] = "+"
        if option.repeat == table.APPEND:
            settings["action"] = "append"
        elif option.repeat == table.ORDERED:
            settings["action"] = OrderedArgsAction
    elif option.kind == table.THREE_STATE:
        settings.update(nargs="?", const=True, type=_three_state)
    if option.choices:
        settings["choices"] = list(option.choices)
    required = option.required
    if configured:
        settings["default"] = configured
        required = False
    if required:
        settings["required"] = True
    return settings


class CommandContext:
    """What a handler gets besides its arguments: the knack context and the command name."""

    def __init__(self, cli_ctx: CLI, command: table.Command) -> None:
        self.cli_ctx = cli_ctx
        self.command = command

    @property
    def debug(self) -> bool:
        return "--debug" in (self.cli_ctx.data.get("argv") or [])

    @property
    def config_dir(self) -> str:
        return self.cli_ctx.config.config_dir


def _handler_for(cli_ctx: CLI, command: table.Command) -> Callable[..., Any]:
    module_name, function_name = command.handler.split(":")

    def handler(params: dict[str, Any]) -> Any:
        function = getattr(importlib.import_module(module_name), function_name)
        return function(CommandContext(cli_ctx, command), **params)

    return handler


class TableCommandsLoader(CLICommandsLoader):
    """Fills knack's command table from `command_table.COMMANDS`."""

    def load_command_table(self, args: list[str]) -> OrderedDict:
        for command in table.COMMANDS:
            self.command_table[command.name] = CLICommand(
                self.cli_ctx,
                command.name,
                _handler_for(self.cli_ctx, command),
                description=command.summary,
                arguments_loader=self._arguments_loader(command),
                confirmation=command.confirmation,
            )
        for group in table.GROUPS:
            if group:
                self.command_group_table[group] = {}
        _register_help()
        return OrderedDict(self.command_table)

    def _arguments_loader(self, command: table.Command) -> Callable[[], list[tuple[str, CLICommandArgument]]]:
        def load() -> list[tuple[str, CLICommandArgument]]:
            arguments = []
            for option in command.options:
                if command.confirmation and option.dest == "yes":
                    continue  # knack adds --yes/-y itself for confirmation commands
                configured = None
                if option.configured_default:
                    configured = self.cli_ctx.config.get("defaults", option.configured_default, None) or None
                arguments.append(
                    (
                        option.dest,
                        CLICommandArgument(
                            option.dest, options_list=list(option.names), **_argparse_settings(option, configured)
                        ),
                    )
                )
            return arguments

        return load

    def load_arguments(self, command: str) -> None:
        if command in self.command_table:
            self.command_table[command].load_arguments()


class AzInvoker(CommandInvoker):
    """knack's invoker, plus the Azure CLI's habit of showing help for a bare group."""

    def execute(self, args: list[str]):  # type: ignore[override]
        words = [a for a in args if not a.startswith("-")]
        flags = [a for a in args if a.startswith("-")]
        name = " ".join(w.lower() for w in words)
        if words and name in table.GROUPS and name not in table.COMMANDS_BY_NAME and not flags:
            args = [*args, "--help"]
        return super().execute(args)


def _register_help() -> None:
    """Help texts for knack, written from the table (knack reads them as YAML)."""
    import yaml

    for group, summary in table.GROUPS.items():
        if group:
            helps[group] = yaml.safe_dump({"type": "group", "short-summary": summary})
    for command in table.COMMANDS:
        entry: dict[str, Any] = {"type": "command", "short-summary": command.summary}
        if command.examples:
            entry["examples"] = [{"name": name, "text": text} for name, text in command.examples]
        helps[command.name] = yaml.safe_dump(entry)


class AzCli(CLI):
    """The `az` application: knack with Azure CLI exit codes and error rendering."""

    def get_cli_version(self) -> str:
        return (
            f"azure-cli                         {CLI_VERSION}\n\n"
            f"core                              {CORE_VERSION}\n\n"
            f"Extensions:\nml                                {ML_EXTENSION_VERSION}\n"
        )

    def exception_handler(self, ex: BaseException) -> int:  # type: ignore[override]
        return handle_exception(ex, debug="--debug" in (self.data.get("argv") or []))


def build_cli(out_file=None) -> AzCli:
    """A fresh `az` application bound to the current AZURE_CONFIG_DIR."""
    welcome = (
        "Welcome to the cool new Azure CLI!\n\nThis `az` runs against an emulated Azure Machine Learning workspace."
    )
    return AzCli(
        cli_name="az",
        config_dir=default_config_dir(),
        config_env_var_prefix="AZURE",
        out_file=out_file or sys.stdout,
        commands_loader_cls=TableCommandsLoader,
        parser_cls=AzParser,
        invocation_cls=AzInvoker,
        help_cls=lambda cli_ctx: CLIHelp(cli_ctx=cli_ctx, welcome_message=welcome),
    )


NOT_EMULATED = (
    "'az {name}' is a real Azure CLI command that amlemu does not emulate (see README: the emulated commands)"
)


def not_emulated(argv: list[str]) -> str | None:
    """The real command `argv` names when the emulator does not implement it, else None.

    Such a command is not "misspelled": it exists in the real CLI's surface
    (`surface/*.json`), only not here. Emulated commands, unknown words and
    help requests go on to the parser as usual.
    """
    words = []
    for token in argv:
        if token.startswith("-"):
            break
        words.append(token.lower())
    for length in range(len(words), 0, -1):
        name = " ".join(words[:length])
        if is_emulated(name):
            return None
        if is_real(name):
            return name
    return None


def run(argv: list[str]) -> int:
    """Run one `az` command in this process and return its exit code."""
    name = not_emulated(list(argv))
    if name is not None:
        print("ERROR: " + NOT_EMULATED.format(name=name), file=sys.stderr)
        sys.stderr.flush()
        return 2
    cli = build_cli()
    cli.data["argv"] = list(argv)
    try:
        code = cli.invoke(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    return int(code or 0)
