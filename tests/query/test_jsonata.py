"""JSONata as Step Functions runs it: delimiters, $states, AWS functions, AWS causes."""

from __future__ import annotations

import contextlib
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phalanx.errors import QuerySyntaxError, StatesError
from phalanx.query import jsonata
from phalanx.query.intrinsics import Sources

BINDINGS = {
    "states": {
        "input": {"values": [1, 2, 3], "name": "Ada", "nothing": None, "json": '{"a": [1]}'},
        "context": {"Execution": {"Id": "exec-1"}},
    },
    "var_constant_1": 1,
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("{% 1 %}", True, id="expression"),
        pytest.param("{%1%}", True, id="no-inner-spaces"),
        pytest.param(" {% 1 %}", False, id="leading-space-is-literal"),
        pytest.param("{% 1 %} ", False, id="trailing-space-is-literal"),
        pytest.param("{% states.input %", False, id="unclosed"),
        pytest.param("{%}", False, id="too-short"),
        pytest.param("$states.input", False, id="bare-text"),
        pytest.param(1, False, id="not-a-string"),
    ],
)
def test_is_expression(value: Any, expected: bool) -> None:
    assert jsonata.is_expression(value) is expected


def test_strip_trims_inner_spaces() -> None:
    delimited = "{%  $x  %}"
    assert jsonata.strip(delimited) == "$x"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("$states.input.name", "Ada", id="states-input"),
        pytest.param("{% $states.input.name %}", "Ada", id="with-delimiters"),
        pytest.param("$states.context.Execution.Id", "exec-1", id="states-context"),
        pytest.param("$sum($states.input.values) + $var_constant_1", 7, id="variable-and-sum"),
        pytest.param("$states.input.nothing", None, id="null-is-a-value"),
        pytest.param("null", None, id="null-literal"),
        pytest.param("1.0", 1, id="integral-number-is-int"),
        pytest.param("1.5", 1.5, id="fraction"),
        pytest.param("[]", [], id="empty-array"),
        pytest.param("[1, 'two', 3]", [1, "two", 3], id="array"),
        pytest.param("{'foo': 'bar'}", {"foo": "bar"}, id="object"),
        pytest.param("{'a': $doesNotExist, 'b': 1}", {"b": 1}, id="object-drops-undefined"),
        pytest.param("$variable := 1", 1, id="assignment-yields-value"),
        pytest.param("$contains('hello$world', /^hello\\$/)", True, id="regex-escaped-dollar"),
        pytest.param("$contains('hello$world', /^hello\\ /)", False, id="regex-escaped-space"),
        pytest.param("$merge([{'a': 1}, {'b': 2}])", {"a": 1, "b": 2}, id="merge"),
        pytest.param("$number('2')", 2, id="number"),
        pytest.param("$states.input.values[$ > 1]", [2, 3], id="filter"),
        # AWS's added functions
        pytest.param("$partition([1, 2, 3, 4, 5], 2)", [[1, 2], [3, 4], [5]], id="partition"),
        pytest.param("$partition([0], 1)", [[0]], id="partition-singleton-stays-nested"),
        pytest.param("$range(0, 9, 3)", [0, 3, 6, 9], id="range"),
        pytest.param("$range(1, 9, 9)", 1, id="range-singleton-sequence-collapses"),
        pytest.param("$hash('input data', 'MD5')", "812f45842bc6d66ee14572ce20db8e86", id="hash"),
        pytest.param("$parse($states.input.json)", {"a": [1]}, id="parse"),
        pytest.param("$parse('-0')", 0, id="parse-minus-zero"),
        pytest.param("$parse('\"HelloWorld\"')", "HelloWorld", id="parse-string"),
    ],
)
def test_evaluate(expression: str, expected: Any) -> None:
    assert jsonata.evaluate(expression, BINDINGS) == expected


