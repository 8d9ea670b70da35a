"""The check engine: per-article checks (`check_page`, shared with the site) and whole runs (`run`)."""

from docskit.check.article import check_page

__all__ = ["check_page"]
