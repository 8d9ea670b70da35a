"""Versions the emulated `az` reports: the CLI and `ml` extension releases its behaviour follows."""

CLI_VERSION = "2.91.0"
CORE_VERSION = "2.91.0"
TELEMETRY_VERSION = "1.1.0"
ML_EXTENSION_VERSION = "2.45.0"
