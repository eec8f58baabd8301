"""`api.responses`: stored executions and events come back in the shapes of AWS's model."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.validate import ParamValidator

from phalanx.api.responses import (
    EVENTS_WITHOUT_DETAILS,
    event_record,
    execution_list_item,
    history_event,
)
from phalanx.engine.history import details_key
from phalanx.runtime.local import run
from tests.stored_executions import FAILED, NOON, ORDERS, execution


def _model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("stepfunctions")


def _conforms(answer: dict[str, Any], operation: str) -> None:
    """No member the model lacks, every required one present, each of its type."""
    shape = _model().operation_model(operation).output_shape
    report = ParamValidator().validate(answer, shape)
    assert not report.has_errors(), report.generate_report()


def test_events_without_details_are_those_the_model_gives_no_details_member() -> None:
    event = _model().shape_for("HistoryEvent")
    types = event.members["type"].enum
    assert {t for t in types if details_key(t) not in event.members} == EVENTS_WITHOUT_DETAILS


MACHINES = {
    "parallel-wait-fail": {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
                ],
                "Next": "Stop",
            },
            "Stop": {"Type": "Fail"},
        },
    },
    "map-choice-succeed": {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "Next": "Which",
            },
            "Which": {
                "Type": "Choice",
                "Choices": [{"Variable": "$[0]", "NumericEquals": 1, "Next": "Done"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    },
}


@pytest.mark.parametrize("definition", MACHINES.values(), ids=MACHINES.keys())
def test_an_engine_history_kept_as_rows_comes_back_unchanged(definition: dict[str, Any]) -> None:
    ran = run(definition, {"items": [1, 2]}, fast=True, start_time="2026-12-06T12:00:00.125Z")
    shaped = [history_event(event_record(FAILED.arn, event)) for event in ran.history]
    assert shaped == list(ran.history)
    _conforms({"events": shaped}, "GetExecutionHistory")
    known = _model().shape_for("HistoryEventType").enum
    assert {event["type"] for event in shaped} <= set(known)


def test_a_details_less_event_gets_no_details_member_and_an_empty_one_keeps_it() -> None:
    events = [
        {"timestamp": NOON, "type": "ParallelStateStarted", "id": 1, "previousEventId": 0},
        {
            "timestamp": NOON,
            "type": "ExecutionFailed",
            "id": 2,
            "previousEventId": 1,
            "executionFailedEventDetails": {},
        },
    ]
    assert [history_event(event_record(FAILED.arn, event)) for event in events] == events


def test_an_event_time_is_sent_to_the_millisecond() -> None:
    event = {"timestamp": NOON + 0.1234567, "type": "ParallelStateStarted", "id": 1}
    record = event_record(FAILED.arn, {**event, "previousEventId": 0})
    assert history_event(record)["timestamp"] == NOON + 0.123


def test_an_execution_list_item_has_what_aws_sends() -> None:
    version, alias = f"{ORDERS}:3", f"{ORDERS}:PROD"
    redriven = execution(
        ORDERS,
        "again",
        "RUNNING",
        NOON,
        version_arn=version,
        alias_arn=alias,
        redrive_count=2,
        redriven_at=NOON + 60.0004,
    )
    ended = execution(ORDERS, "once", "SUCCEEDED", NOON, NOON + 1.5)
    items = [execution_list_item(redriven), execution_list_item(ended)]
    assert items == [
        {
            "executionArn": redriven.arn,
            "stateMachineArn": ORDERS,
            "name": "again",
            "status": "RUNNING",
            "startDate": NOON,
            "stateMachineVersionArn": version,
            "stateMachineAliasArn": alias,
            "redriveCount": 2,
            "redriveDate": NOON + 60,
        },
        {
            "executionArn": ended.arn,
            "stateMachineArn": ORDERS,
            "name": "once",
            "status": "SUCCEEDED",
            "startDate": NOON,
            "stopDate": NOON + 1.5,
            "redriveCount": 0,
        },
    ]
    _conforms({"executions": items}, "ListExecutions")
