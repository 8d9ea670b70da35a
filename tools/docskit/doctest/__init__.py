"""Running a Learn article as a test: one run per tab path, each step a pytest item."""

from docskit.doctest.expected import outputs_match
from docskit.doctest.paths import Step, TutorialPath, tutorial_paths
from docskit.doctest.python_session import PythonSession
from docskit.doctest.shell_session import BlockResult, SessionError, ShellSession, StepTimedOut

__all__ = [
    "BlockResult",
    "PythonSession",
    "SessionError",
    "ShellSession",
    "Step",
    "StepTimedOut",
    "TutorialPath",
    "outputs_match",
    "tutorial_paths",
]
