"""Command handlers of the emulated `az`, one module per command group, named in `command_table`."""
