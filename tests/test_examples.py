"""The examples run as their docs say."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pytest

import phalanx

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def order() -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "examples" / "order.py"))


def test_order_reserves_prices_and_ships_each_item(order: dict[str, Any]) -> None:
    items = [
        {"sku": "apple", "quantity": 3, "price": 50},
        {"sku": "pear", "quantity": 1, "price": 80},
    ]
    execution = phalanx.run(order["machine"], {"items": items}, fast=True)
    assert execution.status == "SUCCEEDED"
    assert execution.output == {
        "items": items,
        "checks": {"reserved": ["apple", "pear"], "total": 230},
        "shipments": ["shipped 3 apple", "shipped 1 pear"],
    }


def test_order_out_of_stock_is_rejected(order: dict[str, Any]) -> None:
    items = [{"sku": "pear", "quantity": 3, "price": 80}]
    execution = phalanx.run(order["machine"], {"items": items}, fast=True)
    assert (execution.status, execution.error) == ("FAILED", "OrderRejected")
    assert execution.states_entered[-1] == "orderRejected"


def test_order_is_given_by_its_first_state(order: dict[str, Any]) -> None:
    machine = order["machine"]
    assert list(machine.states) == ["checkOrder", "shipItems", "orderRejected", "done"]
    assert machine.validate().result == "OK"


def test_the_readme_shows_the_code_of_examples_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Parallel and Map, from the first state", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    assert code.group(1) in (ROOT / "examples" / "order.py").read_text(encoding="utf-8")
