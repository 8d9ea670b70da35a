"""Static checking of `az` lines in snippets against the real CLI's surface, the way argparse reads them.

The docs linter calls `check_command_line` and `normalize_command_line` (named
in `mkdocs.yml` as command checkers). A command is looked up in the emulated
table first (`command_table`: precise kinds, choices, paths, defaults; the
emulated `az` parses with knack from it), then in the real CLI's surface
(`surface/*.json`, generated from the CLI's source): a real command the emulator
does not implement is checked against its real options; one whose options could
not all be read statically (`open`) accepts options it does not know.
"""

from __future__ import annotations

import difflib
import os
import pathlib
from dataclasses import dataclass

from amlemu.az.command_table import (
    COMMANDS,
    COMMANDS_BY_NAME,
    FLAG,
    GLOBAL_OPTIONS,
    LIST,
    REMOVED,
    SUBSCRIPTION,
    THREE_STATE,
    THREE_STATE_VALUES,
    VALUE,
    Command,
    Option,
    RemovedCommand,
)
from amlemu.az.surface import RealCommand, surface

MAYBE = "maybe"  # a real option whose value-taking the generator could not decide: takes one value if one follows
_KINDS = {"value": VALUE, "flag": FLAG, "list": LIST, "maybe": MAYBE}
_built: dict[str, Command | None] = {}
_open: set[str] = set()  # names of real commands whose options were not all read: unknown options pass


def _real_option(names: tuple[str, ...], kind: str, required: bool, default: str | None) -> Option:
    dest = names[0].lstrip("-").replace("-", "_")
    return Option(names, dest, "", _KINDS.get(kind, MAYBE), required=required, configured_default=default)


def lookup(name: str) -> Command | None:
    """The command called `name`: the emulated one (with the real options it lacks), else the real one."""
    if name in _built:
        return _built[name]
    emulated = COMMANDS_BY_NAME.get(name)
    real: RealCommand | None = surface().command(name)
    command: Command | None = emulated
    if real is not None:
        options = list(emulated.options) if emulated else []
        taken = {n for o in options for n in o.names} | {n for o in GLOBAL_OPTIONS for n in o.names}
        for names, kind, required, default in real.options:
            if taken.isdisjoint(names):
                options.append(_real_option(names, kind, required and emulated is None, default))
                taken.update(names)
        if SUBSCRIPTION.long_name not in taken:
            options.append(SUBSCRIPTION)  # azure-cli-core adds it to every command
        if emulated is not None:
            command = Command(
                emulated.name,
                emulated.summary,
                emulated.handler,
                tuple(options),
                confirmation=emulated.confirmation,
                examples=emulated.examples,
            )
        else:
            command = Command(name, "", "", tuple(options))
            if real.open:
                _open.add(name)
    _built[name] = command
    return command


def is_emulated(name: str) -> bool:
    return name in COMMANDS_BY_NAME


def is_real(name: str) -> bool:
    return surface().command(name) is not None


def is_group(name: str) -> bool:
    """A group is any name that prefixes a command of the emulated table or of the real surface."""
    if name == "" or name in surface().groups:
        return True
    prefix = name + " "
    return any(command.name.startswith(prefix) for command in COMMANDS)


def children(group: str) -> list[str]:
    """The next words under a group: its subgroups and commands."""
    depth = 0 if group == "" else len(group.split())
    prefix = "" if group == "" else group + " "
    seen: dict[str, None] = {}
    for name in [c.name for c in COMMANDS] + surface().names():
        if name.startswith(prefix):
            seen[name.split()[depth]] = None
    return list(seen)


def options_for(command: Command) -> tuple[Option, ...]:
    """Every option the parser of `command` knows, in argparse registration order."""
    return (GLOBAL_OPTIONS[0], *GLOBAL_OPTIONS[1:], *command.options)


@dataclass(frozen=True)
class CommandProblem:
    """One problem in an `az` command line; `token_index` points into the argv (argv[0] is 'az')."""

    token_index: int
    code: str  # unknown-command | unknown-option | ambiguous-option | missing-required | missing-file | missing-value
    message: str
    hint: str | None = None


class _ParsedLine:
    """What a line says, as argparse would read it; built by `_parse`."""

    def __init__(
        self,
        words: list[str],
        command: Command | None,
        words_end: int,
        unknown_word_index: int | None,
        removed: RemovedCommand | None,
        problems: list[CommandProblem],
    ) -> None:
        self.words = words
        self.command = command
        self.words_end = words_end  # index in argv of the first token after the command words
        self.unknown_word_index = unknown_word_index
        self.removed = removed
        self.options: list[tuple[int, Option, list[str]]] = []  # (token index, option, values)
        self.problems = problems
        self.opaque = False  # an option-position token is a shell expansion: required checks are unreliable
        self.unparsed: list[str] = []  # tokens that are not a known option or its value, in order


def _has_expansion(token: str) -> bool:
    return "$" in token or "`" in token


def _looks_like_option(token: str) -> bool:
    """argparse's view: '-x...' is an option unless it is a negative number."""
    if not token.startswith("-") or token in ("-", "--"):
        return False
    return not token[1:].replace(".", "", 1).isdigit()


