"""The mock seam lives in runtime; phalanx.testing re-exports it for users."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

import phalanx
import phalanx.testing
from phalanx import Branch, Map, Pass, StateMachine, Succeed, Task
from phalanx.errors import MockError
from phalanx.runtime import mocks
from phalanx.testing import Returns

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f"

RUNTIME = Path(mocks.__file__).parent


def test_testing_re_exports_the_runtime_mock_seam() -> None:
    for name in ("Returns", "Throws", "StateMocks", "Mocks", "MockedCall"):
        assert getattr(phalanx.testing, name) is getattr(mocks, name)


def test_runtime_does_not_import_the_user_facing_testing_module() -> None:
    importers = []
    for module in sorted(RUNTIME.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name == "phalanx.testing" for name in names):
                importers.append(module.name)
    assert importers == []


called: list[Any] = []


@phalanx.function
def validate_order(event: Any, context: Any) -> Any:
    called.append(event)
    return event


def orders() -> StateMachine:
    ship = Map("ShipItems", item_processor=Branch.of(Task("ShipItem", LAMBDA)), items_path="$")
    first = Task("ValidateOrder", validate_order).next(ship.next(Succeed("Done")))
    return StateMachine.of(first, name="Orders")


def test_a_mock_for_a_misspelled_state_is_refused_before_anything_runs() -> None:
    called.clear()
    with pytest.raises(MockError) as raised:
        phalanx.run(orders(), [1], fast=True, mocks={"ValidateOrdr": [Returns([1])]})
    assert str(raised.value) == (
        'mock for "ValidateOrdr": no such state in machine "Orders"; did you mean '
        '"ValidateOrder"? States: ValidateOrder, ShipItems, ShipItem, Done'
    )
    assert isinstance(raised.value, LookupError)
    assert called == []


def test_a_mock_with_no_close_name_lists_the_states() -> None:
    with pytest.raises(MockError, match=r'no such state in machine "Orders"\. States: Valid'):
        phalanx.run(orders(), [1], fast=True, mocks={"zzz": [Returns(1)]})


def test_a_mock_for_a_nested_state_answers_it() -> None:
    called.clear()
    execution = phalanx.run(orders(), [1, 2], fast=True, mocks={"ShipItem": [Returns("sent")]})
    assert execution.output == ["sent", "sent"]
    assert called == [[1, 2]]


def test_a_mock_for_a_state_that_calls_nothing_is_refused() -> None:
    with pytest.raises(MockError) as raised:
        phalanx.run(orders(), [1], fast=True, mocks={"Done": [Returns(1)]})
    assert str(raised.value) == (
        'mock for "Done": it is a Succeed state of machine "Orders", which calls nothing; '
        "mocks answer Task states (and a Map's ItemReader). They are: ValidateOrder, ShipItem"
    )


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(Task("S", LAMBDA), id="task"),
        pytest.param(
            Map(
                "S",
                item_processor=Branch.of(Pass("p")),
                item_reader={"Resource": "arn:aws:states:::s3:getObject"},
            ),
            id="map-item-reader",
        ),
    ],
)
def test_states_that_call_out_can_be_mocked(state: Any) -> None:
    mocks.check_mocked_states({"S": [Returns(1)]}, StateMachine.of(state))


def test_an_unnamed_machine_is_called_the_machine() -> None:
    with pytest.raises(MockError, match='no such state in the machine; did you mean "S"'):
        mocks.check_mocked_states({"s": [Returns(1)]}, StateMachine.of(Task("S", LAMBDA)))
