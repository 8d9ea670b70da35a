"""Angle-bracket placeholders that a reader replaces before running a step.

`<SUBSCRIPTION_ID>` or `<resource-group>` name something the target already has:
they get the target's value. `<YOUR_ENDPOINT_NAME>` asks the reader to choose a
name: it gets a generated one, valid for an Azure ML resource name (a letter,
then letters, digits and hyphens, at most 32 characters) and unique per run.
Any other placeholder cannot be filled, and the step is skipped with that reason.

In Python (a `python` snippet or a notebook cell) a reader edits string literals:
`subscription_id = "<SUBSCRIPTION_ID>"`. Placeholders are filled there, by the same
rules; one in a comment is left alone (nothing runs it), and one in the code itself
(`MLClient(cred, <SUBSCRIPTION_ID>)`) cannot be filled, since the reader would have to
choose how to write the value.
"""

from __future__ import annotations

import io
import re
import secrets
import tokenize
from dataclasses import dataclass, field

from docskit.sourcefile import line_starts

# Placeholder spelling, normalized (lower case, letters and digits only) -> the target value it stands for.
KNOWN_PLACEHOLDERS: dict[str, str] = {
    "subscriptionid": "subscription_id",
    "subscription": "subscription_id",
    "yoursubscriptionid": "subscription_id",
    "resourcegroup": "resource_group",
    "resourcegroupname": "resource_group",
    "yourresourcegroup": "resource_group",
    "amlworkspacename": "workspace",
    "workspacename": "workspace",
    "workspace": "workspace",
    "yourworkspacename": "workspace",
    "region": "location",
    "location": "location",
    "azureregion": "location",
}

_PLACEHOLDER = re.compile(r"(?<![<\w])<([A-Za-z][A-Za-z0-9_ -]{0,62})>")
_NAME_WORDS = ("name",)
# a plain string token, and the literal parts of f-strings and t-strings (tokens of their own since Python 3.12)
_STRING_TOKENS = frozenset(
    {tokenize.STRING}
    | {getattr(tokenize, kind) for kind in ("FSTRING_MIDDLE", "TSTRING_MIDDLE") if hasattr(tokenize, kind)}
)
NAME_LENGTH = 32


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass
class Placeholders:
    """Fills placeholders for one path: the same placeholder gets the same value throughout the path."""

    values: dict[str, str]  # target values: subscription_id, resource_group, workspace, location
    extra: dict[str, str] = field(default_factory=dict)  # configured: placeholder text -> value key or literal
    chosen: dict[str, str] = field(default_factory=dict)

    def fill(self, code: str) -> tuple[str, list[str]]:
        """`code` with every placeholder it can fill replaced; and the ones it cannot fill."""
        missing: list[str] = []

        def replace(match: re.Match[str]) -> str:
            value = self.value_for(match.group(0))
            if value is None:
                if _is_a_placeholder(match.group(1)):
                    missing.append(match.group(0))
                return match.group(0)
            return value

        return _PLACEHOLDER.sub(replace, code), list(dict.fromkeys(missing))

    def fill_python(self, code: str) -> tuple[str, list[str]]:
        """`fill` for Python source: inside string literals only; one in the code itself is not filled."""
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
        except (tokenize.TokenError, SyntaxError):  # not Python the tokenizer can read: filled as text
            return self.fill(code)
        starts = line_starts(code)
        pieces: list[str] = []
        missing: list[str] = []
        done = 0
        for token in tokens:
            if token.type not in _STRING_TOKENS and token.type != tokenize.COMMENT:
                continue
            start = starts[token.start[0] - 1] + token.start[1]
            end = starts[token.end[0] - 1] + token.end[1]
            missing += _in_code(code[done:start])
            filled, lacking = self.fill(code[start:end]) if token.type in _STRING_TOKENS else (code[start:end], [])
            pieces += [code[done:start], filled]
            missing += lacking
            done = end
        missing += _in_code(code[done:])
        return "".join(pieces) + code[done:], list(dict.fromkeys(missing))

    def value_for(self, placeholder: str) -> str | None:
        inner = placeholder[1:-1]
        configured = self.extra.get(placeholder, self.extra.get(inner))
        if configured is not None:
            return self.values.get(configured, configured)
        key = KNOWN_PLACEHOLDERS.get(_normal(inner))
        if key is not None:
            return self.values.get(key) or None
        if any(word in inner.lower() for word in _NAME_WORDS) and _looks_like_a_placeholder(inner):
            if placeholder not in self.chosen:
                self.chosen[placeholder] = generated_name(inner)
            return self.chosen[placeholder]
        return None


def _looks_like_a_placeholder(inner: str) -> bool:
    """`<resource-group>`, `<MY_NAME>`: not `<html>` or `<br>`, which a snippet may print."""
    return inner.isupper() or "_" in inner or "-" in inner or " " in inner


def _is_a_placeholder(inner: str) -> bool:
    return _looks_like_a_placeholder(inner) or _normal(inner) in KNOWN_PLACEHOLDERS


def _in_code(text: str) -> list[str]:
    """The placeholders in Python code outside its literals and comments: a reader's edit there is no string."""
    return [
        f"{m.group(0)} (not in a string literal)" for m in _PLACEHOLDER.finditer(text) if _is_a_placeholder(m.group(1))
    ]


def generated_name(placeholder: str) -> str:
    """`<YOUR_ENDPOINT_NAME>` -> `endpoint-3f9c2a1b`: a letter first, letters, digits and hyphens."""
    words = [
        w for w in re.split(r"[^a-z0-9]+", placeholder.lower()) if w and w not in ("your", "my", "name", "unique", "a")
    ]
    stem = "-".join(words) or "name"
    if not stem[0].isalpha():
        stem = "n" + stem
    token = secrets.token_hex(4)
    return f"{stem[: NAME_LENGTH - len(token) - 1].rstrip('-')}-{token}"
