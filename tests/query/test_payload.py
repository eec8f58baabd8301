"""Payload templates: `.$` keys take paths or intrinsics; AWS's not-found cause."""

from __future__ import annotations

from typing import Any

import pytest

from phalanx.errors import QuerySyntaxError, StatesError
from phalanx.query.jsonpath import PathNotFound
from phalanx.query.payload import evaluate_path, evaluate_template, not_found_cause

DATA = {"user": {"id": 7, "tags": ["a", "b"]}, "n": 1}
CONTEXT = {"Execution": {"Id": "exec-1", "Input": {"x": 1}}, "Map": {"Item": {"Value": 9}}}
VARIABLES = {"bucket": "test-name", "cfg": {"depth": 2}}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        pytest.param({}, {}, id="empty"),
        pytest.param({"kind": "user"}, {"kind": "user"}, id="static-values-copied"),
        pytest.param({"id.$": "$.user.id"}, {"id": 7}, id="path-drops-suffix"),
        pytest.param({"all.$": "$"}, {"all": DATA}, id="whole-input"),
        pytest.param({"tags.$": "$.user.tags[*]"}, {"tags": ["a", "b"]}, id="indefinite-path-list"),
        pytest.param({"none.$": "$.user.missing[*]"}, {"none": []}, id="indefinite-path-empty"),
        pytest.param({"exec.$": "$$.Execution.Id"}, {"exec": "exec-1"}, id="context-path"),
        pytest.param({"value.$": "$$.Map.Item.Value"}, {"value": 9}, id="map-item-value"),
        pytest.param({"b.$": "$bucket"}, {"b": "test-name"}, id="variable"),
        pytest.param({"d.$": "$cfg.depth"}, {"d": 2}, id="variable-path"),
        pytest.param(
            {"bucketName": "$bucket"}, {"bucketName": "$bucket"}, id="no-suffix-means-literal"
        ),
        pytest.param(
            {"msg.$": "States.Format('user {}', $.user.id)"}, {"msg": "user 7"}, id="intrinsic"
        ),
        pytest.param(
            {"outer": {"inner.$": "$.n", "k": [1, {"x.$": "$.n"}]}},
            {"outer": {"inner": 1, "k": [1, {"x": 1}]}},
            id="nested-objects-and-arrays",
        ),
        pytest.param([{"a.$": "$.n"}, "s"], [{"a": 1}, "s"], id="array-at-top"),
        pytest.param("plain", "plain", id="scalar-template"),
        pytest.param(
            {"n": None, "f": 1.5, "b": False}, {"n": None, "f": 1.5, "b": False}, id="scalars"
        ),
    ],
)
def test_evaluate_template(template: Any, expected: Any) -> None:
    result = evaluate_template(template, DATA, context=CONTEXT, variables=VARIABLES)
    assert result == expected


def test_template_is_not_modified() -> None:
    template = {"a.$": "$.n", "b": {"c.$": "$.n"}}
    evaluate_template(template, DATA)
    assert template == {"a.$": "$.n", "b": {"c.$": "$.n"}}


@pytest.mark.parametrize(
    ("template", "path", "key"),
    [
        pytest.param({"value.$": "$.no_such_jsonpath"}, "$.no_such_jsonpath", "value.$", id="path"),
        pytest.param(
            {"value.$": "$$.Execution.Input.no_such_jsonpath"},
            "$$.Execution.Input.no_such_jsonpath",
            "value.$",
            id="context-path",
        ),
        pytest.param({"o": {"deep.$": "$.user.nope"}}, "$.user.nope", "deep.$", id="nested-key"),
        pytest.param(
            {"h.$": "States.Hash($.missing, 'SHA-256')"},
            "$.missing",
            "h.$",
            id="intrinsic-argument",
        ),
        pytest.param({"v.$": "$nosuchvar"}, "$nosuchvar", "v.$", id="unknown-variable"),
    ],
)
def test_path_not_found_gives_aws_cause(template: Any, path: str, key: str) -> None:
    with pytest.raises(StatesError) as raised:
        evaluate_template(template, DATA, context=CONTEXT, variables=VARIABLES)
    assert raised.value.error == "States.Runtime"
    assert raised.value.cause == (
        f"The JSONPath '{path}' specified for the field '{key}' could not be found in the "
        f'input \'{{"user":{{"id":7,"tags":["a","b"]}},"n":1}}\''
    )


def test_not_found_cause_quotes_input_as_compact_json() -> None:
    cause = not_found_cause("$.x", "x.$", {"a": "é", "b": [1, 2]})
    assert cause == (
        "The JSONPath '$.x' specified for the field 'x.$' could not be found in the input "
        '\'{"a":"é","b":[1,2]}\''
    )


def test_intrinsic_argument_failure_passes_through() -> None:
    with pytest.raises(StatesError) as raised:
        evaluate_template({"x.$": "States.ArrayLength($.n)"}, DATA)
    assert raised.value.cause == "Invalid arguments in States.ArrayLength"


@pytest.mark.parametrize(
    "template",
    [
        pytest.param({"x.$": 1}, id="number"),
        pytest.param({"x.$": "not a path"}, id="not-a-path"),
        pytest.param({"x.$": "States.Nope()"}, id="unknown-intrinsic"),
    ],
)
def test_bad_dynamic_value_raises_query_syntax_error(template: Any) -> None:
    with pytest.raises(QuerySyntaxError):
        evaluate_template(template, DATA)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("$.user.id", 7, id="path"),
        pytest.param("$$.Execution.Id", "exec-1", id="context-path"),
        pytest.param("States.Format('id {}', $.user.id)", "id 7", id="intrinsic"),
    ],
)
def test_evaluate_path_reads_a_path_or_an_intrinsic(expression: str, expected: Any) -> None:
    data = {"user": {"id": 7}}
    context = {"Execution": {"Id": "exec-1"}}
    assert evaluate_path(expression, data, context=context) == expected


def test_evaluate_path_leaves_the_missing_path_to_the_caller() -> None:
    with pytest.raises(PathNotFound):
        evaluate_path("$.nothing", {"a": 1})
