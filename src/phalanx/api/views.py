"""What `phalanx executions` and `phalanx history` show: the store, read beside a server.

    db = open_database(".phalanx/phalanx.db")
    print(executions_table(find_executions(db, machine="orders"), now=time.time()))
    for event in follow(db, arn, wait=lambda: time.sleep(0.2)):
        print(history_line(event))

Reads take no write lock (`atomic(write=False)`), so a view never holds up the
server's commits. The JSON forms are the API's (`phalanx.api.responses`);
the text forms are tables whose columns line up while events still arrive.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from phalanx.api import arns
from phalanx.api.errors import invalid_arn
from phalanx.api.responses import execution_list_item, history_event
from phalanx.deploy.progress import table
from phalanx.errors import PhalanxError
from phalanx.store import Database
from phalanx.store import executions as stored
from phalanx.store.records import ExecutionRecord, ExecutionSummary, HistoryEventRecord

STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE")
"""ExecutionStatus in AWS's model, in its order."""

TERMINAL_EVENTS = frozenset(
    {"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"}
)
"""The events that end an execution (a redrive may start it again)."""

POLL_SECONDS = 0.2
"""How often `phalanx history --follow` looks for new events."""

DETAILS_WIDTH = 80
_EXECUTION_COLUMNS = ("NAME", "MACHINE", "STATUS", "START (UTC)", "STOP (UTC)", "DURATION")
# Title, width, alignment; fixed, so that rows printed as events arrive line up (a longer
# state name pushes its row's details right).
_HISTORY_COLUMNS = (
    ("ID", 5, ">"),
    ("TIMESTAMP (UTC)", 23, "<"),
    ("TYPE", 28, "<"),
    ("STATE", 20, "<"),
)


class ViewError(PhalanxError):
    """Nothing to show: no database at the path, or no execution with that ARN."""


def open_database(path: str | Path) -> Database:
    """The database at `path` for reading; `ViewError` if there is none (it is not created)."""
    target = Path(path)
    if not target.is_file():
        raise ViewError(f"{target}: no Phalanx database (phalanx serve creates it; or give --db)")
    return Database.open(target)


def find_executions(
    db: Database, *, machine: str | None = None, status: str | None = None
) -> list[ExecutionSummary]:
    """Executions newest first; `machine` is a state machine's name or ARN."""
    machine_arn, machine_name = None, machine
    if machine is not None and machine.startswith("arn:"):
        machine_arn, machine_name = arns.state_machine(machine).base, None
    with db.atomic(write=False) as connection:
        return stored.search(
            connection, machine_arn=machine_arn, machine_name=machine_name, status=status
        )


def find_execution(db: Database, arn: str) -> ExecutionRecord:
    """The execution `arn` names; InvalidArn as AWS words it, or `ViewError` if unknown."""
    parsed = arns.parse(arn, arns.EXECUTION, "express")
    if parsed.qualifier is None:
        raise invalid_arn(f"Invalid ARN: {arn}")
    with db.atomic(write=False) as connection:
        found = stored.get(connection, arn)
    if found is None:
        raise ViewError(f"{arn}: no such execution in {db.path}")
    return found


def events(db: Database, arn: str, *, after_id: int = 0) -> list[HistoryEventRecord]:
    with db.atomic(write=False) as connection:
        return stored.events(connection, arn, after_id=after_id)


def follow(db: Database, arn: str, *, wait: Callable[[], None]) -> Iterator[HistoryEventRecord]:
    """Every event of `arn`, then each new one as it is committed, until the execution ends.

    It ends at a terminal event; or when the execution is no longer running
    and nothing new came (a history written without one). `wait` is called
    between looks that found nothing to end on.
    """
    last: HistoryEventRecord | None = None
    while True:
        with db.atomic(write=False) as connection:
            execution = stored.get(connection, arn)
            batch = stored.events(connection, arn, after_id=0 if last is None else last.id)
        yield from batch
        last = batch[-1] if batch else last
        if last is not None and last.type in TERMINAL_EVENTS:
            return
        if not batch and (execution is None or execution.status != "RUNNING"):
            return
        wait()


def executions_json(found: Iterable[ExecutionRecord | ExecutionSummary]) -> dict[str, Any]:
    """ListExecutions' answer (one page holding them all)."""
    return {"executions": [execution_list_item(execution) for execution in found]}


def history_json(found: Iterable[HistoryEventRecord]) -> dict[str, Any]:
    """GetExecutionHistory's answer (one page holding them all)."""
    return {"events": [history_event(event) for event in found]}


def history_event_json(event: HistoryEventRecord) -> str:
    """One event as a line of JSON (`history --follow --format json`)."""
    return json.dumps(history_event(event), ensure_ascii=False)


def executions_table(found: Sequence[ExecutionRecord | ExecutionSummary], *, now: float) -> str:
    """NAME, MACHINE, STATUS, START, STOP, DURATION; a running one's duration runs to `now`."""
    if not found:
        return "No executions."
    rows: list[Sequence[str]] = [_EXECUTION_COLUMNS]
    for execution in found:
        stopped = execution.stopped_at
        rows.append(
            (
                execution.name,
                arns.parse(execution.machine_arn, arns.STATE_MACHINE).name,
                execution.status,
                _moment(execution.started_at)[:19],
                "-" if stopped is None else _moment(stopped)[:19],
                duration((now if stopped is None else stopped) - execution.started_at),
            )
        )
    return table(rows)


def history_header() -> str:
    """The column titles of `history_line`."""
    cells = [f"{title:{align}{width}}" for title, width, align in _HISTORY_COLUMNS]
    return "  ".join([*cells, "DETAILS"]).rstrip()


def history_line(event: HistoryEventRecord) -> str:
    """One event as a row: id, time, type, the state it concerns, its details shortened."""
    state = str(event.details.get("name", "-"))
    values = (str(event.id), _moment(event.timestamp), event.type, state)
    cells = [
        f"{value:{align}{width}}"
        for value, (_, width, align) in zip(values, _HISTORY_COLUMNS, strict=True)
    ]
    return "  ".join([*cells, summary(event.details)]).rstrip()


def history_table(found: Iterable[HistoryEventRecord]) -> str:
    return "\n".join([history_header(), *(history_line(event) for event in found)])


def summary(details: dict[str, Any], width: int = DETAILS_WIDTH) -> str:
    """An event's details in one short line: the error and cause, else the data, else the rest.

    `{"error": "E", "cause": "boom"}` -> `E: boom`; `{"output": "{...}", ...}` -> `{...}`.
    """
    if "error" in details or "cause" in details:
        text = ": ".join(str(details[key]) for key in ("error", "cause") if key in details)
    elif "output" in details or "input" in details:
        text = str(details.get("output", details.get("input")))
    else:
        rest = {
            key: value
            for key, value in details.items()
            if key != "name" and not key.endswith("Details")
        }
        text = json.dumps(rest, ensure_ascii=False, separators=(",", ":")) if rest else ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def duration(seconds: float) -> str:
    """`0.25` -> `0.250s`, `125` -> `2m05s`, `7384` -> `2h03m04s`, `200000` -> `2d07h33m`."""
    if seconds < 60:
        return f"{max(seconds, 0.0):.3f}s"
    whole = int(seconds)
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h{minutes:02d}m"
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    return f"{minutes}m{secs:02d}s"


def _moment(seconds: float) -> str:
    """`2026-12-06 12:59:20.123` (UTC, milliseconds as AWS keeps them)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
