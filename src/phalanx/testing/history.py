"""Read an execution history as GetExecutionHistory returns it, and what each task answered.

Accepted shapes (a file, its text, or the parsed value):

* the API's response, from the AWS CLI (`get-execution-history`) or boto3:
  `{"events": [...]}` (timestamps as epoch seconds, ISO text or datetimes);
* several pages of it, joined: a list of responses, or documents one after
  another in one file;
* `phalanx run --format json`'s document (`{"status", ..., "history": [...]}`);
* a bare list of events;
* a conformance corpus case (`expected.history`, with its masks and input).

A history that cannot be replayed is a `LoadError` with a one-line message:
not JSON, truncated (no `ExecutionStarted` first, a missing event, no end,
a `nextToken` left to fetch), events out of order, or recorded without
execution data (no input).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from phalanx.errors import LoadError
from phalanx.runtime.clock import epoch_seconds
from phalanx.testing.masks import Masks

TERMINAL = frozenset(
    {"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"}
)

# Event type -> (kind of call, whether it ends the call with a result, else with an error).
_CALL_ENDS: Mapping[str, tuple[str, bool]] = {
    "LambdaFunctionSucceeded": ("lambda", True),
    "LambdaFunctionFailed": ("lambda", False),
    "LambdaFunctionTimedOut": ("lambda", False),
    "LambdaFunctionStartFailed": ("lambda", False),
    "LambdaFunctionScheduleFailed": ("lambda", False),
    "TaskSucceeded": ("task", True),
    "TaskFailed": ("task", False),
    "TaskTimedOut": ("task", False),
    "TaskStartFailed": ("task", False),
    "TaskSubmitFailed": ("task", False),
    "ActivitySucceeded": ("activity", True),
    "ActivityFailed": ("activity", False),
    "ActivityTimedOut": ("activity", False),
    "ActivityScheduleFailed": ("activity", False),
}
_CALL_STARTS = frozenset({"LambdaFunctionScheduled", "TaskScheduled", "ActivityScheduled"})


@dataclasses.dataclass(frozen=True, slots=True)
class RecordedCall:
    """What one task call answered: `output`, or `error` and `cause`, after `seconds`.

    `kind` is `lambda` (a function ARN), `task` (an integration, lambda:invoke
    included) or `activity`; `worker` is the activity worker's name;
    `request` what the call was sent (the scheduled event's input or
    parameters), absent when the history was recorded without execution data.
    """

    kind: str
    succeeded: bool
    output: Any = None
    error: str | None = None
    cause: str | None = None
    seconds: float = 0.0
    worker: str | None = None
    request: Any = None


@dataclasses.dataclass(frozen=True, slots=True)
class RecordedHistory:
    """A usable history: its events in order, and what starting it again needs."""

    events: tuple[dict[str, Any], ...]
    input: Any
    input_text: str | None
    start: float | None
    role_arn: str | None
    masks: Masks
    include_data: bool = True

    @property
    def states_entered(self) -> list[str]:
        return [
            event["stateEnteredEventDetails"]["name"]
            for event in self.events
            if str(event.get("type", "")).endswith("StateEntered")
            and isinstance(event.get("stateEnteredEventDetails"), Mapping)
        ]


def decoded(value: Any) -> Any:
    """A details field's JSON value: the API sends JSON text; corpus snapshots, the value."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def timestamp(value: Any) -> float | None:
    """An event's time as epoch seconds, or None when it is masked or missing."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        return epoch_seconds(value)
    if isinstance(value, str):
        try:
            return epoch_seconds(value)
        except ValueError:
            return None
    return None


def _documents(text: str, where: str) -> list[Any]:
    """Every JSON document in `text` (pages may be saved one after another)."""
    decoder = json.JSONDecoder()
    documents = []
    position = 0
    text = text.strip()
    while position < len(text):
        try:
            document, end = decoder.raw_decode(text, position)
        except ValueError as error:
            raise LoadError(f"{where}: not a JSON history ({error})") from None
        documents.append(document)
        position = end
        while position < len(text) and text[position].isspace():
            position += 1
    if not documents:
        raise LoadError(f"{where}: empty, not a JSON history")
    return documents


def _pages(document: Any, where: str) -> Iterator[list[Any]]:
    """The event lists of `document`, page by page."""
    if isinstance(document, list) and all(
        isinstance(page, Mapping) and "events" in page for page in document
    ):
        for page in document:
            yield from _pages(page, where)
        return
    if isinstance(document, list):
        yield document
        return
    if not isinstance(document, Mapping):
        raise LoadError(f"{where}: expected a history's events, got {type(document).__name__}")
    if isinstance(document.get("events"), list):
        if document.get("nextToken") or document.get("NextToken"):
            raise LoadError(
                f"{where}: truncated: the response has a nextToken; join every page "
                "(the AWS CLI does unless --max-items is given) or use --from-aws"
            )
        yield document["events"]
        return
    if isinstance(document.get("history"), list):
        yield document["history"]
        return
    expected = document.get("expected")
    if isinstance(expected, Mapping) and isinstance(expected.get("history"), list):
        yield expected["history"]
        return
    raise LoadError(f'{where}: no events: expected GetExecutionHistory\'s {{"events": [...]}}')


def _checked(events: list[Any], where: str) -> tuple[dict[str, Any], ...]:
    """The events, refused unless they run from ExecutionStarted to the execution's end."""
    if not events:
        raise LoadError(f"{where}: the history has no events")
    last_id: int | None = None
    for position, event in enumerate(events):
        if not isinstance(event, Mapping) or not isinstance(event.get("type"), str):
            raise LoadError(f"{where}: event {position + 1} is not a history event (no type)")
        event_id = event.get("id")
        if isinstance(event_id, int) and not isinstance(event_id, bool):
            if last_id is not None and event_id <= last_id:
                raise LoadError(
                    f"{where}: events out of order: event id {event_id} comes after id "
                    f"{last_id} (fetch the history oldest first, reverseOrder false)"
                )
            if last_id is not None and event_id != last_id + 1:
                raise LoadError(
                    f"{where}: truncated: events {last_id + 1} to {event_id - 1} are missing"
                )
            last_id = event_id
    first = events[0]
    if first["type"] != "ExecutionStarted" or first.get("id", 1) != 1:
        raise LoadError(
            f"{where}: truncated: the history starts with {first['type']} "
            f"(id {first.get('id')}), not ExecutionStarted"
        )
    end = events[-1]
    if end["type"] not in TERMINAL:
        raise LoadError(
            f"{where}: truncated: the history ends with {end['type']} (id {end.get('id')}) "
            "before the execution ended"
        )
    return tuple(dict(event) for event in events)


