"""`maxResults` / `nextToken` pages over a list in its final order.

The token holds the sort key of the last item returned (base64 JSON), not an
offset, so a page boundary stays put when items before it are deleted. An
unreadable token is AWS's `InvalidToken`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from phalanx.api.errors import invalid_token

Item = TypeVar("Item")

DEFAULT_PAGE_SIZE = 100
"""AWS's default when `maxResults` is absent or 0."""


def page(
    items: Sequence[Item],
    key: Callable[[Item], list[Any]],
    request: dict[str, Any],
) -> tuple[list[Item], str | None]:
    """One page of `items` (ordered so that `key` ascends) and the token of the next, if any.

    `request` carries the caller's `maxResults` and `nextToken`.
    """
    size = request.get("maxResults") or DEFAULT_PAGE_SIZE
    start = 0
    token = request.get("nextToken")
    if token is not None:
        after = _read(token)
        try:
            start = next((i for i, item in enumerate(items) if key(item) > after), len(items))
        except TypeError:
            raise invalid_token(token) from None
    chosen = list(items[start : start + size])
    more = start + size < len(items)
    return chosen, (_write(key(chosen[-1])) if more and chosen else None)


def _write(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def _read(token: str) -> list[Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeError):
        raise invalid_token(token) from None
    if not isinstance(key, list):
        raise invalid_token(token)
    return key


def listing(member: str, items: list[dict[str, Any]], token: str | None) -> dict[str, Any]:
    """A List* response: the items under `member`, and `nextToken` when there is more."""
    response: dict[str, Any] = {member: items}
    if token is not None:
        response["nextToken"] = token
    return response
