"""The rows of the store as plain, immutable records: no engine objects, no behaviour.

Field names are the column names. Configuration blobs that AWS returns as
JSON objects (`loggingConfiguration`, ...) are kept as decoded JSON values;
`definition`, inputs and outputs stay the exact text the user sent, since AWS
returns them byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class StateMachineRecord:
    """A state machine's current revision; `last_version` is the newest version number given."""

    arn: str
    name: str
    type: str
    definition: str
    role_arn: str
    status: str
    revision_id: str | None
    logging_configuration: JsonObject
    tracing_configuration: JsonObject
    encryption_configuration: JsonObject
    last_version: int
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class StateMachineSummary:
    """What ListStateMachines shows of a machine (its definition left out)."""

    arn: str
    name: str
    type: str
    created_at: float


@dataclass(frozen=True, slots=True)
class StateMachineVersionRecord:
    """An immutable snapshot of a machine's revision, numbered from 1."""

    arn: str
    machine_arn: str
    version: int
    type: str
    definition: str
    role_arn: str
    description: str | None
    revision_id: str | None
    logging_configuration: JsonObject
    tracing_configuration: JsonObject
    encryption_configuration: JsonObject
    created_at: float


@dataclass(frozen=True, slots=True)
class RoutingEntry:
    """One version an alias sends a share (`weight`, in percent) of its executions to."""

    version_arn: str
    weight: int


@dataclass(frozen=True, slots=True)
class StateMachineAliasRecord:
    arn: str
    machine_arn: str
    name: str
    description: str | None
    routing_configuration: tuple[RoutingEntry, ...]
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    arn: str
    name: str
    encryption_configuration: JsonObject
    created_at: float


@dataclass(frozen=True, slots=True)
class Tag:
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class ExecutionRecord:
    """One execution; `definition` and `role_arn` are those it started with."""

    arn: str
    machine_arn: str
    version_arn: str | None
    alias_arn: str | None
    map_run_arn: str | None
    name: str
    type: str
    status: str
    definition: str
    role_arn: str
    input: str
    output: str | None
    error: str | None
    cause: str | None
    trace_header: str | None
    redrive_count: int
    started_at: float
    stopped_at: float | None
    redriven_at: float | None
    test_case: str | None = None


@dataclass(frozen=True, slots=True)
class ExecutionSummary:
    """What a listing shows of an execution: its row without definition, input or output.

    Listings read thousands of rows; leaving the large columns out keeps a page cheap.
    """

    arn: str
    machine_arn: str
    version_arn: str | None
    alias_arn: str | None
    map_run_arn: str | None
    name: str
    status: str
    redrive_count: int
    started_at: float
    stopped_at: float | None
    redriven_at: float | None


@dataclass(frozen=True, slots=True)
class HistoryEventRecord:
    """One event of GetExecutionHistory; `details` is its `<type>EventDetails` object."""

    execution_arn: str
    id: int
    previous_event_id: int
    timestamp: float
    type: str
    details: JsonObject


@dataclass(frozen=True, slots=True)
class JournalEntryRecord:
    """One recorded effect outcome; `payload` is the engine's own text, kept verbatim."""

    execution_arn: str
    sequence: int
    effect_id: str
    kind: str
    payload: str
    recorded_at: float


@dataclass(frozen=True, slots=True)
class TimerRecord:
    """An execution waiting until `due_at` (epoch seconds) for effect `effect_id`."""

    execution_arn: str
    effect_id: str
    due_at: float


@dataclass(frozen=True, slots=True)
class TaskTokenRecord:
    """A callback or activity task an execution waits on.

    `activity_arn` is set for activity tasks (GetActivityTask hands them out);
    `status` is `WAITING` until a worker takes it, then `STARTED`.
    """

    token: str
    execution_arn: str
    effect_id: str
    state_name: str
    activity_arn: str | None
    input: str | None
    status: str
    worker_name: str | None
    heartbeat_seconds: float | None
    timeout_at: float | None
    heartbeat_at: float | None
    created_at: float


@dataclass(frozen=True, slots=True)
class MapRunRecord:
    """A Distributed Map run; the counts are DescribeMapRun's `itemCounts`/`executionCounts`."""

    arn: str
    execution_arn: str
    status: str
    max_concurrency: int
    tolerated_failure_percentage: float
    tolerated_failure_count: int
    item_counts: JsonObject
    execution_counts: JsonObject
    started_at: float
    stopped_at: float | None
