"""Angle-bracket placeholders that a reader replaces before running a step.

`<SUBSCRIPTION_ID>` or `<resource-group>` name something the target already has:
they get the target's value. `<YOUR_ENDPOINT_NAME>` asks the reader to choose a
name: it gets a generated one, valid for an Azure ML resource name (a letter,
then letters, digits and hyphens, at most 32 characters) and unique per run.
Any other placeholder cannot be filled, and the step is skipped with that reason.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

# Placeholder spelling, normalized (lower case, letters and digits only) -> the target value it stands for.
KNOWN_PLACEHOLDERS: dict[str, str] = {
    "subscriptionid": "subscription_id", "subscription": "subscription_id", "yoursubscriptionid": "subscription_id",
    "resourcegroup": "resource_group", "resourcegroupname": "resource_group", "yourresourcegroup": "resource_group",
    "amlworkspacename": "workspace", "workspacename": "workspace", "workspace": "workspace",
    "yourworkspacename": "workspace", "region": "location", "location": "location", "azureregion": "location",
}

_PLACEHOLDER = re.compile(r"(?<![<\w])<([A-Za-z][A-Za-z0-9_ -]{0,62})>")
_NAME_WORDS = ("name",)
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
                if self._looks_like_a_placeholder(match.group(1)) or _normal(match.group(1)) in KNOWN_PLACEHOLDERS:
                    missing.append(match.group(0))
                return match.group(0)
            return value

        return _PLACEHOLDER.sub(replace, code), list(dict.fromkeys(missing))

    def value_for(self, placeholder: str) -> str | None:
        inner = placeholder[1:-1]
        configured = self.extra.get(placeholder, self.extra.get(inner))
        if configured is not None:
            return self.values.get(configured, configured)
        key = KNOWN_PLACEHOLDERS.get(_normal(inner))
        if key is not None:
            return self.values.get(key) or None
        if any(word in inner.lower() for word in _NAME_WORDS) and self._looks_like_a_placeholder(inner):
            if placeholder not in self.chosen:
                self.chosen[placeholder] = generated_name(inner)
            return self.chosen[placeholder]
        return None

    @staticmethod
    def _looks_like_a_placeholder(inner: str) -> bool:
        """`<resource-group>`, `<MY_NAME>`: not `<html>` or `<br>`, which a snippet may print."""
        return inner.isupper() or "_" in inner or "-" in inner or " " in inner


def generated_name(placeholder: str) -> str:
    """`<YOUR_ENDPOINT_NAME>` -> `endpoint-3f9c2a1b`: a letter first, letters, digits and hyphens."""
    words = [w for w in re.split(r"[^a-z0-9]+", placeholder.lower()) if w and w not in ("your", "my", "name", "unique", "a")]
    stem = "-".join(words) or "name"
    if not stem[0].isalpha():
        stem = "n" + stem
    token = secrets.token_hex(4)
    return f"{stem[:NAME_LENGTH - len(token) - 1].rstrip('-')}-{token}"
