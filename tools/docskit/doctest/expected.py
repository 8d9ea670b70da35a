"""Comparing what a step printed with the `output` block the article shows after it."""

from __future__ import annotations

import json
import re
from typing import Any


def outputs_match(expected: str, actual: str) -> bool:
    """Compare as JSON when both are JSON (numbers to the precision the article shows), else as text.

    In text, `...` in the expected output matches any run of characters, and
    runs of whitespace compare equal.
    """
    parsed_expected, parsed_actual = _as_json(expected), _as_json(actual)
    if parsed_expected is not _NOT_JSON and parsed_actual is not _NOT_JSON:
        return _json_close(parsed_expected, parsed_actual)
    pattern = re.escape(" ".join(expected.split())).replace(re.escape("..."), ".*")
    return re.fullmatch(pattern, " ".join(actual.split()), re.DOTALL) is not None


_NOT_JSON = object()


def _as_json(text: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        return _NOT_JSON
    if isinstance(value, str):  # `az ml online-endpoint invoke` prints the answer as a JSON string
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _json_close(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        decimals = _decimals(expected)
        return abs(expected - actual) <= 0.5 * 10 ** (-decimals) + 1e-12
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(_json_close(e, a) for e, a in zip(expected, actual, strict=True))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(_json_close(expected[k], actual[k]) for k in expected)
    return expected == actual


def _decimals(number: float | int) -> int:
    text = repr(number)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0
