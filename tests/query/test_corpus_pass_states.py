"""Recorded AWS executions of one-state Pass machines, replayed through `query` alone.

A Pass state with only path fields is pure data flow, so its AWS outcome is
decided by this package: InputPath -> Parameters -> ResultPath -> OutputPath
(JSONPath), or Output (JSONata). Every such case of the conformance corpus
runs here; the rule is general, no case is special-cased. Masked values in the
recording (`<uuid:1>`, `"date"`, ...) match anything.
"""

from __future__ import annotations

import glob
import json
import os
import re
from typing import Any

import pytest

from phalanx.errors import StatesError
from phalanx.query import jsonata, jsonpath, payload
from tests.corpora import shared

CORPUS = str(shared("conformance"))
JSONPATH_FIELDS = {"Type", "End", "Comment", "InputPath", "Parameters", "ResultPath", "OutputPath"}
JSONATA_FIELDS = {"Type", "End", "Comment", "Output", "QueryLanguage"}
STATE_PREFIX = re.compile(
    r"^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. "
)


def _cases() -> list[Any]:
    params = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.json"))):
        with open(path) as handle:
            case = json.load(handle)
        states = case["definition"].get("States", {})
        if len(states) != 1:
            continue
        (state,) = states.values()
        language = state.get("QueryLanguage", case["definition"].get("QueryLanguage", "JSONPath"))
        fields = JSONATA_FIELDS if language == "JSONata" else JSONPATH_FIELDS
        if state.get("Type") != "Pass" or not set(state) <= fields:
            continue
        if case["expected"]["status"] not in ("SUCCEEDED", "FAILED"):
            continue
        params.append(pytest.param(case, language, id=case["name"]))
    return params


CASES = _cases()


def _context(case: dict[str, Any]) -> dict[str, Any]:
    """The context object as AWS records it for a Pass state (corpus context_object/)."""
    name = case.get("execution_name", "u0000")
    return {
        "Execution": {
            "Id": f"arn:aws:states:us-east-1:111111111111:execution:sm:{name}",
            "Input": case["input"],
            "StartTime": "2024-01-01T00:00:00.000Z",
            "Name": name,
            "RoleArn": "arn:aws:iam::111111111111:role/snf_role",
            "RedriveCount": 0,
        },
        "StateMachine": {
            "Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm",
            "Name": "sm",
        },
        "State": {"Name": next(iter(case["definition"]["States"])), "EnteredTime": "2024-01-01"},
    }


def _run_jsonpath(state: dict[str, Any], data: Any, context: Any) -> Any:
    effective = data
    if "InputPath" in state:
        effective = (
            {}
            if state["InputPath"] is None
            else jsonpath.evaluate(state["InputPath"], data, context=context)
        )
    result = effective
    if "Parameters" in state:
        result = payload.evaluate_template(state["Parameters"], effective, context=context)
    output = jsonpath.set_result_path(data, result, state.get("ResultPath", "$"))
    if "OutputPath" in state:
        output = (
            {}
            if state["OutputPath"] is None
            else jsonpath.evaluate(state["OutputPath"], output, context=context)
        )
    return output


def _matches(expected: Any, actual: Any, masks: set[str]) -> bool:
    """JSON equality where `<token>`s and masked strings in `expected` match any text."""
    if isinstance(expected, str):
        if expected in masks:
            return True
        wildcards = [r"<[^<>]*>", *map(re.escape, sorted(masks))]
        parts = re.split("|".join(wildcards), expected)
        pattern = ".*".join(re.escape(part) for part in parts)
        return isinstance(actual, str) and re.fullmatch(pattern, actual, re.DOTALL) is not None
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(_matches(expected[k], actual[k], masks) for k in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(_matches(e, a, masks) for e, a in zip(expected, actual, strict=True))
        )
    return type(expected) is type(actual) and bool(expected == actual)


@pytest.mark.parametrize(
    ("expected", "actual", "masks", "verdict"),
    [
        pytest.param("abc", "abc", set(), True, id="equal"),
        pytest.param("abc", "abd", set(), False, id="different"),
        pytest.param("id-<uuid:1>", "id-42", set(), True, id="token"),
        pytest.param("date", "2024", {"date"}, True, id="whole-value-mask"),
        pytest.param("arn:snf_role_arn", "arn:x", {"snf_role_arn"}, True, id="substring-mask"),
        pytest.param(1, 1.0, set(), False, id="int-is-not-float"),
        pytest.param({"a": [1]}, {"a": [1], "b": 2}, set(), False, id="extra-key"),
    ],
)
def test_matches_helper(expected: Any, actual: Any, masks: set[str], verdict: bool) -> None:
    assert _matches(expected, actual, masks) is verdict


@pytest.mark.parametrize(("case", "language"), CASES)
def test_one_state_pass_machine_matches_aws(case: dict[str, Any], language: str) -> None:
    (state,) = case["definition"]["States"].values()
    context = _context(case)
    expected = case["expected"]
    recorded = case.get("expected_masks", {})
    masks = set(recorded.get("values", [])) | set(recorded.get("substrings", []))
    try:
        if language == "JSONata":
            bindings = {"states": {"input": case["input"], "context": context}}
            output = jsonata.evaluate_template(state.get("Output", "{% $states.input %}"), bindings)
        else:
            output = _run_jsonpath(state, case["input"], context)
    except StatesError as error:
        assert expected["status"] == "FAILED", f"AWS succeeded, we failed: {error}"
        assert error.error == expected["error"]
        assert _matches(STATE_PREFIX.sub("", expected["cause"]), error.cause, masks)
        return
    assert expected["status"] == "SUCCEEDED", f"AWS failed with {expected.get('cause')}"
    assert _matches(expected["output"], output, masks), output
