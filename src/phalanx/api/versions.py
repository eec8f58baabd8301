"""PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion.

A version is an immutable snapshot of a machine's current revision, numbered
from 1 and never renumbered. Publishing is idempotent per revision: the
revision already published gives back its version. A version an alias
routes to cannot be deleted (ConflictException, as AWS).
"""

from __future__ import annotations

import dataclasses
import sqlite3

from phalanx.api import arns
from phalanx.api.context import Context
from phalanx.api.errors import ApiError, conflict, state_machine_does_not_exist, validation
from phalanx.api.operations import Operation, Request, Response, timestamp
from phalanx.api.pagination import listing, page
from phalanx.api.shapes import (
    ARN,
    LONG_ARN,
    PAGE_SIZE,
    PAGE_TOKEN,
    VERSION_DESCRIPTION,
    string,
    structure,
)
from phalanx.store import machines
from phalanx.store.records import StateMachineRecord, StateMachineVersionRecord

MAX_VERSIONS = 1000
INITIAL_REVISION = "INITIAL"
"""What `revisionId` a machine never updated has, for PublishStateMachineVersion's check."""


def publish(
    connection: sqlite3.Connection, machine: StateMachineRecord, description: str | None, now: float
) -> StateMachineVersionRecord:
    """The version of `machine`'s current revision, published now if it was not yet."""
    existing = machines.version_of_revision(connection, machine.arn, machine.revision_id)
    if existing is not None:
        return existing
    if len(machines.list_versions(connection, machine.arn)) >= MAX_VERSIONS:
        raise ApiError(
            "ServiceQuotaExceededException",
            f"{machine.arn} already has {MAX_VERSIONS} versions, the most AWS allows; "
            "delete unused ones with DeleteStateMachineVersion",
        )
    number = machine.last_version + 1
    version = StateMachineVersionRecord(
        arn=f"{machine.arn}:{number}",
        machine_arn=machine.arn,
        version=number,
        type=machine.type,
        definition=machine.definition,
        role_arn=machine.role_arn,
        description=description,
        revision_id=machine.revision_id,
        logging_configuration=machine.logging_configuration,
        tracing_configuration=machine.tracing_configuration,
        encryption_configuration=machine.encryption_configuration,
        created_at=now,
    )
    machines.insert_version(connection, version)
    machines.update(connection, dataclasses.replace(machine, last_version=number))
    return version


PUBLISH_INPUT = structure(
    ("stateMachineArn",),
    stateMachineArn=ARN,
    revisionId=string(),
    description=VERSION_DESCRIPTION,
)
LIST_INPUT = structure(
    ("stateMachineArn",), stateMachineArn=ARN, nextToken=PAGE_TOKEN, maxResults=PAGE_SIZE
)
DELETE_INPUT = structure(("stateMachineVersionArn",), stateMachineVersionArn=LONG_ARN)


def publish_version(context: Context, request: Request) -> Response:
    arn = arns.state_machine(request["stateMachineArn"]).base
    with context.changing_machines() as connection:
        machine = machines.get(connection, arn)
        if machine is None:
            raise state_machine_does_not_exist(arn)
        current = machine.revision_id or INITIAL_REVISION
        wanted = request.get("revisionId")
        if wanted is not None and wanted != current:
            raise conflict(
                f"Failed to publish the State Machine version for revision {wanted}. "
                f"The current State Machine revision is {current}."
            )
        version = publish(connection, machine, request.get("description"), context.now())
    return {
        "creationDate": timestamp(version.created_at),
        "stateMachineVersionArn": version.arn,
    }


def list_versions(context: Context, request: Request) -> Response:
    arn = arns.state_machine(request["stateMachineArn"]).base
    with context.changing_machines() as connection:
        found = machines.list_versions(connection, arn)
    chosen, token = page(found, lambda v: [-v.version], request)
    items = [
        {"stateMachineVersionArn": v.arn, "creationDate": timestamp(v.created_at)} for v in chosen
    ]
    return listing("stateMachineVersions", items, token)


def delete_version(context: Context, request: Request) -> Response:
    arn = request["stateMachineVersionArn"]
    if not arns.state_machine(arn, version=True).is_version:
        raise validation(f"Not a state machine version ARN: {arn}")
    with context.changing_machines() as connection:
        aliases = machines.aliases_routing_to(connection, arn)
        if aliases:
            raise conflict(
                "Version to be deleted must not be referenced by an alias. "
                f"Current list of aliases referencing this version: [{', '.join(aliases)}]"
            )
        machines.delete_version(connection, arn)
    return {}


OPERATIONS = {
    "PublishStateMachineVersion": Operation(PUBLISH_INPUT, publish_version),
    "ListStateMachineVersions": Operation(LIST_INPUT, list_versions),
    "DeleteStateMachineVersion": Operation(DELETE_INPUT, delete_version),
}
