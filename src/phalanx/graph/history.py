"""What an execution did, read from its history: each state's visits, outcome and steps.

The input is plain event dicts as GetExecutionHistory returns them (what
`phalanx run --format json` prints under `history`). Each event is attributed
to the state visit it belongs to by following `previousEventId`, the thread
of control AWS links events along (engine/history.py): a `LambdaFunctionFailed`
points back, through its attempt's events, to the `TaskStateEntered` of its
visit. Events named after a state type (`ParallelStateFailed`,
`MapStateStarted`) belong to the nearest enclosing visit of that type.

A visit ends as one of:

* succeeded: the state exited and its last attempt did not fail;
* retried: it exited after at least one failed attempt that was retried;
* caught: it exited although its last attempt failed (a Catch took over);
* failed: it never exited and the execution stopped (failed, timed out,
  aborted) or the branch around it failed;
* running: it never exited and the execution has not finished.

A state's outcome is the worst of its visits (failed, caught, retried,
running, succeeded); a state never entered is "not reached".
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from phalanx.asl import STATE_TYPES
from phalanx.errors import LoadError

START = "\x00start"
END = "\x00end"
"""Pseudo state names for the drawing's start and end nodes in `Trace.transitions`."""

OUTCOMES = ("failed", "caught", "retried", "running", "succeeded", "not reached")
"""Every outcome, worst first: a state that failed once and succeeded later shows failed."""

_TERMINAL = {
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionAborted": "ABORTED",
}


@dataclasses.dataclass(frozen=True, slots=True)
class StateTrace:
    """One state's part in an execution."""

    name: str
    outcome: str
    steps: tuple[int, ...]
    """The 1-based positions on the path at which the state was entered."""
    retries: int = 0

    @property
    def entered(self) -> int:
        """How many times the state ran."""
        return len(self.steps)


@dataclasses.dataclass(frozen=True, slots=True)
class Trace:
    """An execution as the graph draws it.

    `transitions` counts each (from, to) pair of state names taken, with
    `START` and `END` for entering the machine and leaving it.
    """

    status: str
    states: Mapping[str, StateTrace]
    transitions: Mapping[tuple[str, str], int]

    def outcome(self, name: str) -> str:
        """What happened to the state called `name` ("not reached" if never entered)."""
        found = self.states.get(name)
        return "not reached" if found is None else found.outcome


class _Visit:
    """One entry into a state, until it exits."""

    __slots__ = ("attempts", "exited", "failed_last", "kind", "name", "parent", "retries", "step")

    def __init__(self, name: str, kind: str, step: int, parent: _Visit | None) -> None:
        self.name = name
        self.kind = kind
        self.step = step
        self.parent = parent
        self.exited = False
        self.attempts = 0
        self.retries = 0
        self.failed_last = False

    def record(self, event_type: str) -> None:
        if _is_attempt(event_type):
            # Any attempt after the first is a retry: AWS records no failure event
            # for a Parallel or Map attempt whose branch failed before a retry
            # (corpus scenarios/test_parallel_state_retry).
            if self.attempts:
                self.retries += 1
            self.attempts += 1
            self.failed_last = False
        elif _is_failure(event_type):
            self.failed_last = True

    def outcome(self, status: str) -> str:
        if not self.exited:
            return "running" if status == "RUNNING" else "failed"
        if self.failed_last:
            return "caught"
        return "retried" if self.retries else "succeeded"


def _is_attempt(event_type: str) -> bool:
    return event_type.endswith("Scheduled") or event_type.endswith("StateStarted")


def _is_failure(event_type: str) -> bool:
    if event_type.startswith(("Execution", "MapIteration")):
        return False
    return event_type.endswith(("Failed", "TimedOut"))


