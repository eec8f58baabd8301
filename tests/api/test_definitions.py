"""ValidateStateMachineDefinition answers what `phalanx.validation` finds."""

from __future__ import annotations

import json
from typing import Any

from phalanx.validation import validate
from tests.api.conftest import PASS

UNREACHABLE = json.dumps(
    {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "End": True}, "Lost": {"Type": "Pass", "End": True}},
    }
)


def test_a_valid_definition_is_ok(sfn: Any) -> None:
    answer = sfn.validate_state_machine_definition(definition=PASS)
    assert (answer["result"], answer["diagnostics"], answer["truncated"]) == ("OK", [], False)


def test_a_failing_definition_carries_the_validator_diagnostics(sfn: Any) -> None:
    answer = sfn.validate_state_machine_definition(definition=UNREACHABLE, type="STANDARD")
    expected = validate(UNREACHABLE).to_dict()
    assert answer["result"] == "FAIL"
    assert answer["diagnostics"] == expected["diagnostics"]


def test_max_results_truncates(sfn: Any) -> None:
    states = {f"S{i}": {"Type": "Pass", "Next": "Nowhere"} for i in range(3)}
    broken = json.dumps({"StartAt": "S0", "States": states})
    answer = sfn.validate_state_machine_definition(definition=broken, maxResults=1)
    assert len(answer["diagnostics"]) == 1
    assert answer["truncated"] is True


def test_warnings_are_returned_when_asked_for(sfn: Any) -> None:
    choice = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "D"}],
            },
            "D": {"Type": "Succeed"},
        },
    }
    definition = json.dumps(choice)
    expected = validate(definition, severity="WARNING").to_dict()
    answer = sfn.validate_state_machine_definition(definition=definition, severity="WARNING")
    assert answer["result"] == "OK"
    assert answer["diagnostics"] == expected["diagnostics"]
    assert {d["severity"] for d in answer["diagnostics"]} == {"WARNING"}
    quiet = sfn.validate_state_machine_definition(definition=definition)
    assert quiet["diagnostics"] == []