def read_history(source: str | Path | Mapping[str, Any] | Sequence[Any]) -> RecordedHistory:
    """The history in `source` (a path, JSON text, or the parsed value), checked.

    Raises `LoadError` with a one-line message when it cannot be replayed.
    """
    where = "history"
    if isinstance(source, Path) or (
        isinstance(source, str) and not source.lstrip().startswith(("{", "["))
    ):
        where = str(source)
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise LoadError(f"{where}: cannot read: {error}") from None
        documents = _documents(text, where)
    elif isinstance(source, str):
        documents = _documents(source, where)
    else:
        documents = [source]
    events: list[Any] = []
    for document in documents:
        for page in _pages(document, where):
            events.extend(page)
    checked = _checked(events, where)
    case = documents[0] if len(documents) == 1 and isinstance(documents[0], Mapping) else {}
    return _recorded(checked, case if "expected" in case else None, where)


def _recorded(
    events: tuple[dict[str, Any], ...], case: Mapping[str, Any] | None, where: str
) -> RecordedHistory:
    details = events[0].get("executionStartedEventDetails") or {}
    if case is not None:
        # A corpus case: its input as the test sent it; its masks.
        request = case["expected"].get("history_request") or {}
        return RecordedHistory(
            events,
            case.get("input"),
            case.get("input_text", json.dumps(case.get("input"))),
            None,
            None,
            Masks.of_case(case),
            include_data=request.get("includeExecutionData", True),
        )
    if "input" not in details:
        raise LoadError(
            f"{where}: recorded without execution data (includeExecutionData false): "
            "no input to replay"
        )
    raw = details["input"]
    role = details.get("roleArn")
    return RecordedHistory(
        events,
        decoded(raw),
        raw if isinstance(raw, str) else None,
        timestamp(events[0].get("timestamp")),
        role if isinstance(role, str) else None,
        Masks(),
    )


