"""What an operation is: the shape its input must have and the handler that answers it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from phalanx.api.context import Context
from phalanx.api.shapes import Shape

Request = dict[str, Any]
Response = dict[str, Any]
Handler = Callable[[Context, Request], Response]


@dataclass(frozen=True, slots=True)
class Operation:
    """`handler` is called with the request already checked against `input`."""

    input: Shape
    handler: Handler


def timestamp(seconds: float) -> float:
    """A date as JSON 1.0 carries it: epoch seconds, milliseconds as the fraction."""
    return round(seconds, 3)
