"""Assertions on a finished execution, with messages that show where it went astray."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def assert_path(execution: Any, expected: Sequence[str]) -> None:
    """Assert the states entered, in order; the message shows where the paths part.

    `execution` is what `phalanx.run` returns (anything with `states_entered`).
    """
    actual = list(execution.states_entered)
    if actual == list(expected):
        return
    at = next(
        (i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b),
        min(len(actual), len(expected)),
    )
    raise AssertionError(
        f"path differs at step {at}: expected {list(expected)[at : at + 3]}..., "
        f"took {actual[at : at + 3]}...\n  expected: {list(expected)}\n  actual:   {actual}"
        f"\n  status: {execution.status} error: {execution.error}"
    )
