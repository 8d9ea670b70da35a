"""Command lines that the program's own parser would reject: unknown commands and options, and more.

The docs toolkit knows no CLI. A project maps a program name to a checker of its
own (`command_checkers`, e.g. `az` to the command table its emulator is built
from), and every simple command of every shell snippet is checked with it: an
unknown or removed command (with its current name as hint), an unknown or
ambiguous option (the seed's `--f`), a missing required option, a `--file` that
does not exist next to the script. A checker that cannot be imported is
reported once (CFG001) and the rule goes on without it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docskit.analysis.commands import simple_commands
from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


def config_problems(ctx: ArticleContext) -> Iterable[Diagnostic]:
    memo = ctx.memo
    for problem in memo.plugins.problems[getattr(memo, "plugin_problems_reported", 0) :]:
        origin = ctx.config.origin
        yield ctx.diag(
            1,
            1,
            "CFG001",
            problem,
            "fix the module:function entry in the docskit extension options",
            path=memo.display(Path(origin)) if os.path.isabs(origin) else origin,
        )
    memo.plugin_problems_reported = len(memo.plugins.problems)


def _verdict(checker: Callable[..., Any], argv: list[str], cwd: Path | None) -> tuple[list[Path], list | Exception]:
    """The files a command line names (the result depends on them) and its checker's problems (or failure)."""
    files = []
    if cwd is not None:
        for word in argv[1:]:
            if ("/" in word or "." in word) and "$" not in word and not word.startswith("-"):
                files.append(Path(os.path.normpath(cwd / word)))
    try:
        problems = checker(argv, cwd)
    except Exception as exc:  # noqa: BLE001 - a project's checker failing is reported by the rule, with its cause
        return files, exc
    return files, list(problems)  # a checker's bug while listing them is the rule's failure (INT001), as ever


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    programs = ctx.memo.plugins.programs("checker")
    if not programs:
        return
    for snippet in ctx.snippets:
        if not snippet.is_shell or not any(p in snippet.text for p in programs):
            continue
        for command in simple_commands(snippet.text):
            program = os.path.basename(command.program)
            if program not in programs:
                continue
            checker = ctx.memo.plugins.get("checker", program)
            yield from config_problems(ctx)
            if checker is None:
                continue
            argv = [program, *command.argv[1:]]
            cwd = snippet.cwd
            files, problems = ctx.memo.once(("CMD002", checker, tuple(argv), cwd), _verdict, checker, argv, cwd)
            ctx.deps.update(files)
            if isinstance(problems, Exception):  # a project's checker failing must not stop the run
                yield ctx.diag(
                    snippet.line,
                    snippet.column,
                    "CFG001",
                    f"the `{program}` command checker failed: {type(problems).__name__}: {problems}",
                )
                continue
            shown = " ".join(argv[:4])
            for problem in problems:
                index = getattr(problem, "token_index", 0)
                word = command.words[min(max(index, 0), len(command.words) - 1)]
                yield ctx.at_snippet(
                    snippet,
                    word.line,
                    "CMD002",
                    f"`{shown} …`: {problem.message}",
                    getattr(problem, "hint", None),
                    column=word.column,
                )


_ARTICLE = '# Test green\n\n:::code language="azurecli" source="~/samples/rollout.sh" id="test_green":::\n'
RULES = (
    Rule(
        "CMD002",
        check,
        {
            "docs/article.md": _ARTICLE,
            "samples/rollout.sh": "# <test_green>\naz ml endpoint update -n my-endpoint --f endpoint.yml\n# </test_green>\n",
            "samples/endpoint.yml": "name: my-endpoint\n",
        },
        {
            "docs/article.md": _ARTICLE,
            "samples/rollout.sh": "# <test_green>\naz ml online-endpoint invoke --name my-endpoint --deployment-name green "
            "--request-file request.json\n# </test_green>\n",
            "samples/request.json": '{"data": [[1, 2]]}\n',
        },
        options={"command_checkers": {"az": "amlemu.az.command_line_check:check_command_line"}},
    ),
)
