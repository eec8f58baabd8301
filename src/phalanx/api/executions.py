"""StartExecution, StartSyncExecution, StopExecution, DescribeExecution, ListExecutions,
GetExecutionHistory, DescribeStateMachineForExecution.

StartExecution is idempotent as AWS documents it: the same name and input as
a RUNNING execution answers that execution's ARN and start date; the same
name with another input, or of an execution that has ended, is
`ExecutionAlreadyExists`. The target may be a machine, one of its versions
or an alias (routed by its weights); `<machineArn>#<TestCase>` runs a
MockConfigFile test case, as Step Functions Local does.

Standard executions are rows the durable runtime drives; Express ones run
in memory (`runtime/express.py`) and are not kept: DescribeExecution and
GetExecutionHistory do not know them, as AWS's do not.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid
from typing import Any

from phalanx.api import arns
from phalanx.api.context import Context
from phalanx.api.errors import (
    ApiError,
    invalid_arn,
    invalid_token,
    state_machine_does_not_exist,
    validation,
)
from phalanx.api.operations import Operation, Request, Response, timestamp
from phalanx.api.pagination import after_key, keyset_page, listing, page_size
from phalanx.api.redrivable import not_redrivable_reason
from phalanx.api.responses import execution_list_item
from phalanx.api.shapes import ARN, LONG_ARN, PAGE_SIZE, boolean, integer, string, structure
from phalanx.api.targets import Target
from phalanx.engine.history import details_key, from_text, to_text
from phalanx.engine.task import MAX_PAYLOAD_BYTES
from phalanx.errors import PhalanxError
from phalanx.runtime.express import ExpressRun, run_express, start_express
from phalanx.runtime.mocks import StateMocks
from phalanx.store import executions, machines
from phalanx.store.records import ExecutionRecord, HistoryEventRecord

INCLUDED_DATA = string(enum=("ALL_DATA", "METADATA_ONLY"))
START_INPUT = structure(
    ("stateMachineArn",),
    stateMachineArn=ARN,
    name=string(1, 80),
    input=string(max=262144),
    traceHeader=string(0, 256, pattern=r"\p{ASCII}*"),
)
START_SYNC_INPUT = structure(
    ("stateMachineArn",),
    stateMachineArn=ARN,
    name=string(1, 80),
    input=string(max=262144),
    traceHeader=string(0, 256, pattern=r"\p{ASCII}*"),
    includedData=INCLUDED_DATA,
)
STOP_INPUT = structure(
    ("executionArn",), executionArn=ARN, error=string(0, 256), cause=string(0, 32768)
)
DESCRIBE_INPUT = structure(("executionArn",), executionArn=ARN, includedData=INCLUDED_DATA)
LIST_INPUT = structure(
    stateMachineArn=ARN,
    statusFilter=string(
        enum=("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE")
    ),
    maxResults=PAGE_SIZE,
    nextToken=string(1, 3096),
    mapRunArn=LONG_ARN,
    redriveFilter=string(enum=("REDRIVEN", "NOT_REDRIVEN")),
)
HISTORY_INPUT = structure(
    ("executionArn",),
    executionArn=ARN,
    maxResults=integer(0, 1000),
    reverseOrder=boolean(),
    nextToken=string(1, 1024),
    includeExecutionData=boolean(),
)

_DATA_FIELDS = ("input", "output", "assignedVariables", "parameters")


def resolve(context: Context, requested: str) -> Target:
    """The machine, version or alias `requested` names (`#TestCase` split off)."""
    return context.service.targets.resolve(context.db, requested)


def _input_text(request: Request) -> str:
    text: str = request.get("input", "{}")
    try:
        from_text(text)
    except ValueError:
        raise ApiError(
            "InvalidExecutionInput", f"Invalid State Machine Execution Input: '{text[:128]}'"
        ) from None
    if len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise ApiError(
            "InvalidExecutionInput",
            f"The execution input exceeds the maximum size of {MAX_PAYLOAD_BYTES} bytes",
        )
    return text


def _express(context: Context, target: Target, name: str, text: str) -> ExpressRun:
    return ExpressRun(
        target.definition,
        target.machine_name,
        name,
        text,
        target.role_arn,
        context.region,
        context.account,
    )


def start(context: Context, request: Request) -> Response:
    target = resolve(context, request["stateMachineArn"])
    name = arns.require_name(request.get("name") or str(uuid.uuid4()))
    text = _input_text(request)
    runtime = context.runtime
    now = context.now()
    mocks = _mocks(context, target)  # an unknown test case is refused before anything runs
    if target.type == "EXPRESS":
        run = _express(context, target, name, text)
        start_express(run, runtime.clock, runtime.invoker, runtime.services, mocks)
        return {"executionArn": run.arn, "startDate": timestamp(now)}
    arn = context.arn(arns.EXECUTION, f"{target.machine_name}:{name}")
    existing = runtime.begin(_record(arn, name, target, text, request, now))
    if existing is not None:
        if existing.status != "RUNNING" or existing.input != text:
            raise ApiError("ExecutionAlreadyExists", f"Execution Already Exists: '{arn}'")
        return {"executionArn": arn, "startDate": timestamp(existing.started_at)}
    return {"executionArn": arn, "startDate": timestamp(now)}


def _record(
    arn: str, name: str, target: Target, text: str, request: Request, now: float
) -> ExecutionRecord:
    return ExecutionRecord(
        arn=arn,
        machine_arn=target.machine_arn,
        version_arn=target.version_arn,
        alias_arn=target.alias_arn,
        map_run_arn=None,
        name=name,
        type=target.type,
        status="RUNNING",
        definition=target.definition,
        role_arn=target.role_arn,
        input=text,
        output=None,
        error=None,
        cause=None,
        trace_header=request.get("traceHeader"),
        redrive_count=0,
        started_at=now,
        stopped_at=None,
        redriven_at=None,
        test_case=target.test_case,
    )


def _mocks(context: Context, target: Target) -> StateMocks | None:
    """The mocks of the `#TestCase` the execution was started with, if any."""
    if target.test_case is None:
        return None
    lookup = context.runtime.mocks
    if lookup is None:
        raise validation(
            f"Test case {target.test_case!r} needs a MockConfigFile: start phalanx serve with "
            "--mock-config FILE or SFN_MOCK_CONFIG"
        )
    try:
        return lookup(target.machine_name, target.test_case)
    except PhalanxError as error:
        raise validation(str(error)) from None


def start_sync(context: Context, request: Request) -> Response:
    target = resolve(context, request["stateMachineArn"])
    if target.type != "EXPRESS":
        raise ApiError(
            "StateMachineTypeNotSupported",
            "This operation is supported only by EXPRESS state machines",
        )
    name = arns.require_name(request.get("name") or str(uuid.uuid4()))
    text = _input_text(request)
    runtime = context.runtime
    run = _express(context, target, name, text)
    started = context.now()
    outcome = run_express(
        run, runtime.clock, runtime.invoker, runtime.services, _mocks(context, target)
    )
    response: Response = {
        "executionArn": run.arn,
        "stateMachineArn": target.machine_arn,
        "name": name,
        "startDate": timestamp(started),
        "stopDate": timestamp(context.now()),
        "status": outcome.status,
        "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 100},
    }
    if request.get("includedData") != "METADATA_ONLY":
        response["input"] = text
        response["inputDetails"] = {"included": True}
        if outcome.status == "SUCCEEDED":
            response["output"] = to_text(outcome.output)
            response["outputDetails"] = {"included": True}
    if outcome.error is not None:
        response["error"] = outcome.error
    if outcome.cause is not None:
        response["cause"] = outcome.cause
    if "traceHeader" in request:
        response["traceHeader"] = request["traceHeader"]
    return response


def find(context: Context, arn: str) -> ExecutionRecord:
    """The execution `arn` names, or AWS's error."""
    parsed = arns.parse(arn, arns.EXECUTION)
    if parsed.qualifier is None:
        raise invalid_arn(f"Invalid ARN: {arn}")
    with context.db.atomic(write=False) as connection:
        found = executions.get(connection, arn)
    if found is None:
        raise ApiError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")
    return found