def event_states(events: Sequence[Mapping[str, Any]]) -> list[str]:
    """The state each event belongs to ("" before any), following `previousEventId`.

    Each thread (the top level, a Parallel branch, a Map iteration) links its
    events through `previousEventId`; where ids are masked, the last state
    entered before the event is taken.
    """
    by_id: dict[Any, str] = {}
    states: list[str] = []
    last = ""
    for event in events:
        state = by_id.get(event.get("previousEventId"), last)
        details = event.get("stateEnteredEventDetails")
        if isinstance(details, Mapping) and isinstance(details.get("name"), str):
            state = details["name"]
        event_id = event.get("id")
        if isinstance(event_id, int):
            by_id[event_id] = state
        states.append(state)
        last = state
    return states


def recorded_calls(events: Sequence[Mapping[str, Any]]) -> dict[str, list[RecordedCall]]:
    """Each state's task calls, in the order they were scheduled, with what they answered.

    A call's end is matched to its start through `previousEventId` (branches
    and iterations calling the same state interleave); where ids are masked,
    to the state's oldest open call.
    """
    states = event_states(events)
    calls: dict[str, list[RecordedCall]] = {}
    started: dict[tuple[str, int], float | None] = {}
    open_calls: dict[str, list[int]] = {}
    call_by_id: dict[Any, int] = {}
    workers: dict[tuple[str, int], str] = {}
    for event, state in zip(events, states, strict=True):
        kind = event["type"]
        moment = timestamp(event.get("timestamp"))
        slot = call_by_id.get(event.get("previousEventId"))
        if kind in _CALL_STARTS:
            slots = calls.setdefault(state, [])
            details = event.get(kind[0].lower() + kind[1:] + "EventDetails") or {}
            sent = decoded(details.get("input", details.get("parameters")))
            slots.append(RecordedCall("", False, request=sent))  # filled in by the call's end
            slot = len(slots) - 1
            started[state, slot] = moment
            open_calls.setdefault(state, []).append(slot)
        elif kind == "ActivityStarted" and slot is not None:
            worker = (event.get("activityStartedEventDetails") or {}).get("workerName")
            if isinstance(worker, str):
                workers[state, slot] = worker
        elif kind in _CALL_ENDS:
            pending = open_calls.setdefault(state, [])
            if slot is None or slot not in pending:
                if not pending:  # an end without a start (ScheduleFailed): a call of its own
                    calls.setdefault(state, []).append(RecordedCall("", False))
                    pending.append(len(calls[state]) - 1)
                    started[state, pending[-1]] = moment
                slot = pending[0]
            pending.remove(slot)
            ended = _ended(event, kind, moment, started[state, slot])
            calls[state][slot] = dataclasses.replace(ended, request=calls[state][slot].request)
            if calls[state][slot].kind == "activity":
                worker = workers.pop((state, slot), None)
                calls[state][slot] = dataclasses.replace(calls[state][slot], worker=worker)
        elif kind.endswith("StateEntered"):
            slot = None
        if slot is not None and isinstance(event.get("id"), int):
            call_by_id[event["id"]] = slot
    return {state: [c for c in found if c.kind] for state, found in calls.items()}


def _ended(
    event: Mapping[str, Any], kind: str, moment: float | None, start: float | None
) -> RecordedCall:
    call_kind, succeeded = _CALL_ENDS[kind]
    details = event.get(kind[0].lower() + kind[1:] + "EventDetails") or {}
    seconds = moment - start if moment is not None and start is not None else 0.0
    cause = details.get("cause")
    return RecordedCall(
        call_kind,
        succeeded,
        output=decoded(details.get("output")) if succeeded else None,
        error=details.get("error"),
        cause=cause if cause is None or isinstance(cause, str) else _text(cause),
        seconds=max(0.0, seconds),
    )


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
