"""ASL JSON -> model -> ASL JSON is lossless on every corpus under tests/data."""

from __future__ import annotations

from typing import Any

import pytest

from phalanx import DefinitionError, StateMachine, validate
from tests.corpora import cases


def _round_trip(definition: Any) -> Any:
    return StateMachine.from_asl(definition).to_asl()


@pytest.mark.parametrize("case", cases("conformance"))
def test_conformance_definition_round_trips(case: Any) -> None:
    assert _round_trip(case["definition"]) == case["definition"]


@pytest.mark.parametrize("case", cases("realworld"))
def test_realworld_definition_round_trips_or_reports_its_mistake(case: Any) -> None:
    definition = case["definition"]
    if case.get("suspect"):
        with pytest.raises(DefinitionError) as raised:
            StateMachine.from_asl(definition)
        assert raised.value.location.startswith("/States/")
        return
    assert _round_trip(definition) == definition


VALID = [p for p in cases("validation") if p.values[0]["expect_valid"]]


@pytest.mark.parametrize("case", VALID)
def test_valid_validation_definition_round_trips_or_is_refused_as_aws_would(case: Any) -> None:
    """Labelled valid: round-trips, or the loader refuses exactly what AWS rejects.

    A few labels (statelint, asl-validator) call valid what AWS refuses, e.g.
    `Parameters` that is not an object. The loader may refuse those only where
    the validator reports an AWS error at the same location, and never a
    definition AWS itself recorded as valid.
    """
    definition = case["definition"]
    try:
        model = StateMachine.from_asl(definition)
    except DefinitionError as error:
        assert case["label_basis"] != "aws-recorded", str(error)
        report = validate(definition)
        assert report.result == "FAIL"
        assert error.location in {d.location for d in report.diagnostics}, str(error)
        return
    assert model.to_asl() == definition


def test_round_trip_keeps_number_types() -> None:
    definition = {
        "StartAt": "w",
        "States": {
            "w": {"Type": "Wait", "Seconds": 3, "Next": "p"},
            "p": {"Type": "Pass", "Result": {"f": 1.0, "i": 1}, "End": True},
        },
    }
    out = _round_trip(definition)
    assert type(out["States"]["w"]["Seconds"]) is int
    assert type(out["States"]["p"]["Result"]["f"]) is float


def test_round_trip_keeps_unknown_and_misplaced_fields() -> None:
    definition = {
        "StartAt": "p",
        "X-Top": 1,
        "States": {"p": {"Type": "Pass", "Seconds": 5, "Custom": {"a": [1]}, "End": True}},
    }
    model = StateMachine.from_asl(definition)
    assert model.extra == {"X-Top": 1}
    assert model.states["p"].extra == {"Seconds": 5, "Custom": {"a": [1]}}
    assert model.to_asl() == definition


def test_null_fields_stay_null_and_absent_fields_stay_absent() -> None:
    definition = {
        "StartAt": "t",
        "States": {
            "t": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:1:function:f",
                "ResultPath": None,
                "OutputPath": None,
                "End": True,
            }
        },
    }
    out = _round_trip(definition)
    assert out["States"]["t"]["ResultPath"] is None
    assert "InputPath" not in out["States"]["t"]


def test_json_text_is_accepted() -> None:
    text = '{"StartAt": "s", "States": {"s": {"Type": "Succeed"}}}'
    assert StateMachine.from_asl(text).to_asl() == {
        "StartAt": "s",
        "States": {"s": {"Type": "Succeed"}},
    }
