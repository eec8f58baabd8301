"""Drive the pure interpreter: answer its effects, several at once, and keep the journal.

    outcome = drive(interpreter, clock, invoker)                  # to the end
    state = advance(interpreter, clock, invoker, park=True)       # or until it waits
    # ... later, in another process: the same machine and input, the journal,
    # and the answer that was awaited
    outcome = drive(fresh, clock, invoker, replay=[*state.journal, answered])

`Now`, `Random` and `Seed` are answered at once. Every other effect is
taken in hand (`PENDING`) and answered when the interpreter has nothing
left to do (`AWAIT`), in the order the work completes:

* on a `VirtualClock`, each piece of work has an instant it ends (a Sleep's
  `until`; a handler's call ends when its virtual time does) and the earliest
  goes first, ties in the order they were asked: time jumps, runs repeat;
* on any other clock, handlers and service calls run on worker threads
  (at most `MAX_WORKERS` at once) and answers come in as they finish; Sleeps
  are timers.

Every answer the interpreter takes is appended to `journal` as a
`JournalEntry(id, kind, state, answer)`. `replay=` feeds a journal back:
its entries must answer exactly what the interpreter asks, in order, or a
`ReplayError` names the state; work answered by the journal is not done
again.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import heapq
import itertools
import queue
import random
from collections.abc import Callable, Sequence
from typing import Any

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
    Seed,
    ServiceResponse,
    Sleep,
)
from phalanx.engine.history import History
from phalanx.engine.interpreter import Interpreter
from phalanx.errors import ReplayError
from phalanx.runtime.clock import Clock, VirtualClock
from phalanx.runtime.lambdas import Invoker
from phalanx.runtime.mocks import Returns, StateMocks

ServiceHandler = Callable[[CallService], ServiceResponse]
CallbackHandler = Callable[[Callback], CallbackResponse | None]
"""Answers a task token or an activity task; None: nobody answers it (it may time out)."""

MAX_WORKERS = 64
"""Handlers and service calls running at once on the real clock; more wait for a worker."""


@dataclasses.dataclass(frozen=True, slots=True)
class JournalEntry:
    """One answer the interpreter took: to effect `id` (a `kind` asked by `state`)."""

    id: str
    kind: str
    state: str
    answer: Any


@dataclasses.dataclass(frozen=True, slots=True)
class Waiting:
    """An execution parked: it can go on only when one of `effects` is answered.

    `effects` are what it waits on (a `Callback`'s token or activity, a
    `Sleep`'s `until`); resume with `drive(..., replay=[*journal, entry])`.
    """

    effects: tuple[Any, ...]
    journal: tuple[JournalEntry, ...]


def unmocked_service(request: CallService) -> ServiceResponse:
    """The default for integrations other than Lambda: a clear failure."""
    return ServiceResponse(
        error="States.Runtime",
        cause=(
            f"State '{request.state}' calls {request.resource}, which is not mocked and "
            "Phalanx does not call AWS unless asked: run with --aws (and --endpoint-url URL "
            "for an emulator; --http for http:invoke), pass aws=boto3.Session() (and "
            "endpoint_url=, http=True) to phalanx.run(), or mock the state (MockConfigFile "
            "or phalanx.testing)"
        ),
    )


def nobody_answers(request: Callback) -> CallbackResponse | None:
    """No one answers task tokens or activities (yet): timeouts apply, or the execution parks."""
    return None


def unanswered_callback(request: Callback) -> CallbackResponse:
    """`phalanx.run()`'s default for task tokens and activities: a clear failure."""
    what = f"a task token ({request.resource})"
    if request.activity:
        what = f"activity {request.activity}"
    return CallbackResponse(
        error="States.Runtime",
        cause=(
            f"State '{request.state}' waits for {what}, which nothing answers: mock the "
            "state or give run() a callbacks= function"
        ),
    )


class _Work:
    """Answers deferred effects: the mocks, the invoker, the services, the callbacks."""

    def __init__(
        self,
        invoker: Invoker,
        services: ServiceHandler,
        callbacks: CallbackHandler,
        mocks: StateMocks | None,
    ) -> None:
        self.invoker = invoker
        self.services = services
        self.callbacks = callbacks
        self.mocks = mocks

    def mocked(self, effect: Any) -> bool:
        return self.mocks is not None and effect.state in self.mocks

    def __call__(self, effect: Any) -> Any:
        """The answer to `effect` (None for a Callback nobody answers)."""
        mocks = self.mocks
        if isinstance(effect, InvokeLambda):
            if mocks is not None and effect.state in mocks:
                return mocks.invoke(effect)
            return self.invoker.invoke(effect)
        if isinstance(effect, CallService):
            if mocks is not None and effect.state in mocks:
                return mocks.call(effect)
            return self.services(effect)
        if isinstance(effect, Callback):
            if mocks is not None and effect.state in mocks:
                call = mocks.next_call(effect.state)
                if isinstance(call, Returns):
                    return CallbackResponse(output=call.value)
                return CallbackResponse(error=call.error, cause=call.cause)
            return self.callbacks(effect)
        raise TypeError(f"unknown effect {effect!r}")  # pragma: no cover


class _VirtualPending:
    """Work on a virtual clock: each answer is due at an instant; the earliest goes first."""

    def __init__(self, clock: VirtualClock, work: _Work) -> None:
        self.clock = clock
        self.work = work
        self.due: list[tuple[float, int, str]] = []
        self.answers: dict[str, Any] = {}
        self.never: dict[str, Any] = {}
        self.order = itertools.count()

    def start(self, effect: Any) -> None:
        if isinstance(effect, Sleep):
            self._add(effect.id, effect.until or self.clock.now() + effect.seconds, None)
            return
        start = self.clock.now()
        answer = self.work(effect)
        end = self.clock.now()
        # The work's virtual time is its own: other branches' clocks do not move.
        self.clock.set(start)
        if answer is None:
            self.never[effect.id] = effect
        else:
            self._add(effect.id, end, answer)

    def _add(self, effect_id: str, due: float, answer: Any) -> None:
        heapq.heappush(self.due, (due, next(self.order), effect_id))
        self.answers[effect_id] = answer

    def cancel(self, ids: Sequence[str]) -> None:
        for effect_id in ids:
            self.answers.pop(effect_id, None)
            self.never.pop(effect_id, None)

    def has_answer(self) -> bool:
        while self.due and self.due[0][2] not in self.answers:
            heapq.heappop(self.due)
        return bool(self.due)

    def next(self) -> tuple[str, Any]:
        due, _, effect_id = heapq.heappop(self.due)
        if due > self.clock.now():
            self.clock.set(due)
        return effect_id, self.answers.pop(effect_id)

    def close(self) -> None:
        pass


class _RealPending:
    """Work on the real clock: calls on worker threads, Sleeps as timers."""

    def __init__(self, clock: Clock, work: _Work) -> None:
        self.clock = clock
        self.work = work
        self.timers: list[tuple[float, int, str]] = []
        self.live: set[str] = set()
        self.never: dict[str, Any] = {}
        self.done: queue.SimpleQueue[tuple[Any, Any, BaseException | None]] = queue.SimpleQueue()
        self.in_flight = 0
        self.order = itertools.count()
        self.pool: concurrent.futures.ThreadPoolExecutor | None = None

    def start(self, effect: Any) -> None:
        self.live.add(effect.id)
        if isinstance(effect, Sleep):
            until = effect.until or self.clock.now() + effect.seconds
            heapq.heappush(self.timers, (until, next(self.order), effect.id))
            return
        self.in_flight += 1
        if self.work.mocked(effect):
            self.done.put((effect, self.work(effect), None))
            return
        if self.pool is None:
            self.pool = concurrent.futures.ThreadPoolExecutor(
                MAX_WORKERS, thread_name_prefix="phalanx-work"
            )
        self.pool.submit(self._run, effect)

    def _run(self, effect: Any) -> None:
        try:
            answer = self.work(effect)
        except BaseException as error:  # handed to the driving thread, re-raised there
            self.done.put((effect, None, error))
            return
        self.done.put((effect, answer, None))

    def cancel(self, ids: Sequence[str]) -> None:
        for effect_id in ids:
            self.live.discard(effect_id)
            self.never.pop(effect_id, None)

    def _drop_cancelled_timers(self) -> None:
        while self.timers and self.timers[0][2] not in self.live:
            heapq.heappop(self.timers)

    def has_answer(self) -> bool:
        self._drop_cancelled_timers()
        return bool(self.timers) or self.in_flight > 0

    def next(self) -> tuple[str, Any]:
        while True:
            self._drop_cancelled_timers()
            wait: float | None = None
            if self.timers:
                wait = max(0.0, self.timers[0][0] - self.clock.now())
                if wait == 0.0:
                    _, _, effect_id = heapq.heappop(self.timers)
                    self.live.discard(effect_id)
                    return effect_id, None
                if self.in_flight == 0:
                    self.clock.sleep(wait)
                    continue
            elif self.in_flight == 0:
                raise RuntimeError("nothing outstanding to wait for")  # pragma: no cover
            try:
                effect, answer, error = self.done.get(timeout=wait)
            except queue.Empty:
                continue
            self.in_flight -= 1
            if effect.id not in self.live:
                continue  # cancelled: its branch was aborted
            if error is not None:
                raise error
            if answer is None:
                self.never[effect.id] = effect
                if not self.has_answer():
                    raise _Stuck()
                continue
            self.live.discard(effect.id)
            return effect.id, answer

    def close(self) -> None:
        if self.pool is not None:
            # Abandoned calls (aborted branches, a timed-out execution) are not waited for.
            self.pool.shutdown(wait=False, cancel_futures=True)


class _Stuck(Exception):
    """Only callbacks nobody answers are left."""


def _kind(effect: Any) -> str:
    return type(effect).__name__


def _mismatch(entry: JournalEntry, effect: Any, position: int) -> ReplayError:
    asked = f"{_kind(effect)} {effect.id}" if effect is not None else "an answer"
    state = getattr(effect, "state", "") or entry.state
    return ReplayError(
        f"State {state!r}: journal entry {position} answers {entry.kind} {entry.id} "
        f"of state {entry.state!r}, but the execution asks for {asked}: the journal "
        "is not from this machine and input"
    )


def drive(
    interpreter: Interpreter,
    clock: Clock,
    invoker: Invoker,
    services: ServiceHandler = unmocked_service,
    rng: random.Random | None = None,
    journal: list[Any] | None = None,
    replay: Sequence[Any] = (),
    mocks: StateMocks | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    callbacks: CallbackHandler = nobody_answers,
    trace: Callable[[dict[str, Any], str], None] | None = None,
) -> Outcome:
    """Run the interpreter to its outcome, answering each effect (module docstring).

    `mocks` answers the task effects of mocked states; `on_event` sees each
    history event as soon as the step that produced it is done; `trace` too,
    with the label of its branch (`Thread.label`: `"Fulfil[1] "`). An
    execution left waiting on something nobody answers is a `ReplayError`.
    """
    result = advance(
        interpreter,
        clock,
        invoker,
        services,
        rng,
        journal,
        replay,
        mocks,
        on_event,
        callbacks,
        trace=trace,
    )
    if isinstance(result, Waiting):
        waits = ", ".join(f"{_kind(e)} of state {e.state!r}" for e in result.effects)
        raise ReplayError(f"The execution waits forever: nothing answers {waits}")
    return result


def advance(
    interpreter: Interpreter,
    clock: Clock,
    invoker: Invoker,
    services: ServiceHandler = unmocked_service,
    rng: random.Random | None = None,
    journal: list[Any] | None = None,
    replay: Sequence[Any] = (),
    mocks: StateMocks | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    callbacks: CallbackHandler = nobody_answers,
    *,
    park: bool = False,
    trace: Callable[[dict[str, Any], str], None] | None = None,
) -> Outcome | Waiting:
    """Drive until the outcome, or until the execution waits on others.

    It waits when nothing it asked can be answered here (a callback nobody
    answers); with `park=True` it also stops at a timer instead of waiting
    for it (the durable runtime wakes it later). Either way the result is a
    `Waiting` holding the journal to resume from.
    """
    rng = rng or random.Random()
    journal = journal if journal is not None else []
    for position, entry in enumerate(replay):
        if not isinstance(entry, JournalEntry):
            raise ReplayError(
                f"Journal entry {position} is {type(entry).__name__}, not a JournalEntry "
                "(a journal of bare answers, from before effects had ids?)"
            )
    work = _Work(invoker, services, callbacks, mocks)
    pending: _VirtualPending | _RealPending = (
        _VirtualPending(clock, work)
        if isinstance(clock, VirtualClock)
        else _RealPending(clock, work)
    )
    asked: dict[str, Any] = {}
    unstarted: dict[str, Any] = {}
    steps = interpreter.run()
    reply: Any = None
    position = 0
    seen = 0
    history = interpreter.history
    watched = on_event is not None or trace is not None
    try:
        while True:
            try:
                request = steps.send(reply)
            except StopIteration as stop:
                outcome: Outcome = stop.value
                if watched:
                    _emit(history, seen, on_event, trace)
                return outcome
            if watched and len(history.events) > seen:
                seen = _emit(history, seen, on_event, trace)
            if isinstance(request, Await):
                if position < len(replay):
                    entry = replay[position]
                    effect = asked.pop(entry.id, None)
                    if effect is None or entry.kind != _kind(effect):
                        raise _mismatch(entry, effect, position)
                    unstarted.pop(entry.id, None)
                    position += 1
                    effect_id, value = entry.id, entry.answer
                else:
                    for effect in unstarted.values():
                        pending.start(effect)
                    unstarted.clear()
                    if not pending.has_answer() or (park and _only_timers(pending, asked)):
                        return Waiting(tuple(asked.values()), tuple(journal))
                    try:
                        effect_id, value = pending.next()
                    except _Stuck:
                        return Waiting(tuple(asked.values()), tuple(journal))
                    effect = asked.pop(effect_id)
                journal.append(JournalEntry(effect_id, _kind(effect), effect.state, value))
                reply = Answer(effect_id, value)
            elif isinstance(request, Cancel):
                for effect_id in request.ids:
                    asked.pop(effect_id, None)
                    unstarted.pop(effect_id, None)
                pending.cancel(request.ids)
                reply = None
            elif isinstance(request, IMMEDIATE):
                if position < len(replay):
                    entry = replay[position]
                    if entry.id != request.id or entry.kind != _kind(request):
                        raise _mismatch(entry, request, position)
                    position += 1
                    reply = entry.answer
                    if isinstance(clock, VirtualClock) and isinstance(request, Now):
                        # A resumed virtual clock goes on from the journal's time.
                        clock.set(max(clock.now(), reply))
                else:
                    reply = _immediate(request, clock, rng)
                journal.append(JournalEntry(request.id, _kind(request), request.state, reply))
            else:
                asked[request.id] = request
                if position < len(replay):
                    unstarted[request.id] = request
                else:
                    pending.start(request)
                reply = PENDING
    finally:
        steps.close()
        pending.close()


def _emit(
    history: History,
    seen: int,
    on_event: Callable[[dict[str, Any]], None] | None,
    trace: Callable[[dict[str, Any], str], None] | None,
) -> int:
    """Show the events after the first `seen`; returns how many have been shown."""
    events = history.events
    for index in range(seen, len(events)):
        if on_event is not None:
            on_event(events[index])
        if trace is not None:
            trace(events[index], history.labels[index])
    return len(events)


def _immediate(request: Now | Random | Seed, clock: Clock, rng: random.Random) -> Any:
    if isinstance(request, Now):
        return clock.now()
    if isinstance(request, Random):
        return rng.random()
    return f"{rng.getrandbits(256):064x}"


def _only_timers(pending: Any, asked: dict[str, Any]) -> bool:
    """Everything outstanding is a Sleep or a callback nobody answers yet."""
    return all(isinstance(e, Sleep) or e.id in pending.never for e in asked.values())
