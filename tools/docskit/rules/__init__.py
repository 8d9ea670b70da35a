"""The rule registry: every rule module, in the order the reference page lists them.

`RULES` holds one `Rule` per code. Per-article checks run on each article (and
`SITE_RULES`, the ones safe in a site build, in `check_page`); docset checks run
once over the whole index.
"""

from __future__ import annotations

from docskit.rules import (
    azureml_command_kind,
    azureml_paths,
    azureml_schema,
    cli_commands,
    command_dashes,
    critic_markup,
    deprecated_image,
    directive_syntax,
    duplicate_region_body,
    duplicate_snippet,
    front_matter,
    highlight_drift,
    includes,
    line_selection,
    links,
    mojibake,
    name_override,
    notebook_cells,
    notebook_files,
    notebook_reference,
    python_syntax,
    region_markers,
    region_selection,
    shell_syntax,
    shellcheck,
    source_files,
    tk_placeholder,
    unused_region,
    yaml_syntax,
)
from docskit.rules.base import Rule

MODULES = (
    directive_syntax,
    source_files,
    region_selection,
    region_markers,
    unused_region,
    line_selection,
    highlight_drift,
    duplicate_snippet,
    duplicate_region_body,
    tk_placeholder,
    critic_markup,
    mojibake,
    includes,
    links,
    front_matter,
    notebook_reference,
    notebook_files,
    notebook_cells,
    yaml_syntax,
    azureml_schema,
    azureml_paths,
    deprecated_image,
    azureml_command_kind,
    name_override,
    cli_commands,
    command_dashes,
    python_syntax,
    shell_syntax,
    shellcheck,
)


def _collect() -> tuple[Rule, ...]:
    from dataclasses import replace

    found: list[Rule] = []
    for module in MODULES:
        for rule in module.RULES:
            found.append(replace(rule, why=(module.__doc__ or "").strip()))
    return tuple(found)


RULES: tuple[Rule, ...] = _collect()
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
ALL_CODES: frozenset[str] = frozenset(BY_CODE) | {"CFG001", "INT001"}
SITE_CODES: frozenset[str] = frozenset(r.code for r in RULES if r.site and not r.external) | {"CFG001", "INT001"}
EXTERNAL_CODES: frozenset[str] = frozenset(r.code for r in RULES if r.external)

__all__ = ["ALL_CODES", "BY_CODE", "EXTERNAL_CODES", "RULES", "SITE_CODES", "Rule"]
