"""The JSONata functions Step Functions adds: $partition, $range, $hash, $random, $uuid, $parse.

They are the JSONata counterparts of intrinsics and share their rules
(chunk sizes, the 1,000-item range limit, hash algorithms). Plain Python over
plain JSON values: `jsonata.py` adapts them to the JSONata library.

`$range` returns a JSONata *sequence*, not an array: AWS gives `1` for
`$range(1, 9, 9)` (a singleton sequence collapses) but `[[0]]` for
`$partition([0], 1)` (corpus `intrinsic_functions/test_array_jsonata`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from phalanx.errors import StatesError
from phalanx.query import _intrinsic_functions as intrinsic
from phalanx.query._intrinsic_functions import Sources
from phalanx.query._json import from_json


class FunctionError(Exception):
    """An AWS-added function refused its arguments; `message` goes into the cause."""


def _call(name: str, function: Callable[..., Any], *args: Any) -> Any:
    try:
        return function(*args)
    except StatesError:
        raise FunctionError(f"Invalid arguments in ${name}") from None


def partition(array: Any, size: Any) -> list[Any]:
    return list(_call("partition", intrinsic.array_partition, array, size))


def range_(start: Any, end: Any, step: Any) -> list[int]:
    return list(_call("range", intrinsic.array_range, start, end, step))


def hash_(data: Any, algorithm: Any) -> str:
    if not isinstance(data, str):
        raise FunctionError("Invalid arguments in $hash")
    return str(_call("hash", intrinsic.hash_value, data, algorithm))


def make_random(sources: Sources) -> Callable[..., float]:
    def random_(seed: Any = None) -> float:
        if seed is None:
            return sources.rng.random()
        if not isinstance(seed, int | float) or isinstance(seed, bool):
            raise FunctionError("Invalid arguments in $random")
        return random.Random(int(seed)).random()

    return random_


def make_uuid(sources: Sources) -> Callable[[], str]:
    def uuid_() -> str:
        return sources.new_uuid()

    return uuid_


def parse(text: Any) -> Any:
    if not isinstance(text, str):
        raise FunctionError("Invalid arguments in $parse")
    try:
        return from_json(text)
    except ValueError:
        raise FunctionError("Invalid arguments in $parse") from None
