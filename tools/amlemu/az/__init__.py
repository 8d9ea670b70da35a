"""The emulated `az` command of an emulated Azure ML workspace.

`python -m amlemu.az` (or the `bin/az` launcher, which the emulator puts on PATH
only inside an emulated run) behaves like the Azure CLI with the `ml` extension:
same parser (knack), same output formatting, same error texts and exit codes.
Every `ml` command goes through the real `azure-ai-ml` SDK to the emulator.

This package must stay cheap to import: the thin client in `__main__` runs on
every `az` call and must not pull in knack or the SDK.
"""
