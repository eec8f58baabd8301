"""Stepping one execution of the durable runtime until it waits, journaling every answer.

Why apart from the scheduler: this is the effect protocol's runtime side for
one execution (`engine/effects.py`): feed the interpreter the answers of its
journal first (a rebuilt execution replays them, restart markers included),
then new answers, journaling each; answer immediate requests (`Now`,
`Random`, seeds) at once; take new effects in hand (a timer, a task token, a
child, or a call for the worker pool once committed). The scheduler decides
which executions step in a round and commits what they did.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from phalanx.engine.effects import (
    IMMEDIATE,
    PENDING,
    Answer,
    Await,
    Callback,
    CallService,
    Cancel,
    InvokeLambda,
    Now,
    Outcome,
    Random,
    Sleep,
)
from phalanx.engine.history import to_text
from phalanx.errors import PhalanxError, ReplayError
from phalanx.runtime import codec
from phalanx.runtime.abort import Aborter
from phalanx.runtime.batch import Batch, event_record, note_map_runs, token_record
from phalanx.runtime.children import ChildWaits
from phalanx.runtime.clock import Clock
from phalanx.runtime.live import RESTARTED, Entry, Live, mocked_answer, restart_event, show_restart
from phalanx.runtime.loading import LiveExecutions
from phalanx.runtime.recorder import Recorded, publish
from phalanx.store.records import JournalEntryRecord, TimerRecord

STEP_BUDGET = 1_000
"""Answers one execution takes in a round before the others get their turn."""

_LOG = logging.getLogger("phalanx.runtime")
_CALLS = (InvokeLambda, CallService)


class Stepper:
    """Steps executions in a round's batch (only the scheduler thread uses it)."""

    def __init__(
        self, clock: Clock, executions: LiveExecutions, waits: ChildWaits, aborter: Aborter
    ) -> None:
        self.clock = clock
        self.executions = executions
        self.waits = waits
        self.aborter = aborter

    def step(self, live: Live, batch: Batch) -> None:
        """Run `live` until it waits (or its budget is spent); what it did goes in `batch`."""
        try:
            outcome = self._advance(live, batch)
        except PhalanxError as error:  # a journal that does not fit: fail it, loudly
            _LOG.error("execution %s cannot go on: %s", live.arn, error)
            outcome = live.fail("States.Runtime", str(error), self.clock.now())
        _save_events(live, batch)
        if outcome is not None:
            self._finish(live, outcome, batch)

    def _advance(self, live: Live, batch: Batch) -> Outcome | None:
        taken = 0
        request = live.request
        live.request = None
        while True:
            if request is None:
                try:
                    request = live.steps.send(live.reply)
                except StopIteration as stop:
                    if live.redrive_next():
                        live.reply = None
                        continue
                    outcome: Outcome = stop.value
                    return outcome
            if isinstance(request, Await):
                _show_restarts(live)
                if live.stop_next():  # StopExecution, then RedriveExecution
                    if not live.redrive_next():
                        raise ReplayError(f"{live.arn} is running, but its journal stops it")
                    live.reply = request = None
                    continue
                found = _replayed(live) if live.position < len(live.replay) else None
                if found is None:
                    if live.replaying:
                        self._start_unstarted(live, batch)
                        live.replaying = False
                    found = live.take() if taken < STEP_BUDGET else None
                    if found is None:
                        live.request = request
                        return None
                    effect = live.asked.pop(found[0])
                    self._journal(live, effect, found[1], batch)
                    taken += 1
                live.reply = Answer(*found)
            elif isinstance(request, Cancel):
                self._cancel(live, request.ids, batch)
                live.reply = None
            elif isinstance(request, IMMEDIATE):
                live.reply = self._immediate(live, request, batch)
            else:
                live.asked[request.id] = request
                if live.replaying:
                    live.unstarted[request.id] = request
                else:
                    self._start(live, request, batch)
                live.reply = PENDING
            request = None

    def _immediate(self, live: Live, request: Any, batch: Batch) -> Any:
        if live.position < len(live.replay):
            entry = live.replay[live.position]
            if entry.id != request.id or entry.kind != type(request).__name__:
                raise ReplayError(
                    f"journal entry {live.position} of {live.arn} answers {entry.kind} "
                    f"{entry.id}, but the execution asks {type(request).__name__} {request.id}"
                )
            live.position += 1
            return entry.answer
        if isinstance(request, Now):
            value: Any = self.clock.now()
        elif isinstance(request, Random):
            value = live.rng.random()
        else:
            value = f"{live.rng.getrandbits(256):064x}"
        self._journal(live, request, value, batch)
        return value

    def _journal(self, live: Live, effect: Any, value: Any, batch: Batch) -> None:
        batch.journal.append(
            JournalEntryRecord(
                live.arn,
                live.sequence,
                effect.id,
                type(effect).__name__,
                codec.encode(value),
                self.clock.now(),
            )
        )
        live.sequence += 1

    def _start(self, live: Live, effect: Any, batch: Batch) -> None:
        """Take a newly asked effect in hand: a timer, a token, or a call after the commit."""
        mocks = live.mocks
        if not isinstance(effect, Sleep) and mocks is not None and effect.state in mocks:
            live.deliver(effect.id, mocked_answer(mocks, effect))
        elif isinstance(effect, Sleep):
            until = effect.until or self.clock.now() + effect.seconds
            batch.timers.append(TimerRecord(live.arn, effect.id, until))
        elif isinstance(effect, Callback):
            batch.tokens.append(token_record(live.arn, effect, self.clock.now()))
            batch.activity_tasks = batch.activity_tasks or effect.activity is not None
            if not self.waits.start(live, effect) and effect.activity is None:
                batch.sends.append(effect)  # e.g. an SQS message carrying the token
        elif not self.waits.start(live, effect):
            live.in_flight.add(effect.id)
            batch.calls.append((live, effect))

    def _start_unstarted(self, live: Live, batch: Batch) -> None:
        """After a replay: re-arm what the execution still waits on; calls run again."""
        for effect in live.unstarted.values():
            if effect.id in live.inbox:
                continue
            if (
                isinstance(effect, _CALLS)
                and not (live.mocks is not None and effect.state in live.mocks)
                and not self.waits.is_server_child(live, effect)
            ):
                event = restart_event(live.interpreter, effect.id, self.clock.now())
                show_restart(live.interpreter, event)
                self._journal_restart(live, effect, event, batch)
            self._start(live, effect, batch)
        live.unstarted.clear()

    def _journal_restart(
        self, live: Live, effect: Any, event: dict[str, Any], batch: Batch
    ) -> None:
        batch.journal.append(
            JournalEntryRecord(
                live.arn, live.sequence, effect.id, RESTARTED, to_text(event), self.clock.now()
            )
        )
        live.sequence += 1
        live.replay.append(Entry(effect.id, RESTARTED, event))
        live.position = len(live.replay)

    def _cancel(self, live: Live, ids: tuple[str, ...], batch: Batch) -> None:
        self.aborter.stop_children(live.arn, set(ids), batch)  # e.g. another branch failed
        for effect_id in ids:
            effect = live.asked.pop(effect_id, None)
            live.unstarted.pop(effect_id, None)
            live.inbox.pop(effect_id, None)
            if isinstance(effect, Sleep):
                batch.timers_done.append((live.arn, effect_id))
            elif isinstance(effect, Callback):
                batch.tokens_closed.append((effect.token, effect_id))

    def _finish(self, live: Live, outcome: Outcome, batch: Batch) -> None:
        record = dataclasses.replace(
            live.record,
            status=outcome.status,
            output=to_text(outcome.output) if outcome.status == "SUCCEEDED" else None,
            error=outcome.error,
            cause=outcome.cause,
            stopped_at=round(self.clock.now(), 3),
        )
        batch.finished.append(record)
        self.executions.pop(live.arn)
        self.aborter.stop_children(live.arn, None, batch)  # it failed or timed out while they ran
        interpreter = live.interpreter
        publish(
            lambda: Recorded(
                interpreter.machine,
                outcome.status,
                tuple(interpreter.history.events),
                tuple(interpreter.trail),
            )
        )


def _replayed(live: Live) -> tuple[str, Any] | None:
    """The next journal answer to feed (after the restart markers on the way)."""
    _show_restarts(live)
    if live.position >= len(live.replay):
        return None
    entry = live.replay[live.position]
    effect = live.asked.pop(entry.id, None)
    if effect is None or type(effect).__name__ != entry.kind:
        raise ReplayError(
            f"journal entry {live.position} of {live.arn} answers {entry.kind} {entry.id}, "
            f"which the execution does not ask"
        )
    live.unstarted.pop(entry.id, None)
    live.position += 1
    if live.mocks is not None and effect.state in live.mocks:
        live.mocks.next_call(effect.state)  # the mock's call count goes on where it was
    return entry.id, entry.answer


def _show_restarts(live: Live) -> None:
    while live.position < len(live.replay) and live.replay[live.position].kind == RESTARTED:
        show_restart(live.interpreter, live.replay[live.position].answer)
        live.position += 1


def _save_events(live: Live, batch: Batch) -> None:
    events = live.interpreter.history.events
    for event in events[live.saved_events :]:
        batch.events.append(event_record(live.arn, event))
    note_map_runs(batch, live.arn, events, live.saved_events)
    live.saved_events = max(live.saved_events, len(events))
