"""The durable runtime: Standard executions kept in the store, driven by one scheduler thread.

    runtime = Runtime(db, clock, invoker)
    runtime.start()                  # resumes every RUNNING execution from its journal
    runtime.started(execution_arn)   # after StartExecution committed the row
    ...
    runtime.stop()

Why this shape:

* **No thread per execution.** An execution waiting on a Wait is a row in
  `timers`, one waiting on a task token a row in `task_tokens`; its interpreter
  may stay in memory (up to `MAX_LIVE`) or be dropped and rebuilt from the
  journal when the timer fires or the token is answered.
* **Group commits.** The scheduler takes everything that happened since its
  last round (answers from workers, fired timers, SendTask*, new executions),
  steps every execution concerned until it waits again, and writes all their
  history events, journal entries, timers and tokens in one transaction. Only
  then are Lambda and service calls handed to the worker pool and callers
  told: a transition is committed before its effects are acknowledged.
* **Recovery.** On start every RUNNING execution is replayed from its journal.
  A Lambda or service call that was asked but never answered (the process
  died while it ran) runs again: at least once. The history shows the retry:
  the interrupted attempt's events stay and a second `...Started` event marks
  the new attempt (journaled as a `Restarted` entry, so later replays rebuild
  the same history). A call whose answer was committed is never made again.

Express executions do not come here: they run in memory (`runtime/express.py`).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import queue
import random
import threading
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

from phalanx.asl import StateMachine
from phalanx.engine.effects import (
    IMMEDIATE,
    PENDING,
    Answer,
    Await,
    Callback,
    CallbackResponse,
    CallService,
    Cancel,
    InvokeLambda,
    Now,
    Outcome,
    Random,
    Sleep,
)
from phalanx.engine.history import details_key, from_text, to_text
from phalanx.engine.interpreter import ExecutionInfo, Interpreter
from phalanx.errors import PhalanxError, ReplayError
from phalanx.runtime import codec
from phalanx.runtime.clock import Clock, VirtualClock
from phalanx.runtime.driver import ServiceHandler, unmocked_service
from phalanx.runtime.lambdas import Invoker
from phalanx.runtime.mocks import Returns, StateMocks
from phalanx.store import Database
from phalanx.store import executions as execution_rows
from phalanx.store import journal as journal_rows
from phalanx.store.records import (
    ExecutionRecord,
    HistoryEventRecord,
    JournalEntryRecord,
    TaskTokenRecord,
    TimerRecord,
)

MAX_WORKERS = 32
"""Lambda and service calls running at once; more wait for a worker."""
MAX_LIVE = 2_000
"""Executions kept in memory while they wait on timers or tokens; beyond, they are dropped."""
STEP_BUDGET = 1_000
"""Answers one execution takes in a round before the others get their turn."""
ROUND_TIMERS = 2_000
"""Due timers fired in one round."""
RESTARTED = "Restarted"
"""Journal kind of a call made again after a restart (its payload is the event that shows it)."""

_LOG = logging.getLogger("phalanx.runtime")
_CALLS = (InvokeLambda, CallService)
_STARTED_EVENTS = ("LambdaFunctionStarted", "TaskStarted")

MockLookup = Callable[[str, str], StateMocks | None]
"""(machine name, test case) -> the mocks of that MockConfigFile test case."""


class TaskGone(PhalanxError):
    """A task token's task is no longer waiting (answered, timed out, or its execution ended)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    """A journal entry being replayed (the driver's JournalEntry, plus restart markers)."""

    id: str
    kind: str
    answer: Any


class _Live:
    """One execution in memory: its interpreter, what it asked, what has come back."""

    def __init__(
        self,
        record: ExecutionRecord,
        interpreter: Interpreter,
        replay: list[_Entry],
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
        self.rng = random.Random()
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

    def parked_on_others(self) -> bool:
        """It waits only on timers and tokens: it may leave memory."""
        return not self.in_flight and not self.arrivals and not self.unstarted


class _Batch:
    """What one round writes in one transaction, and what it does once committed."""

    def __init__(self) -> None:
        self.events: list[HistoryEventRecord] = []
        self.journal: list[JournalEntryRecord] = []
        self.timers: list[TimerRecord] = []
        self.timers_done: list[tuple[str, str]] = []
        self.tokens: list[TaskTokenRecord] = []
        self.tokens_closed: list[tuple[str, str]] = []
        self.tokens_answered: list[str] = []
        self.finished: list[ExecutionRecord] = []
        self.calls: list[tuple[_Live, Any]] = []
        self.replies: list[tuple[concurrent.futures.Future[Any], Any]] = []
        self.activity_tasks = False

    def __bool__(self) -> bool:
        return bool(
            self.events
            or self.journal
            or self.timers
            or self.timers_done
            or self.tokens
            or self.tokens_closed
            or self.tokens_answered
            or self.finished
        )


class Runtime:
    """Drives the store's Standard executions (module docstring)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        invoker: Invoker,
        services: ServiceHandler = unmocked_service,
        *,
        mocks: MockLookup | None = None,
        max_workers: int = MAX_WORKERS,
    ) -> None:
        self.db = db
        self.clock = clock
        self.invoker = invoker
        """Calls of executions started from now on (`--reload` replaces it)."""
        self.services = services
        self.mocks = mocks
        self.activity_waiters = threading.Condition()
        """Notified when an activity task is waiting (GetActivityTask long polls)."""
        self._inbox: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._live: dict[str, _Live] = {}
        self._machines: dict[str, StateMachine] = {}
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers, thread_name_prefix="phalanx-call"
        )
        self._calls_out = 0
        self._calls_lock = threading.Lock()
        self._next_timer: float | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="phalanx-scheduler", daemon=True)

    # -- called from other threads -------------------------------------------------

    def start(self) -> None:
        """Resume every RUNNING execution, then run the scheduler thread."""
        with self.db.atomic(write=False) as connection:
            running = execution_rows.with_status(connection, "RUNNING")
            self._next_timer = journal_rows.next_due(connection)
        for record in running:
            self._inbox.put(("resume", record.arn))
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the current round (its commit), then stop; calls still running are dropped.

        Their executions stay RUNNING with the call unanswered in the journal:
        the next start runs those calls again.
        """
        self._stopping.set()
        self._inbox.put(("wake",))
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def started(self, arn: str) -> None:
        """A new execution's row is committed: run it."""
        self._inbox.put(("resume", arn))

    def answer(self, token: str, response: CallbackResponse) -> None:
        """Answer a task token; returns once the answer is committed, or raises `TaskGone`."""
        self._ask(("token", token, response))

    def abort(self, arn: str, error: str | None, cause: str | None) -> float:
        """StopExecution: the execution ends ABORTED; returns when (committed)."""
        stopped: float = self._ask(("abort", arn, error, cause))
        return stopped

    def _ask(self, message: tuple[Any, ...]) -> Any:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._inbox.put((*message, future))
        return future.result()

    # -- the scheduler ---------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stopping.is_set():
            messages = self._wait_for_messages()
            try:
                self._round(messages)
            except Exception:  # a bug must not stop every execution: log it, go on
                _LOG.exception("scheduler round failed")
                for message in messages:
                    future = message[-1]
                    if isinstance(future, concurrent.futures.Future) and not future.done():
                        future.set_exception(PhalanxError("the scheduler failed; see its log"))

    def _wait_for_messages(self) -> list[tuple[Any, ...]]:
        timeout: float | None = 0.5
        if self._next_timer is not None:
            timeout = max(0.0, min(0.5, self._next_timer - self.clock.now()))
            if timeout > 0 and isinstance(self.clock, VirtualClock) and self._idle():
                self.clock.set(self._next_timer)  # nothing else can happen first: skip ahead
                timeout = 0.0
        messages: list[tuple[Any, ...]] = []
        try:
            messages.append(
                self._inbox.get(timeout=timeout) if timeout else self._inbox.get_nowait()
            )
        except queue.Empty:
            return messages
        while True:
            try:
                messages.append(self._inbox.get_nowait())
            except queue.Empty:
                return messages

    def _idle(self) -> bool:
        return self._calls_out == 0 and self._inbox.empty()

    def _round(self, messages: list[tuple[Any, ...]]) -> None:
        batch = _Batch()
        touched: dict[str, _Live] = {}
        for message in messages:
            self._take(message, batch, touched)
        self._fire_timers(batch, touched)
        for live in list(touched.values()):
            self._step(live, batch)
            if live.arrivals or live.unstarted:
                self._inbox.put(("again", live.arn))  # over its budget: next round
        if batch:
            self._commit(batch)
        elif self._next_timer is None:
            with self.db.atomic(write=False) as connection:
                self._next_timer = journal_rows.next_due(connection)
        for live, effect in batch.calls:
            self._call(live, effect)
        for future, value in batch.replies:
            if not future.done():
                future.set_result(value)
        if batch.activity_tasks:
            with self.activity_waiters:
                self.activity_waiters.notify_all()
        self._evict()

    def _take(self, message: tuple[Any, ...], batch: _Batch, touched: dict[str, _Live]) -> None:
        kind = message[0]
        if kind == "resume" or kind == "again":
            live = self._load(message[1])
            if live is not None:
                touched[live.arn] = live
        elif kind == "answer":
            _, arn, effect_id, value = message
            with self._calls_lock:
                self._calls_out -= 1
            live = self._live.get(arn)
            if live is not None:
                live.in_flight.discard(effect_id)
                live.deliver(effect_id, value)
                touched[arn] = live
        elif kind == "token":
            _, token, response, future = message
            self._answer_token(token, response, future, batch, touched)
        elif kind == "abort":
            _, arn, error, cause, future = message
            self._abort(arn, error, cause, future, batch)
            touched.pop(arn, None)

    def _fire_timers(self, batch: _Batch, touched: dict[str, _Live]) -> None:
        if self._next_timer is None or self._next_timer > self.clock.now():
            return
        with self.db.atomic(write=False) as connection:
            due = journal_rows.due_timers(connection, self.clock.now(), ROUND_TIMERS)
        for timer in due:
            batch.timers_done.append((timer.execution_arn, timer.effect_id))
            live = self._load(timer.execution_arn)
            if live is not None:
                live.deliver(timer.effect_id, None)
                touched[live.arn] = live
        self._next_timer = None  # read again after the commit

    def _answer_token(
        self,
        token: str,
        response: CallbackResponse,
        future: concurrent.futures.Future[Any],
        batch: _Batch,
        touched: dict[str, _Live],
    ) -> None:
        with self.db.atomic(write=False) as connection:
            row = journal_rows.get_token(connection, token)
        live = None if row is None or row.status == "TIMED_OUT" else self._load(row.execution_arn)
        if live is not None and live.replaying:
            self._step(live, batch)  # rebuilt from its journal: learn what it waits on
        if row is None or live is None or row.effect_id not in live.asked:
            future.set_exception(TaskGone(token))
            return
        if not (response.heartbeat or response.started):
            batch.tokens_answered.append(token)
        live.deliver(row.effect_id, response)
        touched[live.arn] = live
        batch.replies.append((future, None))

    # -- loading and stepping ---------------------------------------------------------

    def _load(self, arn: str) -> _Live | None:
        """The execution in memory, rebuilt from its journal if needed; None unless RUNNING."""
        live = self._live.get(arn)
        if live is not None:
            return live
        with self.db.atomic(write=False) as connection:
            record = execution_rows.get(connection, arn)
            if record is None or record.status != "RUNNING":
                return None
            entries = journal_rows.entries(connection, arn)
            saved = execution_rows.last_event_id(connection, arn)
        replay = [
            _Entry(
                e.effect_id,
                e.kind,
                from_text(e.payload) if e.kind == RESTARTED else codec.decode(e.payload),
            )
            for e in entries
        ]
        try:
            interpreter = self._interpreter(record)
            mocks = self._mocks(record)
        except PhalanxError as error:
            _LOG.error("execution %s cannot be resumed: %s", arn, error)
            return None
        live = _Live(record, interpreter, replay, len(entries), saved, self.invoker, mocks)
        self._live[arn] = live
        return live

    def _interpreter(self, record: ExecutionRecord) -> Interpreter:
        machine = self._machines.get(record.definition)
        if machine is None:
            machine = StateMachine.from_asl(record.definition)
            if len(self._machines) > 256:
                self._machines.clear()
            self._machines[record.definition] = machine
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

    def _mocks(self, record: ExecutionRecord) -> StateMocks | None:
        if record.test_case is None or self.mocks is None:
            return None
        return self.mocks(record.arn.split(":")[6], record.test_case)

    def _step(self, live: _Live, batch: _Batch) -> None:
        """Run `live` until it waits (or its budget is spent); what it did goes in `batch`."""
        try:
            outcome = self._advance(live, batch)
        except PhalanxError as error:  # a journal that does not fit: fail it, loudly
            _LOG.error("execution %s cannot go on: %s", live.arn, error)
            outcome = Outcome("FAILED", error="States.Runtime", cause=str(error))
            history = live.interpreter.history
            last = history.events[-1]["id"] if history.events else 0
            history.events.append(
                {
                    "timestamp": round(self.clock.now(), 3),
                    "type": "ExecutionFailed",
                    "id": len(history.events) + 1,
                    "previousEventId": last,
                    "executionFailedEventDetails": {"error": outcome.error, "cause": outcome.cause},
                }
            )
        self._save_events(live, batch)
        if outcome is not None:
            self._finish(live, outcome, batch)

    def _advance(self, live: _Live, batch: _Batch) -> Outcome | None:
        taken = 0
        request = live.request
        live.request = None
        while True:
            if request is None:
                try:
                    request = live.steps.send(live.reply)
                except StopIteration as stop:
                    outcome: Outcome = stop.value
                    return outcome
            if isinstance(request, Await):
                found = self._replayed(live) if live.position < len(live.replay) else None
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

    def _replayed(self, live: _Live) -> tuple[str, Any] | None:
        """The next journal answer to feed (restart markers on the way are applied)."""
        while live.position < len(live.replay) and live.replay[live.position].kind == RESTARTED:
            _show_restart(live.interpreter, live.replay[live.position].answer)
            live.position += 1
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

    def _immediate(self, live: _Live, request: Any, batch: _Batch) -> Any:
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

    def _journal(self, live: _Live, effect: Any, value: Any, batch: _Batch) -> None:
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

    def _start(self, live: _Live, effect: Any, batch: _Batch) -> None:
        """Take a newly asked effect in hand: a timer, a token, or a call after the commit."""
        mocks = live.mocks
        if not isinstance(effect, Sleep) and mocks is not None and effect.state in mocks:
            live.deliver(effect.id, _mocked(mocks, effect))
        elif isinstance(effect, Sleep):
            until = effect.until or self.clock.now() + effect.seconds
            batch.timers.append(TimerRecord(live.arn, effect.id, until))
        elif isinstance(effect, Callback):
            batch.tokens.append(self._token(live, effect))
            batch.activity_tasks = batch.activity_tasks or effect.activity is not None
        else:
            live.in_flight.add(effect.id)
            batch.calls.append((live, effect))

    def _start_unstarted(self, live: _Live, batch: _Batch) -> None:
        """After a replay: re-arm what the execution still waits on; calls run again."""
        for effect in live.unstarted.values():
            if effect.id in live.inbox:
                continue
            if isinstance(effect, _CALLS) and not (
                live.mocks is not None and effect.state in live.mocks
            ):
                event = _restart_event(live.interpreter, self.clock.now())
                _show_restart(live.interpreter, event)
                self._journal_restart(live, effect, event, batch)
            self._start(live, effect, batch)
        live.unstarted.clear()

    def _journal_restart(
        self, live: _Live, effect: Any, event: dict[str, Any], batch: _Batch
    ) -> None:
        batch.journal.append(
            JournalEntryRecord(
                live.arn, live.sequence, effect.id, RESTARTED, to_text(event), self.clock.now()
            )
        )
        live.sequence += 1
        live.replay.append(_Entry(effect.id, RESTARTED, event))
        live.position = len(live.replay)

    def _token(self, live: _Live, effect: Callback) -> TaskTokenRecord:
        return TaskTokenRecord(
            token=effect.token,
            execution_arn=live.arn,
            effect_id=effect.id,
            state_name=effect.state,
            activity_arn=effect.activity,
            input=to_text(effect.parameters),
            status="WAITING",
            worker_name=None,
            heartbeat_seconds=effect.heartbeat,
            timeout_at=None,
            heartbeat_at=None,
            created_at=self.clock.now(),
        )

    def _cancel(self, live: _Live, ids: tuple[str, ...], batch: _Batch) -> None:
        for effect_id in ids:
            effect = live.asked.pop(effect_id, None)
            live.unstarted.pop(effect_id, None)
            live.inbox.pop(effect_id, None)
            if isinstance(effect, Sleep):
                batch.timers_done.append((live.arn, effect_id))
            elif isinstance(effect, Callback):
                batch.tokens_closed.append((effect.token, effect_id))

    def _call(self, live: _Live, effect: Any) -> None:
        if self._stopping.is_set():
            return  # left unanswered in the journal: the next start runs it
        with self._calls_lock:
            self._calls_out += 1
        invoker, services, arn = live.invoker, self.services, live.arn

        def run() -> None:
            try:
                if isinstance(effect, InvokeLambda):
                    value: Any = invoker.invoke(effect)
                else:
                    value = services(effect)
            except BaseException:  # the call's own failure is its answer; a crash is ours
                _LOG.exception("call of state %r failed in Phalanx", effect.state)
                raise
            self._inbox.put(("answer", arn, effect.id, value))

        self._pool.submit(run)

    def _save_events(self, live: _Live, batch: _Batch) -> None:
        events = live.interpreter.history.events
        for event in events[live.saved_events :]:
            batch.events.append(_event_record(live.arn, event))
        live.saved_events = max(live.saved_events, len(events))

    def _finish(self, live: _Live, outcome: Outcome, batch: _Batch) -> None:
        record = dataclasses.replace(
            live.record,
            status=outcome.status,
            output=to_text(outcome.output) if outcome.status == "SUCCEEDED" else None,
            error=outcome.error,
            cause=outcome.cause,
            stopped_at=round(self.clock.now(), 3),
        )
        batch.finished.append(record)
        self._live.pop(live.arn, None)

    def _abort(
        self,
        arn: str,
        error: str | None,
        cause: str | None,
        future: concurrent.futures.Future[Any],
        batch: _Batch,
    ) -> None:
        live = self._live.pop(arn, None)
        with self.db.atomic(write=False) as connection:
            record = execution_rows.get(connection, arn)
            last = execution_rows.last_event_id(connection, arn)
        if record is None or record.status != "RUNNING":
            future.set_result(None if record is None else record.stopped_at)
            return
        if live is not None:
            live.steps.close()
            last = max(last, live.saved_events)
        now = round(self.clock.now(), 3)
        details: dict[str, Any] = {}
        if error is not None:
            details["error"] = error
        if cause is not None:
            details["cause"] = cause
        batch.events.append(
            HistoryEventRecord(arn, last + 1, last, now, "ExecutionAborted", details)
        )
        batch.finished.append(
            dataclasses.replace(record, status="ABORTED", error=error, cause=cause, stopped_at=now)
        )
        batch.replies.append((future, now))

    def _commit(self, batch: _Batch) -> None:
        with self.db.atomic() as connection:
            execution_rows.append_events(connection, batch.events)
            journal_rows.append(connection, batch.journal)
            for arn, effect_id in batch.timers_done:
                journal_rows.delete_timer(connection, arn, effect_id)
            for timer in batch.timers:
                journal_rows.set_timer(connection, timer)
            for token in batch.tokens:
                journal_rows.arm_token(connection, token)
            for token_text in batch.tokens_answered:
                journal_rows.delete_token(connection, token_text)
            for token_text, effect_id in batch.tokens_closed:
                found = journal_rows.get_token(connection, token_text)
                if found is not None and found.effect_id == effect_id:
                    journal_rows.set_token_status(connection, token_text, "TIMED_OUT")
            for record in batch.finished:
                execution_rows.update(connection, record)
                journal_rows.delete_timers_of(connection, record.arn)
                journal_rows.delete_tokens_of(connection, record.arn)
            self._next_timer = journal_rows.next_due(connection)

    def _evict(self) -> None:
        if len(self._live) <= MAX_LIVE:
            return
        for arn, live in list(self._live.items()):
            if live.request is not None and live.parked_on_others():
                del self._live[arn]
                live.steps.close()
                if len(self._live) <= MAX_LIVE // 2:
                    return


