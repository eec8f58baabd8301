"""Ending an execution ABORTED from outside: StopExecution, or a `.sync` parent done waiting.

Why apart from stepping: an abort does not step the interpreter; it may hit an
execution that is not even in memory. It writes the `ExecutionAborted` event,
a `Stopped` journal entry (so that a redrive rebuilds the run up to there and
reruns what was running) and the ended row, and stops the execution's own
`.sync` children in turn.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
from typing import Any

from phalanx.engine.history import error_details, to_text
from phalanx.runtime.batch import Batch
from phalanx.runtime.children import ChildWaits
from phalanx.runtime.clock import Clock
from phalanx.runtime.live import STOPPED
from phalanx.runtime.loading import LiveExecutions
from phalanx.store import Database
from phalanx.store import executions as execution_rows
from phalanx.store import journal as journal_rows
from phalanx.store.records import HistoryEventRecord, JournalEntryRecord


class Aborter:
    """Ends executions ABORTED in a round's batch (only the scheduler thread uses it)."""

    def __init__(
        self, db: Database, clock: Clock, executions: LiveExecutions, waits: ChildWaits
    ) -> None:
        self.db = db
        self.clock = clock
        self.executions = executions
        self.waits = waits

    def abort(
        self,
        arn: str,
        error: str | None,
        cause: str | None,
        future: concurrent.futures.Future[Any] | None,
        batch: Batch,
    ) -> None:
        """End `arn` ABORTED; `future` learns when (or the end it had, if it was not RUNNING)."""
        live = self.executions.pop(arn)
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
        self.stop_children(arn, None, batch)

    def stop_children(self, parent: str, effect_ids: set[str] | None, batch: Batch) -> None:
        """Stop the `.sync` children that `parent` no longer waits on (those of `effect_ids`,
        or all of them): ABORTED, as StopExecution would, and their own children in turn.

        AWS grants a `.sync` nested workflow's role `states:StopExecution` on the
        child executions (IAM policies for Step Functions, "Synchronous"): a
        parent that stops waiting stops its child.
        """
        for child in self.waits.release(parent, effect_ids):
            self.abort(child, None, None, None, batch)
