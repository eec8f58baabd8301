"""Branches that run at once: Parallel branches and Map iterations in engine time.

Each branch is a generator (a *strand*) speaking the protocol of
`effects.py`. `gather` runs several of them: it steps one strand until it
blocks (its effect was answered `PENDING`), then the next, in index order;
when every strand is blocked it yields `AWAIT` upward and sends the `Answer`
to the strand that asked. So two Waits of 2 s in two branches are two
outstanding Sleeps that end together, and the order of events only depends
on the order answers come in: replaying the same answers gives the same
history.

`gather` itself speaks the same protocol, so a Parallel inside a Map
iteration is a strand that gathers its own branches.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Generator
from typing import Any

from phalanx.engine.effects import AWAIT, PENDING, Answer, Await, Cancel, Request
from phalanx.engine.failures import Failure
from phalanx.engine.history import History

Steps = Generator[Request, Any, Any]


class Strand:
    """One thread of control: its effect ids, the state it is in, its history and context.

    `path` prefixes the ids of its effects; `state` names the state running
    (errors and journal checks name it). A distributed Map's child execution
    has its own `history` and `execution` context object.
    """

    __slots__ = ("execution", "history", "path", "seq", "state")

    def __init__(self, path: str, history: History, execution: dict[str, Any]) -> None:
        self.path = path
        self.seq = 0
        self.state = ""
        self.history = history
        self.execution = execution

    def next_id(self) -> str:
        self.seq += 1
        return f"{self.path}{self.seq}"


class BranchAborted(BaseException):
    """Thrown into a strand that another branch's failure stops (not an `Exception`:
    no Catch or retry of the aborted branch may handle it)."""


class _Running:
    __slots__ = ("outstanding", "steps", "strand")

    def __init__(self, steps: Steps, strand: Strand) -> None:
        self.steps = steps
        self.strand = strand
        self.outstanding: set[str] = set()


class Current:
    """The strand whose code runs now: set before every step of a strand."""

    __slots__ = ("strand",)

    def __init__(self, strand: Strand) -> None:
        self.strand = strand


Start = Callable[[int, Strand], Steps]
"""Make the generator of branch `index`, running on `strand`."""

Finished = Callable[[int, Any, Failure | None], None]
"""Told when branch `index` returned a value or raised a `Failure`; raising aborts the rest."""


def gather(
    current: Current,
    count: int,
    start: Start,
    finished: Finished,
    limit: int = 0,
) -> Steps:
    """Run `count` branches, at most `limit` at once (0: all), to their end.

    A branch that fails (`Failure`) is reported to `finished`. A `Failure`
    that `finished` raises stops the branches still running: they get
    `BranchAborted` (and write their `...Aborted` events), their outstanding
    effects are cancelled, and the failure propagates. Anything else (the
    execution timed out, the event limit) ends the execution: the running
    branches are closed without events.
    """
    parent = current.strand
    prefix = f"{parent.next_id()}."
    running: dict[int, _Running] = {}
    owner: dict[str, int] = {}
    ready: collections.deque[tuple[int, Any]] = collections.deque()
    started = 0
    limit = count if limit <= 0 else limit

    def launch(index: int) -> None:
        strand = Strand(f"{prefix}{index}/", parent.history, parent.execution)
        running[index] = _Running(start(index, strand), strand)
        ready.append((index, None))

    try:
        while started < count and len(running) < limit:
            launch(started)
            started += 1
        while running:
            if not ready:
                answer = yield AWAIT
                assert isinstance(answer, Answer), answer
                index = owner.pop(answer.id)
                running[index].outstanding.discard(answer.id)
                ready.append((index, answer))
                continue
            index, message = ready.popleft()
            branch = running[index]
            while True:
                current.strand = branch.strand
                try:
                    request = branch.steps.send(message)
                except StopIteration as stop:
                    del running[index]
                    current.strand = parent
                    finished(index, stop.value, None)
                    break
                except Failure as failure:
                    del running[index]
                    current.strand = parent
                    finished(index, None, failure)
                    break
                if isinstance(request, Await):
                    break
                if isinstance(request, Cancel):
                    for effect_id in request.ids:
                        owner.pop(effect_id, None)
                        branch.outstanding.discard(effect_id)
                message = yield request
                if message is PENDING:
                    owner[request.id] = index  # type: ignore[union-attr]
                    branch.outstanding.add(request.id)  # type: ignore[union-attr]
            if index not in running and started < count and len(running) < limit:
                launch(started)
                started += 1
        current.strand = parent
    except Failure:
        ids = _abort(current, running)
        current.strand = parent
        if ids:
            yield Cancel(ids)
        raise
    except BranchAborted:
        # A branch around this one failed: the gather that aborts us cancels our effects.
        _abort(current, running)
        current.strand = parent
        raise
    except BaseException:
        for branch in running.values():
            branch.steps.close()
        current.strand = parent
        raise


def _abort(current: Current, running: dict[int, _Running]) -> tuple[str, ...]:
    """Stop the running branches; the ids of the effects they were waiting on."""
    ids: list[str] = []
    for branch in running.values():
        ids.extend(sorted(branch.outstanding))
        current.strand = branch.strand
        try:
            branch.steps.throw(BranchAborted())
        except (BranchAborted, StopIteration):
            pass
        else:  # pragma: no cover - a strand must not go on once aborted
            raise RuntimeError("an aborted branch asked for more work")
    running.clear()
    return tuple(ids)
