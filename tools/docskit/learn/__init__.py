"""Parsing Learn Markdown: the constructs of an article, with exact positions."""

from docskit.learn.items import Article
from docskit.learn.parse import anchors_of, parse_article

__all__ = ["Article", "anchors_of", "parse_article"]
