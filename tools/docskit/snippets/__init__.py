"""Resolving `:::code` directives to the lines they show (DocFX-compatible)."""

from docskit.snippets.resolver import ResolvedSnippet, Resolver
from docskit.snippets.roots import Roots

__all__ = ["ResolvedSnippet", "Resolver", "Roots"]
