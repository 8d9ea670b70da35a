"""Docs toolkit for Learn-style Markdown."""
