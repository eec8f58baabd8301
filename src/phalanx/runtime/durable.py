"""The durable runtime: Standard executions kept in the store, driven by one scheduler thread.

    runtime = Runtime(db, clock, invoker)
    runtime.start()                  # resumes every RUNNING execution from its journal
    runtime.begin(record)            # StartExecution: insert its row and run it
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
  history events, journal entries, timers and tokens in one transaction (with
  the rows of the executions started since, so a StartExecution costs no
  commit of its own). Only then are Lambda and service calls handed to the
  worker pool and callers told: a transition is committed before its effects
  are acknowledged.
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
import contextlib
import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from phalanx.asl import StateMachine
from phalanx.asl.resources import parse_resource
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
    ServiceResponse,
    Sleep,
)
from phalanx.engine.history import error_details, from_text, to_text
from phalanx.engine.interpreter import Interpreter
from phalanx.errors import ChildRefused, PhalanxError, ReplayError
from phalanx.runtime import codec
from phalanx.runtime.batch import Batch, event_record, note_map_runs, token_record
from phalanx.runtime.clock import Clock, VirtualClock
from phalanx.runtime.driver import ServiceHandler, unmocked_service
from phalanx.runtime.lambdas import Invoker
from phalanx.runtime.live import (
    RESTARTED,
    STOPPED,
    TEXT_KINDS,
    Entry,
    Live,
    interpreter_for,
    mocked_answer,
    restart_event,
    show_restart,
)
from phalanx.runtime.mocks import StateMocks
from phalanx.runtime.recorder import Recorded, publish
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
ROUND_MESSAGES = 2_000
"""Messages (answers, starts, resumes) taken in one round; the rest wait for the next."""
ROUND_TIMERS = 2_000
"""Due timers fired in one round."""

_LOG = logging.getLogger("phalanx.runtime")
_CALLS = (InvokeLambda, CallService)

MockLookup = Callable[[str, str], StateMocks | None]
"""(machine name, test case) -> the mocks of that MockConfigFile test case."""


class TaskGone(PhalanxError):
    """A task token's task is no longer waiting (answered, timed out, or its execution ended)."""


