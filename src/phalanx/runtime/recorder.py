"""Who wants to know about every finished local execution: coverage, for one.

`run()` (and anything else that runs a machine in this process) calls
`publish`; a subscriber sees each `Recorded` execution. The runtime knows
nothing of its subscribers (`phalanx.testing.Coverage` is one).

    unsubscribe = subscribe(recorded.append)
    ...
    unsubscribe()
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

from phalanx.asl import StateMachine
from phalanx.engine.trail import Taken


@dataclasses.dataclass(frozen=True, slots=True)
class Recorded:
    """One finished execution: the machine, how it ended, and the choices it made."""

    machine: StateMachine
    status: str
    history: tuple[dict[str, Any], ...]
    trail: tuple[Taken, ...]


Subscriber = Callable[[Recorded], None]

_subscribers: list[Subscriber] = []
_lock = threading.Lock()


def subscribe(subscriber: Subscriber) -> Callable[[], None]:
    """Call `subscriber` with every execution published from now on; returns the undo."""
    with _lock:
        _subscribers.append(subscriber)

    def unsubscribe() -> None:
        with _lock:
            if subscriber in _subscribers:
                _subscribers.remove(subscriber)

    return unsubscribe


def publish(record: Callable[[], Recorded]) -> None:
    """Hand what `record()` makes to every subscriber.

    With none (the usual case, and every execution of a server without
    coverage) `record` is not called: nothing is copied.
    """
    with _lock:
        subscribers = list(_subscribers)
    if not subscribers:
        return
    recorded = record()
    for subscriber in subscribers:
        subscriber(recorded)
