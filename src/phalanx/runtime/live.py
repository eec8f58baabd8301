"""One execution in memory while the durable runtime drives it, and its restart markers.

`Live` holds the interpreter, the journal being replayed, what the execution
asked and the answers that came back; `restart_event`/`show_restart` write
the event that shows a call started again after a crash.
"""

from __future__ import annotations

import dataclasses
import random
from collections import deque
from collections.abc import Generator
from typing import Any

from phalanx.asl import StateMachine
from phalanx.engine.effects import CallbackResponse, CallService, InvokeLambda, Outcome
from phalanx.engine.history import from_text
from phalanx.engine.interpreter import ExecutionInfo, Interpreter
from phalanx.runtime.lambdas import Invoker
from phalanx.runtime.mocks import Returns, StateMocks
from phalanx.store.records import ExecutionRecord

RESTARTED = "Restarted"
"""Journal kind of a call made again after a restart (its payload is the event that shows it)."""
REDRIVEN = "Redriven"
"""Journal kind of a RedriveExecution (its payload: `{"redriveCount": n, "time": t}`)."""
STOPPED = "Stopped"
"""Journal kind of a StopExecution (its payload: `{"error": e, "cause": c, "time": t}`)."""
TEXT_KINDS = (RESTARTED, REDRIVEN, STOPPED)
"""Journal kinds whose payload is JSON text rather than a codec value."""
_STARTED_EVENTS = ("LambdaFunctionStarted", "TaskStarted")


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    """A journal entry being replayed (the driver's JournalEntry, plus restart markers)."""

    id: str
    kind: str
    answer: Any


class Live:
    """One execution in memory: its interpreter, what it asked, what has come back."""

    def __init__(
        self,
        record: ExecutionRecord,
        interpreter: Interpreter,
        replay: list[Entry],
        sequence: int,
        saved_events: int,
        invoker: Invoker,
        mocks: StateMocks | None,
    ) -> None:
        self.record = record
        self.interpreter = interpreter
        self.steps: Generator[Any, Any, Outcome] = interpreter.run()
        self.replay = replay
        self.position = 0
        # Rebuilt from the store: effects asked before the next wait were asked before
        # (their events are committed), so they are re-armed, not started afresh.
        self.replaying = saved_events > 0
        self.sequence = sequence
        self.saved_events = saved_events
        self.invoker = invoker
        self.mocks = mocks
        self.rng = random.SystemRandom()  # answers are journaled: no seed (costly) needed
        self.request: Any = None  # the request it is parked on (an Await), else None
        self.reply: Any = None
        self.asked: dict[str, Any] = {}
        self.unstarted: dict[str, Any] = {}
        self.inbox: dict[str, Any] = {}
        self.arrivals: deque[str] = deque()
        self.in_flight: set[str] = set()

    @property
    def arn(self) -> str:
        return self.record.arn

    def deliver(self, effect_id: str, value: Any) -> None:
        if effect_id not in self.inbox:
            self.arrivals.append(effect_id)
        self.inbox[effect_id] = value

    def take(self) -> tuple[str, Any] | None:
        """The earliest arrived answer to something still asked."""
        while self.arrivals:
            effect_id = self.arrivals.popleft()
            value = self.inbox.pop(effect_id, None)
            if effect_id in self.asked:
                return effect_id, value
        return None

    def fail(self, error: str, cause: str, now: float) -> Outcome:
        """End it FAILED from outside the interpreter (a journal that does not fit)."""
        history = self.interpreter.history
        last = history.events[-1]["id"] if history.events else 0
        history.events.append(
            {
                "timestamp": round(now, 3),
                "type": "ExecutionFailed",
                "id": len(history.events) + 1,
                "previousEventId": last,
                "executionFailedEventDetails": {"error": error, "cause": cause},
            }
        )
        return Outcome("FAILED", error=error, cause=cause)

    def redrive_next(self) -> bool:
        """The interpreter ended; if the journal redrives it next, run it again (True)."""
        if self.position >= len(self.replay) or self.replay[self.position].kind != REDRIVEN:
            return False
        redrive = self.replay[self.position].answer
        self.position += 1
        # Effects of the redriven run were asked before only if its events were committed.
        self.replaying = self.replaying and (
            self.position < len(self.replay)
            or self.saved_events > len(self.interpreter.history.events)
        )
        self.steps = self.interpreter.redrive(redrive["redriveCount"], redrive["time"])
        return True

    def stop_next(self) -> bool:
        """If the journal stops it here (StopExecution), end the run ABORTED (True).

        The state that was running is left as it was: a redrive runs it again.
        """
        if self.position >= len(self.replay) or self.replay[self.position].kind != STOPPED:
            return False
        stop = self.replay[self.position].answer
        self.position += 1
        self.steps.close()
        self.asked.clear()
        self.unstarted.clear()
        self.inbox.clear()
        self.arrivals.clear()
        self.interpreter.stopped(stop["error"], stop["cause"], stop["time"])
        return True

    def parked_on_others(self) -> bool:
        """It waits only on timers and tokens: it may leave memory."""
        return not self.in_flight and not self.arrivals and not self.unstarted


def restart_event(interpreter: Interpreter, effect_id: str, now: float) -> dict[str, Any]:
    """The event showing call `effect_id` started again: a copy of its own `...Started` event.

    Not simply the last `...Started` event of the history: in a Parallel or a
    Map, that one may be another branch's (another resource, another thread).
    """
    events = interpreter.history.events
    started = interpreter.started_events.get(effect_id, 0)
    if 0 < started <= len(events) and events[started - 1]["type"] in _STARTED_EVENTS:
        event = events[started - 1]
        shown = {key: value for key, value in event.items() if key not in ("id", "timestamp")}
        return {**shown, "previousEventId": event["id"], "timestamp": round(now, 3)}
    last = events[-1]["id"] if events else 0
    return {"type": "TaskStarted", "previousEventId": last, "timestamp": round(now, 3)}


def show_restart(interpreter: Interpreter, event: dict[str, Any]) -> None:
    """Append a restart event, in the thread of the event it follows."""
    history = interpreter.history
    previous = event["previousEventId"]
    label = history.labels[previous - 1] if 0 < previous <= len(history.labels) else ""
    history.events.append({**event, "id": len(history.events) + 1})
    history.labels.append(label)


def mocked_answer(mocks: StateMocks, effect: Any) -> Any:
    if isinstance(effect, InvokeLambda):
        return mocks.invoke(effect)
    if isinstance(effect, CallService):
        return mocks.call(effect)
    call = mocks.next_call(effect.state)
    if isinstance(call, Returns):
        return CallbackResponse(output=call.value)
    return CallbackResponse(error=call.error, cause=call.cause)


def interpreter_for(record: ExecutionRecord, machines: dict[str, StateMachine]) -> Interpreter:
    """A fresh interpreter for the execution `record` (machines parsed once, by definition)."""
    machine = machines.get(record.definition)
    if machine is None:
        machine = machines[record.definition] = StateMachine.from_asl(record.definition)
    parts = record.arn.split(":")
    info = ExecutionInfo(
        name=record.name,
        state_machine_name=parts[6],
        role_arn=record.role_arn,
        region=parts[3],
        account=parts[4],
        machine_type=record.type,
    )
    return Interpreter(machine, from_text(record.input), info, input_text=record.input)
