"""RedriveExecution, and whether DescribeExecution calls an execution redrivable.

A redrive is a journal entry (`Redriven`) and the row set RUNNING again, in
one transaction; the runtime then rebuilds the interpreter from the journal,
which on reaching the entry runs the unsuccessful top-level state again on its
original input (`Interpreter.redrive`). The history keeps its events and goes
on with `ExecutionRedriven`. As AWS documents (API_RedriveExecution,
dg/redrive-executions.html):

* FAILED, TIMED_OUT and ABORTED Standard executions are redrivable for 14
  days. StopExecution journals a `Stopped` entry, so the rebuilt run ends where
  it was stopped and the state that was running runs again.
* A Parallel or inline Map "reschedules and redrives only the iterations and
  branches that failed or aborted"; the others keep their outputs. AWS does not
  say which events a redriven Parallel or Map writes; Phalanx writes what a
  rerun of the state writes for the work it does again: `...StateEntered` and
  `ParallelStateStarted` / `MapStateStarted` (with the full `length`) again,
  then the events of the rerun branches and iterations only (a
  `MapIterationStarted` for each rerun iteration, none for those kept), and the
  state's end. A distributed Map's Map Run runs again whole.
* The clientToken answers the same redrive again for 15 minutes, for the last
  10 tokens of an execution (RedriveExecutionInput.clientToken); the tokens live
  in the store, so a restart keeps them. boto3 sends a fresh token per call.
"""

from __future__ import annotations

from dataclasses import replace

from phalanx.api.context import Context
from phalanx.api.errors import ApiError
from phalanx.api.executions import find
from phalanx.api.operations import Operation, Request, Response, timestamp
from phalanx.api.redrivable import not_redrivable_reason
from phalanx.api.shapes import ARN, string, structure
from phalanx.engine.history import to_text
from phalanx.runtime.live import REDRIVEN
from phalanx.store import executions, redrive_tokens
from phalanx.store import journal as journal_rows
from phalanx.store.records import JournalEntryRecord

REDRIVE_INPUT = structure(
    ("executionArn",), executionArn=ARN, clientToken=string(1, 64, pattern=r"[!-~]+")
)
TOKEN_SECONDS = 15 * 60
"""How long a clientToken answers with its redrive again (AWS: 15 minutes)."""
TOKENS_KEPT = 10
"""How many of an execution's latest clientTokens answer again (AWS: the last 10)."""


def redrive(context: Context, request: Request) -> Response:
    """Set an unsuccessful execution RUNNING again; the runtime reruns what did not succeed."""
    arn = request["executionArn"]
    find(context, arn)  # InvalidArn, ExecutionDoesNotExist
    token: str | None = request.get("clientToken")
    now = context.now()
    with context.db.atomic() as connection:
        if token is not None:
            earlier = redrive_tokens.answered(connection, arn, token, now - TOKEN_SECONDS)
            if earlier is not None:  # the same request again: the same answer
                return {"redriveDate": timestamp(earlier)}
        execution = executions.get(connection, arn)
        if execution is None:  # deleted meanwhile
            raise ApiError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")
        reason = not_redrivable_reason(execution, now, executions.last_event_id(connection, arn))
        if reason is not None:
            raise ApiError("ExecutionNotRedrivable", f"{reason}: '{arn}'")
        count = execution.redrive_count + 1
        sequence = journal_rows.next_sequence(connection, arn)
        payload = to_text({"redriveCount": count, "time": now})
        entry = JournalEntryRecord(arn, sequence, f"redrive-{count}", REDRIVEN, payload, now)
        journal_rows.append(connection, [entry])
        redriven = replace(
            execution,
            status="RUNNING",
            output=None,
            error=None,
            cause=None,
            stopped_at=None,
            redrive_count=count,
            redriven_at=now,
        )
        executions.update(connection, redriven)
        if token is not None:
            redrive_tokens.remember(
                connection, arn, token, now, keep=TOKENS_KEPT, since=now - TOKEN_SECONDS
            )
    context.runtime.redriven(arn)
    return {"redriveDate": timestamp(now)}


OPERATIONS = {"RedriveExecution": Operation(REDRIVE_INPUT, redrive)}
