"""Choice rules: the boolean expressions a Choice state branches on.

A JSONPath rule is a tree of `Comparison` leaves under `And`, `Or` and
`Not`; only the top-level `ChoiceRule` carries `Next` (and `Assign`,
`Output`). A JSONata rule is a `Condition` string instead of a tree.

The expression classes combine with Python's operators, so a condition
reads like the logic it encodes::

    ~numeric_greater_than("$.roll", 3)          # {"Not": {...}}
    is_present("$.a") & string_equals("$.a", "x")  # {"And": [...]}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from phalanx.asl.dynamic import resolve_template
from phalanx.asl.fields import JSON, Kind, asl_field, extra_field

COMPARISON_OPERATORS: tuple[str, ...] = (
    "StringEquals",
    "StringEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringMatches",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "BooleanEquals",
    "BooleanEqualsPath",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
)
"""Every data-test operator of the ASL specification, in its order."""


class _Combinable:
    """Python operators for boolean expressions: `~a`, `a & b`, `a | b`."""

    __slots__ = ()

    def __bool__(self) -> bool:
        raise TypeError("combine conditions with ~, & and |, not with not/and/or")

    def __invert__(self) -> Not:
        return Not(self)  # type: ignore[arg-type]

    def __and__(self, other: BooleanExpression) -> And:
        return And((self, other))  # type: ignore[arg-type]

    def __or__(self, other: BooleanExpression) -> Or:
        return Or((self, other))  # type: ignore[arg-type]


@dataclasses.dataclass(frozen=True, slots=True)
class Comparison(_Combinable):
    """One data test: `{"Variable": "$.roll", "NumericGreaterThan": 3}`."""

    variable: str
    operator: str
    value: JSON
    comment: str | None = asl_field("Comment", Kind.STRING)
    extra: Mapping[str, JSON] = extra_field()


@dataclasses.dataclass(frozen=True, slots=True)
class And(_Combinable):
    """True when every rule is true."""

    rules: tuple[BooleanExpression, ...]
    comment: str | None = asl_field("Comment", Kind.STRING)
    extra: Mapping[str, JSON] = extra_field()


@dataclasses.dataclass(frozen=True, slots=True)
class Or(_Combinable):
    """True when any rule is true."""

    rules: tuple[BooleanExpression, ...]
    comment: str | None = asl_field("Comment", Kind.STRING)
    extra: Mapping[str, JSON] = extra_field()


@dataclasses.dataclass(frozen=True, slots=True)
class Not(_Combinable):
    """True when `rule` is false."""

    rule: BooleanExpression
    comment: str | None = asl_field("Comment", Kind.STRING)
    extra: Mapping[str, JSON] = extra_field()


BooleanExpression = Comparison | And | Or | Not


@dataclasses.dataclass(frozen=True, slots=True)
class ChoiceRule:
    """One entry of `Choices`: a condition and the state to go to when it holds.

    `condition` is a JSONPath expression tree, or for JSONata the text (or
    literal) of the `Condition` field, e.g. `"{% $states.input.roll > 3 %}"`.
    """

    condition: BooleanExpression | str | bool
    next_state: str = asl_field("Next", Kind.STRING, default="", kw_only=False)
    comment: str | None = asl_field("Comment", Kind.STRING)
    assign: Mapping[str, JSON] | None = asl_field("Assign", Kind.OBJECT)
    output: Any = asl_field("Output", Kind.ANY)
    extra: Mapping[str, JSON] = extra_field()

    def __post_init__(self) -> None:
        object.__setattr__(self, "assign", resolve_template(self.assign))
