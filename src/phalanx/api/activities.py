"""CreateActivity, DescribeActivity, ListActivities, DeleteActivity.

CreateActivity is idempotent on the name (tags of a repeat are ignored, as
AWS documents); deleting an activity that does not exist is no error.
GetActivityTask belongs with executions (it hands out their tasks).
"""

from __future__ import annotations

from phalanx.api import arns, configurations, tags
from phalanx.api.context import Context
from phalanx.api.errors import ApiError, activity_does_not_exist
from phalanx.api.operations import Operation, Request, Response, timestamp
from phalanx.api.pagination import listing, page
from phalanx.api.shapes import (
    ARN,
    ENCRYPTION_CONFIGURATION,
    NAME,
    PAGE_SIZE,
    PAGE_TOKEN,
    TAG_LIST,
    structure,
)
from phalanx.store import activities
from phalanx.store.records import ActivityRecord

CREATE_INPUT = structure(
    ("name",), name=NAME, tags=TAG_LIST, encryptionConfiguration=ENCRYPTION_CONFIGURATION
)
ACTIVITY_INPUT = structure(("activityArn",), activityArn=ARN)
LIST_INPUT = structure(maxResults=PAGE_SIZE, nextToken=PAGE_TOKEN)


def create(context: Context, request: Request) -> Response:
    name = arns.require_name(request["name"])
    encryption = configurations.encryption_configuration(request.get("encryptionConfiguration"))
    new_tags = tags.from_request(request.get("tags", []))
    arn = context.arn(arns.ACTIVITY, name)
    with context.db.atomic() as connection:
        activity = activities.get(connection, arn)
        if activity is None:
            activity = ActivityRecord(arn, name, encryption, context.now())
            activities.insert(connection, activity)
            tags.put(connection, arn, new_tags)
        elif activity.encryption_configuration != encryption:
            raise ApiError(
                "ActivityAlreadyExists",
                f"Activity already exists with a different encryption configuration: '{arn}'",
            )
    return {"activityArn": arn, "creationDate": timestamp(activity.created_at)}


def describe(context: Context, request: Request) -> Response:
    arn = request["activityArn"]
    arns.parse(arn, arns.ACTIVITY)
    with context.db.atomic() as connection:
        activity = activities.get(connection, arn)
    if activity is None:
        raise activity_does_not_exist(arn)
    return {
        "activityArn": activity.arn,
        "name": activity.name,
        "creationDate": timestamp(activity.created_at),
        "encryptionConfiguration": activity.encryption_configuration,
    }


def list_activities(context: Context, request: Request) -> Response:
    with context.db.atomic() as connection:
        found = activities.list_all(connection, context.arn_prefix(arns.ACTIVITY))
    chosen, token = page(found, lambda a: [a.name], request)
    items = [
        {"activityArn": a.arn, "name": a.name, "creationDate": timestamp(a.created_at)}
        for a in chosen
    ]
    return listing("activities", items, token)


def delete(context: Context, request: Request) -> Response:
    arn = request["activityArn"]
    arns.parse(arn, arns.ACTIVITY)
    with context.db.atomic() as connection:
        activities.delete(connection, arn)
    return {}


OPERATIONS = {
    "CreateActivity": Operation(CREATE_INPUT, create),
    "DescribeActivity": Operation(ACTIVITY_INPUT, describe),
    "ListActivities": Operation(LIST_INPUT, list_activities),
    "DeleteActivity": Operation(ACTIVITY_INPUT, delete),
}
