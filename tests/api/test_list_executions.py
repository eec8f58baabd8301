"""ListExecutions over the store, in-process: filters, pages and their tokens."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from phalanx.api.context import Context, Service
from phalanx.api.dispatch import TARGET_PREFIX, dispatch
from phalanx.api.errors import ApiError
from phalanx.api.responses import execution_list_item
from phalanx.store import Database, executions, machines
from tests.store.test_executions import ALIAS, MAP_RUN, STORED, VERSION
from tests.store.test_records import machine
from tests.stored_executions import NOON, ORDERS, execution

# Ties on started_at, so that page boundaries fall between executions started together.
TIED = [
    execution(ORDERS, f"tied-{n}", "SUCCEEDED", NOON + 10 + n // 3, NOON + 20) for n in range(7)
]
ORDERS_NEWEST_FIRST = sorted(
    [e for e in [*STORED, *TIED] if e.machine_arn == ORDERS and e.map_run_arn is None],
    key=lambda e: (-e.started_at, e.arn),
)
OTHER = machine("other").arn


@pytest.fixture
def context() -> Iterator[Context]:
    with Database.open(":memory:") as db:
        with db.atomic() as connection:
            machines.insert(connection, machine("orders"))
            machines.insert(connection, machine("other"))
            machines.insert(connection, machine("quick", type="EXPRESS"))
            executions.insert_many(connection, [*STORED, *TIED])
            executions.insert(connection, execution(OTHER, "o-1", "SUCCEEDED", NOON, NOON + 1))
            executions.insert(connection, execution(OTHER, "o-2", "SUCCEEDED", NOON, NOON + 1))
        yield Context(Service(db))


def _list(context: Context, **request: Any) -> dict[str, Any]:
    return dispatch(context, TARGET_PREFIX + "ListExecutions", request)


def _names(answer: dict[str, Any]) -> list[str]:
    return [item["name"] for item in answer["executions"]]


def test_a_page_holds_the_list_items_of_the_newest_executions(context: Context) -> None:
    answer = _list(context, stateMachineArn=ORDERS, maxResults=4)
    assert answer["executions"] == [execution_list_item(e) for e in ORDERS_NEWEST_FIRST[:4]]
    assert "nextToken" in answer


@pytest.mark.parametrize("size", [1, 2, 3, 1000])
def test_pages_joined_are_the_whole_listing_once_ties_by_arn(context: Context, size: int) -> None:
    request: dict[str, Any] = {"stateMachineArn": ORDERS, "maxResults": size}
    names: list[str] = []
    while True:
        answer = _list(context, **request)
        assert len(answer["executions"]) <= size
        names += _names(answer)
        if "nextToken" not in answer:
            break
        request["nextToken"] = answer["nextToken"]
    assert names == [e.name for e in ORDERS_NEWEST_FIRST]


def test_the_next_page_may_be_of_another_size(context: Context) -> None:
    first = _list(context, stateMachineArn=ORDERS, maxResults=2)
    rest = _list(context, stateMachineArn=ORDERS, maxResults=3, nextToken=first["nextToken"])
    assert _names(first) + _names(rest) == [e.name for e in ORDERS_NEWEST_FIRST[:5]]


@pytest.mark.parametrize(
    ("request_", "names"),
    [
        pytest.param(
            {"stateMachineArn": ORDERS, "statusFilter": "RUNNING"},
            ["redriven", "by-alias", "running"],
            id="status",
        ),
        pytest.param(
            {"stateMachineArn": ORDERS, "redriveFilter": "REDRIVEN"}, ["redriven"], id="redriven"
        ),
        pytest.param(
            {"stateMachineArn": ORDERS, "redriveFilter": "NOT_REDRIVEN", "statusFilter": "RUNNING"},
            ["by-alias", "running"],
            id="not-redriven",
        ),
        pytest.param({"stateMachineArn": VERSION}, ["by-alias", "by-version"], id="version"),
        pytest.param({"stateMachineArn": ALIAS}, ["by-alias"], id="alias"),
        pytest.param({"mapRunArn": MAP_RUN}, ["child"], id="map-run"),
    ],
)
def test_list_executions_keeps_what_its_filters_name(
    context: Context, request_: dict[str, Any], names: list[str]
) -> None:
    assert _names(_list(context, **request_)) == names


def test_a_filtered_listing_pages_within_its_filter(context: Context) -> None:
    request: dict[str, Any] = {"stateMachineArn": ORDERS, "statusFilter": "RUNNING"}
    first = _list(context, **request, maxResults=2)
    rest = _list(context, **request, nextToken=first["nextToken"])
    assert _names(first) + _names(rest) == ["redriven", "by-alias", "running"]
    assert "nextToken" not in rest


def _tampered(token: str) -> str:
    content = json.loads(base64.urlsafe_b64decode(token))
    content["after"][0] -= 1
    return base64.urlsafe_b64encode(json.dumps(content).encode()).decode()


def _bare_key(token: str) -> str:
    key = json.loads(base64.urlsafe_b64decode(token))["after"]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


@pytest.mark.parametrize(
    ("change", "again"),
    [
        pytest.param(lambda token: token, {"stateMachineArn": OTHER}, id="another-machine"),
        pytest.param(lambda token: token, {"statusFilter": "SUCCEEDED"}, id="another-filter"),
        pytest.param(_tampered, {}, id="tampered"),
        pytest.param(_bare_key, {}, id="without-its-check"),
        pytest.param(lambda token: "not-a-token", {}, id="malformed"),
    ],
)
def test_a_token_is_refused_unless_this_listing_gave_it(
    context: Context, change: Any, again: dict[str, Any]
) -> None:
    token = _list(context, stateMachineArn=ORDERS, maxResults=1)["nextToken"]
    with pytest.raises(ApiError) as refused:
        _list(context, **{"stateMachineArn": ORDERS, "nextToken": change(token), **again})
    assert refused.value.code == "InvalidToken"


@pytest.mark.parametrize(
    ("arn", "code"),
    [
        pytest.param(machine("quick").arn, "StateMachineTypeNotSupported", id="express"),
        pytest.param(machine("nobody").arn, "StateMachineDoesNotExist", id="unknown"),
    ],
)
def test_list_executions_refuses_machines_without_kept_executions(
    context: Context, arn: str, code: str
) -> None:
    with pytest.raises(ApiError) as refused:
        _list(context, stateMachineArn=arn)
    assert refused.value.code == code


def test_a_list_executions_token_is_no_token_for_list_state_machines(context: Context) -> None:
    token = _list(context, stateMachineArn=ORDERS, maxResults=1)["nextToken"]
    with pytest.raises(ApiError) as refused:
        dispatch(context, TARGET_PREFIX + "ListStateMachines", {"nextToken": token})
    assert refused.value.code == "InvalidToken"
    listed = dispatch(context, TARGET_PREFIX + "ListStateMachines", {"maxResults": 2})
    rest = dispatch(
        context, TARGET_PREFIX + "ListStateMachines", {"nextToken": listed["nextToken"]}
    )
    names = [m["name"] for m in listed["stateMachines"] + rest["stateMachines"]]
    assert names == ["orders", "other", "quick"]


def test_pending_redrive_is_refused_for_a_machine(context: Context) -> None:
    # AWS's model: "If you provide a stateMachineArn and a PENDING_REDRIVE statusFilter,
    # the API returns a validation exception."
    with pytest.raises(ApiError) as refused:
        _list(context, stateMachineArn=ORDERS, statusFilter="PENDING_REDRIVE")
    assert refused.value.code == "ValidationException"
