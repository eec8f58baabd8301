"""How AWS writes JSON values as text.

Step Functions runs on the JVM: values are compact JSON (Jackson) when they are
serialised (`States.JsonToString`, causes quoting the input), and Java
`toString()` text when they are interpolated (`States.Format('{}', $.obj)`
gives `{Arg1=1, Arg2=[]}`; corpus `intrinsic_functions/test_generic`).
Both renderings live here so every module quotes values the same way.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from phalanx.asl.fields import json_type as json_type  # the one definition, re-exported


def to_json(value: Any) -> str:
    """Compact JSON text as Jackson writes it: no spaces, non-ASCII kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def from_json(text: str) -> Any:
    """Parse JSON text as Jackson does: `NaN` and `Infinity` are not JSON (ValueError)."""
    return json.loads(text, parse_constant=_refuse_constant)


def _refuse_constant(text: str) -> Any:
    raise ValueError(text)


def number_text(value: int | float) -> str:
    """A JSON number as Java prints it: integers plain, doubles as `Double.toString`.

    Java writes doubles in [10^-3, 10^7) as `1.5` / `3.0` and others as `1.0E10`;
    the digits are the shortest that round-trip, as Python's repr gives them.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        return repr(value)
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(str(digit) for digit in digits).rstrip("0") or "0"
    power = len(digits) - 1 + int(exponent)
    mantissa = text[0] + "." + (text[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{power}"


def java_text(value: Any) -> str:
    """`toString()` of the Java value: `null`, `{a=1, b=[x, y]}`, strings unquoted."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return number_text(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{key}={java_text(item)}" for key, item in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(java_text(item) for item in value) + "]"
    return str(value)
