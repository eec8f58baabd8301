"""replay(): a machine runs as a recorded execution ran; the first difference is named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from phalanx.testing import replay
from phalanx.testing.history import read_history
from tests.corpora import shared
from tests.testing.machines import ARN, ORDERS, as_aws_cli, changed, record

ROOT = shared("conformance")


def _calls_a_task(path: Path) -> bool:
    history = json.loads(path.read_text(encoding="utf-8"))["expected"].get("history") or []
    return any(
        event["type"].startswith(("LambdaFunction", "Task", "Activity"))
        and not event["type"].startswith("TaskState")
        for event in history
    )


# Recorded before AWS added RedriveCount to $$.Execution (docs/engine.md): the
# context object these machines pass to their function lacks it.
_BEFORE_REDRIVE = "recorded before $$.Execution.RedriveCount existed"
_KNOWN = {
    f"scenarios__test_base_scenarios__TestBaseScenarios__test_{name}.json": _BEFORE_REDRIVE
    for name in (
        "lambda_invoke_with_retry_extended_input",
        "lambda_service_invoke_with_retry_extended_input",
    )
}

TASK_CASES = [path for path in sorted(ROOT.glob("*.json")) if _calls_a_task(path)]


def _param(path: Path) -> Any:
    marks = []
    if path.name in _KNOWN:
        marks.append(pytest.mark.xfail(reason=_KNOWN[path.name], strict=True))
    return pytest.param(path, id=path.stem, marks=marks)


def test_the_corpus_has_recorded_executions_with_tasks() -> None:
    assert len(TASK_CASES) >= 70


@pytest.mark.parametrize("path", [_param(path) for path in TASK_CASES])
def test_a_recorded_aws_execution_replays_identical_on_its_own_definition(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    report = replay(case["definition"], case)
    assert report.identical, report.text
    assert report.status == case["expected"]["status"]


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(lambda document: document, id="phalanx-run-json"),
        pytest.param(as_aws_cli, id="aws-cli"),
        pytest.param(lambda document: document["history"], id="bare-events"),
    ],
)
def test_a_recorded_execution_replays_identical_in_every_shape(shape: Any) -> None:
    report = replay(ORDERS, shape(record(amount=150)))
    assert report.text == "identical"


def test_a_retried_failure_is_answered_as_recorded() -> None:
    recorded = record(amount=20)
    types = [event["type"] for event in recorded["history"]]
    assert types.count("LambdaFunctionFailed") == 1
    report = replay(ORDERS, recorded)
    assert report.identical, report.text
    assert [e["type"] for e in report.history] == types


def test_a_changed_choice_threshold_differs_where_the_choice_now_goes_elsewhere() -> None:
    recorded = record(amount=150)
    threshold = ("States", "CheckAmount", "Choices", "0", "NumericGreaterThan")
    report = replay(changed(threshold, 200), recorded)
    assert not report.identical
    difference = report.difference
    assert difference is not None
    assert difference.state == "CheckAmount"
    assert difference.history == 'TaskStateEntered "Review"'
    assert difference.now == 'PassStateEntered "Approve"'
    entered = [e["id"] for e in recorded["history"] if e["type"] == "TaskStateEntered"]
    assert difference.event == entered[-1]


def test_a_changed_result_path_differs_at_the_state_that_writes_it() -> None:
    recorded = record(amount=150)
    report = replay(changed(("States", "Charge", "ResultPath"), "$.payment"), recorded)
    difference = report.difference
    assert difference is not None
    assert difference.state == "Charge"
    assert difference.history.startswith('TaskStateExited output {"amount":150,"charge":')
    assert difference.now.startswith('TaskStateExited output {"amount":150,"payment":')
    exited = next(e for e in recorded["history"] if e["type"] == "TaskStateExited")
    assert difference.event == exited["id"]


def test_a_machine_taking_a_shorter_path_differs_where_the_history_goes_on() -> None:
    recorded = record(amount=150)
    shorter = changed(("States", "Review", "Next"), "Refund")
    report = replay(shorter, recorded)
    difference = report.difference
    assert difference is not None
    assert difference.history == 'SucceedStateEntered "Done"'
    assert difference.now == 'PassStateEntered "Refund"'


def test_the_report_prints_event_state_history_and_now() -> None:
    recorded = record(amount=150)
    threshold = ("States", "CheckAmount", "Choices", "0", "NumericGreaterThan")
    text = replay(changed(threshold, 200), recorded).text
    event = [e["id"] for e in recorded["history"] if e["type"] == "TaskStateEntered"][-1]
    assert text == (
        f'differs at event {event}, state "CheckAmount":\n'
        '  history: TaskStateEntered "Review"\n'
        '  now:     PassStateEntered "Approve"'
    )


def test_masked_values_in_a_corpus_history_match_anything() -> None:
    path = next(p for p in TASK_CASES if "<" in p.read_text(encoding="utf-8"))
    case = json.loads(path.read_text(encoding="utf-8"))
    if path.name in _KNOWN:  # pragma: no cover - the glob order decides
        pytest.skip("a known exception")
    masked = read_history(case)
    assert masked.masks.placeholders
    assert replay(case["definition"], case).identical
    # Without the case's masks, the same events compare exactly and differ.
    assert not replay(case["definition"], {"events": case["expected"]["history"]}).identical


def test_the_replay_runs_on_the_recorded_clock() -> None:
    recorded = record(amount=150, review_seconds=30)
    report = replay(ORDERS, recorded)
    assert report.identical, report.text
    times = [event["timestamp"] for event in recorded["history"]]
    assert [event["timestamp"] for event in report.history] == pytest.approx(times, abs=1e-3)
    assert times[-1] - times[0] == pytest.approx(32, abs=0.1)  # a 2 s backoff, a 30 s review


WAITING: dict[str, Any] = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "ResultPath": "$.answer",
            "Next": "Work",
        },
        "Work": {
            "Type": "Task",
            "Resource": "arn:aws:states:us-east-1:111111111111:activity:crunch",
            "ResultPath": "$.work",
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 5}],
            "End": True,
        },
    },
}


def _record_waiting() -> dict[str, Any]:
    import phalanx
    from phalanx.engine.effects import Callback, CallbackResponse

    tries: list[str] = []

    def answer(request: Callback) -> CallbackResponse:
        if request.activity is None:
            return CallbackResponse(output={"yes": True})
        tries.append(request.token)
        if len(tries) == 1:
            return CallbackResponse(error="Busy", cause="try later", worker="w1")
        return CallbackResponse(output={"done": True}, worker="w2")

    return phalanx.run(WAITING, {"x": 1}, fast=True, callbacks=answer, seed=7).to_dict()


def test_callbacks_and_activities_replay_with_any_task_token() -> None:
    recorded = _record_waiting()
    assert "ActivityFailed" in [event["type"] for event in recorded["history"]]
    report = replay(WAITING, recorded)
    assert report.identical, report.text
    changed_body = json.loads(json.dumps(WAITING))
    changed_body["States"]["Ask"]["Parameters"]["MessageBody"]["extra"] = 1
    difference = replay(changed_body, recorded).difference
    assert difference is not None and difference.state == "Ask"
    assert difference.now.startswith("TaskScheduled parameters ")


SQUARES: dict[str, Any] = {
    "StartAt": "M",
    "States": {
        "M": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Square",
                "States": {"Square": {"Type": "Task", "Resource": ARN + "square", "End": True}},
            },
            "End": True,
        }
    },
}


def _record_squares() -> dict[str, Any]:
    import phalanx
    from phalanx.runtime import clock

    def square(event: Any, context: Any) -> Any:
        clock.sleep(4 - event)  # the last item finishes first
        return event * event

    return phalanx.run(
        SQUARES,
        [1, 2, 3],
        functions={"square": square},
        fast=True,
        start_time="2024-01-01T00:00:00Z",
    ).to_dict()


def test_map_iterations_ending_in_another_order_replay_identical() -> None:
    recorded = _record_squares()
    ends = [e for e in recorded["history"] if e["type"] == "LambdaFunctionSucceeded"]
    assert [e["lambdaFunctionSucceededEventDetails"]["output"] for e in ends] == ["9", "4", "1"]
    assert replay(SQUARES, recorded).identical


def _renumbered(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events in this order, ids 1, 2, ... and previousEventId following them."""
    new_id = {event["id"]: position + 1 for position, event in enumerate(events)}
    new_id[0] = 0
    return [
        {**event, "id": new_id[event["id"]], "previousEventId": new_id[event["previousEventId"]]}
        for event in events
    ]


def test_calls_scheduled_in_another_order_get_the_answers_sent_for_them() -> None:
    events = _record_squares()["history"]
    starts = [i for i, e in enumerate(events) if e["type"] == "MapIterationStarted"]
    # As if AWS had scheduled iteration 1 before iteration 0.
    first, second, third = starts
    swapped = events[:first] + events[second:third] + events[first:second] + events[third:]
    report = replay(SQUARES, {"events": _renumbered(swapped)})
    assert report.status == "SUCCEEDED"
    output = report.history[-1]["executionSucceededEventDetails"]["output"]
    assert json.loads(output) == [1, 4, 9]
    difference = report.difference
    assert difference is not None and difference.event == first + 1
