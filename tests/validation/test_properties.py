"""The validator never raises: random JSON, mutated definitions, random expression text."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phalanx.validation import ValidationResult, validate

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)

FIELDS = [
    "Type", "Next", "End", "Resource", "Parameters", "ResultPath", "InputPath", "OutputPath",
    "ResultSelector", "Choices", "Default", "Branches", "ItemProcessor", "Iterator", "Retry",
    "Catch", "Seconds", "Timestamp", "SecondsPath", "Error", "Cause", "ErrorPath", "Arguments",
    "Output", "Assign", "QueryLanguage", "Items", "ItemReader", "ItemBatcher", "ResultWriter",
    "MaxConcurrency", "Label", "Credentials", "ToleratedFailurePercentage", "StartAt", "States",
]  # fmt: skip

BASE: dict[str, Any] = {
    "StartAt": "Start",
    "States": {
        "Start": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
            "Next": "Route",
        },
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "Fan"}],
            "Default": "Done",
        },
        "Fan": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": True}}},
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
            ],
            "Next": "Done",
        },
        "Failed": {"Type": "Fail", "Error": "E", "Cause": "c"},
        "Done": {"Type": "Succeed"},
    },
}


def _check(result: ValidationResult) -> None:
    assert result.result in ("OK", "FAIL")
    json.dumps(result.to_dict())
    if result.result == "FAIL":
        assert any(d.severity == "ERROR" for d in result.diagnostics) or result.truncated


def test_the_base_definition_is_valid() -> None:
    assert validate(BASE).result == "OK"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_never_raises(value: object) -> None:
    _check(validate(value))
    _check(validate(json.dumps(value)))


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_random_text_never_raises(text: str) -> None:
    _check(validate(text))


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    definition = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        # Pick an object inside the definition and set, replace or delete one field.
        objects: list[dict[str, Any]] = []
        stack: list[Any] = [definition]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        target = draw(st.sampled_from(objects))
        key = draw(st.sampled_from(FIELDS) | st.sampled_from(sorted(target) or ["x"]))
        if draw(st.booleans()) and key in target:
            del target[key]
        else:
            target[key] = draw(json_values)
    return definition


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_definitions_never_raise(definition: dict[str, Any]) -> None:
    _check(validate(definition))
    _check(validate(definition, machine_type="EXPRESS", placeholders=True))


expression_text = st.text(
    alphabet=st.sampled_from(list("$.[]()'\"@?*:,{}%!=<>&|~^#0123456789abcS tx\\"))
    | st.characters(),
    max_size=40,
)


@settings(max_examples=400)
@given(expression_text, st.sampled_from(["path", "intrinsic", "jsonata", "reference", "choice"]))
def test_random_expression_strings_never_raise(text: str, where: str) -> None:
    states: dict[str, Any]
    if where == "path":
        states = {"A": {"Type": "Pass", "Parameters": {"v.$": text}, "End": True}}
    elif where == "intrinsic":
        states = {
            "A": {"Type": "Pass", "Parameters": {"v.$": "States.Format(" + text}, "End": True}
        }
    elif where == "jsonata":
        states = {
            "A": {
                "Type": "Pass",
                "QueryLanguage": "JSONata",
                "Output": "{%" + text + "%}",
                "End": True,
            }
        }
    elif where == "reference":
        states = {"A": {"Type": "Pass", "ResultPath": text, "InputPath": text, "End": True}}
    else:
        states = {
            "A": {
                "Type": "Choice",
                "Choices": [{"Variable": text, "StringEqualsPath": text, "Next": "B"}],
                "Default": "B",
            },
            "B": {"Type": "Succeed"},
        }
    _check(validate({"StartAt": "A", "States": states}))
