"""The builder writes the ASL the AWS documentation gives for each construct."""

from __future__ import annotations

from typing import Any

import pytest

import phalanx
from phalanx import (
    DISCARD,
    Branch,
    Choice,
    DefinitionError,
    Fail,
    Map,
    Parallel,
    Pass,
    StateMachine,
    States,
    Succeed,
    Task,
    Wait,
    jsonata,
    path,
)
from phalanx.asl import COMPARISON_OPERATORS, conditions
from phalanx.asl.conditions import is_present, numeric_greater_than, string_equals

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f"


def _asl(*states: Any, **options: Any) -> dict[str, Any]:
    return StateMachine.of(*states, **options).to_asl()


def _state(state: Any) -> dict[str, Any]:
    return _asl(state)["States"][state.name]


STATES = [
    pytest.param(Pass("p"), {"Type": "Pass", "End": True}, id="pass"),
    pytest.param(
        Pass("p", result={"a": 1}, result_path="$.r"),
        {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.r", "End": True},
        id="pass-result",
    ),
    pytest.param(
        Task("t", LAMBDA, timeout_seconds=30, heartbeat_seconds=10),
        {
            "Type": "Task",
            "Resource": LAMBDA,
            "TimeoutSeconds": 30,
            "HeartbeatSeconds": 10,
            "End": True,
        },
        id="task",
    ),
    pytest.param(
        Task("t", LAMBDA, result_path=DISCARD),
        {"Type": "Task", "Resource": LAMBDA, "ResultPath": None, "End": True},
        id="task-discard-result",
    ),
    pytest.param(
        Task(
            "t",
            "arn:aws:states:::lambda:invoke",
            parameters={"FunctionName": LAMBDA, "Payload": path("$")},
        ),
        {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": LAMBDA, "Payload.$": "$"},
            "End": True,
        },
        id="task-lambda-invoke",
    ),
    pytest.param(Wait("w", seconds=3), {"Type": "Wait", "Seconds": 3, "End": True}, id="wait"),
    pytest.param(
        Wait("w", timestamp_path="$.at"),
        {"Type": "Wait", "TimestampPath": "$.at", "End": True},
        id="wait-path",
    ),
    pytest.param(
        Succeed("s", output_path="$.x"), {"Type": "Succeed", "OutputPath": "$.x"}, id="succeed"
    ),
    pytest.param(
        Fail("f", error="Oops", cause="bad"),
        {"Type": "Fail", "Error": "Oops", "Cause": "bad"},
        id="fail",
    ),
    pytest.param(
        Fail("f", error_path="$.e", cause_path="$.c"),
        {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"},
        id="fail-paths",
    ),
    pytest.param(
        Parallel("par", [Branch.of(Pass("a")), Branch.of(Pass("b"))]),
        {
            "Type": "Parallel",
            "End": True,
            "Branches": [
                {"StartAt": "a", "States": {"a": {"Type": "Pass", "End": True}}},
                {"StartAt": "b", "States": {"b": {"Type": "Pass", "End": True}}},
            ],
        },
        id="parallel",
    ),
    pytest.param(
        Map(
            "m",
            item_processor=Branch.of(Pass("i")),
            items_path="$.items",
            max_concurrency=2,
            item_selector={"v": path("$$.Map.Item.Value")},
        ),
        {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 2,
            "ItemSelector": {"v.$": "$$.Map.Item.Value"},
            "End": True,
            "ItemProcessor": {"StartAt": "i", "States": {"i": {"Type": "Pass", "End": True}}},
        },
        id="map",
    ),
    pytest.param(
        Map(
            "m",
            item_processor=Branch.of(
                Pass("i"), processor_config={"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
            ),
            item_reader={"Resource": "arn:aws:states:::s3:getObject"},
            item_batcher={"MaxItemsPerBatch": 10},
            tolerated_failure_percentage=5,
            label="L",
        ),
        {
            "Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject"},
            "ItemBatcher": {"MaxItemsPerBatch": 10},
            "ToleratedFailurePercentage": 5,
            "Label": "L",
            "End": True,
            "ItemProcessor": {
                "StartAt": "i",
                "States": {"i": {"Type": "Pass", "End": True}},
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            },
        },
        id="map-distributed",
    ),
]


@pytest.mark.parametrize(("state", "expected"), STATES)
def test_state_writes_documented_asl(state: Any, expected: dict[str, Any]) -> None:
    assert _state(state) == expected


def _rule(expression: Any) -> dict[str, Any]:
    choice = Choice("c").when(expression, "c")
    return _asl(choice)["States"]["c"]["Choices"][0]


@pytest.mark.parametrize("operator", COMPARISON_OPERATORS)
def test_every_comparison_operator_has_a_helper_writing_it(operator: str) -> None:
    value: Any = True if operator.startswith("Is") else "$.b"
    helper = conditions.HELPERS[operator]
    assert _rule(helper("$.a", value)) == {"Variable": "$.a", operator: value, "Next": "c"}


def test_helpers_are_named_after_their_operator() -> None:
    assert conditions.numeric_greater_than_equals_path.__name__ == (
        "numeric_greater_than_equals_path"
    )
    assert len(conditions.HELPERS) == 39


def test_python_operators_build_not_and_or() -> None:
    rule = _rule(~numeric_greater_than("$.n", 3) | (is_present("$.s") & string_equals("$.s", "x")))
    assert rule == {
        "Or": [
            {"Not": {"Variable": "$.n", "NumericGreaterThan": 3}},
            {
                "And": [
                    {"Variable": "$.s", "IsPresent": True},
                    {"Variable": "$.s", "StringEquals": "x"},
                ]
            },
        ],
        "Next": "c",
    }


def test_choice_rule_with_assign_output_and_default() -> None:
    choice = (
        Choice("c")
        .when(jsonata("$states.input.n > 1"), "big", assign={"seen": True}, output={"n": 1})
        .otherwise("small")
    )
    state = _asl(choice, Pass("big"), Pass("small"))["States"]["c"]
    assert state == {
        "Type": "Choice",
        "Default": "small",
        "Choices": [
            {
                "Condition": "{% $states.input.n > 1 %}",
                "Assign": {"seen": True},
                "Output": {"n": 1},
                "Next": "big",
            }
        ],
    }


def test_retry_and_catch_are_added_in_order() -> None:
    task = (
        Task("t", LAMBDA)
        .retrying(
            ["Lambda.ServiceException"],
            interval_seconds=2,
            max_attempts=6,
            backoff_rate=2.0,
            max_delay_seconds=60,
            jitter_strategy="FULL",
        )
        .retrying()
        .catching(["States.ALL"], "handle", result_path="$.error")
    )
    state = _asl(task, Pass("handle"))["States"]["t"]
    assert state["Retry"] == [
        {
            "ErrorEquals": ["Lambda.ServiceException"],
            "IntervalSeconds": 2,
            "MaxAttempts": 6,
            "BackoffRate": 2.0,
            "MaxDelaySeconds": 60,
            "JitterStrategy": "FULL",
        },
        {"ErrorEquals": ["States.ALL"]},
    ]
    assert state["Catch"] == [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "handle"}
    ]


def test_next_links_by_name_and_clears_end() -> None:
    a, b = Pass("a").ends(), Pass("b")
    assert a.next(b).next_state == "b"
    assert a.next(b).end is None
    assert b.ends().end is True


def test_states_without_a_transition_end_the_machine() -> None:
    asl = _asl(Pass("a").next("b"), Pass("b"))
    assert asl["States"]["a"] == {"Type": "Pass", "Next": "b"}
    assert asl["States"]["b"] == {"Type": "Pass", "End": True}


def test_machine_options_are_written() -> None:
    asl = _asl(Succeed("s"), comment="hi", timeout_seconds=60, query_language="JSONata")
    assert asl == {
        "Comment": "hi",
        "QueryLanguage": "JSONata",
        "StartAt": "s",
        "TimeoutSeconds": 60,
        "States": {"s": {"Type": "Succeed"}},
    }


def test_start_at_can_be_named() -> None:
    assert _asl(Pass("a"), Pass("b"), start_at="b")["StartAt"] == "b"


def test_unknown_start_is_refused() -> None:
    with pytest.raises(DefinitionError, match="start state 'zz'"):
        StateMachine.of(Pass("a"), start_at="zz")


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(DefinitionError, match="two states are named 'a'"):
        StateMachine.of(Pass("a"), Pass("a"))


def test_duplicate_names_across_nested_scopes_are_refused() -> None:
    with pytest.raises(DefinitionError, match="already used") as raised:
        StateMachine.of(Parallel("a", [Branch.of(Pass("a"))]))
    assert raised.value.location == "/States/a/Branches/0/States/a"


def test_names_default_to_the_type_or_the_function() -> None:
    @phalanx.function
    def add_one(event: Any, context: Any) -> Any:
        return event + 1

    assert Task(resource=add_one).name == "add_one"
    assert Task(resource=LAMBDA).name == "f"
    assert Succeed().name == "Succeed"


def test_payload_templates_mark_dynamic_values() -> None:
    state = _state(
        Pass(
            "p",
            parameters={
                "static": "$.not-a-path",
                "name": path("$.user.name"),
                "greeting": States.Format("Hello {}", path("$.user.name")),
                "nested": {"id": path("$$.Execution.Id"), "list": [{"v": path("$var")}]},
            },
        )
    )
    assert state["Parameters"] == {
        "static": "$.not-a-path",
        "name.$": "$.user.name",
        "greeting.$": "States.Format('Hello {}', $.user.name)",
        "nested": {"id.$": "$$.Execution.Id", "list": [{"v.$": "$var"}]},
    }


INTRINSICS = [
    pytest.param(
        States.Format("It's {} {}", path("$.a"), 3),
        r"States.Format('It\'s {} {}', $.a, 3)",
        id="format-escapes-quote",
    ),
    pytest.param(
        States.Format("a\\b{x}{}"),
        r"States.Format('a\\b\{x\}{}')",
        id="format-escapes-braces-but-not-placeholders",
    ),
    pytest.param(
        States.StringSplit("a{b", "{"),
        r"States.StringSplit('a\{b', '\{')",
        id="literal-escapes-braces",
    ),
    pytest.param(States.MathAdd(path("$.i"), -1), "States.MathAdd($.i, -1)", id="math-add"),
    pytest.param(
        States.Array(1, "two", True, None),
        "States.Array(1, 'two', true, null)",
        id="array-literals",
    ),
    pytest.param(
        States.ArrayGetItem(States.StringSplit(path("$.s"), ","), 0),
        "States.ArrayGetItem(States.StringSplit($.s, ','), 0)",
        id="nested",
    ),
    pytest.param(
        States.JsonMerge(path("$.a"), path("$.b")),
        "States.JsonMerge($.a, $.b, false)",
        id="json-merge-shallow",
    ),
    pytest.param(States.MathRandom(1, 10), "States.MathRandom(1, 10)", id="random"),
    pytest.param(States.MathRandom(1, 10, 7), "States.MathRandom(1, 10, 7)", id="random-seed"),
    pytest.param(States.UUID(), "States.UUID()", id="uuid"),
    pytest.param(States.Hash(path("$.d"), "SHA-256"), "States.Hash($.d, 'SHA-256')", id="hash"),
    pytest.param(States.ArrayRange(1, 9, 2), "States.ArrayRange(1, 9, 2)", id="range"),
]


@pytest.mark.parametrize(("expression", "text"), INTRINSICS)
def test_intrinsic_helpers_write_call_text(expression: str, text: str) -> None:
    assert expression == text


def test_every_intrinsic_function_has_a_helper() -> None:
    names = {name for name in vars(States) if not name.startswith("_")}
    assert names == {
        "Format",
        "StringToJson",
        "JsonToString",
        "Array",
        "ArrayPartition",
        "ArrayContains",
        "ArrayRange",
        "ArrayGetItem",
        "ArrayLength",
        "ArrayUnique",
        "Base64Encode",
        "Base64Decode",
        "Hash",
        "JsonMerge",
        "MathRandom",
        "MathAdd",
        "StringSplit",
        "UUID",
    }


def test_jsonata_machine() -> None:
    task = Task(
        "t",
        LAMBDA,
        arguments={"n": jsonata("$states.input.n")},
        output=jsonata("$states.result"),
        assign={"last": jsonata("$states.result")},
    )
    state = _asl(task, query_language="JSONata")["States"]["t"]
    assert state == {
        "Type": "Task",
        "Resource": LAMBDA,
        "Arguments": {"n": "{% $states.input.n %}"},
        "Output": "{% $states.result %}",
        "Assign": {"last": "{% $states.result %}"},
        "End": True,
    }


def test_builder_and_from_asl_give_the_same_model() -> None:
    built = StateMachine.of(Task("t", LAMBDA).retrying(), Succeed("s"), start_at="t")
    built = StateMachine.of(Task("t", LAMBDA).retrying().next("s"), Succeed("s"))
    read = StateMachine.from_asl(built.to_asl())
    assert read == built


def test_builder_records_where_each_state_was_built() -> None:
    state = Pass("here")
    assert state.defined_at is not None
    assert state.defined_at.file == __file__
    machine = StateMachine.of(state)
    assert machine.locate("/States/here/Result") == state.defined_at
    assert StateMachine.from_asl(machine.to_asl()).states["here"].defined_at is None


def test_chain_links_states_in_sequence_and_keeps_explicit_transitions() -> None:
    asl = _asl(*phalanx.chain(Pass("a"), Task("b", LAMBDA), Pass("c").ends(), Pass("d")))
    states = asl["States"]
    assert states["a"]["Next"] == "b" and states["b"]["Next"] == "c"
    assert states["c"]["End"] is True and states["d"]["End"] is True


def test_error_names_accept_one_string() -> None:
    task = Task("t", LAMBDA).retrying("States.Timeout").catching("States.ALL", "h")
    state = _asl(task, Pass("h"))["States"]["t"]
    assert state["Retry"] == [{"ErrorEquals": ["States.Timeout"]}]
    assert state["Catch"][0]["ErrorEquals"] == ["States.ALL"]


def test_empty_error_names_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one error name"):
        Task("t", LAMBDA).retrying([])


def test_python_boolean_operators_on_conditions_are_refused() -> None:
    with pytest.raises(TypeError, match=r"~, & and \|"):
        Choice("c").when(not is_present("$.a"), "c")


def test_plain_string_condition_is_refused() -> None:
    with pytest.raises(ValueError, match="neither a comparison"):
        Choice("c").when("$.x == 1", "c")


def test_task_without_resource_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match="did you mean Task\\(resource="):
        Task(LAMBDA)


