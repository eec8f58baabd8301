"""The words on the drawing: rules as a reader writes them, errors, retries, resources."""

from __future__ import annotations

from typing import Any

import pytest

from phalanx import Retrier, Task, jsonata
from phalanx.asl import conditions as c
from phalanx.graph.labels import (
    MAX_LABEL,
    condition_text,
    errors_text,
    retry_badge,
    state_name,
    subtitle,
)


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        pytest.param(~c.numeric_greater_than("$.roll", 3), "NOT $.roll > 3", id="not"),
        pytest.param(c.string_equals("$.a", "x"), '$.a == "x"', id="string-equals"),
        pytest.param(c.numeric_less_than_equals_path("$.a", "$.b"), "$.a <= $.b", id="path"),
        pytest.param(
            c.timestamp_greater_than_equals("$.t", "2024-01-01T00:00:00Z"),
            '$.t >= "2024-01-01T00:00:00Z"',
            id="timestamp",
        ),
        pytest.param(c.string_matches("$.f", "*.log"), '$.f matches "*.log"', id="matches"),
        pytest.param(c.boolean_equals("$.ok", True), "$.ok == true", id="boolean"),
        pytest.param(c.is_present("$.a"), "$.a is present", id="is-present"),
        pytest.param(c.is_null("$.a", False), "$.a is not null", id="is-not-null"),
        pytest.param(
            c.is_present("$.a") & (c.string_equals("$.a", "x") | c.string_equals("$.a", "y")),
            '$.a is present AND ($.a == "x" OR $.a == "y")',
            id="and-or",
        ),
        pytest.param(
            ~(c.is_present("$.a") & c.is_null("$.a")),
            "NOT ($.a is present AND $.a is null)",
            id="not-and",
        ),
        pytest.param(jsonata("$states.input.roll > 3"), "$states.input.roll > 3", id="jsonata"),
        pytest.param(True, "true", id="literal"),
    ],
)
def test_condition_reads_as_written(condition: Any, text: str) -> None:
    assert condition_text(condition) == text


def test_long_jsonata_conditions_are_shortened_with_an_ellipsis() -> None:
    text = condition_text(jsonata("$count($states.input.items[status = 'ready']) > 10 and true"))
    assert len(text) == MAX_LABEL
    assert text.endswith("…")
    assert text.startswith("$count($states.input.items")


@pytest.mark.parametrize(
    ("retrier", "badge"),
    [
        pytest.param(Retrier(("States.ALL",)), "retry ×3 States.ALL", id="aws-default-3"),
        pytest.param(
            Retrier(("States.Timeout", "Lambda.Unknown"), max_attempts=5),
            "retry ×5 States.Timeout, Lambda.Unknown",
            id="several-errors",
        ),
        pytest.param(Retrier(("E",), max_attempts=0), "retry ×0 E", id="zero"),
    ],
)
def test_retry_badge(retrier: Retrier, badge: str) -> None:
    assert retry_badge(retrier) == badge


@pytest.mark.parametrize(
    ("resource", "line"),
    [
        pytest.param("arn:aws:lambda:us-east-1:1:function:roll", "Task · lambda roll", id="arn"),
        pytest.param("arn:aws:states:::lambda:invoke", "Task · lambda:invoke", id="invoke"),
        pytest.param("arn:aws:states:::dynamodb:putItem", "Task · dynamodb:putItem", id="service"),
        pytest.param(
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Task · sqs:sendMessage.waitForTaskToken",
            id="callback",
        ),
    ],
)
def test_task_subtitle_says_what_it_calls(resource: str, line: str) -> None:
    assert subtitle(Task("t", resource)) == line


def test_errors_and_names_stay_on_one_line() -> None:
    assert errors_text(["A", "B"]) == "A, B"
    assert state_name("two\nlines") == "two lines"
    assert len(state_name("x" * 200)) == 80