def stop(context: Context, request: Request) -> Response:
    execution = find(context, request["executionArn"])
    if execution.status != "RUNNING":
        # AWS answers a stop of an ended execution with its stop date, changing nothing.
        return {"stopDate": timestamp(execution.stopped_at or execution.started_at)}
    stopped = context.runtime.abort(execution.arn, request.get("error"), request.get("cause"))
    return {"stopDate": timestamp(stopped)}


def describe(context: Context, request: Request) -> Response:
    execution = find(context, request["executionArn"])
    last_event = 0
    if execution.status not in ("RUNNING", "SUCCEEDED"):  # only then does the count matter
        with context.db.atomic(write=False) as connection:
            last_event = executions.last_event_id(connection, execution.arn)
    reason = not_redrivable_reason(execution, context.now(), last_event)
    response: Response = {
        "executionArn": execution.arn,
        "stateMachineArn": execution.version_arn or execution.machine_arn,
        "name": execution.name,
        "status": execution.status,
        "startDate": timestamp(execution.started_at),
        "redriveCount": execution.redrive_count,
        "redriveStatus": "NOT_REDRIVABLE" if reason else "REDRIVABLE",
    }
    if reason is not None:
        response["redriveStatusReason"] = reason
    if execution.redriven_at is not None:
        response["redriveDate"] = timestamp(execution.redriven_at)
    metadata_only = request.get("includedData") == "METADATA_ONLY"
    if not metadata_only:
        response["input"] = execution.input
        response["inputDetails"] = {"included": True}
    if execution.stopped_at is not None:
        response["stopDate"] = timestamp(execution.stopped_at)
    if execution.output is not None and not metadata_only:
        response["output"] = execution.output
        response["outputDetails"] = {"included": True}
    for member, value in (
        ("error", execution.error),
        ("cause", execution.cause),
        ("traceHeader", execution.trace_header),
        ("mapRunArn", execution.map_run_arn),
        ("stateMachineVersionArn", execution.version_arn),
        ("stateMachineAliasArn", execution.alias_arn),
    ):
        if value is not None:
            response[member] = value
    return response


