"""History events shaped as GetExecutionHistory returns them.

An event is a plain dict: `timestamp` (epoch seconds, as the AWS JSON API
sends it), `type`, `id`, `previousEventId` and at most one `<kind>EventDetails`
object. Inputs and outputs inside details are JSON *text*, with
`inputDetails`/`outputDetails` saying whether it was truncated.

`previousEventId` follows the thread of control the event belongs to: the
top-level states, one Parallel branch or one Map iteration each have their own
thread, whose last event the next one points at (corpus
`scenarios/test_map_state`: iteration 1 starts after iteration 0's last state
event, not after its `MapIterationSucceeded`).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from phalanx.engine.failures import EventLimit

MAX_EVENTS = 25_000
"""AWS's hard limit on events in one execution's history."""


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
"""Made once: `json.dumps` with options builds an encoder at every call (several per event)."""


def to_text(value: Any) -> str:
    """Compact JSON text as Step Functions writes it (Jackson: no spaces, non-ASCII kept)."""
    return _ENCODER.encode(value)


def from_text(text: str) -> Any:
    """The JSON value of `text`, strictly: `ValueError` for NaN, Infinity or 1e400.

    Python's `json.loads` accepts those, but they are not JSON, and a value
    holding them cannot be written back by `to_text`.
    """
    return _DECODER.decode(text)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is out of range for a JSON number")
    return value


_DECODER = json.JSONDecoder(parse_constant=_not_json, parse_float=_finite)


def details_key(event_type: str) -> str:
    """The details field of an event type: `PassStateEntered` -> `stateEnteredEventDetails`."""
    if event_type.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if event_type.endswith("StateExited"):
        return "stateExitedEventDetails"
    return event_type[0].lower() + event_type[1:] + "EventDetails"


class Thread:
    """The last event id of one thread of control (top level, branch, iteration).

    `label` names the branch for a reader: `""` at the top level,
    `"Fulfil[1] "` in branch 1 of the Parallel state Fulfil,
    `"Fulfil[1] PriceLines[3] "` in iteration 3 of a Map inside it.
    """

    __slots__ = ("label", "last")

    def __init__(self, last: int = 0, label: str = "") -> None:
        self.last = last
        self.label = label


class History:
    """Appends events, numbering them and linking each to its thread's previous event.

    `include_data=False` leaves inputs, outputs and assigned variables out of
    the details, as `GetExecutionHistory(includeExecutionData=false)` does.
    A child execution's history (distributed Map) takes its time from the
    parent's: `clock`. With `max_events`, `add` raises `EventLimit` rather than
    take the last slot: that one stays free for the execution's end (`close`).
    """

    def __init__(
        self, include_data: bool = True, clock: History | None = None, max_events: int | None = None
    ) -> None:
        self.max_events = max_events
        self._limit = sys.maxsize if max_events is None else max_events
        self.events: list[dict[str, Any]] = []
        self.labels: list[str] = []
        """The label of the thread each event belongs to (`Thread.label`)."""
        self.include_data = include_data
        self.now = 0.0
        self._clock = self if clock is None else clock

    def __len__(self) -> int:
        return len(self.events)

    def add(
        self,
        event_type: str,
        thread: Thread,
        details: dict[str, Any] | None = None,
        *,
        previous: int | None = None,
    ) -> int:
        """Append an event; returns its id. `previous` overrides the thread's link."""
        event_id = len(self.events) + 1
        if event_id >= self._limit:
            raise EventLimit()
        event: dict[str, Any] = {
            "timestamp": self._clock.now,
            "type": event_type,
            "id": event_id,
            "previousEventId": thread.last if previous is None else previous,
        }
        if details is not None:
            if not self.include_data:
                details = _without_data(details)
            event[details_key(event_type)] = details
        self.events.append(event)
        self.labels.append(thread.label)
        thread.last = event_id
        return event_id

    def close(
        self,
        event_type: str,
        thread: Thread,
        details: dict[str, Any],
        *,
        previous: int | None = None,
    ) -> None:
        """Append the execution's terminal event, in the slot `add` keeps free."""
        self._limit = sys.maxsize
        self.add(event_type, thread, details, previous=previous)

    def reopen(self) -> None:
        """Take events again after the terminal one (a redrive), keeping the slot free."""
        self._limit = sys.maxsize if self.max_events is None else self.max_events


_DATA_FIELDS = ("input", "output", "assignedVariables", "parameters")


def _without_data(details: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in details.items() if key not in _DATA_FIELDS}


def data(field: str, value: Any, text: str | None = None) -> dict[str, Any]:
    """`{"input": "<json>", "inputDetails": {"truncated": false}}` for `field`."""
    return {
        field: to_text(value) if text is None else text,
        f"{field}Details": {"truncated": False},
    }


def entered(name: str, value: Any, text: str | None = None) -> dict[str, Any]:
    return {"name": name, **data("input", value, text)}


def exited(
    name: str, value: Any, assigned: dict[str, Any] | None = None, text: str | None = None
) -> dict[str, Any]:
    details = {"name": name, **data("output", value, text)}
    if assigned:
        details["assignedVariables"] = {key: to_text(v) for key, v in assigned.items()}
        details["assignedVariablesDetails"] = {"truncated": False}
    return details


def error_details(error: str | None, cause: str | None) -> dict[str, Any]:
    """`{"error", "cause"}` with absent values left out, as AWS does."""
    details: dict[str, Any] = {}
    if error is not None:
        details["error"] = error
    if cause is not None:
        details["cause"] = cause
    return details