class Children(Protocol):
    """Starts nested machines' children as executions of the server.

    The API server hands one in (`phalanx.services.server_children`), so the
    runtime knows nothing of how a child's result is shaped.
    """

    def for_parent(self, parent_arn: str) -> Children: ...

    def request(self, effect: Any, parent_arn: str) -> Any: ...

    def start(self, request: Any, *, wait: bool) -> Any: ...

    def answer(self, child: Any, pattern: str) -> ServiceResponse: ...

    def answer_ended(self, record: ExecutionRecord, pattern: str) -> ServiceResponse: ...

    def ended(self) -> None: ...


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
        children: Children | None = None,
        max_workers: int = MAX_WORKERS,
    ) -> None:
        self.db = db
        self.clock = clock
        self.invoker = invoker
        """Calls of executions started from now on (`--reload` replaces it)."""
        self.services = services
        self.mocks = mocks
        self.children = children
        """Starts `states:startExecution*` children in the store (none: they are calls)."""
        self.send: Callable[[Callback], ServiceResponse | None] | None = None
        """Sends a `.waitForTaskToken` task's request (`Services.submit`); None: nothing sent."""
        self._parents: dict[str, list[tuple[str, str, str]]] = {}
        """child execution ARN -> (parent ARN, effect id, pattern) of `.sync` tasks waiting."""
        self.activity_waiters = threading.Condition()
        """Notified when an activity task is waiting (GetActivityTask long polls)."""
        self._inbox: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._live: dict[str, Live] = {}
        self._machines: dict[str, StateMachine] = {}
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers, thread_name_prefix="phalanx-call"
        )
        self._calls_out = 0
        self._calls_lock = threading.Lock()
        self._next_timer: float | None = None
        self._stopping = threading.Event()
        self._polls_closed = threading.Event()
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
        """The server is stopping: long polls (GetActivityTask) answer now."""
        return self._stopping.is_set() or self._polls_closed.is_set()

    def close_polls(self) -> None:
        """Let long polls answer at once (the server is draining its requests)."""
        self._polls_closed.set()
        with self.activity_waiters:
            self.activity_waiters.notify_all()

    def begin(self, record: ExecutionRecord) -> ExecutionRecord | None:
        """Start the execution `record`; returns once its row is committed.

        If an execution with its ARN exists already, nothing starts and that
        execution's record is returned (StartExecution decides what it means).
        """
        if threading.current_thread() is self._thread:
            return self._begin_in_round(record)
        existing: ExecutionRecord | None = self._ask(("new", record.arn, record))
        return existing

    def _begin_in_round(self, record: ExecutionRecord) -> ExecutionRecord | None:
        """A child a parent's Task starts while the scheduler steps the parent: the
        scheduler can't wait for its own next round, so the row is committed now."""
        with self.db.atomic() as connection:
            existing = execution_rows.get(connection, record.arn)
            if existing is None:
                execution_rows.insert(connection, record)
        if existing is None:
            self._inbox.put(("resume", record.arn))
        return existing

    def answer(self, token: str, response: CallbackResponse) -> None:
        """Answer a task token; returns once the answer is committed, or raises `TaskGone`."""
        self._ask(("token", token, response))

    def redriven(self, arn: str) -> None:
        """RedriveExecution committed its journal entry and RUNNING row: run it again."""
        self._inbox.put(("resume", arn))

    def abort(self, arn: str, error: str | None, cause: str | None) -> float:
        """StopExecution: the execution ends ABORTED; returns when (committed)."""
        stopped: float = self._ask(("abort", arn, error, cause))
        return stopped

    def take_activity_task(
        self, activity_arn: str, worker: str | None, timeout: float
    ) -> TaskTokenRecord | None:
        """GetActivityTask: hand the oldest waiting task to `worker`, waiting up to `timeout`.

        None when no task came (or the server is stopping). The execution is
        told the task started (ActivityStarted, with the worker's name).
        """
        ends = time.monotonic() + timeout
        while True:
            with self.db.atomic() as connection:
                task = journal_rows.claim_activity_task(connection, activity_arn, worker)
            if task is not None:
                try:
                    self.answer(task.token, CallbackResponse(started=True, worker=worker))
                except TaskGone:
                    continue  # its execution ended meanwhile: look for another
                return task
            left = ends - time.monotonic()
            if left <= 0 or self.stopping:
                return None
            with self.activity_waiters:
                self.activity_waiters.wait(min(left, 1.0))

    def _ask(self, message: tuple[Any, ...]) -> Any:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._inbox.put((*message, future))
        return future.result()

    # -- the scheduler ---------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stopping.is_set():
            messages = self._wait_for_messages()
            touched: dict[str, Live] = {}
            try:
                self._round(messages, touched)
            except Exception:  # a bug must not stop every execution: log it, go on
                _LOG.exception("scheduler round failed")
                for message in messages:
                    future = message[-1]
                    if isinstance(future, concurrent.futures.Future) and not future.done():
                        future.set_exception(PhalanxError("the scheduler failed; see its log"))
                # What they did in memory was not committed: rebuild them from the store.
                for arn in touched:
                    self._live.pop(arn, None)
                    self._inbox.put(("resume", arn))

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
        while len(messages) < ROUND_MESSAGES:  # a round's work stays bounded (recovery)
            try:
                messages.append(self._inbox.get_nowait())
            except queue.Empty:
                break
        return messages

    def _idle(self) -> bool:
        return self._calls_out == 0 and self._inbox.empty()

    def _round(self, messages: list[tuple[Any, ...]], touched: dict[str, Live]) -> None:
        batch = Batch()
        for message in messages:
            self._take(message, batch, touched)
        self._fire_timers(batch, touched)
        for live in list(touched.values()):
            self._step(live, batch)
            if live.arrivals or live.unstarted:
                self._inbox.put(("again", live.arn))  # over its budget: next round
        if batch:
            self._next_timer = batch.commit(self.db)
        elif self._next_timer is None:
            with self.db.atomic(write=False) as connection:
                self._next_timer = journal_rows.next_due(connection)
        for record in batch.finished:
            self._child_ended(record)
        for live, effect in batch.calls:
            self._call(live, effect)
        for callback in batch.sends:
            self._send(callback)
        for future, value in batch.replies:
            if not future.done():
                future.set_result(value)
        if batch.activity_tasks:
            with self.activity_waiters:
                self.activity_waiters.notify_all()
        self._evict()

    def _take(self, message: tuple[Any, ...], batch: Batch, touched: dict[str, Live]) -> None:
        kind = message[0]
        if kind == "new":
            _, arn, record, future = message
            existing = self._existing(arn, batch)
            if existing is None:
                batch.started.append(record)
                live = self._keep(record, [], 0)
                if live is not None:
                    touched[arn] = live
            batch.replies.append((future, existing))
        elif kind in ("resume", "again"):
            live = self._load(message[1])
            if live is not None:
                touched[live.arn] = live
        elif kind in ("answer", "child"):
            _, arn, effect_id, value = message
            if kind == "answer":
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

    def _fire_timers(self, batch: Batch, touched: dict[str, Live]) -> None:
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
        batch: Batch,
        touched: dict[str, Live],
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

    def _existing(self, arn: str, batch: Batch) -> ExecutionRecord | None:
        """The execution named `arn`, started in this round or before."""
        for record in batch.started:
            if record.arn == arn:
                return record
        with self.db.atomic(write=False) as connection:
            if not execution_rows.exists(connection, arn):  # the usual case: no row to read
                return None
            return execution_rows.get(connection, arn)

    def _load(self, arn: str) -> Live | None:
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
            Entry(
                e.effect_id,
                e.kind,
                from_text(e.payload) if e.kind in TEXT_KINDS else codec.decode(e.payload),
            )
            for e in entries
        ]
        return self._keep(record, replay, saved)

    def _keep(self, record: ExecutionRecord, replay: list[Entry], saved: int) -> Live | None:
        try:
            interpreter = self._interpreter(record)
            mocks = self._mocks(record)
        except PhalanxError as error:
            _LOG.error("execution %s cannot be resumed: %s", record.arn, error)
            return None
        live = Live(record, interpreter, replay, len(replay), saved, self.invoker, mocks)
        self._live[record.arn] = live
        return live

    def _interpreter(self, record: ExecutionRecord) -> Interpreter:
        if len(self._machines) > 256:
            self._machines.clear()
        return interpreter_for(record, self._machines)

    def _mocks(self, record: ExecutionRecord) -> StateMocks | None:
        if record.test_case is None or self.mocks is None:
            return None
        return self.mocks(record.arn.split(":")[6], record.test_case)

    def _step(self, live: Live, batch: Batch) -> None:
        """Run `live` until it waits (or its budget is spent); what it did goes in `batch`."""
        try:
            outcome = self._advance(live, batch)
        except PhalanxError as error:  # a journal that does not fit: fail it, loudly
            _LOG.error("execution %s cannot go on: %s", live.arn, error)
            outcome = live.fail("States.Runtime", str(error), self.clock.now())
        self._save_events(live, batch)
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
                self._show_restarts(live)
                if live.stop_next():  # StopExecution, then RedriveExecution
                    if not live.redrive_next():
                        raise ReplayError(f"{live.arn} is running, but its journal stops it")
                    live.reply = request = None
                    continue
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

    def _replayed(self, live: Live) -> tuple[str, Any] | None:
        """The next journal answer to feed (after the restart markers on the way)."""
        self._show_restarts(live)
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

    def _show_restarts(self, live: Live) -> None:
        while live.position < len(live.replay) and live.replay[live.position].kind == RESTARTED:
            show_restart(live.interpreter, live.replay[live.position].answer)
            live.position += 1

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
            if not self._start_child(live, effect) and effect.activity is None:
                batch.sends.append(effect)  # e.g. an SQS message carrying the token
        elif not self._start_child(live, effect):
            live.in_flight.add(effect.id)
            batch.calls.append((live, effect))

    def _start_child(self, live: Live, effect: Any) -> bool:
        """Start the child `effect` names, if the server knows its machine (`children.py`).

        A `.sync` parent waits like on a token: answered by `_child_ended`.
        """
        if self.children is None or not isinstance(effect, (CallService, Callback)):
            return False
        children = self.children.for_parent(live.arn)
        request = children.request(effect, live.arn)
        if request is None:
            return False
        pattern = "" if isinstance(effect, Callback) else parse_resource(effect.resource).pattern
        if isinstance(request, ServiceResponse):
            self._child_answer(live, effect, request)
            return True
        try:
            child = children.start(request, wait=False)
        except ChildRefused as refused:
            error = f"StepFunctions.{refused.code}Exception"
            self._child_answer(live, effect, ServiceResponse(error=error, cause=refused.message))
            return True
        if pattern.startswith(".sync") and child.status == "RUNNING":
            self._parents.setdefault(child.execution_arn, []).append((live.arn, effect.id, pattern))
            live.in_flight.add(effect.id)  # stays in memory until the child ends
        else:
            self._child_answer(live, effect, children.answer(child, pattern))
        return True

    def _child_answer(self, live: Live, effect: Any, response: ServiceResponse) -> None:
        if isinstance(effect, CallService):
            live.deliver(effect.id, response)
        elif response.error is not None:  # a token's child that could not start
            live.deliver(effect.id, CallbackResponse(error=response.error, cause=response.cause))

    def _child_ended(self, record: ExecutionRecord) -> None:
        """`record`'s end is committed: answer the parents waiting on it."""
        for parent, effect_id, pattern in self._parents.pop(record.arn, []):
            assert self.children is not None
            answer = self.children.answer_ended(record, pattern)
            self._inbox.put(("child", parent, effect_id, answer))
        if self.children is not None:
            self.children.ended()

    def _start_unstarted(self, live: Live, batch: Batch) -> None:
        """After a replay: re-arm what the execution still waits on; calls run again."""
        for effect in live.unstarted.values():
            if effect.id in live.inbox:
                continue
            if (
                isinstance(effect, _CALLS)
                and not (live.mocks is not None and effect.state in live.mocks)
                and not self._is_server_child(live, effect)
            ):
                event = restart_event(live.interpreter, effect.id, self.clock.now())
                show_restart(live.interpreter, event)
                self._journal_restart(live, effect, event, batch)
            self._start(live, effect, batch)
        live.unstarted.clear()

    def _is_server_child(self, live: Live, effect: Any) -> bool:
        """A child started in the store: asked again, it is found, not run again."""
        if self.children is None or not isinstance(effect, CallService):
            return False
        return self.children.for_parent(live.arn).request(effect, live.arn) is not None

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
        self._stop_children(live.arn, set(ids), batch)  # e.g. another branch failed
        for effect_id in ids:
            effect = live.asked.pop(effect_id, None)
            live.unstarted.pop(effect_id, None)
            live.inbox.pop(effect_id, None)
            if isinstance(effect, Sleep):
                batch.timers_done.append((live.arn, effect_id))
            elif isinstance(effect, Callback):
                batch.tokens_closed.append((effect.token, effect_id))

    def _call(self, live: Live, effect: Any) -> None:
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

    def _send(self, effect: Callback) -> None:
        """Send a token's request on a worker; a failed send fails the task (as AWS does)."""
        send = self.send
        if send is None or self._stopping.is_set():
            return

        def run() -> None:
            sent = send(effect)
            if sent is not None and sent.error is not None:
                with contextlib.suppress(TaskGone):  # answered or ended meanwhile
                    self.answer(effect.token, CallbackResponse(error=sent.error, cause=sent.cause))

        self._pool.submit(run)

    def _save_events(self, live: Live, batch: Batch) -> None:
        events = live.interpreter.history.events
        for event in events[live.saved_events :]:
            batch.events.append(event_record(live.arn, event))
        note_map_runs(batch, live.arn, events, live.saved_events)
        live.saved_events = max(live.saved_events, len(events))

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
        self._live.pop(live.arn, None)
        self._stop_children(live.arn, None, batch)  # it failed or timed out while they ran
        interpreter = live.interpreter
        publish(
            lambda: Recorded(
                interpreter.machine,
                outcome.status,
                tuple(interpreter.history.events),
                tuple(interpreter.trail),
            )
        )

    def _abort(
        self,
        arn: str,
        error: str | None,
        cause: str | None,
        future: concurrent.futures.Future[Any] | None,
        batch: Batch,
    ) -> None:
        live = self._live.pop(arn, None)
        with self.db.atomic(write=False) as connection:
            record = execution_rows.get(connection, arn)
            last = execution_rows.last_event_id(connection, arn)
        if record is None or record.status != "RUNNING":
            if future is not None:
                future.set_result(None if record is None else record.stopped_at)
            return
        if live is not None:
            live.steps.close()
            last = max(last, live.saved_events)
        now = round(self.clock.now(), 3)
        details = error_details(error, cause)
        batch.events.append(
            HistoryEventRecord(arn, last + 1, last, now, "ExecutionAborted", details)
        )
        # Journaled, so that a redrive rebuilds the run up to here and reruns what was running.
        if live is not None:
            sequence = live.sequence
        else:
            with self.db.atomic(write=False) as connection:
                sequence = journal_rows.next_sequence(connection, arn)
        stop = to_text({"error": error, "cause": cause, "time": now})
        batch.journal.append(JournalEntryRecord(arn, sequence, "stop", STOPPED, stop, now))
        batch.finished.append(
            dataclasses.replace(record, status="ABORTED", error=error, cause=cause, stopped_at=now)
        )
        batch.map_runs_ended.append((arn, "ABORTED", now))
        if future is not None:
            batch.replies.append((future, now))
        self._stop_children(arn, None, batch)

    def _stop_children(self, parent: str, effect_ids: set[str] | None, batch: Batch) -> None:
        """Stop the `.sync` children that `parent` no longer waits on (those of `effect_ids`,
        or all of them): ABORTED, as StopExecution would, and their own children in turn.

        AWS grants a `.sync` nested workflow's role `states:StopExecution` on the
        child executions (IAM policies for Step Functions, "Synchronous"): a
        parent that stops waiting stops its child.
        """
        stopped = []
        for child, waits in list(self._parents.items()):
            left = [
                wait
                for wait in waits
                if wait[0] != parent or (effect_ids is not None and wait[1] not in effect_ids)
            ]
            if len(left) == len(waits):
                continue
            if left:
                self._parents[child] = left
            else:
                del self._parents[child]
                stopped.append(child)
        for child in stopped:
            self._abort(child, None, None, None, batch)

    def _evict(self) -> None:
        if len(self._live) <= MAX_LIVE:
            return
        for arn, live in list(self._live.items()):
            if live.request is not None and live.parked_on_others():
                del self._live[arn]
                live.steps.close()
                if len(self._live) <= MAX_LIVE // 2:
                    return