def list_executions(context: Context, request: Request) -> Response:
    """A page of executions, newest first, read from the store's index: only that page's
    rows (and one more, to know whether another page follows) are read.
    """
    machine_arn: str = request.get("stateMachineArn", "")
    map_run_arn: str | None = request.get("mapRunArn")
    if not machine_arn and map_run_arn is None:
        raise ApiError("ValidationException", "Must provide a StateMachine ARN or MapRun ARN")
    if machine_arn and request.get("statusFilter") == "PENDING_REDRIVE":
        # AWS's model: PENDING_REDRIVE needs a mapRunArn; with a stateMachineArn it is refused.
        raise ApiError("ValidationException", "The PENDING_REDRIVE statusFilter needs a mapRunArn")
    scope = [request.get(member) for member in _LISTING_ARGUMENTS]
    after = _listing_key(request, scope)
    size = page_size(request)
    redrive = request.get("redriveFilter")
    wanted = executions.ExecutionFilter(
        map_run_arn=map_run_arn,
        status=request.get("statusFilter"),
        redriven=None if redrive is None else redrive == "REDRIVEN",
    )
    with context.db.atomic(write=False) as connection:
        if map_run_arn is None:
            wanted = _machine_filter(connection, machine_arn, wanted)
        found = executions.listed(connection, wanted, after=after, limit=size + 1)
    chosen, token = keyset_page(found, size, lambda e: [e.started_at, e.arn], scope)
    return listing("executions", [execution_list_item(e) for e in chosen], token)


_LISTING_ARGUMENTS = ("stateMachineArn", "mapRunArn", "statusFilter", "redriveFilter")
"""The ListExecutions arguments a `nextToken` stays valid for (`maxResults` may change)."""


