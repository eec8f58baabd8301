"""The Wait state's delay: Seconds, Timestamp, SecondsPath, TimestampPath (or JSONata).

Messages are AWS's (corpus `base/test_wait`, `scenarios/test_wait_timestamp*`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phalanx.asl import Wait
from phalanx.engine import choice as choice_rules
from phalanx.engine import expressions, io
from phalanx.engine.history import to_text as _to_text
from phalanx.errors import StatesError

if TYPE_CHECKING:  # run.py imports this module: only the type is needed here
    from phalanx.engine.run import StateRun

MAX_WAIT_SECONDS = 2**31 - 1
"""Longest Wait AWS accepts (a Java int of seconds; corpus `base/test_wait` boundary)."""


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else _to_text(value)


def wait_seconds(run: StateRun, state: Wait) -> float:
    """Seconds the Wait state waits: Seconds, Timestamp or their Path/JSONata forms."""
    now = run.interpreter.history.now
    seconds: Any = state.seconds
    timestamp: Any = state.timestamp
    if run.jsonata:
        if isinstance(seconds, str):
            seconds = run.jsonata_value(seconds, "Seconds")
            if not _is_integer(seconds) or seconds < 0:
                text = expressions.expression_text(str(state.seconds))
                raise expressions.unexpected_type(text, "Seconds", "integer", seconds)
        if timestamp is not None and expressions.is_expression(timestamp):
            timestamp = run.jsonata_value(timestamp, "Timestamp")
            if choice_rules.parse_timestamp(timestamp) is None:
                raise expressions.EvaluationError(
                    "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                    f"date-time format string: {_shown(timestamp)}",
                    "Timestamp",
                )
    else:
        data = run.effective_input()
        if state.seconds_path is not None:
            seconds = io.select(state.seconds_path, data, run.scope)
            shown = f"{state.seconds_path} == {_shown(seconds)}"
            if not _is_integer(seconds):
                raise StatesError(
                    "States.Runtime",
                    f"The SecondsPath parameter cannot be parsed as a long value: {shown}",
                )
            if seconds < 0:
                raise StatesError(
                    "States.Runtime",
                    f"The SecondsPath parameter references a negative value: {shown}",
                )
        if state.timestamp_path is not None:
            timestamp = io.select(state.timestamp_path, data, run.scope)
            if choice_rules.parse_timestamp(timestamp) is None:
                raise StatesError(
                    "States.Runtime",
                    "The TimestampPath parameter does not reference a valid ISO-8601 "
                    f"extended offset date-time format string: {state.timestamp_path} == "
                    f"{_shown(timestamp)}",
                )
    delay = 0.0
    if seconds is not None:
        delay = float(seconds)
    elif timestamp is not None:
        moment = choice_rules.parse_timestamp(timestamp)
        if moment is not None:
            delay = max(0.0, moment.timestamp() - now)
    if delay > MAX_WAIT_SECONDS:
        raise StatesError("States.Runtime", "Wait state delay is too long.")
    return delay
