"""Running a Learn article's snippets as a test, with Sybil, in one shell session."""

from docskit.doctest.parsers import (
    CodeDirectiveParser,
    ExpectedOutputParser,
    outputs_match,
    session_for,
    stop_session,
)
from docskit.doctest.shell_session import BlockResult, ShellSession

__all__ = [
    "BlockResult", "CodeDirectiveParser", "ExpectedOutputParser", "ShellSession",
    "outputs_match", "session_for", "stop_session",
]
