"""Bugs found in `phalanx.query` while wiring it into the engine.

An open bug is marked xfail (strict), so its test fails loudly once the
query package is fixed; the engine's workaround carries a `TODO(query)`.
Fixed bugs stay here as plain tests.
"""

from __future__ import annotations

from phalanx.query import jsonata


def test_variable_holding_null_evaluates_to_null() -> None:
    # Fixed in phalanx.query (corpus scenarios/test_map_state_items_variable_sampling_null).
    assert jsonata.evaluate("$v", {"v": None}, field="Items") is None


def test_null_variable_is_read_as_null_by_the_engine() -> None:
    from phalanx.engine import expressions

    assert expressions.evaluate("{% $v %}", {"v": None}, "Items") is None
