"""The durable runtime: Standard executions kept in the store, driven by one scheduler thread.

    runtime = Runtime(db, clock, invoker)
    runtime.start()                  # resumes every RUNNING execution from its journal
    runtime.begin(record)            # StartExecution: insert its row and run it
    ...
    runtime.stop()

Why this shape:

* **No thread per execution.** An execution waiting on a Wait is a row in
  `timers`, one waiting on a task token a row in `task_tokens`; its interpreter
  may stay in memory (up to `loading.MAX_LIVE`) or be dropped and rebuilt from
  the journal when the timer fires or the token is answered.
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

This module holds the `Runtime` other threads talk to, and the scheduler's
loop and rounds; each round's parts are modules of their own: `loading`
(executions in memory), `stepping` (one execution until it waits), `children`
(`.sync` children), `abort` (StopExecution), `workers` (the call pool),
`tokens` (task tokens and activity polls), `batch` (the group commit).

Express executions do not come here: they run in memory (`runtime/express.py`).
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
from typing import Any

from phalanx.engine.effects import CallbackResponse
from phalanx.errors import PhalanxError
from phalanx.runtime.abort import Aborter
from phalanx.runtime.batch import Batch
from phalanx.runtime.children import Children, ChildWaits
from phalanx.runtime.clock import Clock, VirtualClock
from phalanx.runtime.driver import ServiceHandler, unmocked_service
from phalanx.runtime.lambdas import Invoker
from phalanx.runtime.live import Live
from phalanx.runtime.loading import LiveExecutions, MockLookup
from phalanx.runtime.stepping import Stepper
from phalanx.runtime.tokens import ActivityPolls, TaskGone
from phalanx.runtime.workers import MAX_WORKERS, Send, Workers
from phalanx.store import Database
from phalanx.store import executions as execution_rows
from phalanx.store import journal as journal_rows
from phalanx.store.records import ExecutionRecord, TaskTokenRecord

__all__ = ["MAX_WORKERS", "Children", "MockLookup", "Runtime", "TaskGone"]

ROUND_MESSAGES = 2_000
"""Messages (answers, starts, resumes) taken in one round; the rest wait for the next."""
ROUND_TIMERS = 2_000
"""Due timers fired in one round."""

_LOG = logging.getLogger("phalanx.runtime")


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
        self.send: Send | None = None
        """Sends a `.waitForTaskToken` task's request (`Services.submit`); None: nothing sent."""
        self._inbox: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._next_timer: float | None = None
        self._stopping = threading.Event()
        self._executions = LiveExecutions(db, mocks)
        self._waits = ChildWaits(children)
        self._aborter = Aborter(db, clock, self._executions, self._waits)
        self._stepper = Stepper(clock, self._executions, self._waits, self._aborter)
        self._workers = Workers(max_workers, self._inbox.put, self._stopping)
        self._polls = ActivityPolls(db, self.answer, self._stopping)
        self.activity_waiters = self._polls.waiters
        """Notified when an activity task is waiting (GetActivityTask long polls)."""
        self._thread = threading.Thread(target=self._loop, name="phalanx-scheduler", daemon=True)

    @property
    def mocks(self) -> MockLookup | None:
        """The mocks of executions started with a MockConfigFile test case."""
        return self._executions.mocks

    @mocks.setter
    def mocks(self, mocks: MockLookup | None) -> None:
        self._executions.mocks = mocks

    @property
    def children(self) -> Children | None:
        """Starts `states:startExecution*` children in the store (none: they are calls)."""
        return self._waits.children

    @children.setter
    def children(self, children: Children | None) -> None:
        self._waits.children = children

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
        self._workers.shutdown()

    @property
    def stopping(self) -> bool:
        """The server is stopping: long polls (GetActivityTask) answer now."""
        return self._polls.closed

    def close_polls(self) -> None:
        """Let long polls answer at once (the server is draining its requests)."""
        self._polls.close()

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
        return self._polls.take(activity_arn, worker, timeout)

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
                    self._executions.pop(arn)
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
        return self._workers.idle and self._inbox.empty()

    def _round(self, messages: list[tuple[Any, ...]], touched: dict[str, Live]) -> None:
        batch = Batch()
        batch.stored = self._stored([message[1] for message in messages if message[0] == "new"])
        resumed = [message[1] for message in messages if message[0] in ("resume", "again")]
        if resumed:  # recovery resumes thousands: read them back together
            self._executions.load_many(resumed, self.invoker)
        for message in messages:
            self._take(message, batch, touched)
        self._fire_timers(batch, touched)
        for live in list(touched.values()):
            self._stepper.step(live, batch)
            if live.arrivals or live.unstarted:
                self._inbox.put(("again", live.arn))  # over its budget: next round
        if batch:
            self._next_timer = batch.commit(self.db)
        elif self._next_timer is None:
            with self.db.atomic(write=False) as connection:
                self._next_timer = journal_rows.next_due(connection)
        for record in batch.finished:
            self._waits.ended(record, self._inbox.put)
        for live, effect in batch.calls:
            self._workers.call(live, effect, self.services)
        for callback in batch.sends:
            self._workers.send(callback, self.send, self.answer)
        for future, value in batch.replies:
            if not future.done():
                future.set_result(value)
        if batch.activity_tasks:
            self._polls.notify()
        self._executions.evict()

    def _take(self, message: tuple[Any, ...], batch: Batch, touched: dict[str, Live]) -> None:
        kind = message[0]
        if kind == "new":
            _, arn, record, future = message
            existing = self._existing(arn, batch)
            if existing is None:
                batch.started.append(record)
                live = self._executions.keep(record, [], 0, self.invoker)
                if live is not None:
                    touched[arn] = live
            batch.replies.append((future, existing))
        elif kind in ("resume", "again"):
            live = self._executions.load(message[1], self.invoker)
            if live is not None:
                touched[live.arn] = live
        elif kind in ("answer", "child"):
            _, arn, effect_id, value = message
            if kind == "answer":
                self._workers.answered()
            live = self._executions.get(arn)
            if live is not None:
                live.in_flight.discard(effect_id)
                live.deliver(effect_id, value)
                touched[arn] = live
        elif kind == "token":
            _, token, response, future = message
            self._answer_token(token, response, future, batch, touched)
        elif kind == "abort":
            _, arn, error, cause, future = message
            self._aborter.abort(arn, error, cause, future, batch)
            touched.pop(arn, None)

    def _fire_timers(self, batch: Batch, touched: dict[str, Live]) -> None:
        if self._next_timer is None or self._next_timer > self.clock.now():
            return
        with self.db.atomic(write=False) as connection:
            due = journal_rows.due_timers(connection, self.clock.now(), ROUND_TIMERS)
        woken = self._executions.load_many([timer.execution_arn for timer in due], self.invoker)
        for timer in due:
            batch.timers_done.append((timer.execution_arn, timer.effect_id))
            live = woken.get(timer.execution_arn)
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
        live = (
            None
            if row is None or row.status == "TIMED_OUT"
            else self._executions.load(row.execution_arn, self.invoker)
        )
        if live is not None and live.replaying:
            self._stepper.step(live, batch)  # rebuilt from its journal: learn what it waits on
        if row is None or live is None or row.effect_id not in live.asked:
            future.set_exception(TaskGone(token))
            return
        if not (response.heartbeat or response.started):
            batch.tokens_answered.append(token)
        live.deliver(row.effect_id, response)
        touched[live.arn] = live
        batch.replies.append((future, None))

    def _existing(self, arn: str, batch: Batch) -> ExecutionRecord | None:
        """The execution named `arn`, started in this round or before."""
        for record in batch.started:
            if record.arn == arn:
                return record
        if arn not in batch.stored:  # the usual case: no row to read
            return None
        with self.db.atomic(write=False) as connection:
            return execution_rows.get(connection, arn)

    def _stored(self, arns: list[str]) -> set[str]:
        """Which of the executions StartExecution asks for in this round exist already
        (one query a round, not one a start)."""
        if not arns:
            return set()
        with self.db.atomic(write=False) as connection:
            return execution_rows.existing(connection, arns)
