"""`check-snippets`: the pull-request linter for Learn-style docs and their snippet sources.

Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 the tool
itself could not run (bad option, unreadable configuration, a path that does not
exist), always with a one-line message and never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docskit.check.output import FORMAT_NAMES, renderer
from docskit.check.report import RunError
from docskit.diagnostics import Severity

if TYPE_CHECKING:
    from docskit.config import Config


def _roots(values: tuple[str, ...]) -> dict[str, Path]:
    roots: dict[str, Path] = {}
    for value in values:
        name, sep, folder = value.partition("=")
        if not sep or not name.strip() or not folder.strip():
            raise click.UsageError(f"--root {value}: expected NAME=DIR")
        path = Path(folder.strip())
        if not path.is_dir():
            raise click.UsageError(f"--root {value}: `{folder}` is not a folder")
        roots[name.strip().strip("~/")] = path.resolve()
    return roots


def _checkout_roots(config: Config, checkouts: Path | None) -> dict[str, Path]:
    """Roots declared by the publish configuration, found as checkouts under `checkouts`."""
    from docskit.config import declared_roots, roots_from_checkouts  # see `command`

    if checkouts is None:
        return {}
    if not checkouts.is_dir():
        raise click.UsageError(f"--checkouts {checkouts}: not a folder")
    declared = declared_roots(config)
    if not declared:
        raise click.UsageError(
            f"--checkouts {checkouts}: no .openpublishing.publish.config.json with "
            "dependent_repositories beside mkdocs.yml or in the docset root"
        )
    return roots_from_checkouts(declared, checkouts)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--root", "roots", multiple=True, metavar="NAME=DIR", help="Map ~/NAME/… to DIR (repeatable).")
@click.option(
    "--checkouts",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Where the repositories of .openpublishing.publish.config.json are checked out: "
    "~/NAME/ maps to DIR/NAME, or to DIR/REPOSITORY (a plain git clone).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="Output format (default text; github when GITHUB_ACTIONS=true).",
)
@click.option("--select", multiple=True, metavar="CODE,…", help="Only these rule codes, prefixes or names.")
@click.option("--ignore", multiple=True, metavar="CODE,…", help="Skip these rule codes, prefixes or names.")
@click.option(
    "--changed-since", metavar="GITREF", help="Only articles changed since GITREF, and articles using a changed file."
)
@click.option(
    "--sources-only", is_flag=True, help="Lint the region markers of every source under the roots; no articles."
)
@click.option("--no-exec-checks", is_flag=True, help="Skip checks that run external programs (bash -n, shellcheck).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="The mkdocs.yml to read (default: searched upwards).",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    help="Result cache folder (default .check-snippets-cache/ beside mkdocs.yml).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file instead of stdout.")
def command(
    paths: tuple[Path, ...],
    roots: tuple[str, ...],
    checkouts: Path | None,
    output_format: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    changed_since: str | None,
    sources_only: bool,
    no_exec_checks: bool,
    config_path: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    output: Path | None,
) -> int:
    """Check Learn-style Markdown (PATHS: files or folders; default: docs_dir of mkdocs.yml)."""
    # A run needs the configuration (PyYAML, the resolver, the Learn parser) and the runner (every rule);
    # `--help` needs neither. A configuration error is then the run's own: one line, exit status 2.
    from docskit.check.cache import default_cache_dir
    from docskit.check.runner import RunOptions, run
    from docskit.config import ConfigError, load_config, unmapped_roots

    try:
        cwd = Path(os.getcwd())
        if config_path is not None and not config_path.is_file():
            raise click.UsageError(f"--config {config_path}: no such file")
        config = load_config(config_path.resolve() if config_path else None, cwd)
        if cache_dir is None and not no_cache:
            cache_dir = default_cache_dir(config.base)
        mapped = {**_checkout_roots(config, checkouts), **_roots(roots)}
        options = RunOptions(
            paths=[Path(p) for p in paths],
            roots=mapped,
            select=list(select),
            ignore=list(ignore),
            changed_since=changed_since,
            sources_only=sources_only,
            exec_checks=not no_exec_checks,
            cache_dir=None if no_cache else cache_dir.resolve(),
            progress=True,
        )
        report = run(config, options, cwd)
        chosen = output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
        rendered = renderer(chosen)(report)
        if output is not None:
            output.write_text(rendered, encoding="utf-8")
        else:
            sys.stdout.write(rendered)
        for note in report.notes:
            click.echo(f"check-snippets: {note}", err=True)
        missing = unmapped_roots(config, mapped)
        if missing:
            names = ", ".join(f"`{root.name}` ({root.url} {root.branch})" for root in missing[:3])
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            click.echo(
                f"check-snippets: .openpublishing.publish.config.json declares {len(missing)} root(s) not "
                f"checked out here: {names}{more}; map them with --checkouts DIR or --root NAME=DIR",
                err=True,
            )
        if chosen == "text":
            what = f"{len(report.checked)} file(s)" if not sources_only else f"{report.sources} source file(s)"
            cached = f", {report.cache_hits} from cache" if report.cache_hits else ""
            click.echo(
                f"{report.count(Severity.ERROR)} error(s), {report.count(Severity.WARNING)} warning(s), "
                f"{report.count(Severity.INFO)} info in {what}{cached}",
                err=True,
            )
        return report.exit_code
    except ConfigError as exc:
        raise RunError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    """Console entry point: every failure of the tool itself is one line and exit status 2."""
    try:
        code = command.main(args=argv, prog_name="check-snippets", standalone_mode=False)
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as exc:
        click.echo(f"check-snippets: {exc.format_message()}", err=True)
        code = 2
    except RunError as exc:
        click.echo(f"check-snippets: {exc}", err=True)
        code = 2
    except click.Abort:
        click.echo("check-snippets: aborted", err=True)
        code = 2
    except KeyboardInterrupt:
        click.echo("check-snippets: interrupted", err=True)
        code = 2
    except BrokenPipeError:
        code = 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback for the user
        click.echo(f"check-snippets: internal error: {type(exc).__name__}: {exc} (please report it)", err=True)
        code = 2
    if code is None:
        code = 0
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
