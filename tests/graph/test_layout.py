"""The layout's promise, on every real-world definition: nothing overlaps, nothing escapes.

Checked on the boxes the renderers draw: within a scope, no two node or label
boxes overlap; a Map or Parallel box holds its lanes and a lane holds its
nodes and labels; no edge passes through a node of its scope.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

from phalanx import StateMachine
from phalanx.graph import Box, Layout, diagram, layout
from phalanx.graph.layout import PlacedScope
from phalanx.graph.paths import flatten
from tests.graph.drawings import laid_out, realworld
from tests.strategies import machines


def _strictly_inside(point: tuple[float, float], box: Box, margin: float = 0.5) -> bool:
    x, y = point
    return box.x + margin < x < box.right - margin and box.y + margin < y < box.bottom - margin


def _boxes(scope: PlacedScope) -> list[tuple[str, Box]]:
    found = [(f"node {n.node.id}", n.box) for n in scope.nodes]
    found += [(f"label {e.edge.source}->{e.edge.target}", e.label) for e in scope.edges if e.label]
    return found


def _overlaps(placed: Layout) -> list[str]:
    problems = []
    for scope in placed.scopes():
        for (a, box_a), (b, box_b) in itertools.combinations(_boxes(scope), 2):
            if box_a.overlaps(box_b):
                problems.append(f"{scope.scope.id}: {a} overlaps {b}")
    return problems


def _escapes(placed: Layout) -> list[str]:
    problems = []
    outer = Box(0, 0, placed.width, placed.height)
    for scope in placed.scopes():
        room = outer if scope is placed.root else scope.box
        problems += [
            f"{name} outside {scope.scope.id}"
            for name, box in _boxes(scope)
            if not room.contains(box)
        ]
        for node in scope.nodes:
            problems += [
                f"lane {lane.scope.id} outside {node.node.id}"
                for lane in node.lanes
                if not node.box.contains(lane.box)
            ]
            for a, b in itertools.combinations(node.lanes, 2):
                if a.box.overlaps(b.box):
                    problems.append(f"lanes {a.scope.id} and {b.scope.id} overlap")
    return problems


def _crossed_nodes(placed: Layout) -> list[str]:
    problems = []
    for scope in placed.scopes():
        for edge in scope.edges:
            line = flatten(edge.points)
            for node in scope.nodes:
                if any(_strictly_inside(p, node.box) for p in line):
                    problems.append(
                        f"{edge.edge.source}->{edge.edge.target} crosses {node.node.id}"
                    )
    return problems


@pytest.mark.parametrize("stem", realworld())
def test_no_two_boxes_overlap(stem: str) -> None:
    assert _overlaps(laid_out(stem)) == []


@pytest.mark.parametrize("stem", realworld())
def test_groups_hold_their_lanes_and_lanes_their_contents(stem: str) -> None:
    assert _escapes(laid_out(stem)) == []


@pytest.mark.parametrize("stem", realworld())
def test_no_edge_passes_through_a_node(stem: str) -> None:
    assert _crossed_nodes(laid_out(stem)) == []


def test_the_checks_see_an_overlap() -> None:
    """The overlap check fails a layout whose boxes collide (so the tests above can fail)."""
    placed = laid_out(realworld()[0].values[0])
    first, second = placed.root.nodes[0], placed.root.nodes[1]
    moved = placed.root.nodes[1].__class__(second.node, first.box, second.lanes)
    nodes = (first, moved, *placed.root.nodes[2:])
    broken = Layout(
        placed.diagram,
        PlacedScope(placed.root.scope, placed.root.box, nodes, placed.root.edges),
        placed.width,
        placed.height,
    )
    assert _overlaps(broken)


@settings(max_examples=60, deadline=None)
@given(machines())
def test_any_machine_is_laid_out_without_overlaps(machine: StateMachine) -> None:
    """Random machines: self-loops, cycles, unreachable states, nested groups, any names."""
    placed = layout(diagram(machine))
    assert _overlaps(placed) == []
    assert _escapes(placed) == []
    assert _crossed_nodes(placed) == []
