"""DescribeMapRun and ListMapRuns: the Distributed Map runs of an execution.

A Distributed Map runs inside its parent execution here (its items are not
child executions in the store), so a map run is known from the parent's
`MapRunStarted` / `MapRunSucceeded` / `MapRunFailed` events: its status,
dates and item count. `maxConcurrency` and the tolerated failures read 0, and
a failed run counts every item as failed (the engine reports no outcome per
item yet). UpdateMapRun is not served.
"""

from __future__ import annotations

from phalanx.api import arns
from phalanx.api.context import Context
from phalanx.api.errors import resource_not_found
from phalanx.api.executions import find
from phalanx.api.operations import Operation, Request, Response, timestamp
from phalanx.api.pagination import listing, page
from phalanx.api.shapes import ARN, LONG_ARN, PAGE_SIZE, PAGE_TOKEN, structure
from phalanx.store import map_runs
from phalanx.store.records import MapRunRecord

DESCRIBE_INPUT = structure(("mapRunArn",), mapRunArn=LONG_ARN)
LIST_INPUT = structure(
    ("executionArn",), executionArn=ARN, maxResults=PAGE_SIZE, nextToken=PAGE_TOKEN
)


def describe(context: Context, request: Request) -> Response:
    arn = request["mapRunArn"]
    arns.parse(arn, "mapRun")
    with context.db.atomic(write=False) as connection:
        found = map_runs.get(connection, arn)
    if found is None:
        raise resource_not_found(arn)
    response: Response = {
        "mapRunArn": found.arn,
        "executionArn": found.execution_arn,
        "status": found.status,
        "startDate": timestamp(found.started_at),
        "maxConcurrency": found.max_concurrency,
        "toleratedFailurePercentage": found.tolerated_failure_percentage,
        "toleratedFailureCount": found.tolerated_failure_count,
        "itemCounts": found.item_counts,
        "executionCounts": found.execution_counts,
        "redriveCount": 0,
    }
    if found.stopped_at is not None:
        response["stopDate"] = timestamp(found.stopped_at)
    return response


def list_map_runs(context: Context, request: Request) -> Response:
    execution = find(context, request["executionArn"])
    with context.db.atomic(write=False) as connection:
        found = map_runs.list_for(connection, execution.arn)
    chosen, token = page(found, lambda m: [-m.started_at, m.arn], request)
    return listing("mapRuns", [_listed(m) for m in chosen], token)


def _listed(map_run: MapRunRecord) -> Response:
    # The map run's machine is the parent's, labelled: `machine/label`.
    machine, _, _ = map_run.arn.replace(":mapRun:", ":stateMachine:").rpartition(":")
    item: Response = {
        "executionArn": map_run.execution_arn,
        "mapRunArn": map_run.arn,
        "stateMachineArn": machine,
        "startDate": timestamp(map_run.started_at),
    }
    if map_run.stopped_at is not None:
        item["stopDate"] = timestamp(map_run.stopped_at)
    return item


OPERATIONS = {
    "DescribeMapRun": Operation(DESCRIBE_INPUT, describe),
    "ListMapRuns": Operation(LIST_INPUT, list_map_runs),
}
