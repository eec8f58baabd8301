from __future__ import annotations

from typing import Any

import pytest

from phalanx.asl import Comparison, Not
from phalanx.engine.choice import holds, parse_timestamp
from phalanx.query.jsonpath import PathNotFound


@pytest.mark.parametrize(
    ("operator", "value", "data", "expected"),
    [
        pytest.param("NumericGreaterThan", 3, {"v": 4}, True, id="numeric-gt"),
        pytest.param("NumericEquals", 1, {"v": 1.0}, True, id="int-equals-float"),
        pytest.param("NumericEquals", 1, {"v": "1"}, False, id="string-is-not-numeric"),
        pytest.param("NumericEquals", 1, {"v": True}, False, id="bool-is-not-numeric"),
        pytest.param("StringLessThan", "b", {"v": "a"}, True, id="string-lt"),
        pytest.param("StringMatches", "log-*.txt", {"v": "log-1.txt"}, True, id="glob"),
        pytest.param("StringMatches", "a\\*", {"v": "a*"}, True, id="escaped-star"),
        pytest.param("StringMatches", "a\\*", {"v": "ab"}, False, id="escaped-star-literal"),
        pytest.param("BooleanEquals", False, {"v": False}, True, id="boolean"),
        pytest.param(
            "TimestampLessThan",
            "2020-01-01T00:00:00Z",
            {"v": "2019-12-31T23:59:59Z"},
            True,
            id="timestamp-lt",
        ),
        pytest.param("IsNull", True, {"v": None}, True, id="is-null"),
        pytest.param("IsPresent", False, {}, True, id="is-present-false-on-missing"),
        pytest.param("IsTimestamp", True, {"v": "2016-03-14T01:59:00Z"}, True, id="is-timestamp"),
        pytest.param("NumericLessThanPath", "$.w", {"v": 1, "w": 2}, True, id="path-operand"),
    ],
)
def test_comparison(operator: str, value: Any, data: Any, expected: bool) -> None:
    assert holds(Comparison("$.v", operator, value), data) is expected


def test_not_inverts() -> None:
    assert holds(Not(Comparison("$.v", "NumericEquals", 1)), {"v": 2}) is True


def test_missing_variable_is_a_runtime_error() -> None:
    with pytest.raises(PathNotFound):
        holds(Comparison("$.nope", "NumericEquals", 1), {})


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        pytest.param("2016-03-14T01:59:00Z", True, id="seconds"),
        pytest.param("2016-03-14T01:59:00.123456789Z", True, id="nanoseconds"),
        pytest.param("2016-03-14T01:59:00+02:00", True, id="offset"),
        pytest.param("2016-03-14T01:59:00", False, id="no-zone"),
        pytest.param("2016-03-14 01:59:00Z", False, id="no-T"),
        pytest.param("2016-13-14T01:59:00Z", False, id="bad-month"),
    ],
)
def test_timestamp_parsing(text: str, valid: bool) -> None:
    assert (parse_timestamp(text) is not None) is valid