def _close_matches(word: str, candidates: list[str], cutoff: float = 0.6) -> list[str]:
    return difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)


def _resolve_words(argv: list[str]) -> tuple[list[str], Command | None, int, int | None, RemovedCommand | None]:
    words: list[str] = []
    index = 1
    while index < len(argv) and not argv[index].startswith("-"):
        words.append(argv[index])
        index += 1
    group = ""
    command: Command | None = None
    unknown_at: int | None = None
    consumed = 0
    for position, word in enumerate(words):
        candidate = word.lower() if group == "" else f"{group} {word.lower()}"
        found = lookup(candidate)
        if found is not None:
            command = found
            consumed = position + 1
            break
        if is_group(candidate):
            group = candidate
            consumed = position + 1
            continue
        unknown_at = 1 + position
        break
    removed = None
    if unknown_at is not None:
        for length in range(len(words), 0, -1):
            key = " ".join(w.lower() for w in words[:length])
            if key in REMOVED:
                removed = REMOVED[key]
                break
    # Tokens after the command that do not start with '-' are positional leftovers; argparse
    # reports them as unrecognized arguments. Words consumed as a known command end here.
    end = 1 + (len(words) if unknown_at is not None or command is None else consumed)
    return words, command, end, unknown_at, removed


def _match_long(option_string: str, options: tuple[Option, ...]) -> list[tuple[Option, str]]:
    exact = [(o, n) for o in options for n in o.names if n == option_string]
    if exact:
        return exact
    if not option_string.startswith("--"):
        return []
    return [(o, n) for o in options for n in o.names if n.startswith("--") and n.startswith(option_string)]


def _parse(argv: list[str], cwd: pathlib.Path | None) -> _ParsedLine:
    words, command, end, unknown_at, removed = _resolve_words(argv)
    problems: list[CommandProblem] = []
    if unknown_at is not None:
        word = argv[unknown_at]
        parent = " ".join(w.lower() for w in argv[1:unknown_at])
        hint = None
        if removed is not None:
            hint = f"did you mean `az {removed.replacement}`?" + (f" ({removed.note})" if removed.note else "")
        else:
            close = _close_matches(word, children(parent), cutoff=0.7)
            if close:
                hint = f"did you mean `az {(parent + ' ' if parent else '')}{close[0]}`?"
        if not _has_expansion(word):
            problems.append(
                CommandProblem(
                    unknown_at, "unknown-command", f"'{word}' is misspelled or not recognized by the system.", hint
                )
            )
    checked = command
    if checked is None and removed is not None and removed.replacement:
        checked = lookup(removed.replacement)
    parsed = _ParsedLine(words, command, end, unknown_at, removed, problems)
    if checked is None:
        return parsed
    is_open = checked.name in _open
    if is_open:
        parsed.opaque = True  # options beyond the known ones exist: no unknown-option or required checks
    known = options_for(checked)
    index = end
    unrecognized: list[int] = []  # argparse reports unknown options and stray values together
    unknown_hint: str | None = None
    while index < len(argv):
        token = argv[index]
        if not _looks_like_option(token):
            if _has_expansion(token) or is_open:
                parsed.opaque = True
            else:
                unrecognized.append(index)
            parsed.unparsed.append(token)
            index += 1
            continue
        option_string, explicit = (token.split("=", 1) + [None])[:2] if token.startswith("--") else (token, None)
        matches: list[tuple[Option, str]]
        if token.startswith("--"):
            matches = _match_long(option_string, known)
        else:
            matches = _match_long(token[:2], known)
            if matches and len(token) > 2:
                explicit = token[2:].removeprefix("=")
        distinct = {id(o): (o, n) for o, n in matches}
        if len(distinct) != 1:
            parsed.unparsed.append(token)
        if not distinct:
            if is_open:
                index += 1
                continue
            if _has_expansion(token):
                parsed.opaque = True
            else:
                unrecognized.append(index)
                if unknown_hint is None:
                    long_names = [n for o in known for n in o.names if n.startswith("--")]
                    close = _close_matches(option_string, long_names)
                    unknown_hint = f"did you mean `{close[0]}`?" if close else None
            index += 1
            continue
        if len(distinct) > 1:
            names = ", ".join(n for _, n in distinct.values())
            problems.append(
                CommandProblem(
                    index,
                    "ambiguous-option",
                    f"ambiguous option: {option_string} could match {names}",
                    "write the option name in full",
                )
            )
            # argparse stops here; skip what is most likely its value to keep checking the rest.
            index += 1
            if explicit is None and index < len(argv) and not _looks_like_option(argv[index]):
                parsed.unparsed.append(argv[index])
                index += 1
            continue
        option = next(iter(distinct.values()))[0]
        index += 1
        values: list[str] = []
        if option.kind == FLAG:
            if explicit is not None:
                problems.append(
                    CommandProblem(
                        index - 1,
                        "unknown-option",
                        f"argument {option.display}: ignored explicit argument '{explicit}'",
                        None,
                    )
                )
        elif explicit is not None:
            values.append(explicit)
        elif option.kind == THREE_STATE:
            if index < len(argv) and argv[index].lower() in THREE_STATE_VALUES:
                values.append(argv[index])
                index += 1
        elif option.kind == MAYBE:
            if index < len(argv) and not _looks_like_option(argv[index]):
                values.append(argv[index])
                index += 1
        elif option.kind == LIST:
            while index < len(argv) and not _looks_like_option(argv[index]):
                values.append(argv[index])
                index += 1
            if not values:
                problems.append(
                    CommandProblem(
                        index - 1, "missing-value", f"argument {option.display}: expected at least one argument", None
                    )
                )
        else:
            if index < len(argv) and not _looks_like_option(argv[index]):
                values.append(argv[index])
                index += 1
            else:
                problems.append(
                    CommandProblem(
                        index - 1, "missing-value", f"argument {option.display}: expected one argument", None
                    )
                )
        if option.choices and values and values[0] not in option.choices and not _has_expansion(values[0]):
            problems.append(
                CommandProblem(
                    index - 1,
                    "unknown-option",
                    f"'{values[0]}' is not a valid value for '{option.long_name}'. "
                    f"Allowed values: {', '.join(option.choices)}.",
                    None,
                )
            )
        parsed.options.append((index - 1 - len(values) if explicit is None else index - 1, option, values))
    if unrecognized:
        problems.append(
            CommandProblem(
                unrecognized[0],
                "unknown-option",
                "unrecognized arguments: " + " ".join(argv[i] for i in unrecognized),
                unknown_hint,
            )
        )
    return parsed


