"""One row per behaviour: a small definition -> the code and location AWS would report."""

from __future__ import annotations

import json
from typing import Any

import pytest

from phalanx.validation import PHALANX_CODES, Diagnostic, validate


def machine(states: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"StartAt": next(iter(states)), "States": states, **top}


LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:roll"
END = {"Type": "Succeed"}


def codes(
    result_diagnostics: tuple[Diagnostic, ...], severity: str = "ERROR"
) -> set[tuple[str, str]]:
    return {(d.code, d.location) for d in result_diagnostics if d.severity == severity}


ERROR_CASES = [
    pytest.param(
        machine(
            {
                "checkRoll": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.r", "NumericEquals": 6, "Next": "win"}],
                    "Default": "tryAgain",
                },
                "win": END,
            }
        ),
        ("MISSING_TRANSITION_TARGET", "/States/checkRoll/Default"),
        id="choice_default_must_name_a_state",
    ),
    pytest.param(
        machine(
            {
                "checkRoll": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.r", "NumericEquals": 6, "Next": "nope"}],
                    "Default": "win",
                },
                "win": END,
            }
        ),
        ("MISSING_TRANSITION_TARGET", "/States/checkRoll/Choices/0/Next"),
        id="choice_rule_next_must_name_a_state",
    ),
    pytest.param(
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": True}, "B": END}},
        ("SCHEMA_VALIDATION_FAILED", "/States/A/End"),
        id="next_and_end_together",
    ),
    pytest.param(
        machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}),
        ("MISSING_END_STATE", "/States"),
        id="no_terminal_state",
    ),
    pytest.param(
        machine({"A": {"Type": "Pass", "End": True}, "B": END}),
        ("SCHEMA_VALIDATION_FAILED", "/States/B"),
        id="unreachable_state",
    ),
    pytest.param(
        {"States": {"A": END}},
        ("SCHEMA_VALIDATION_FAILED", ""),
        id="start_at_is_required",
    ),
    pytest.param(
        machine({"A" * 81: END}),
        ("INVALID_STATE_NAME", "/States/" + "A" * 81),
        id="state_name_longer_than_80",
    ),
    pytest.param(
        machine(
            {
                "P": {
                    "Type": "Parallel",
                    "End": True,
                    "Branches": [{"StartAt": "P", "States": {"P": END}}],
                }
            }
        ),
        ("DUPLICATE_STATE_NAME", "/States/P/Branches/0/States/P"),
        id="names_unique_across_nested_scopes",
    ),
    pytest.param(
        '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"}}}',
        ("DUPLICATE_STATE_NAME", "/States/A"),
        id="duplicate_key_in_states_text",
    ),
    pytest.param(
        machine(
            {
                "P": {
                    "Type": "Parallel",
                    "End": True,
                    "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "P"}}}],
                }
            }
        ),
        ("MISSING_TRANSITION_TARGET", "/States/P/Branches/0/States/X/Next"),
        id="branch_cannot_jump_out_of_its_scope",
    ),
    pytest.param(
        machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "End": True,
                    "Retry": [{"ErrorEquals": ["E"], "BackoffRate": 0.5}],
                }
            }
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/T/Retry/0/BackoffRate"),
        id="backoff_rate_at_least_1",
    ),
    pytest.param(
        machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "End": True,
                    "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": -1}],
                }
            }
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/T/Retry/0/MaxAttempts"),
        id="max_attempts_not_negative",
    ),
    pytest.param(
        machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "End": True,
                    "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}],
                }
            }
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/T/Retry/0/ErrorEquals"),
        id="states_all_must_be_last",
    ),
    pytest.param(
        machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "End": True,
                    "Catch": [{"ErrorEquals": ["States.ALL", "E"], "Next": "T"}],
                }
            }
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/T/Catch/0/ErrorEquals"),
        id="states_all_must_be_alone",
    ),
    pytest.param(
        machine({"W": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/W/SecondsPath"),
        id="wait_has_one_time_field",
    ),
    pytest.param(
        machine({"W": {"Type": "Wait", "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/W"),
        id="wait_needs_a_time_field",
    ),
    pytest.param(
        machine({"W": {"Type": "Wait", "Timestamp": "2016-13-05T21:29:29Z", "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/W/Timestamp"),
        id="wait_timestamp_is_rfc3339",
    ),
    pytest.param(
        machine(
            {"T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:query", "End": True}}
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/T/Resource"),
        id="unknown_optimized_integration",
    ),
    pytest.param(
        machine({"T": {"Type": "Task", "Resource": "module:hello", "End": True}}),
        ("INVALID_RESOURCE", "/States/T/Resource"),
        id="resource_must_be_an_arn",
    ),
    pytest.param(
        machine(
            {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish.sync", "End": True}}
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/T/Resource"),
        id="sns_has_no_sync_pattern",
    ),
    pytest.param(
        machine({"P": {"Type": "Pass", "Parameters": {"a.$": "nope"}, "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/P/Parameters/a.$"),
        id="dollar_key_needs_a_path",
    ),
    pytest.param(
        machine({"P": {"Type": "Pass", "Parameters": {"a.$": "States.MathAdd(1)"}, "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/P/Parameters/a.$"),
        id="intrinsic_arity",
    ),
    pytest.param(
        machine({"P": {"Type": "Pass", "Parameters": {"a": 1, "a.$": "$.a"}, "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/P/Parameters/a.$"),
        id="template_keys_collide_without_dollar",
    ),
    pytest.param(
        machine({"P": {"Type": "Pass", "ResultPath": "$.a[*]", "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/P/ResultPath"),
        id="result_path_is_a_reference_path",
    ),
    pytest.param(
        machine(
            {"P": {"Type": "Pass", "QueryLanguage": "JSONata", "OutputPath": "$.a", "End": True}}
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/P/OutputPath"),
        id="jsonpath_field_in_jsonata_state",
    ),
    pytest.param(
        machine({"P": {"Type": "Pass", "Output": {"a": "{% $x %}"}, "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/P/Output"),
        id="jsonata_field_in_jsonpath_state",
    ),
    pytest.param(
        machine(
            {"P": {"Type": "Pass", "Output": "{% 10 + * 2 %}", "End": True}},
            QueryLanguage="JSONata",
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/P/Output"),
        id="jsonata_syntax",
    ),
    pytest.param(
        machine(
            {"P": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}},
            QueryLanguage="JSONata",
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/P"),
        id="no_jsonpath_state_in_a_jsonata_machine",
    ),
    pytest.param(
        machine(
            {
                "M": {
                    "Type": "Map",
                    "Label": "a;b",
                    "End": True,
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "I",
                        "States": {"I": END},
                    },
                }
            }
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/M/Label"),
        id="map_label_characters",
    ),
    pytest.param(
        machine(
            {
                "M": {
                    "Type": "Map",
                    "ToleratedFailurePercentage": 101,
                    "End": True,
                    "ItemProcessor": {"StartAt": "I", "States": {"I": END}},
                }
            }
        ),
        ("SCHEMA_VALIDATION_FAILED", "/States/M/ToleratedFailurePercentage"),
        id="tolerated_failure_percentage_at_most_100",
    ),
    pytest.param(
        machine({"T": {"Type": "Task", "Resource": LAMBDA, "Credentials": {}, "End": True}}),
        ("SCHEMA_VALIDATION_FAILED", "/States/T/Credentials"),
        id="credentials_need_role_arn",
    ),
    pytest.param("not a definition", ("INVALID_JSON_DESCRIPTION", ""), id="not_json"),
    pytest.param("[1, 2]", ("SCHEMA_VALIDATION_FAILED", ""), id="not_an_object"),
    pytest.param("", ("SCHEMA_VALIDATION_FAILED", ""), id="empty_text"),
]


@pytest.mark.parametrize(("definition", "expected"), ERROR_CASES)
def test_error_is_reported_at_its_location(definition: object, expected: tuple[str, str]) -> None:
    result = validate(definition)
    assert result.result == "FAIL"
    assert expected in codes(result.diagnostics), result.to_dict()


def test_express_forbids_callback_and_sync_patterns() -> None:
    definition = machine(
        {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "End": True,
            }
        }
    )
    assert validate(definition).result == "OK"
    result = validate(definition, machine_type="EXPRESS")
    assert ("SCHEMA_VALIDATION_FAILED", "/States/T/Resource") in codes(result.diagnostics)
    assert "'.waitForTaskToken'" in result.diagnostics[0].message


def test_every_problem_is_reported_in_one_pass() -> None:
    definition = machine(
        {
            "A": {"Type": "Pass", "Next": "missing"},
            "B": {"Type": "Task", "Resource": "nope", "End": True},
            "C": {"Type": "Wait", "End": True},
        }
    )
    found = {d.code for d in validate(definition).diagnostics}
    assert {"MISSING_TRANSITION_TARGET", "INVALID_RESOURCE", "SCHEMA_VALIDATION_FAILED"} <= found


WARNING_CASES = [
    pytest.param(
        machine({"P": {"Type": "Pass", "Parameters": {"a": "$.x"}, "End": True}}),
        ("NO_DOLLAR", "/States/P/Parameters/a"),
        id="no_dollar",
    ),
    pytest.param(
        machine({"F": {"Type": "Fail", "Cause": "$.cause"}}),
        ("NO_PATH", "/States/F/Cause"),
        id="no_path",
    ),
    pytest.param(
        machine({"P": {"Type": "Pass", "Result": {"a.$": "$.x"}, "End": True}}),
        ("PASS_RESULT_IS_STATIC", "/States/P/Result/a.$"),
        id="pass_result_is_static",
    ),
    pytest.param(
        machine(
            {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "D"}],
                },
                "D": END,
            }
        ),
        ("PHALANX_CHOICE_NO_DEFAULT", "/States/C"),
        id="choice_without_default",
    ),
    pytest.param(
        machine({"T": {"Type": "Task", "Resource": LAMBDA, "End": True}}),
        ("PHALANX_LAMBDA_NO_RETRY", "/States/T"),
        id="lambda_without_retry",
    ),
    pytest.param(
        machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "End": True,
                    "Retry": [{"ErrorEquals": ["States.TimeOut"]}],
                }
            }
        ),
        ("PHALANX_UNKNOWN_STATES_ERROR", "/States/T/Retry/0/ErrorEquals/0"),
        id="misspelt_states_error",
    ),
    pytest.param(
        machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "End": True,
                }
            }
        ),
        ("PHALANX_CALLBACK_NO_TIMEOUT", "/States/T"),
        id="callback_without_timeout",
    ),
]


@pytest.mark.parametrize(("definition", "expected"), WARNING_CASES)
def test_warning_is_reported_without_failing(definition: object, expected: tuple[str, str]) -> None:
    result = validate(definition, severity="WARNING")
    assert result.result == "OK"
    assert expected in codes(result.diagnostics, "WARNING"), result.to_dict()


def test_express_wait_longer_than_five_minutes_is_flagged() -> None:
    definition = machine({"W": {"Type": "Wait", "Seconds": 600, "End": True}})
    assert not validate(definition, severity="WARNING").warnings
    result = validate(definition, machine_type="EXPRESS", severity="WARNING")
    assert [d.code for d in result.warnings] == ["PHALANX_EXPRESS_LONG_WAIT"]


def test_phalanx_warnings_can_be_ignored_and_errors_cannot() -> None:
    definition = machine({"T": {"Type": "Task", "Resource": LAMBDA, "Next": "gone"}})
    assert "PHALANX_LAMBDA_NO_RETRY" in {
        d.code for d in validate(definition, severity="WARNING").diagnostics
    }
    result = validate(
        definition,
        severity="WARNING",
        ignore={"PHALANX_LAMBDA_NO_RETRY", "MISSING_TRANSITION_TARGET"},
    )
    found = {d.code for d in result.diagnostics}
    assert "MISSING_TRANSITION_TARGET" in found
    assert "PHALANX_LAMBDA_NO_RETRY" not in found
    assert set(PHALANX_CODES) >= {"PHALANX_LAMBDA_NO_RETRY"}


def test_severity_error_hides_warnings_and_max_results_truncates() -> None:
    states = {f"S{i}": {"Type": "Pass", "Next": "missing"} for i in range(5)}
    result = validate(machine(states), max_results=2)
    assert len(result.diagnostics) == 2 and result.truncated
    warned = machine({"T": {"Type": "Task", "Resource": LAMBDA, "End": True}})
    assert validate(warned).diagnostics == ()  # AWS's default severity is ERROR
    assert validate(warned, severity="ERROR").diagnostics == ()
    assert validate(warned, severity="WARNING").diagnostics != ()


def test_placeholders_are_valid_substitutions_when_asked() -> None:
    definition = machine(
        {
            "T": {
                "Type": "Task",
                "Resource": "${FnArn}",
                "Parameters": {"${Key}": "${Value}"},
                "Next": "W",
            },
            "W": {"Type": "Wait", "Seconds": "${Delay}", "End": True},
        }
    )
    assert validate(definition).result == "FAIL"
    assert validate(definition, placeholders=True).result == "OK"


def test_result_has_aws_shape() -> None:
    data = validate('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}').to_dict()
    assert set(data) == {"result", "diagnostics", "truncated"}
    assert data["result"] == "FAIL"
    assert set(data["diagnostics"][0]) == {"severity", "code", "message", "location"}
    json.dumps(data)


def test_a_model_is_validated_through_to_asl() -> None:
    class Model:
        def to_asl(self) -> dict[str, Any]:
            return machine({"A": END})

    assert validate(Model()).result == "OK"


def test_valid_jsonata_machine() -> None:
    definition = machine(
        {
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                "Assign": {"total": "{% $sum($states.result.Payload.items.(price * qty)) %}"},
                "Output": "{% $states.result.Payload %}",
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 3}],
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $total > 100 %}", "Next": "Big"}],
                "Default": "Big",
            },
            "Big": {"Type": "Succeed", "Output": "{% {'total': $total} %}"},
        },
        QueryLanguage="JSONata",
    )
    assert validate(definition).to_dict() == {"result": "OK", "diagnostics": [], "truncated": False}


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        pytest.param("$.[0].body", True, id="jayway_dot_before_bracket"),
        pytest.param("$.Labels[?(@.Name==Receipt)]", True, id="unquoted_filter_operand"),
        pytest.param("$$.Execution.Name ", True, id="trailing_blank"),
        pytest.param("$myVariable.field", True, id="variable"),
        pytest.param("States.MathAdd($.a, 1)", True, id="intrinsic"),
        pytest.param("States.MathAdd(1, '-1')", False, id="intrinsic_literal_of_wrong_type"),
        pytest.param("States.Format('{}', States.ArrayLength($.a))", True, id="nested_intrinsic"),
        pytest.param("States.Nope($.a)", False, id="unknown_intrinsic"),
        pytest.param("$.a[", False, id="unclosed_bracket"),
        pytest.param("a.b", False, id="no_dollar"),
    ],
)
def test_dollar_key_values(value: str, ok: bool) -> None:
    result = validate(machine({"P": {"Type": "Pass", "Parameters": {"v.$": value}, "End": True}}))
    assert result.ok is ok, result.to_dict()


def test_python_values_json_cannot_hold_are_reported_not_raised() -> None:
    result = validate(machine({"P": {"Type": "Pass", "Result": object(), "End": True}}))
    assert result.result == "FAIL"
    assert result.diagnostics[0].code == "SCHEMA_VALIDATION_FAILED"


def test_nan_in_json_text_is_not_json() -> None:
    text = '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": NaN, "End": true}}}'
    assert validate(text).diagnostics[0].code == "INVALID_JSON_DESCRIPTION"


def test_a_model_that_cannot_write_itself_is_a_finding() -> None:
    class Broken:
        def to_asl(self) -> dict[str, Any]:
            raise RuntimeError("boom")

    result = validate(Broken())
    assert result.result == "FAIL" and "boom" in result.diagnostics[0].message


def test_the_callers_dict_is_left_untouched() -> None:
    definition = machine({"P": {"Type": "Pass", "End": True}})
    before = json.dumps(definition, sort_keys=True)
    validate(definition)
    assert json.dumps(definition, sort_keys=True) == before


def test_suspicious_query_language_key_inside_states_gets_a_hint() -> None:
    definition = {"StartAt": "A", "States": {"QueryLanguage": "JSONata", "A": END}}
    result = validate(definition)
    assert any(
        d.location == "/States/QueryLanguage" and "belongs beside StartAt" in d.message
        for d in result.diagnostics
    )


def test_a_repeated_key_outside_states_is_a_schema_error() -> None:
    text = (
        '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,'
        ' "Parameters": {"States": {"a": 1, "a": 2}}}}}'
    )
    result = validate(text)
    assert [(d.code, d.location) for d in result.diagnostics] == [
        ("SCHEMA_VALIDATION_FAILED", "/States/P/Parameters/States/a")
    ]
