"""Emulated Azure ML workspace."""
