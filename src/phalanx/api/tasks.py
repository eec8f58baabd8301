"""SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat and GetActivityTask.

A task token names a `.waitForTaskToken` task or an activity task an
execution waits on. The answers follow AWS: a token that is not one Phalanx
could have issued is `InvalidToken`; one whose task has ended (answered, its
execution over) is `TaskDoesNotExist`; one whose task timed out is
`TaskTimedOut`. An answer is acknowledged once it is committed.

GetActivityTask long polls for up to 60 seconds, as AWS does, on its own
request thread: other requests go on meanwhile.
"""

from __future__ import annotations

import base64
import binascii

from phalanx.api import arns
from phalanx.api.context import Context
from phalanx.api.errors import ApiError, activity_does_not_exist, invalid_token, shorten
from phalanx.api.operations import Operation, Request, Response
from phalanx.api.shapes import ARN, string, structure
from phalanx.engine.effects import CallbackResponse
from phalanx.engine.history import from_text
from phalanx.runtime.durable import TaskGone
from phalanx.store import activities
from phalanx.store import journal as journal_rows

TOKEN = string(1, 2048)
SUCCESS_INPUT = structure(("taskToken", "output"), taskToken=TOKEN, output=string(max=262144))
FAILURE_INPUT = structure(
    ("taskToken",), taskToken=TOKEN, error=string(0, 256), cause=string(0, 32768)
)
HEARTBEAT_INPUT = structure(("taskToken",), taskToken=TOKEN)
ACTIVITY_TASK_INPUT = structure(("activityArn",), activityArn=ARN, workerName=string(1, 80))

LONG_POLL_SECONDS = 60.0
"""How long GetActivityTask waits for a task before answering with none (AWS: 60 s)."""
_TOKEN_BYTES = 48


def _well_formed(token: str) -> bool:
    """A token Phalanx could have issued: "AQ" and 48 bytes in base64."""
    if not token.startswith("AQ"):
        return False
    try:
        return len(base64.b64decode(token[2:], validate=True)) == _TOKEN_BYTES
    except (binascii.Error, ValueError):
        return False


def _send(context: Context, token: str, response: CallbackResponse) -> Response:
    if not _well_formed(token):
        raise invalid_token(token)
    with context.db.atomic(write=False) as connection:
        row = journal_rows.get_token(connection, token)
    if row is not None and row.status == "TIMED_OUT":
        raise ApiError("TaskTimedOut", f"Task Timed Out: '{shorten(token)}'")
    try:
        if row is None:
            raise TaskGone(token)
        context.runtime.answer(token, response)
    except TaskGone:
        raise ApiError("TaskDoesNotExist", f"Task Does Not Exist: '{shorten(token)}'") from None
    return {}


def send_success(context: Context, request: Request) -> Response:
    output = request["output"]
    try:
        value = from_text(output)
    except ValueError:
        raise ApiError("InvalidOutput", f"Invalid Output: '{shorten(output)}'") from None
    return _send(context, request["taskToken"], CallbackResponse(output=value))


def send_failure(context: Context, request: Request) -> Response:
    response = CallbackResponse(error=request.get("error"), cause=request.get("cause"))
    return _send(context, request["taskToken"], response)


def send_heartbeat(context: Context, request: Request) -> Response:
    return _send(context, request["taskToken"], CallbackResponse(heartbeat=True))


def get_activity_task(context: Context, request: Request) -> Response:
    arn = request["activityArn"]
    arns.parse(arn, arns.ACTIVITY)
    with context.db.atomic(write=False) as connection:
        if activities.get(connection, arn) is None:
            raise activity_does_not_exist(arn)
    task = context.runtime.take_activity_task(arn, request.get("workerName"), LONG_POLL_SECONDS)
    if task is None:
        return {}
    return {"taskToken": task.token, "input": task.input or "{}"}


OPERATIONS = {
    "SendTaskSuccess": Operation(SUCCESS_INPUT, send_success),
    "SendTaskFailure": Operation(FAILURE_INPUT, send_failure),
    "SendTaskHeartbeat": Operation(HEARTBEAT_INPUT, send_heartbeat),
    "GetActivityTask": Operation(ACTIVITY_TASK_INPUT, get_activity_task),
}