def _mocked(mocks: StateMocks, effect: Any) -> Any:
    if isinstance(effect, InvokeLambda):
        return mocks.invoke(effect)
    if isinstance(effect, CallService):
        return mocks.call(effect)
    call = mocks.next_call(effect.state)
    if isinstance(call, Returns):
        return CallbackResponse(output=call.value)
    return CallbackResponse(error=call.error, cause=call.cause)


def _restart_event(interpreter: Interpreter, now: float) -> dict[str, Any]:
    """The event showing a call started again: a copy of the last `...Started` event."""
    events = interpreter.history.events
    for event in reversed(events):
        if event["type"] in _STARTED_EVENTS:
            shown = {key: value for key, value in event.items() if key not in ("id", "timestamp")}
            return {**shown, "previousEventId": event["id"], "timestamp": round(now, 3)}
    last = events[-1]["id"] if events else 0
    return {"type": "TaskStarted", "previousEventId": last, "timestamp": round(now, 3)}


def _show_restart(interpreter: Interpreter, event: dict[str, Any]) -> None:
    history = interpreter.history
    history.events.append({**event, "id": len(history.events) + 1})
    history.labels.append("")


def _event_record(arn: str, event: dict[str, Any]) -> HistoryEventRecord:
    key = details_key(event["type"])
    return HistoryEventRecord(
        arn,
        event["id"],
        event["previousEventId"],
        event["timestamp"],
        event["type"],
        event.get(key, {}),
    )
