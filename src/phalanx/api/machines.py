"""The state machine operations: Create, Update, Describe, List and Delete.

A machine's definition is kept as the exact text sent (AWS returns it byte
for byte). `revisionId` is absent until the first update that changes
something; each such update gets a new one. CreateStateMachine is idempotent
on name, definition, type and configurations (roleArn and tags are ignored
on a repeat, as AWS documents).
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from phalanx.api import arns, configurations, tags, versions
from phalanx.api.context import Context
from phalanx.api.definitions import require_valid
from phalanx.api.errors import ApiError, invalid_token, state_machine_does_not_exist, validation
from phalanx.api.operations import Operation, Request, Response, timestamp
from phalanx.api.pagination import after_key, keyset_page, listing, page_size
from phalanx.api.shapes import (
    ARN,
    DEFINITION,
    ENCRYPTION_CONFIGURATION,
    LOGGING_CONFIGURATION,
    NAME,
    PAGE_SIZE,
    PAGE_TOKEN,
    STATE_MACHINE_TYPE,
    TAG_LIST,
    TRACING_CONFIGURATION,
    VERSION_DESCRIPTION,
    boolean,
    string,
    structure,
)
from phalanx.store import machines
from phalanx.store.records import StateMachineRecord, StateMachineVersionRecord

ACTIVE = "ACTIVE"

CREATE_INPUT = structure(
    ("name", "definition", "roleArn"),
    name=NAME,
    definition=DEFINITION,
    roleArn=ARN,
    type=STATE_MACHINE_TYPE,
    loggingConfiguration=LOGGING_CONFIGURATION,
    tags=TAG_LIST,
    tracingConfiguration=TRACING_CONFIGURATION,
    publish=boolean(),
    versionDescription=VERSION_DESCRIPTION,
    encryptionConfiguration=ENCRYPTION_CONFIGURATION,
)
UPDATE_INPUT = structure(
    ("stateMachineArn",),
    stateMachineArn=ARN,
    definition=DEFINITION,
    roleArn=ARN,
    loggingConfiguration=LOGGING_CONFIGURATION,
    tracingConfiguration=TRACING_CONFIGURATION,
    publish=boolean(),
    versionDescription=VERSION_DESCRIPTION,
    encryptionConfiguration=ENCRYPTION_CONFIGURATION,
)
DESCRIBE_INPUT = structure(
    ("stateMachineArn",),
    stateMachineArn=ARN,
    includedData=string(enum=("ALL_DATA", "METADATA_ONLY")),
)
LIST_INPUT = structure(maxResults=PAGE_SIZE, nextToken=PAGE_TOKEN)
DELETE_INPUT = structure(("stateMachineArn",), stateMachineArn=ARN)

# The members UpdateStateMachine needs at least one of.
_UPDATABLE = (
    "definition",
    "roleArn",
    "loggingConfiguration",
    "tracingConfiguration",
    "encryptionConfiguration",
)


def _version_description(request: Request) -> str | None:
    description = request.get("versionDescription")
    if description is not None and not request.get("publish"):
        raise validation("Version description can only be set when publish is true")
    return description


def create(context: Context, request: Request) -> Response:
    name = arns.require_name(request["name"])
    arns.require_role_arn(request["roleArn"])
    machine_type = request.get("type", "STANDARD")
    require_valid(request["definition"], machine_type)
    settings = {
        "logging_configuration": configurations.logging_configuration(
            request.get("loggingConfiguration")
        ),
        "tracing_configuration": configurations.tracing_configuration(
            request.get("tracingConfiguration")
        ),
        "encryption_configuration": configurations.encryption_configuration(
            request.get("encryptionConfiguration")
        ),
    }
    new_tags = tags.from_request(request.get("tags", []))
    description = _version_description(request)
    arn = context.arn(arns.STATE_MACHINE, name)
    now = context.now()
    with context.changing_machines() as connection:
        machine = machines.get(connection, arn)
        if machine is None:
            machine = StateMachineRecord(
                arn=arn,
                name=name,
                type=machine_type,
                definition=request["definition"],
                role_arn=request["roleArn"],
                status=ACTIVE,
                revision_id=None,
                last_version=0,
                created_at=now,
                updated_at=now,
                **settings,
            )
            machines.insert(connection, machine)
            tags.put(connection, arn, new_tags)
        elif not _same_machine(machine, request["definition"], machine_type, settings):
            raise ApiError("StateMachineAlreadyExists", f"State Machine Already Exists: '{arn}'")
        version = (
            versions.publish(connection, machine, description, now)
            if request.get("publish")
            else None
        )
    response: Response = {"stateMachineArn": arn, "creationDate": timestamp(machine.created_at)}
    if version is not None:
        response["stateMachineVersionArn"] = version.arn
    return response


def _same_machine(
    machine: StateMachineRecord, definition: str, machine_type: str, settings: dict[str, Any]
) -> bool:
    mine = {name: getattr(machine, name) for name in settings}
    return (machine.definition, machine.type, mine) == (definition, machine_type, settings)


def update(context: Context, request: Request) -> Response:
    arn = arns.state_machine(request["stateMachineArn"]).base
    if not any(name in request for name in _UPDATABLE):
        raise ApiError(
            "MissingRequiredParameter",
            "Either the definition, the role ARN, the LoggingConfiguration, "
            "the EncryptionConfiguration or the TracingConfiguration must be specified",
        )
    if "roleArn" in request:
        arns.require_role_arn(request["roleArn"])
    description = _version_description(request)
    now = context.now()
    with context.changing_machines() as connection:
        machine = machines.get(connection, arn)
        if machine is None:
            raise state_machine_does_not_exist(arn)
        if "definition" in request:
            require_valid(request["definition"], machine.type)
        changed = _updated(machine, request)
        if changed != machine:
            changed = dataclasses.replace(changed, revision_id=str(uuid.uuid4()), updated_at=now)
            machines.update(connection, changed)
        version = (
            versions.publish(connection, changed, description, now)
            if request.get("publish")
            else None
        )
    response: Response = {"updateDate": timestamp(now)}
    if changed.revision_id is not None:
        response["revisionId"] = changed.revision_id
    if version is not None:
        response["stateMachineVersionArn"] = version.arn
    return response


def _updated(machine: StateMachineRecord, request: Request) -> StateMachineRecord:
    changes: dict[str, Any] = {}
    if "definition" in request:
        changes["definition"] = request["definition"]
    if "roleArn" in request:
        changes["role_arn"] = request["roleArn"]
    if "loggingConfiguration" in request:
        changes["logging_configuration"] = configurations.logging_configuration(
            request["loggingConfiguration"]
        )
    if "tracingConfiguration" in request:
        changes["tracing_configuration"] = configurations.tracing_configuration(
            request["tracingConfiguration"]
        )
    if "encryptionConfiguration" in request:
        changes["encryption_configuration"] = configurations.encryption_configuration(
            request["encryptionConfiguration"]
        )
    return dataclasses.replace(machine, **changes)


def describe(context: Context, request: Request) -> Response:
    parsed = arns.state_machine(request["stateMachineArn"], version=True)
    with context.changing_machines() as connection:
        machine = machines.get(connection, parsed.base)
        version = (
            machines.get_version(connection, request["stateMachineArn"])
            if parsed.is_version
            else None
        )
    if machine is None or (parsed.is_version and version is None):
        raise state_machine_does_not_exist(request["stateMachineArn"])
    shown: StateMachineRecord | StateMachineVersionRecord = version or machine
    response: Response = {
        "stateMachineArn": shown.arn,
        "name": machine.name,
        "status": machine.status,
        "definition": shown.definition,
        "roleArn": shown.role_arn,
        "type": shown.type,
        "creationDate": timestamp(shown.created_at),
        "loggingConfiguration": shown.logging_configuration,
        "tracingConfiguration": shown.tracing_configuration,
        "encryptionConfiguration": shown.encryption_configuration,
    }
    if request.get("includedData") == "METADATA_ONLY":
        response["definition"] = "{}"
    if shown.revision_id is not None:
        response["revisionId"] = shown.revision_id
    if version is not None and version.description is not None:
        response["description"] = version.description
    return response


def list_machines(context: Context, request: Request) -> Response:
    """A page of the region's machines by name, read from the store's index."""
    after = after_key(request, _LISTING_SCOPE)
    match after:
        case None | [str()]:
            pass
        case _:
            raise invalid_token(request["nextToken"])
    size = page_size(request)
    with context.db.atomic(write=False) as connection:
        found = machines.list_all(
            connection,
            context.arn_prefix(arns.STATE_MACHINE),
            after_name=None if after is None else after[0],
            limit=size + 1,
        )
    chosen, token = keyset_page(found, size, lambda m: [m.name], _LISTING_SCOPE)
    items = [
        {
            "stateMachineArn": m.arn,
            "name": m.name,
            "type": m.type,
            "creationDate": timestamp(m.created_at),
        }
        for m in chosen
    ]
    return listing("stateMachines", items, token)


_LISTING_SCOPE = ("ListStateMachines",)
"""What a ListStateMachines token is good for (its region is in the machines it lists)."""


def delete(context: Context, request: Request) -> Response:
    """Delete a machine with its versions, aliases and tags; deleting twice is no error."""
    arn = arns.state_machine(request["stateMachineArn"]).base
    with context.changing_machines() as connection:
        machines.delete(connection, arn)
    return {}


OPERATIONS = {
    "CreateStateMachine": Operation(CREATE_INPUT, create),
    "UpdateStateMachine": Operation(UPDATE_INPUT, update),
    "DescribeStateMachine": Operation(DESCRIBE_INPUT, describe),
    "ListStateMachines": Operation(LIST_INPUT, list_machines),
    "DeleteStateMachine": Operation(DELETE_INPUT, delete),
}