def test_random_and_uuid_use_injected_sources() -> None:
    sources = Sources(rng=random.Random(1), new_uuid=lambda: "fixed")
    first = jsonata.evaluate("$random()", {}, sources=sources)
    assert first == random.Random(1).random()
    assert jsonata.evaluate("$uuid()", {}, sources=sources) == "fixed"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("$v", None, id="bare-variable"),
        pytest.param("[$v, 1]", [None, 1], id="inside-an-array"),
        pytest.param("$v = null", True, id="equals-null"),
        pytest.param("$exists($v)", True, id="exists"),
        pytest.param("$type($v)", "null", id="type-is-null"),
    ],
)
def test_variable_holding_null_reads_as_null(expression: str, expected: Any) -> None:
    # AWS reads null (corpus scenarios/test_map_state_items_variable_sampling_null).
    assert jsonata.evaluate(expression, {"v": None}, field="Items") == expected


def test_unbound_variable_is_still_undefined() -> None:
    with pytest.raises(StatesError, match="returned nothing"):
        jsonata.evaluate("$v", {"w": None})


def test_now_and_millis_read_the_injected_clock() -> None:
    sources = Sources(now=lambda: 1_700_000_000.25)
    assert jsonata.evaluate("$millis()", {}, sources=sources) == 1_700_000_000_250
    assert jsonata.evaluate("$now()", {}, sources=sources) == "2023-11-14T22:13:20.250Z"
    assert jsonata.evaluate("$now('[Y0001]-[M01]-[D01]')", {}, sources=sources) == "2023-11-14"
    assert jsonata.evaluate("$now('[H01]:[m01]', '+0100')", {}, sources=sources) == "23:13"


def test_now_is_read_once_per_evaluation() -> None:
    ticks = iter([1.0, 2.0])
    sources = Sources(now=lambda: next(ticks))
    assert jsonata.evaluate("[$millis(), $millis(), $now()]", {}, sources=sources) == [
        1000,
        1000,
        "1970-01-01T00:00:01.000Z",
    ]
    assert jsonata.evaluate("$millis()", {}, sources=sources) == 2000


def test_now_without_a_clock_source_reads_the_machine_clock() -> None:
    sources = Sources(rng=random.Random(1))  # no `now`: JSONata's default
    millis = jsonata.evaluate("$millis()", {}, sources=sources)
    assert millis > 1_700_000_000_000  # the machine's clock, not the epoch
    assert isinstance(jsonata.evaluate("$now()", {}), str)


def test_seeded_random_is_repeatable() -> None:
    values = {jsonata.evaluate("$random(42)", {}) for _ in range(3)}
    assert len(values) == 1
    (value,) = values
    assert 0 <= value < 1


@pytest.mark.parametrize(
    ("expression", "field", "cause"),
    [
        pytest.param(
            "$doesNotExist",
            "Output/result",
            "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
            "returned nothing (undefined).",
            id="undefined",
        ),
        pytest.param(
            "$fn := function($x){$x}",
            "Items",
            "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' "
            "returned an unsupported result type.",
            id="function-result",
        ),
        pytest.param(
            "$range(5, 1, 1)",
            "Output",
            "The JSONata expression '$range(5, 1, 1)' specified for the field 'Output' "
            "returned nothing (undefined).",
            id="empty-range-is-undefined",
        ),
    ],
)
def test_aws_failures_are_query_evaluation_errors(expression: str, field: str, cause: str) -> None:
    with pytest.raises(StatesError) as raised:
        jsonata.evaluate(expression, BINDINGS, field=field)
    assert (raised.value.error, raised.value.cause) == ("States.QueryEvaluationError", cause)


