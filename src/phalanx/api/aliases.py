"""The state machine alias operations: Create, Describe, Update, Delete, List.

An alias routes executions to one or two versions of one machine, with
weights that add up to 100. Its ARN is the machine's ARN and its name:
`...:stateMachine:orders:PROD`. Creating the same alias twice with the same
settings is idempotent; with other settings it is a ConflictException.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from phalanx.api import arns
from phalanx.api.context import Context
from phalanx.api.errors import (
    ApiError,
    conflict,
    resource_not_found,
    state_machine_does_not_exist,
    validation,
)
from phalanx.api.operations import Operation, Request, Response, timestamp
from phalanx.api.pagination import listing, page
from phalanx.api.shapes import ARN, PAGE_SIZE, PAGE_TOKEN, integer, list_of, string, structure
from phalanx.store import machines
from phalanx.store.records import RoutingEntry, StateMachineAliasRecord

MAX_ALIASES = 100

ROUTING_CONFIGURATION = list_of(
    structure(
        ("stateMachineVersionArn", "weight"),
        stateMachineVersionArn=ARN,
        weight=integer(0, 100),
    ),
    1,
    2,
)
DESCRIPTION = string(max=256)
CREATE_INPUT = structure(
    ("name", "routingConfiguration"),
    description=DESCRIPTION,
    name=string(1, 80, pattern=arns.ALIAS_NAME_PATTERN),
    routingConfiguration=ROUTING_CONFIGURATION,
)
ALIAS_INPUT = structure(("stateMachineAliasArn",), stateMachineAliasArn=ARN)
UPDATE_INPUT = structure(
    ("stateMachineAliasArn",),
    stateMachineAliasArn=ARN,
    description=DESCRIPTION,
    routingConfiguration=ROUTING_CONFIGURATION,
)
LIST_INPUT = structure(
    ("stateMachineArn",), stateMachineArn=ARN, nextToken=PAGE_TOKEN, maxResults=PAGE_SIZE
)


def _routing(
    connection: sqlite3.Connection, items: list[dict[str, Any]]
) -> tuple[str, tuple[RoutingEntry, ...]]:
    """The machine an alias's routing points into, and the routing, checked as AWS checks it."""
    entries = tuple(RoutingEntry(i["stateMachineVersionArn"], i["weight"]) for i in items)
    parsed = [arns.state_machine(e.version_arn, version=True) for e in entries]
    for entry, version in zip(entries, parsed, strict=True):
        if not version.is_version:
            raise validation(f"Routing configuration must name versions, got {entry.version_arn}")
    if len({version.base for version in parsed}) > 1:
        raise validation("Routing configuration must name versions of the same state machine")
    if len({entry.version_arn for entry in entries}) < len(entries):
        raise validation("Routing configuration must not name a version twice")
    if sum(entry.weight for entry in entries) != 100:
        raise validation("Sum of routing configuration weights must be equal to 100")
    machine_arn = parsed[0].base
    if machines.get(connection, machine_arn) is None:
        raise state_machine_does_not_exist(machine_arn)
    for entry in entries:
        if machines.get_version(connection, entry.version_arn) is None:
            raise resource_not_found(entry.version_arn)
    return machine_arn, entries


def _existing(connection: sqlite3.Connection, arn: str) -> StateMachineAliasRecord:
    if not arns.state_machine(arn, alias=True).is_alias:
        raise validation(f"Not a state machine alias ARN: {arn}")
    alias = machines.get_alias(connection, arn)
    if alias is None:
        raise resource_not_found(arn)
    return alias


def create(context: Context, request: Request) -> Response:
    now = context.now()
    with context.changing_machines() as connection:
        machine_arn, routing = _routing(connection, request["routingConfiguration"])
        arn = f"{machine_arn}:{request['name']}"
        alias = machines.get_alias(connection, arn)
        if alias is not None:
            if (alias.description, alias.routing_configuration) != (
                request.get("description"),
                routing,
            ):
                raise conflict(
                    "Failed to create alias because an alias with the same name and a "
                    "different routing configuration already exists."
                )
        else:
            if len(machines.list_aliases(connection, machine_arn)) >= MAX_ALIASES:
                raise ApiError(
                    "ServiceQuotaExceededException",
                    f"{machine_arn} already has {MAX_ALIASES} aliases, the most AWS allows",
                )
            alias = StateMachineAliasRecord(
                arn, machine_arn, request["name"], request.get("description"), routing, now, now
            )
            machines.put_alias(connection, alias)
    return {"stateMachineAliasArn": alias.arn, "creationDate": timestamp(alias.created_at)}


def describe(context: Context, request: Request) -> Response:
    with context.changing_machines() as connection:
        alias = _existing(connection, request["stateMachineAliasArn"])
    response: Response = {
        "stateMachineAliasArn": alias.arn,
        "name": alias.name,
        "routingConfiguration": [
            {"stateMachineVersionArn": e.version_arn, "weight": e.weight}
            for e in alias.routing_configuration
        ],
        "creationDate": timestamp(alias.created_at),
        "updateDate": timestamp(alias.updated_at),
    }
    if alias.description is not None:
        response["description"] = alias.description
    return response


def update(context: Context, request: Request) -> Response:
    if "description" not in request and "routingConfiguration" not in request:
        raise validation("Either the description or the RoutingConfiguration must be specified")
    now = context.now()
    with context.changing_machines() as connection:
        alias = _existing(connection, request["stateMachineAliasArn"])
        description = request.get("description", alias.description)
        routing = alias.routing_configuration
        if "routingConfiguration" in request:
            machine_arn, routing = _routing(connection, request["routingConfiguration"])
            if machine_arn != alias.machine_arn:
                raise validation(f"Routing configuration must name versions of {alias.machine_arn}")
        if (description, routing) != (alias.description, alias.routing_configuration):
            machines.put_alias(
                connection,
                StateMachineAliasRecord(
                    alias.arn,
                    alias.machine_arn,
                    alias.name,
                    description,
                    routing,
                    alias.created_at,
                    now,
                ),
            )
    return {"updateDate": timestamp(now)}


def delete(context: Context, request: Request) -> Response:
    with context.changing_machines() as connection:
        alias = _existing(connection, request["stateMachineAliasArn"])
        machines.delete_alias(connection, alias.arn)
    return {}


def list_aliases(context: Context, request: Request) -> Response:
    """The aliases of a machine, or of one version of it (those routing to that version)."""
    arn = request["stateMachineArn"]
    parsed = arns.state_machine(arn, version=True)
    with context.changing_machines() as connection:
        if machines.get(connection, parsed.base) is None:
            raise state_machine_does_not_exist(parsed.base)
        if parsed.is_version and machines.get_version(connection, arn) is None:
            raise resource_not_found(arn)
        found = machines.list_aliases(connection, parsed.base, arn if parsed.is_version else None)
    chosen, token = page(found, lambda a: [-a.created_at, a.arn], request)
    items = [
        {"stateMachineAliasArn": a.arn, "creationDate": timestamp(a.created_at)} for a in chosen
    ]
    return listing("stateMachineAliases", items, token)


OPERATIONS = {
    "CreateStateMachineAlias": Operation(CREATE_INPUT, create),
    "DescribeStateMachineAlias": Operation(ALIAS_INPUT, describe),
    "UpdateStateMachineAlias": Operation(UPDATE_INPUT, update),
    "DeleteStateMachineAlias": Operation(ALIAS_INPUT, delete),
    "ListStateMachineAliases": Operation(LIST_INPUT, list_aliases),
}
