"""The console's way into the service: the API's own operations, called in-process.

Each call goes through the same input checks and handlers as a request to
`POST /`, so what the console shows is what boto3 would be answered.
"""

from __future__ import annotations

from typing import Any

from phalanx.api.context import Context, Service
from phalanx.api.dispatch import OPERATIONS, TARGET_PREFIX, dispatch

PAGE_SIZE = 1000
"""The largest page the list operations give (maxResults)."""


def call(service: Service, operation: str, request: dict[str, Any]) -> dict[str, Any]:
    """`operation`'s answer to `request`; raises the `ApiError` the API would send."""
    return dispatch(Context(service), TARGET_PREFIX + operation, request)


def serves(operation: str) -> bool:
    """Whether this Phalanx implements `operation` (the console offers only what it serves)."""
    return operation in OPERATIONS


def every(service: Service, operation: str, request: dict[str, Any], member: str) -> list[Any]:
    """All pages of a list operation, joined: `member` of each answer."""
    found: list[Any] = []
    token: str | None = None
    while True:
        asked = {**request, "maxResults": PAGE_SIZE}
        if token is not None:
            asked["nextToken"] = token
        answer = call(service, operation, asked)
        found += answer.get(member, [])
        token = answer.get("nextToken")
        if token is None:
            return found
