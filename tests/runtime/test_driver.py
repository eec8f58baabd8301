"""The driver: journals of (id, answer), exact replay, and executions that park and resume."""

from __future__ import annotations

import random
from typing import Any

import pytest

from phalanx.asl import StateMachine
from phalanx.engine import Interpreter
from phalanx.engine.effects import Callback, CallbackResponse, Sleep
from phalanx.errors import ReplayError
from phalanx.runtime.clock import RealClock, VirtualClock
from phalanx.runtime.driver import JournalEntry, Waiting, advance, drive, nobody_answers
from phalanx.runtime.lambdas import FunctionInvoker

FLAKY = "arn:aws:lambda:us-east-1:111111111111:function:flaky"

EVERY_SOURCE = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Parallel",
            "Next": "Each",
            "Branches": [
                {
                    "StartAt": "Ids",
                    "States": {
                        "Ids": {
                            "Type": "Pass",
                            "Parameters": {
                                "uuid.$": "States.UUID()",
                                "roll.$": "States.MathRandom(1, 1000)",
                                "started.$": "$$.Execution.StartTime",
                            },
                            "Next": "Nap",
                        },
                        "Nap": {"Type": "Wait", "Seconds": 2, "End": True},
                    },
                },
                {
                    "StartAt": "Flaky",
                    "States": {
                        "Flaky": {
                            "Type": "Task",
                            "Resource": FLAKY,
                            "Retry": [
                                {
                                    "ErrorEquals": ["States.ALL"],
                                    "IntervalSeconds": 3,
                                    "MaxAttempts": 3,
                                    "JitterStrategy": "FULL",
                                }
                            ],
                            "End": True,
                        }
                    },
                },
                {
                    "StartAt": "Approve",
                    "States": {
                        "Approve": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                            "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
                            "TimeoutSeconds": 100,
                            "End": True,
                        }
                    },
                },
            ],
        },
        "Each": {
            "Type": "Map",
            "QueryLanguage": "JSONata",
            "Items": "{% [1, 2, 3] %}",
            "MaxConcurrency": 0,
            "ItemProcessor": {
                "StartAt": "Draw",
                "States": {
                    "Draw": {
                        "Type": "Pass",
                        "Output": "{% {'r': $random(), 'u': $uuid(), 'at': $now()} %}",
                        "End": True,
                    }
                },
            },
            "End": True,
        },
    },
}


def flaky() -> Any:
    calls = {"n": 0}

    def handler(event: Any, context: Any) -> Any:
        calls["n"] += 1
        if calls["n"] < 3:
            raise RuntimeError("not yet")
        return {"calls": calls["n"]}

    return handler


def approve(request: Callback) -> CallbackResponse:
    return CallbackResponse(output={"token": request.token})


def crash(*args: Any) -> Any:
    raise AssertionError("a replay must not do the work again")


def interpreter(definition: dict[str, Any], value: Any = None) -> Interpreter:
    return Interpreter(StateMachine.from_asl(definition), {} if value is None else value)


def test_journal_replays_every_nondeterministic_source_exactly() -> None:
    journal: list[Any] = []
    first = drive(
        interpreter(EVERY_SOURCE),
        VirtualClock(),
        FunctionInvoker({"flaky": flaky()}),
        rng=random.Random(),
        journal=journal,
        callbacks=approve,
    )
    assert first.status == "SUCCEEDED", first.cause
    assert all(isinstance(entry, JournalEntry) for entry in journal)
    replayed = drive(
        interpreter(EVERY_SOURCE),
        VirtualClock(start=0.0),
        FunctionInvoker({"flaky": crash}),
        rng=random.Random(),
        replay=journal,
        callbacks=crash,
    )
    assert replayed.history == first.history
    assert replayed == first


def test_a_journal_from_another_path_is_an_error_naming_the_state() -> None:
    definition = {
        "StartAt": "Pick",
        "States": {
            "Pick": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "Short"}],
                "Default": "Call",
            },
            "Short": {"Type": "Wait", "Seconds": 1, "End": True},
            "Call": {"Type": "Task", "Resource": FLAKY, "End": True},
        },
    }
    journal: list[Any] = []
    drive(interpreter(definition, {"x": 1}), VirtualClock(), FunctionInvoker({}), journal=journal)
    with pytest.raises(ReplayError, match="'Call'"):
        drive(
            interpreter(definition, {"x": 2}),
            VirtualClock(),
            FunctionInvoker({"flaky": crash}),
            replay=journal,
        )


def test_an_execution_parks_on_a_task_token_and_resumes_from_its_journal() -> None:
    definition = {
        "StartAt": "Approve",
        "States": {
            "Approve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
                "End": True,
            }
        },
    }
    parked = advance(
        interpreter(definition), VirtualClock(), FunctionInvoker({}), callbacks=nobody_answers
    )
    assert isinstance(parked, Waiting)
    (waiting,) = parked.effects
    assert isinstance(waiting, Callback) and waiting.state == "Approve"
    answer = JournalEntry(waiting.id, "Callback", "Approve", CallbackResponse(output="yes"))
    outcome = drive(
        interpreter(definition),
        VirtualClock(),
        FunctionInvoker({}),
        replay=[*parked.journal, answer],
        callbacks=crash,
    )
    assert (outcome.status, outcome.output) == ("SUCCEEDED", "yes")


def test_an_execution_parks_on_a_timer_and_ends_when_it_was_due() -> None:
    definition = {
        "StartAt": "Later",
        "States": {"Later": {"Type": "Wait", "Seconds": 3600, "End": True}},
    }
    parked = advance(interpreter(definition), RealClock(), FunctionInvoker({}), park=True)
    assert isinstance(parked, Waiting)
    (timer,) = parked.effects
    assert isinstance(timer, Sleep)
    started = parked.journal[0].answer
    assert timer.until == started + 3600
    resumed_clock = VirtualClock(start=timer.until)
    outcome = drive(
        interpreter(definition),
        resumed_clock,
        FunctionInvoker({}),
        replay=[*parked.journal, JournalEntry(timer.id, "Sleep", "Later", None)],
    )
    assert outcome.status == "SUCCEEDED"
    assert outcome.history[-1]["timestamp"] == timer.until


def test_a_callback_nobody_answers_without_a_timeout_is_reported() -> None:
    definition = {
        "StartAt": "Approve",
        "States": {
            "Approve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q"},
                "End": True,
            }
        },
    }
    with pytest.raises(ReplayError, match="'Approve'"):
        drive(interpreter(definition), VirtualClock(), FunctionInvoker({}))


def test_a_journal_of_bare_answers_is_refused() -> None:
    definition = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 1, "End": True}}}
    with pytest.raises(ReplayError, match="entry 0"):
        drive(interpreter(definition), VirtualClock(), FunctionInvoker({}), replay=[1.0])