@pytest.mark.parametrize(
    ("expression", "value", "cause_end"),
    [
        pytest.param("true", True, "'boolean' for value: true", id="boolean"),
        pytest.param("null", None, "'null' for value: null", id="null"),
        pytest.param("1", 1, "'number' for value: 1", id="number"),
        pytest.param(
            "{'foo': 'bar'}", {"foo": "bar"}, '\'object\' for value: {"foo":"bar"}', id="object"
        ),
        pytest.param("'string'", "string", "'string' for value: \"string\"", id="string"),
    ],
)
def test_unexpected_type_cause_matches_aws(expression: str, value: Any, cause_end: str) -> None:
    # corpus scenarios/test_map_state_items_eval_jsonata_fail
    error = jsonata.unexpected_type(expression, "Items", "array", value)
    assert error.error == "States.QueryEvaluationError"
    assert error.cause == (
        f"The JSONata expression '{expression}' specified for the field 'Items' returned an "
        f"unexpected result type. Expected 'array', but was {cause_end}"
    )


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("$number('x')", id="library-raises-bare-value-error"),
        pytest.param("1 + 'a'", id="type-error"),
        pytest.param("$eval('1')", id="eval-is-not-available"),
        pytest.param("$partition([1], 0)", id="aws-function-bad-arguments"),
        pytest.param("$hash('x', 'SHA256')", id="hash-bad-algorithm"),
        pytest.param("$parse('{bad')", id="parse-bad-json"),
        pytest.param("$range(1, 2001, 1)", id="range-over-limit"),
    ],
)
def test_evaluation_errors_are_query_evaluation_errors(expression: str) -> None:
    with pytest.raises(StatesError) as raised:
        jsonata.evaluate(expression, BINDINGS, field="Arguments/x")
    assert raised.value.error == "States.QueryEvaluationError"
    assert raised.value.cause.startswith(
        f"The JSONata expression '{expression}' specified for the field 'Arguments/x' "
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        pytest.param("{% $states.input.name %}", "Ada", id="whole-value"),
        pytest.param("plain", "plain", id="plain-string"),
        pytest.param(" {% states.input %} ", " {% states.input %} ", id="spaced-is-literal"),
        pytest.param("$states.input", "$states.input", id="path-like-literal"),
        pytest.param({"k.$": "$.x"}, {"k.$": "$.x"}, id="dollar-suffix-is-not-special"),
        pytest.param(
            [None, 0, 0.1, True, "s", [], "{% $states.input.name %}", {"key": "{% true %}"}],
            [None, 0, 0.1, True, "s", [], "Ada", {"key": True}],
            id="list-with-everything",
        ),
        pytest.param({"a": {"b": "{% 1 + 1 %}"}}, {"a": {"b": 2}}, id="nested"),
    ],
)
def test_evaluate_template(template: Any, expected: Any) -> None:
    assert jsonata.evaluate_template(template, BINDINGS) == expected


@pytest.mark.parametrize(
    ("template", "field", "named"),
    [
        pytest.param({"result": "{% $doesNotExist %}"}, "Output", "Output/result", id="object-key"),
        pytest.param(
            {"Payload": {"id": "{% $nope %}"}}, "Arguments", "Arguments/Payload/id", id="nested-key"
        ),
        pytest.param("{% $nope %}", "Arguments", "Arguments", id="whole-field"),
    ],
)
def test_template_failure_names_the_field_path(template: Any, field: str, named: str) -> None:
    with pytest.raises(StatesError) as raised:
        jsonata.evaluate_template(template, BINDINGS, field=field)
    assert f"specified for the field '{named}' returned nothing" in raised.value.cause


@pytest.mark.parametrize(
    ("expression", "position"),
    [
        pytest.param("1 +", 3, id="unexpected-end"),
        pytest.param("", 0, id="empty"),
        pytest.param("   ", 0, id="blank"),
        pytest.param("$x ?? 1", 3, id="coalescing-is-jsonata-2-1"),
        pytest.param("$x ?: 1", 3, id="elvis-is-jsonata-2-1"),
    ],
)
def test_check_syntax_rejects(expression: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        jsonata.check_syntax(expression)
    assert raised.value.position == position


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("'a ?? b'", id="operator-inside-string"),
        pytest.param("$x ? 1 : 2", id="conditional"),
        pytest.param("$match('ab', /a??/)", id="lazy-quantifier-in-regex"),
        pytest.param("/* ?? */ 1", id="operator-inside-comment"),
        pytest.param("$states.input.a", id="path"),
    ],
)
def test_check_syntax_accepts(expression: str) -> None:
    jsonata.check_syntax(expression)


@given(st.text(max_size=30))
def test_check_syntax_random_text_parses_or_raises_query_syntax_error(text: str) -> None:
    with contextlib.suppress(QuerySyntaxError):
        jsonata.check_syntax(text)


@given(st.text(alphabet="$.[]{}()'\"?:=<>!&|+-*/%,;~^ 0123456789abxyz", max_size=25))
def test_check_syntax_expression_like_text_parses_or_raises_query_syntax_error(text: str) -> None:
    with contextlib.suppress(QuerySyntaxError):
        jsonata.check_syntax(text)
