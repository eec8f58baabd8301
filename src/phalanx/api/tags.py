"""TagResource, UntagResource, ListTagsForResource, and the tag rules CreateStateMachine shares.

Tags belong to state machines and activities (unqualified ARNs). AWS allows
50 per resource; keys and values hold Unicode letters, digits, white space and
`_ . : / = + - @`.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from phalanx.api import arns
from phalanx.api.context import Context
from phalanx.api.errors import ApiError, invalid_arn, resource_not_found, shorten, validation
from phalanx.api.operations import Operation, Request, Response
from phalanx.api.shapes import ARN, TAG_KEY_LIST, TAG_LIST, structure
from phalanx.store import activities, machines
from phalanx.store import tags as stored_tags
from phalanx.store.records import Tag

MAX_TAGS = 50
_ALLOWED = re.compile(r"[\w\s.:/=+\-@]*")


def from_request(items: list[dict[str, Any]]) -> list[Tag]:
    """The tags of a request, their characters checked."""
    found = [Tag(item.get("key", ""), item.get("value", "")) for item in items]
    for tag in found:
        for text in (tag.key, tag.value):
            if not _ALLOWED.fullmatch(text):
                raise validation(
                    f"Invalid tag '{shorten(text)}': tags may only contain Unicode letters, "
                    "digits, white space, or these symbols: _ . : / = + - @"
                )
    return found


def put(connection: sqlite3.Connection, resource_arn: str, new_tags: list[Tag]) -> None:
    """Add tags to a resource, refusing to go past AWS's 50 (TooManyTags, as AWS says)."""
    keys = {tag.key for tag in stored_tags.list_for(connection, resource_arn)}
    keys.update(tag.key for tag in new_tags)
    if len(keys) > MAX_TAGS:
        raise ApiError(
            "TooManyTags",
            f"Too many tags: a resource may have at most {MAX_TAGS} tags, "
            f"this request would give it {len(keys)}",
            resourceName=resource_arn,
        )
    stored_tags.put(connection, resource_arn, new_tags)


def _existing_resource(connection: sqlite3.Connection, arn: str) -> str:
    parsed = arns.parse(arn, arns.STATE_MACHINE, arns.ACTIVITY)
    if parsed.qualifier is not None or parsed.label is not None:
        raise invalid_arn(f"Tags belong to state machines and activities, not to {arn}")
    if parsed.resource_type == arns.STATE_MACHINE:
        found = machines.get(connection, arn) is not None
    else:
        found = activities.get(connection, arn) is not None
    if not found:
        raise resource_not_found(arn)
    return arn


TAG_INPUT = structure(("resourceArn", "tags"), resourceArn=ARN, tags=TAG_LIST)
UNTAG_INPUT = structure(("resourceArn", "tagKeys"), resourceArn=ARN, tagKeys=TAG_KEY_LIST)
LIST_INPUT = structure(("resourceArn",), resourceArn=ARN)


def tag_resource(context: Context, request: Request) -> Response:
    new_tags = from_request(request["tags"])
    with context.db.atomic() as connection:
        put(connection, _existing_resource(connection, request["resourceArn"]), new_tags)
    return {}


def untag_resource(context: Context, request: Request) -> Response:
    with context.db.atomic() as connection:
        arn = _existing_resource(connection, request["resourceArn"])
        stored_tags.remove(connection, arn, request["tagKeys"])
    return {}


def list_tags(context: Context, request: Request) -> Response:
    with context.db.atomic() as connection:
        arn = _existing_resource(connection, request["resourceArn"])
        found = stored_tags.list_for(connection, arn)
    return {"tags": [{"key": tag.key, "value": tag.value} for tag in found]}


OPERATIONS = {
    "TagResource": Operation(TAG_INPUT, tag_resource),
    "UntagResource": Operation(UNTAG_INPUT, untag_resource),
    "ListTagsForResource": Operation(LIST_INPUT, list_tags),
}
