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
from typing import Protocol

DEFAULT_EPOCH = 1_704_067_200.0
"""2024-01-01T00:00:00Z: where a virtual clock starts unless told otherwise."""


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
    """Time that only moves when something sleeps, and then instantly."""

    def __init__(self, start: float = DEFAULT_EPOCH) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._now += seconds

    def set(self, moment: float) -> None:
        self._now = moment


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
