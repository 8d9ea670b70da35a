"""`az configure`: defaults such as `group` and `workspace`, kept in AZURE_CONFIG_DIR/config."""

from __future__ import annotations

from knack.util import CLIError


def configure(ctx, defaults=None, list_defaults=False, scope="global"):
    config = ctx.cli_ctx.config
    config.set_to_use_local_config(scope == "local")
    if defaults:
        for item in defaults:
            if "=" not in item:
                raise CLIError(f"usage error: --defaults STRING=STRING STRING=STRING ...: '{item}'")
            name, value = item.split("=", 1)
            if value:
                config.set_value(config.defaults_section_name, name, value)
            else:
                config.remove_option(config.defaults_section_name, name)
        return None
    if list_defaults:
        return config.items(config.defaults_section_name)
    raise CLIError(
        "Interactive configuration needs a terminal; set defaults with "
        "'az configure --defaults group=<name> workspace=<name>'."
    )
