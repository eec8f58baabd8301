"""Malformed definitions raise one error type that names the JSON location."""

from __future__ import annotations

from typing import Any

import pytest

from phalanx import DefinitionError, StateMachine

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f"


def _machine(**states: Any) -> dict[str, Any]:
    return {"StartAt": next(iter(states), "x"), "States": states}


MALFORMED = [
    pytest.param("not json", "", "not valid JSON", id="text-not-json"),
    pytest.param([1, 2], "", "must be an object", id="document-is-array"),
    pytest.param(None, "", "must be an object", id="document-is-null"),
    pytest.param({"States": {"a": {"Type": "Succeed"}}}, "", "StartAt", id="no-start-at"),
    pytest.param({"StartAt": "a"}, "", "States", id="no-states"),
    pytest.param(
        {"StartAt": "a", "States": []}, "/States", "must be an object", id="states-is-array"
    ),
    pytest.param(
        {"StartAt": 3, "States": {"a": {"Type": "Succeed"}}},
        "/StartAt",
        "expected a string",
        id="start-at-is-number",
    ),
    pytest.param(_machine(a="Succeed"), "/States/a", "must be an object", id="state-is-string"),
    pytest.param(_machine(a={"Next": "b"}), "/States/a", "no 'Type'", id="state-without-type"),
    pytest.param(
        _machine(a={"Type": "Sleep"}), "/States/a/Type", "unknown Type", id="unknown-type"
    ),
    pytest.param(_machine(a={"Type": 7}), "/States/a/Type", "unknown Type", id="type-not-string"),
    pytest.param(
        _machine(a={"Type": "Pass", "Next": 1}),
        "/States/a/Next",
        "expected a string",
        id="next-is-number",
    ),
    pytest.param(
        _machine(a={"Type": "Pass", "End": "yes"}),
        "/States/a/End",
        "expected a boolean",
        id="end-is-string",
    ),
    pytest.param(
        _machine(a={"Type": "Pass", "Parameters": [1], "End": True}),
        "/States/a/Parameters",
        "expected an object",
        id="parameters-is-array",
    ),
    pytest.param(
        _machine(a={"Type": "Task", "End": True}),
        "/States/a",
        "Resource",
        id="task-without-resource",
    ),
    pytest.param(
        _machine(a={"Type": "Task", "Resource": LAMBDA, "Retry": {}, "End": True}),
        "/States/a/Retry",
        "must be an array",
        id="retry-is-object",
    ),
    pytest.param(
        _machine(a={"Type": "Task", "Resource": LAMBDA, "Retry": [{}], "End": True}),
        "/States/a/Retry/0",
        "ErrorEquals",
        id="retrier-without-error-equals",
    ),
    pytest.param(
        _machine(
            a={
                "Type": "Task",
                "Resource": LAMBDA,
                "End": True,
                "Catch": [{"ErrorEquals": ["States.ALL"]}],
            }
        ),
        "/States/a/Catch/0",
        "Next",
        id="catcher-without-next",
    ),
    pytest.param(
        _machine(a={"Type": "Wait", "Seconds": True, "End": True}),
        "/States/a/Seconds",
        "expected a number",
        id="seconds-is-boolean",
    ),
    pytest.param(
        _machine(a={"Type": "Choice", "Choices": {}}),
        "/States/a/Choices",
        "must be an array",
        id="choices-is-object",
    ),
    pytest.param(
        _machine(a={"Type": "Choice", "Choices": [{"Next": "a"}]}),
        "/States/a/Choices/0",
        "no condition",
        id="rule-without-condition",
    ),
    pytest.param(
        _machine(a={"Type": "Choice", "Choices": [{"IsNull": True, "Next": "a"}]}),
        "/States/a/Choices/0",
        "no 'Variable'",
        id="comparison-without-variable",
    ),
    pytest.param(
        _machine(a={"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": True}]}),
        "/States/a/Choices/0",
        "no 'Next'",
        id="rule-without-next",
    ),
    pytest.param(
        _machine(a={"Type": "Choice", "Choices": [{"Not": [], "Next": "a"}]}),
        "/States/a/Choices/0/Not",
        "must be an object",
        id="not-is-array",
    ),
    pytest.param(
        _machine(a={"Type": "Choice", "Choices": [{"And": [3], "Next": "a"}]}),
        "/States/a/Choices/0/And/0",
        "must be an object",
        id="and-item-is-number",
    ),
    pytest.param(
        _machine(a={"Type": "Parallel", "Branches": [{"StartAt": "b"}], "End": True}),
        "/States/a/Branches/0",
        "States",
        id="branch-without-states",
    ),
    pytest.param(
        _machine(
            a={
                "Type": "Map",
                "End": True,
                "ItemProcessor": {"StartAt": "b", "States": {"b": {"Type": "Pass", "End": 1}}},
            }
        ),
        "/States/a/ItemProcessor/States/b/End",
        "expected a boolean",
        id="nested-state-field",
    ),
    pytest.param(
        _machine(**{"a/b": {"Type": "Pass", "Next": 2}}),
        "/States/a~1b/Next",
        "expected a string",
        id="pointer-escapes-slash",
    ),
]


@pytest.mark.parametrize(("definition", "location", "message"), MALFORMED)
def test_malformed_definition_raises_definition_error_at_location(
    definition: Any, location: str, message: str
) -> None:
    with pytest.raises(DefinitionError) as raised:
        StateMachine.from_asl(definition)
    assert raised.value.location == location
    assert message in raised.value.message


def test_definition_error_is_a_value_error_with_location_in_text() -> None:
    with pytest.raises(ValueError, match="/States/a: state 'a' has no 'Type'"):
        StateMachine.from_asl(_machine(a={}))


def test_deeply_nested_json_text_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="nested too deeply"):
        StateMachine.from_asl("[" * 100_000 + "]" * 100_000)


def test_deeply_nested_rules_are_a_definition_error() -> None:
    rule: dict[str, Any] = {"Variable": "$.x", "IsNull": True}
    for _ in range(100_000):
        rule = {"Not": rule}
    definition = {
        "StartAt": "c",
        "States": {"c": {"Type": "Choice", "Choices": [{**rule, "Next": "c"}]}},
    }
    with pytest.raises(DefinitionError, match="nested too deeply"):
        StateMachine.from_asl(definition)
