"""Executions drawn: each state's outcome, how often it ran, and the path's numbering."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from typing import Any

import pytest

import phalanx
from phalanx import LoadError, StateMachine
from phalanx.engine.history import details_key
from phalanx.graph import history_events, render, trace
from phalanx.graph.history import END, START
from tests.corpora import cases
from tests.graph.readers import SVG
from tests.graph.test_svg import roll_die


def _rolls(*values: int) -> dict[str, Any]:
    """A deterministic die: `roll_die` returns these rolls in turn."""
    remaining = iter(values)
    return {"roll_die": lambda event, context: {"roll": next(remaining)}}


def _entered(history: Any) -> Counter[str]:
    return Counter(
        event[details_key(event["type"])]["name"]
        for event in history
        if event["type"].endswith("StateEntered")
    )


def test_roll_die_loop_counts_each_state_and_numbers_the_path() -> None:
    execution = phalanx.run(roll_die(), fast=True, functions=_rolls(2, 3, 5))
    traced = trace(execution.history)
    assert traced.status == "SUCCEEDED"
    assert {name: s.entered for name, s in traced.states.items()} == _entered(execution.history)
    path = execution.states_entered
    for name, state in traced.states.items():
        assert state.steps == tuple(i + 1 for i, entered in enumerate(path) if entered == name)
        assert state.outcome == "succeeded"
    assert traced.transitions == {
        (START, "lambdaRollDie"): 1,
        ("lambdaRollDie", "checkRoll"): 3,
        ("checkRoll", "tryAgainShortly"): 2,
        ("tryAgainShortly", "lambdaRollDie"): 2,
        ("checkRoll", "success"): 1,
        ("success", END): 1,
    }


def test_roll_die_drawing_shows_counts_steps_and_taken_edges() -> None:
    execution = phalanx.run(roll_die(), fast=True, functions=_rolls(1, 5))
    root = ElementTree.fromstring(str(render(roll_die(), "svg", history=execution.history)))
    nodes = {g.get("data-name"): g for g in root.iter(f"{SVG}g") if g.get("data-outcome")}
    texts = {name: [t.text for t in g.iter(f"{SVG}text")] for name, g in nodes.items()}
    assert "succeeded ×2 · steps 1, 4" in texts["lambdaRollDie"]
    assert "succeeded ×1 · step 3" in texts["tryAgainShortly"]
    taken = {
        (g.get("data-kind"), g.get("data-taken"))
        for g in root.iter(f"{SVG}g")
        if g.get("data-source") == nodes["checkRoll"].get("id")
    }
    assert taken == {("choice", "1"), ("default", "1")}


def _task_machine(**task: Any) -> StateMachine:
    """work -> after, and a handler when `task` catches (AWS refuses unreachable states)."""
    states: dict[str, Any] = {
        "work": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:111111111111:function:work",
            "Next": "after",
            **task,
        },
        "after": {"Type": "Pass", "End": True},
    }
    if "Catch" in task:
        states["handler"] = {"Type": "Pass", "End": True}
    return StateMachine.from_asl({"StartAt": "work", "States": states})


def _failing(times: int) -> dict[str, Any]:
    calls = iter(range(100))

    def work(event: Any, context: Any) -> Any:
        if next(calls) < times:
            raise ValueError("flaky")
        return {}

    return {"work": work}


RETRY = [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "IntervalSeconds": 1}]
CATCH = [{"ErrorEquals": ["States.ALL"], "Next": "handler"}]


@pytest.mark.parametrize(
    ("task", "failures", "outcomes", "retries"),
    [
        pytest.param({}, 0, ("succeeded", "succeeded", "not reached"), 0, id="succeeded"),
        pytest.param({"Retry": RETRY}, 1, ("retried", "succeeded", "not reached"), 1, id="retried"),
        pytest.param({"Catch": CATCH}, 1, ("caught", "not reached", "succeeded"), 0, id="caught"),
        pytest.param(
            {"Retry": RETRY, "Catch": CATCH},
            9,
            ("caught", "not reached", "succeeded"),
            2,
            id="retried-then-caught",
        ),
        pytest.param({}, 1, ("failed", "not reached", "not reached"), 0, id="failed"),
    ],
)
def test_outcome_of_each_state(
    task: dict[str, Any], failures: int, outcomes: tuple[str, ...], retries: int
) -> None:
    execution = phalanx.run(_task_machine(**task), fast=True, functions=_failing(failures))
    traced = trace(execution.history)
    assert tuple(traced.outcome(name) for name in ("work", "after", "handler")) == outcomes
    assert traced.states["work"].retries == retries


def test_a_failed_branch_fails_its_state_and_the_caught_parallel_shows_caught() -> None:
    machine = StateMachine.from_asl(
        {
            "StartAt": "fork",
            "States": {
                "fork": {
                    "Type": "Parallel",
                    "Branches": [
                        {"StartAt": "fine", "States": {"fine": {"Type": "Pass", "End": True}}},
                        {"StartAt": "boom", "States": {"boom": {"Type": "Fail", "Error": "E"}}},
                    ],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "recover"}],
                    "End": True,
                },
                "recover": {"Type": "Pass", "End": True},
            },
        }
    )
    traced = trace(phalanx.run(machine, fast=True).history)
    outcomes = {name: traced.outcome(name) for name in ("fork", "fine", "boom", "recover")}
    assert outcomes == {
        "fork": "caught",
        "fine": "succeeded",
        "boom": "failed",
        "recover": "succeeded",
    }
    assert traced.transitions[("fork", "recover")] == 1


def test_an_unfinished_history_shows_the_state_still_running() -> None:
    execution = phalanx.run(roll_die(), fast=True, functions=_rolls(5))
    cut = [e for e in execution.history if e["type"] != "ExecutionSucceeded"]
    cut = cut[: max(i for i, e in enumerate(cut) if e["type"] == "SucceedStateEntered") + 1]
    traced = trace(cut)
    assert traced.status == "RUNNING"
    assert traced.outcome("success") == "running"


RECORDED = [case for case in cases("conformance") if case.values[0]["expected"].get("history")]


@pytest.mark.parametrize("case", RECORDED)
def test_histories_recorded_on_aws_count_every_state_entered(case: Any) -> None:
    history = case["expected"]["history"]
    traced = trace(history_events({"events": history}))
    assert {name: s.entered for name, s in traced.states.items()} == _entered(history)
    assert traced.status == case["expected"]["status"]
    steps = sorted(step for s in traced.states.values() for step in s.steps)
    assert steps == list(range(1, len(steps) + 1))


def test_history_documents_in_each_shape_give_the_same_trace() -> None:
    events = list(phalanx.run(roll_die(), fast=True, functions=_rolls(4)).history)
    shapes = [events, {"events": events}, {"history": events}, json.loads(json.dumps(events))]
    assert len({repr(trace(history_events(shape))) for shape in shapes}) == 1


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({"executions": []}, id="no-events-key"),
        pytest.param([{"id": 1}], id="event-without-type"),
        pytest.param("ExecutionStarted", id="text"),
    ],
)
def test_a_document_that_is_not_a_history_is_refused(document: Any) -> None:
    with pytest.raises(LoadError, match="a history is a list of events"):
        history_events(document)