def history_events(document: Any) -> list[dict[str, Any]]:
    """The events of a history document, in order.

    Accepts a GetExecutionHistory response (`{"events": [...]}`), the output of
    `phalanx run --format json` (`{"history": [...]}`) or a bare list of events.
    """
    events = document
    if isinstance(document, Mapping):
        events = document.get("events", document.get("history"))
    if (
        isinstance(events, str | bytes)
        or not isinstance(events, Sequence)
        or not all(
            isinstance(event, Mapping) and isinstance(event.get("type"), str) for event in events
        )
    ):
        raise LoadError(
            "a history is a list of events with a 'type', or an object with 'events' "
            "(GetExecutionHistory) or 'history' (phalanx run --format json)"
        )
    return sorted(events, key=lambda event: _number(event.get("id"), 0))


def _number(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _state_kind(event_type: str) -> tuple[str, str] | None:
    """("Task", "Entered") for `TaskStateEntered`; None for events not named after a state."""
    kind, found, rest = event_type.partition("State")
    if found and kind in STATE_TYPES and rest:
        return kind, rest
    return None


def _details(event: Mapping[str, Any]) -> Mapping[str, Any]:
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, Mapping):
            return value
    return {}


def _enclosing(visit: _Visit | None, kind: str, open_visits: list[_Visit]) -> _Visit | None:
    """The nearest visit of state type `kind` around `visit`, else the latest open one."""
    here = visit
    while here is not None:
        if here.kind == kind:
            return here
        here = here.parent
    return next((v for v in reversed(open_visits) if v.kind == kind and not v.exited), None)


def _named(visit: _Visit | None, name: str, open_visits: list[_Visit]) -> _Visit | None:
    """The open visit of the state called `name`: on this thread, else the latest."""
    here = visit
    while here is not None:
        if here.name == name and not here.exited:
            return here
        here = here.parent
    return next((v for v in reversed(open_visits) if v.name == name and not v.exited), None)


def trace(events: Iterable[Mapping[str, Any]]) -> Trace:
    """What happened to each state in an execution with these history events."""
    # Per event id: the visit open on its thread and the last state exited on it.
    threads: dict[int, tuple[_Visit | None, str | None]] = {0: (None, START)}
    visits: list[_Visit] = []
    transitions: Counter[tuple[str, str]] = Counter()
    status = "RUNNING"
    for event in events:
        event_type = str(event["type"])
        event_id = _number(event.get("id"), len(threads))
        visit, last = threads.get(_number(event.get("previousEventId"), 0), (None, None))
        named = _state_kind(event_type)
        name = str(_details(event).get("name", ""))
        if named is not None and named[1] == "Entered":
            if last is not None:
                transitions[(last, name)] += 1
            entered = _Visit(name, named[0], len(visits) + 1, visit)
            visits.append(entered)
            threads[event_id] = (entered, None)
            continue
        if named is not None and named[1] == "Exited":
            exiting = _named(visit, name, visits)
            if exiting is not None:
                exiting.exited = True
                visit = exiting.parent
            threads[event_id] = (visit, name)
            continue
        if event_type in _TERMINAL:
            status = _TERMINAL[event_type]
            if status == "SUCCEEDED" and last is not None:
                transitions[(last, END)] += 1
            elif visit is not None and visit.kind == "Fail":
                transitions[(visit.name, END)] += 1
        elif named is not None:
            owner = _enclosing(visit, named[0], visits)
            if owner is not None:
                owner.record(event_type)
        elif visit is not None:
            visit.record(event_type)
        threads[event_id] = (visit, last)
    return Trace(status, _by_state(visits, status), dict(transitions))


def _by_state(visits: list[_Visit], status: str) -> dict[str, StateTrace]:
    grouped: dict[str, list[_Visit]] = {}
    for visit in visits:
        grouped.setdefault(visit.name, []).append(visit)
    return {
        name: StateTrace(
            name,
            min((v.outcome(status) for v in group), key=OUTCOMES.index),
            tuple(v.step for v in group),
            sum(v.retries for v in group),
        )
        for name, group in grouped.items()
    }
