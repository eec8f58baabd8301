"""`maxResults` / `nextToken` pages over a list in its final order.

The token holds the sort key of the last item returned (base64 JSON), not an
offset, so a page boundary stays put when items before it are deleted. It
also holds a check over that key and the request's other arguments (its
`scope`): AWS asks for the next page with "all other arguments unchanged",
so a token that was edited, or that another listing gave (another machine,
another filter), is AWS's `InvalidToken`, as is an unreadable one.

Two ways to page: `page` cuts a list already in memory; a listing that
pages in SQL reads `after_key` from the request, asks the store for
`page_size(request) + 1` rows past it, and cuts them with `keyset_page`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from phalanx.api.errors import invalid_token

Item = TypeVar("Item")

DEFAULT_PAGE_SIZE = 100
"""AWS's default when `maxResults` is absent or 0."""

_CHECK_LENGTH = 16
"""Hex digits of the token's check: enough to catch an edit or a token of another listing."""


def page_size(request: dict[str, Any]) -> int:
    """The caller's `maxResults`, or AWS's default."""
    size: int = request.get("maxResults") or DEFAULT_PAGE_SIZE
    return size


def page(
    items: Sequence[Item],
    key: Callable[[Item], list[Any]],
    request: dict[str, Any],
    scope: Sequence[object] = (),
) -> tuple[list[Item], str | None]:
    """One page of `items` (ordered so that `key` ascends) and the token of the next, if any.

    `request` carries the caller's `maxResults` and `nextToken`; `scope` the
    arguments a token is valid for.
    """
    size = page_size(request)
    start = 0
    after = after_key(request, scope)
    if after is not None:
        try:
            start = next((i for i, item in enumerate(items) if key(item) > after), len(items))
        except TypeError:
            raise invalid_token(request["nextToken"]) from None
    chosen = list(items[start : start + size])
    more = start + size < len(items)
    return chosen, (next_token(key(chosen[-1]), scope) if more and chosen else None)


def keyset_page(
    found: Sequence[Item],
    size: int,
    key: Callable[[Item], list[Any]],
    scope: Sequence[object] = (),
) -> tuple[list[Item], str | None]:
    """A page of a listing read in SQL: `found` holds up to `size + 1` items past the
    token's key; the extra one, if it came, says another page follows.
    """
    chosen = list(found[:size])
    return chosen, (next_token(key(chosen[-1]), scope) if len(found) > size else None)


def after_key(request: dict[str, Any], scope: Sequence[object] = ()) -> list[Any] | None:
    """The key the request's `nextToken` carries, None without one; `InvalidToken` if the
    token is unreadable, edited, or was given for another `scope`.
    """
    token: str | None = request.get("nextToken")
    if token is None:
        return None
    try:
        content = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeError):
        raise invalid_token(token) from None
    if not isinstance(content, dict) or not isinstance(content.get("after"), list):
        raise invalid_token(token)
    key: list[Any] = content["after"]
    if content.get("check") != _check(key, scope):
        raise invalid_token(token)
    return key


def next_token(key: list[Any], scope: Sequence[object] = ()) -> str:
    """The token of the page after the item whose sort key is `key`."""
    content = {"after": key, "check": _check(key, scope)}
    return base64.urlsafe_b64encode(json.dumps(content).encode()).decode()


def _check(key: list[Any], scope: Sequence[object]) -> str:
    text = json.dumps([list(scope), key], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:_CHECK_LENGTH]


def listing(member: str, items: list[dict[str, Any]], token: str | None) -> dict[str, Any]:
    """A List* response: the items under `member`, and `nextToken` when there is more."""
    response: dict[str, Any] = {member: items}
    if token is not None:
        response["nextToken"] = token
    return response