def _listing_key(request: Request, scope: list[Any]) -> executions.ListingKey | None:
    after = after_key(request, scope)
    if after is None:
        return None
    match after:
        case [int() | float() as started_at, str() as arn] if not isinstance(started_at, bool):
            return float(started_at), arn
    raise invalid_token(request["nextToken"])


def _machine_filter(
    connection: sqlite3.Connection, machine_arn: str, wanted: executions.ExecutionFilter
) -> executions.ExecutionFilter:
    """`wanted` narrowed to the machine, version or alias `machine_arn` names (a version's
    or an alias's executions are those started through it), or AWS's error.
    """
    parsed = arns.state_machine(machine_arn, version=True, alias=True)
    machine = machines.get(connection, parsed.base)
    if machine is None:
        raise state_machine_does_not_exist(machine_arn)
    if machine.type == "EXPRESS":
        raise ApiError(
            "StateMachineTypeNotSupported",
            "This operation is not supported by EXPRESS state machines",
        )
    if parsed.is_version:
        return dataclasses.replace(wanted, version_arn=machine_arn)
    if parsed.is_alias:
        return dataclasses.replace(wanted, alias_arn=machine_arn)
    return dataclasses.replace(wanted, machine_arn=parsed.base)


def history(context: Context, request: Request) -> Response:
    """A page of an execution's events, read from the store past the token's event id."""
    execution = find(context, request["executionArn"])
    reverse = bool(request.get("reverseOrder"))
    scope = [execution.arn, reverse]
    after_id = 0
    after = after_key(request, scope)
    if after is not None:
        match after:
            case [int() as last] if not isinstance(last, bool) and last > 0:
                after_id = last
            case _:
                raise invalid_token(request["nextToken"])
    size = page_size(request)
    with context.db.atomic(write=False) as connection:
        events = executions.events(
            connection, execution.arn, after_id=after_id, reverse=reverse, limit=size + 1
        )
    chosen, token = keyset_page(events, size, lambda e: [e.id], scope)
    with_data = request.get("includeExecutionData", True)
    return listing("events", [event_json(e, with_data) for e in chosen], token)


def event_json(event: HistoryEventRecord, with_data: bool = True) -> dict[str, Any]:
    """One event as GetExecutionHistory shows it."""
    shown: dict[str, Any] = {
        "timestamp": timestamp(event.timestamp),
        "type": event.type,
        "id": event.id,
        "previousEventId": event.previous_event_id,
    }
    if event.details:
        details = event.details
        if not with_data:
            details = {k: v for k, v in details.items() if k not in _DATA_FIELDS}
        shown[details_key(event.type)] = details
    return shown


def describe_machine(context: Context, request: Request) -> Response:
    execution = find(context, request["executionArn"])
    with context.db.atomic(write=False) as connection:
        machine = machines.get(connection, execution.machine_arn)
    response: Response = {
        "stateMachineArn": execution.version_arn or execution.machine_arn,
        "name": execution.machine_arn.split(":")[6],
        "definition": execution.definition,
        "roleArn": execution.role_arn,
        "updateDate": timestamp(machine.updated_at if machine else execution.started_at),
    }
    if request.get("includedData") == "METADATA_ONLY":
        response["definition"] = "{}"
    if machine is not None:
        response["loggingConfiguration"] = machine.logging_configuration
        response["tracingConfiguration"] = machine.tracing_configuration
        response["encryptionConfiguration"] = machine.encryption_configuration
        if machine.revision_id is not None and machine.definition == execution.definition:
            response["revisionId"] = machine.revision_id
    return response


OPERATIONS = {
    "StartExecution": Operation(START_INPUT, start),
    "StartSyncExecution": Operation(START_SYNC_INPUT, start_sync),
    "StopExecution": Operation(STOP_INPUT, stop),
    "DescribeExecution": Operation(DESCRIBE_INPUT, describe),
    "ListExecutions": Operation(LIST_INPUT, list_executions),
    "GetExecutionHistory": Operation(HISTORY_INPUT, history),
    "DescribeStateMachineForExecution": Operation(DESCRIBE_INPUT, describe_machine),
}
