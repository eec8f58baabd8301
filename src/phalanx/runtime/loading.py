"""The executions the durable runtime holds in memory, rebuilt from the store when needed.

Why apart from the scheduler: an execution waiting on a timer or a task token
need not stay in memory. `LiveExecutions.load` rebuilds one from its row and
its journal (the scheduler then replays the journal before the execution asks
anything new); `evict` drops those parked on timers and tokens once more than
`MAX_LIVE` are held.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from phalanx.asl import StateMachine
from phalanx.engine.history import from_text
from phalanx.engine.interpreter import Interpreter
from phalanx.errors import PhalanxError
from phalanx.runtime import codec
from phalanx.runtime.lambdas import Invoker
from phalanx.runtime.live import TEXT_KINDS, Entry, Live, interpreter_for
from phalanx.runtime.mocks import StateMocks
from phalanx.store import Database
from phalanx.store import executions as execution_rows
from phalanx.store import journal as journal_rows
from phalanx.store.records import ExecutionRecord

MAX_LIVE = 2_000
"""Executions kept in memory while they wait on timers or tokens; beyond, they are dropped."""

_LOG = logging.getLogger("phalanx.runtime")

MockLookup = Callable[[str, str], StateMocks | None]
"""(machine name, test case) -> the mocks of that MockConfigFile test case."""


class LiveExecutions:
    """The RUNNING executions in memory, by ARN (only the scheduler thread uses it)."""

    def __init__(self, db: Database, mocks: MockLookup | None) -> None:
        self.db = db
        self.mocks = mocks
        self._live: dict[str, Live] = {}
        self._machines: dict[str, StateMachine] = {}

    def get(self, arn: str) -> Live | None:
        """The execution `arn` if it is in memory."""
        return self._live.get(arn)

    def pop(self, arn: str) -> Live | None:
        """Drop the execution `arn` from memory (it ended, or must be rebuilt from the store)."""
        return self._live.pop(arn, None)

    def load(self, arn: str, invoker: Invoker) -> Live | None:
        """The execution in memory, rebuilt from its journal if needed; None unless RUNNING."""
        return self.load_many([arn], invoker).get(arn)

    def load_many(self, arns: list[str], invoker: Invoker) -> dict[str, Live]:
        """The RUNNING executions of `arns`, those not in memory rebuilt from their journals
        with three queries in all (timers falling due together wake thousands)."""
        found = {arn: live for arn in arns if (live := self._live.get(arn)) is not None}
        missing = [arn for arn in dict.fromkeys(arns) if arn not in found]
        if not missing:
            return found
        with self.db.atomic(write=False) as connection:
            records = [
                r for r in execution_rows.get_many(connection, missing) if r.status == "RUNNING"
            ]
            running = [record.arn for record in records]
            journals = journal_rows.entries_of(connection, running)
            saved = execution_rows.last_event_ids(connection, running)
        for record in records:
            replay = [
                Entry(
                    e.effect_id,
                    e.kind,
                    from_text(e.payload) if e.kind in TEXT_KINDS else codec.decode(e.payload),
                )
                for e in journals.get(record.arn, [])
            ]
            live = self.keep(record, replay, saved.get(record.arn, 0), invoker)
            if live is not None:
                found[record.arn] = live
        return found

    def keep(
        self, record: ExecutionRecord, replay: list[Entry], saved: int, invoker: Invoker
    ) -> Live | None:
        """Hold `record` in memory, to replay `replay` (None: it cannot run; logged)."""
        try:
            interpreter = self._interpreter(record)
            mocks = self._mocks(record)
        except PhalanxError as error:
            _LOG.error("execution %s cannot be resumed: %s", record.arn, error)
            return None
        live = Live(record, interpreter, replay, len(replay), saved, invoker, mocks)
        self._live[record.arn] = live
        return live

    def evict(self) -> None:
        """Past `MAX_LIVE`, drop executions parked on timers and tokens down to half of it."""
        if len(self._live) <= MAX_LIVE:
            return
        for arn, live in list(self._live.items()):
            if live.request is not None and live.parked_on_others():
                del self._live[arn]
                live.steps.close()
                if len(self._live) <= MAX_LIVE // 2:
                    return

    def _interpreter(self, record: ExecutionRecord) -> Interpreter:
        if len(self._machines) > 256:
            self._machines.clear()
        return interpreter_for(record, self._machines)

    def _mocks(self, record: ExecutionRecord) -> StateMocks | None:
        if record.test_case is None or self.mocks is None:
            return None
        return self.mocks(record.arn.split(":")[6], record.test_case)
