"""The 18 `States.*` functions over evaluated argument values.

Every rejected argument raises `StatesError("States.Runtime", "Invalid
arguments in States.<Name>")`. The ASL specification names
`States.IntrinsicFailure`, but AWS reports `States.Runtime` with that cause
(seen in executions: "Invalid arguments in States.MathAdd",
"... States.StringToJson"); the engine adds the "An error occurred while
executing the state ..." prefix.

Number handling follows what AWS shows, which is not always what the docs say:

* MathAdd rounds each operand half up (Java `Math.round`): 1.49 + 1.5 = 3,
  -1.5 + -1.51 = -3 (corpus `intrinsic_functions/test_math_operations`).
* ArrayRange, MathRandom and ArrayGetItem truncate fractions towards zero: a
  public AWS characterisation reports ArrayRange(1.6, 1.4, 1) = [1] and
  ArrayGetItem(arr, 1.2) = arr[1], although the docs say "round".
* StringSplit splits on any of the delimiter's characters and drops empty
  tokens (Java `StringTokenizer`): ", , ," split on "," gives [" ", " "].
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from phalanx.asl.fields import is_number
from phalanx.errors import StatesError
from phalanx.query._json import from_json, java_text, to_json

MAX_ARRAY_RANGE_ITEMS = 1_000
MAX_ENCODE_LENGTH = 10_000
"""Base64Encode / Base64Decode / Hash accept up to 10,000 characters."""
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1

HASH_ALGORITHMS: dict[str, Callable[[bytes], Any]] = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}


@dataclass(frozen=True, slots=True)
class Sources:
    """Where randomness and the time come from, so tests and replays can fix them.

    `now` gives the execution's current time in seconds since the epoch (the
    engine's virtual clock); JSONata's `$now()` and `$millis()` read it. Left
    as None, they read the machine's clock, as plain JSONata does.
    """

    rng: random.Random = field(default_factory=random.SystemRandom)  # no seeding cost
    new_uuid: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    now: Callable[[], float] | None = None


def invalid(name: str) -> StatesError:
    return StatesError("States.Runtime", f"Invalid arguments in States.{name}")


def _java_round(name: str, value: Any) -> int:
    """Java `Math.round`: half up, towards positive infinity (-1.5 -> -1)."""
    if not is_number(value) or not math.isfinite(value):
        raise invalid(name)
    return math.floor(value + 0.5) if isinstance(value, float) else int(value)


def _truncate(name: str, value: Any) -> int:
    if not is_number(value) or not math.isfinite(value):
        raise invalid(name)
    return int(value)


def json_equal(left: Any, right: Any) -> bool:
    """Equality of JSON values as Jackson nodes: `true` is not `1`, `1` is not `1.0`."""
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    return bool(left == right)


def format_template(template: str, values: list[Any], *, escaped: bool) -> str:
    """Replace each `{}` with the next value; `escaped` templates honour `\\{`."""
    out: list[str] = []
    used = 0
    index = 0
    while index < len(template):
        char = template[index]
        if escaped and char == "\\" and index + 1 < len(template):
            out.append(template[index + 1])
            index += 2
            continue
        if char == "{":
            if template[index + 1 : index + 2] != "}" or used >= len(values):
                raise invalid("Format")
            out.append(java_text(values[used]))
            used += 1
            index += 2
            continue
        if char == "}":
            raise invalid("Format")
        out.append(char)
        index += 1
    if used != len(values):
        raise invalid("Format")
    return "".join(out)


def string_to_json(value: Any) -> Any:
    if not isinstance(value, str):
        raise invalid("StringToJson")
    if not value.strip():
        return None  # AWS gives null for "" and " " (corpus test_string_to_json_0/1)
    try:
        return from_json(value)
    except ValueError:
        raise invalid("StringToJson") from None


def json_to_string(value: Any) -> str:
    return to_json(value)


def array_partition(array: Any, size: Any) -> list[Any]:
    chunk = _java_round("ArrayPartition", size)
    if not isinstance(array, list) or chunk <= 0:
        raise invalid("ArrayPartition")
    return [array[start : start + chunk] for start in range(0, len(array), chunk)]


def array_contains(array: Any, value: Any) -> bool:
    if not isinstance(array, list):
        raise invalid("ArrayContains")
    return any(json_equal(item, value) for item in array)


def array_range(start: Any, end: Any, step: Any) -> list[int]:
    first = _truncate("ArrayRange", start)
    last = _truncate("ArrayRange", end)
    increment = _truncate("ArrayRange", step)
    if increment == 0:
        raise invalid("ArrayRange")
    count = (last - first) // increment + 1 if (last - first) * increment >= 0 else 0
    if count > MAX_ARRAY_RANGE_ITEMS:
        raise invalid("ArrayRange")
    return [first + i * increment for i in range(count)]


def array_get_item(array: Any, index: Any) -> Any:
    position = _truncate("ArrayGetItem", index)
    if not isinstance(array, list) or not 0 <= position < len(array):
        raise invalid("ArrayGetItem")
    return array[position]


def array_length(array: Any) -> int:
    if not isinstance(array, list):
        raise invalid("ArrayLength")
    return len(array)


def array_unique(array: Any) -> list[Any]:
    if not isinstance(array, list):
        raise invalid("ArrayUnique")
    unique: list[Any] = []
    for item in array:
        if not any(json_equal(item, seen) for seen in unique):
            unique.append(item)
    return unique


def base64_encode(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_ENCODE_LENGTH:
        raise invalid("Base64Encode")
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def base64_decode(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_ENCODE_LENGTH:
        raise invalid("Base64Decode")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (UnicodeError, binascii.Error):
        raise invalid("Base64Decode") from None


def hash_value(data: Any, algorithm: Any) -> str:
    # AWS hashes a non-string value by its text rather than refusing it.
    text = data if isinstance(data, str) else java_text(data)
    if len(text) > MAX_ENCODE_LENGTH or not isinstance(algorithm, str):
        raise invalid("Hash")
    digest = HASH_ALGORITHMS.get(algorithm)
    if digest is None:
        raise invalid("Hash")
    return str(digest(text.encode("utf-8")).hexdigest())


def json_merge(left: Any, right: Any, deep: Any) -> dict[str, Any]:
    # Only shallow merging exists; `true` is refused. A non-boolean flag is
    # treated as shallow, as AWS is reported to do.
    if not isinstance(left, dict) or not isinstance(right, dict) or deep is True:
        raise invalid("JsonMerge")
    return {**left, **right}


def math_random(sources: Sources, start: Any, end: Any, seed: Any = None) -> int:
    low = _truncate("MathRandom", start)
    high = _truncate("MathRandom", end)
    if low >= high:
        raise invalid("MathRandom")
    if seed is None:
        return sources.rng.randrange(low, high)
    return random.Random(_truncate("MathRandom", seed)).randrange(low, high)


def math_add(left: Any, right: Any) -> int:
    a = _java_round("MathAdd", left)
    b = _java_round("MathAdd", right)
    total = a + b
    if not all(INT_MIN <= number <= INT_MAX for number in (a, b, total)):
        raise invalid("MathAdd")
    return total


def string_split(value: Any, delimiters: Any) -> list[str]:
    if not isinstance(value, str) or not isinstance(delimiters, str):
        raise invalid("StringSplit")
    tokens: list[str] = []
    current: list[str] = []
    for char in value:
        if char in delimiters:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        tokens.append("".join(current))
    return tokens
