"""Comparison helpers for Choice rules, one per ASL operator.

Each helper is named after its operator in snake case and takes the
`Variable` first::

    numeric_greater_than("$.roll", 3)   # {"Variable": "$.roll", "NumericGreaterThan": 3}
    string_equals_path("$.a", "$.b")    # {"Variable": "$.a", "StringEqualsPath": "$.b"}
    is_present("$.user")                # {"Variable": "$.user", "IsPresent": true}

Combine them with `~` (Not), `&` (And), `|` (Or), or `Not`/`And`/`Or`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from phalanx.asl.rules import COMPARISON_OPERATORS, Comparison

Comparator = Callable[[str, Any], Comparison]
TypeTest = Callable[..., Comparison]


def _snake(operator: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operator).lower()


def _comparator(operator: str) -> Comparator:
    def compare(variable: str, value: Any) -> Comparison:
        return Comparison(variable, operator, value)

    compare.__name__ = _snake(operator)
    compare.__doc__ = f'`{{"Variable": variable, "{operator}": value}}`.'
    return compare


def _type_test(operator: str) -> TypeTest:
    def test(variable: str, value: bool = True) -> Comparison:
        return Comparison(variable, operator, value)

    test.__name__ = _snake(operator)
    test.__doc__ = f'`{{"Variable": variable, "{operator}": value}}`; value defaults to true.'
    return test


string_equals = _comparator("StringEquals")
string_equals_path = _comparator("StringEqualsPath")
string_less_than = _comparator("StringLessThan")
string_less_than_path = _comparator("StringLessThanPath")
string_greater_than = _comparator("StringGreaterThan")
string_greater_than_path = _comparator("StringGreaterThanPath")
string_less_than_equals = _comparator("StringLessThanEquals")
string_less_than_equals_path = _comparator("StringLessThanEqualsPath")
string_greater_than_equals = _comparator("StringGreaterThanEquals")
string_greater_than_equals_path = _comparator("StringGreaterThanEqualsPath")
string_matches = _comparator("StringMatches")
numeric_equals = _comparator("NumericEquals")
numeric_equals_path = _comparator("NumericEqualsPath")
numeric_less_than = _comparator("NumericLessThan")
numeric_less_than_path = _comparator("NumericLessThanPath")
numeric_greater_than = _comparator("NumericGreaterThan")
numeric_greater_than_path = _comparator("NumericGreaterThanPath")
numeric_less_than_equals = _comparator("NumericLessThanEquals")
numeric_less_than_equals_path = _comparator("NumericLessThanEqualsPath")
numeric_greater_than_equals = _comparator("NumericGreaterThanEquals")
numeric_greater_than_equals_path = _comparator("NumericGreaterThanEqualsPath")
boolean_equals = _comparator("BooleanEquals")
boolean_equals_path = _comparator("BooleanEqualsPath")
timestamp_equals = _comparator("TimestampEquals")
timestamp_equals_path = _comparator("TimestampEqualsPath")
timestamp_less_than = _comparator("TimestampLessThan")
timestamp_less_than_path = _comparator("TimestampLessThanPath")
timestamp_greater_than = _comparator("TimestampGreaterThan")
timestamp_greater_than_path = _comparator("TimestampGreaterThanPath")
timestamp_less_than_equals = _comparator("TimestampLessThanEquals")
timestamp_less_than_equals_path = _comparator("TimestampLessThanEqualsPath")
timestamp_greater_than_equals = _comparator("TimestampGreaterThanEquals")
timestamp_greater_than_equals_path = _comparator("TimestampGreaterThanEqualsPath")
is_null = _type_test("IsNull")
is_present = _type_test("IsPresent")
is_numeric = _type_test("IsNumeric")
is_string = _type_test("IsString")
is_boolean = _type_test("IsBoolean")
is_timestamp = _type_test("IsTimestamp")

HELPERS: dict[str, Callable[..., Comparison]] = {
    operator: globals()[_snake(operator)] for operator in COMPARISON_OPERATORS
}
"""Every helper by its ASL operator name (all of them: a test pins this)."""
