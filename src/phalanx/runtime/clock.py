"""Clocks: real time, or a virtual clock that skips waits instantly.

The virtual clock is like Temporal's time-skipping test environment: a Wait
of an hour, a retry backoff or a Lambda timeout passes at once, and
timestamps still advance, deterministically.

User code that wants to "take time" in a way both clocks understand calls
`phalanx.runtime.clock.sleep(seconds)`: real sleep on the real clock, an
instant jump on the virtual one.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """The seam for time: read it, let it pass."""

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class RealClock:
    """Wall-clock time; `sleep` really sleeps."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class VirtualClock:
    """Time that only moves when something sleeps, and then instantly.

    It starts now unless given `start` (epoch seconds): a fixed start makes
    `$$.Execution.StartTime` and every timestamp the same from run to run.
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._now += seconds

    def set(self, moment: float) -> None:
        self._now = moment


def epoch_seconds(moment: datetime | str) -> float:
    """An ISO 8601 text (`2024-01-01T00:00:00Z`) or a datetime as epoch seconds.

    A time without a zone is UTC, as Step Functions' timestamps are. Raises
    `ValueError` for text that is not an ISO 8601 date and time.
    """
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.strip())
        except ValueError:
            raise ValueError(
                f"{moment!r} is not an ISO 8601 time (e.g. 2024-01-01T00:00:00Z)"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


_current: contextvars.ContextVar[Clock | None] = contextvars.ContextVar(
    "phalanx_clock", default=None
)
_REAL = RealClock()


def current() -> Clock:
    """The clock of the execution running in this context (real time outside one)."""
    return _current.get() or _REAL


@contextlib.contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    """Make `clock` the current one for the duration of the block."""
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)


def sleep(seconds: float) -> None:
    """Sleep on the current clock (instant on a virtual one)."""
    current().sleep(seconds)