def check_command_line(argv: list[str], cwd: pathlib.Path | None) -> list[CommandProblem]:
    """Check one `az` command line (argv[0] is 'az') against the emulated table and the real surface.

    Reports unknown commands (with the current name of removed 2021 preview commands),
    unknown and ambiguous options, missing required options and `--file`/`--request-file`
    paths that do not exist relative to `cwd` (skipped when `cwd` is None or the value
    holds a shell expansion). `-g`/`-w` are not reported as missing: scripts set them
    once with `az configure --defaults`.
    """
    if not argv:
        return []
    parsed = _parse(list(argv), cwd)
    problems = list(parsed.problems)
    checked = parsed.command
    if checked is None and parsed.removed is not None:
        checked = lookup(parsed.removed.replacement or "")
    if checked is None:
        return problems
    given = {option.dest for _, option, _ in parsed.options}
    wants_help = "_help" in given
    if not wants_help and not parsed.opaque:
        missing = [o for o in checked.options if o.required and o.configured_default is None and o.dest not in given]
        if missing:
            problems.append(
                CommandProblem(
                    len(argv) - 1 if parsed.command is None else parsed.words_end - 1,
                    "missing-required",
                    "the following arguments are required: " + ", ".join(o.display for o in missing),
                    None,
                )
            )
    if cwd is not None:
        for index, option, values in parsed.options:
            if option.is_path and values and not _has_expansion(values[0]):
                path = os.path.join(os.fspath(cwd), os.path.expanduser(values[0]))
                if not os.path.exists(path):
                    problems.append(
                        CommandProblem(
                            index,
                            "missing-file",
                            f"{option.long_name}: no such file: {values[0]}",
                            f"the path is read relative to {os.fspath(cwd)}",
                        )
                    )
    problems.sort(key=lambda p: p.token_index)
    return problems


class NormalizedLine(tuple):
    """A normalised `az` line (a plain tuple to compare) that also tells which values name files it reads.

    `files` holds the values of the command's path options (`--file`, `--request-file`, …)
    as written: the same line with a different file's content is a different step.
    """

    files: tuple[str, ...] = ()


def normalize_command_line(argv: list[str]) -> tuple[str, ...]:
    """A canonical form of an `az` line: command words, then options sorted by long name with values.

    `-f X`, `--f X` (when unambiguous), `--file X` and `--file=X` all normalise to
    `('--file', 'X')`, so two snippets that differ only in flag spelling compare equal.
    Removed preview commands keep their words but have their options read with the
    replacement command's table. Tokens that are no known option (or a value of one)
    follow, in their order. Lines that name no known or removed command keep every
    token as written. The leading `az` is dropped. The result's `files` are the values
    of path options (what the line reads).
    """
    if not argv:
        return ()
    parsed = _parse(list(argv), None)
    if parsed.command is None and parsed.removed is None:
        return tuple(argv[1:])
    if parsed.command is not None:
        words = tuple(parsed.command.name.split())
    else:
        words = tuple(w.lower() for w in parsed.words)
    rendered = sorted(
        ((option.long_name, tuple(values)) for _, option, values in parsed.options), key=lambda item: item[0]
    )
    out: list[str] = list(words)
    for name, values in rendered:
        out.append(name)
        out.extend(values)
    out.extend(parsed.unparsed)
    line = NormalizedLine(out)
    line.files = tuple(values[0] for _, option, values in parsed.options if values and _reads_file(option))
    return line


def _reads_file(option: Option) -> bool:
    """A path option of the emulated table, or a real one by the CLI's naming (`--file`, `--request-file`, …)."""
    return option.is_path or option.long_name == "--file" or option.long_name.endswith("-file")