def test_assign_gets_dollar_keys_everywhere() -> None:
    task = Task("t", LAMBDA, assign={"v": path("$.x")}).catching(
        "States.ALL", "c", assign={"e": path("$.Error")}
    )
    choice = Choice("c").when(is_present("$.a"), "t", assign={"a": path("$.a")})
    states = _asl(task, choice)["States"]
    assert states["t"]["Assign"] == {"v.$": "$.x"}
    assert states["t"]["Catch"][0]["Assign"] == {"e.$": "$.Error"}
    assert states["c"]["Choices"][0]["Assign"] == {"a.$": "$.a"}


def test_path_inside_an_array_is_refused() -> None:
    with pytest.raises(TypeError, match=r"States\.Array"):
        Pass("p", parameters={"a": [path("$.x")]})


def test_map_reader_parameters_get_dollar_keys() -> None:
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "b", "Key": path("$.key")},
    }
    state = _state(Map("m", item_processor=Branch.of(Pass("i")), item_reader=reader))
    assert state["ItemReader"]["Parameters"] == {"Bucket": "b", "Key.$": "$.key"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(1e20, "100000000000000000000", id="no-exponent"),
        pytest.param(0.5, "0.5", id="plain"),
    ],
)
def test_intrinsic_floats_are_plain_decimals(value: float, text: str) -> None:
    assert States.MathAdd(value, 1) == f"States.MathAdd({text}, 1)"


def test_intrinsic_refuses_non_finite_numbers() -> None:
    with pytest.raises(ValueError, match="finite"):
        States.MathAdd(float("nan"), 1)
