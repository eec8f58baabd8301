"""Jupyter shows a machine and an execution as their graph (`_repr_svg_`, `_repr_html_`)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import phalanx
from tests.graph.readers import SVG, svg_graph
from tests.graph.test_svg import roll_die


def test_a_machine_shows_its_graph() -> None:
    machine = roll_die()
    states, edges, _ = svg_graph(machine._repr_svg_())
    assert set(states) == set(machine.states)
    assert len(edges) == 6
    html = machine._repr_html_()
    assert html.startswith("<div><svg") and html.endswith("</svg>\n</div>")


def test_two_drawings_on_one_page_have_distinct_ids() -> None:
    first, second = (ElementTree.fromstring(roll_die()._repr_svg_()) for _ in range(2))
    assert first.get("id") != second.get("id")
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_an_execution_shows_its_path_on_the_graph() -> None:
    rolls = iter([1, 6])
    execution = phalanx.run(
        roll_die(), fast=True, functions={"roll_die": lambda e, c: {"roll": next(rolls)}}
    )
    drawing = execution._repr_svg_()
    assert drawing is not None
    root = ElementTree.fromstring(drawing)
    outcomes = {g.get("data-name"): g.get("data-outcome") for g in root.iter(f"{SVG}g")}
    assert outcomes["tryAgainShortly"] == "succeeded"
    assert outcomes["success"] == "succeeded"
