"""Mermaid and DOT texts parse (tests/graph/readers.py) and say what the definition says."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from phalanx import StateMachine
from phalanx.graph import diagram, render
from phalanx.graph.labels import state_name
from phalanx.graph.textual import dot, mermaid
from tests.graph.drawings import definition, machine, realworld
from tests.graph.readers import (
    END,
    START,
    all_states,
    dot_graph,
    implied_edges,
    mermaid_graph,
    svg_graph,
)
from tests.strategies import machines


def _expected_titles(stem: str) -> Counter[str]:
    return Counter(state_name(name) for name, _ in all_states(definition(stem)["States"]))


def _by_name(stem: str) -> dict[str, str]:
    """Node id -> state name, as the diagram numbers them."""
    drawn = diagram(machine(stem))
    return {node.id: node.name for scope in drawn.scopes() for node in scope.nodes} | {
        "start": START,
        "stop": END,
    }


@pytest.mark.parametrize("stem", realworld())
def test_dot_parses_with_every_state_and_edge(stem: str) -> None:
    states, edges, clusters = dot_graph(dot(diagram(machine(stem))))
    groups = [
        s for _, s in all_states(definition(stem)["States"]) if s["Type"] in ("Map", "Parallel")
    ]
    plain = _expected_titles(stem) - Counter(
        state_name(n) for n, s in all_states(definition(stem)["States"]) if s in groups
    )
    assert states == plain
    assert len(clusters) >= len(groups)
    names = _by_name(stem)
    drawn = Counter((names[a], names[b]) for a, b, _ in edges)
    assert drawn == Counter((a, b) for a, b, _ in implied_edges(definition(stem)).elements())


@pytest.mark.parametrize("stem", realworld())
def test_mermaid_parses_with_every_state_and_edge(stem: str) -> None:
    labels, edges, subgraphs = mermaid_graph(mermaid(diagram(machine(stem))))
    groups = sum(
        1 for _, s in all_states(definition(stem)["States"]) if s["Type"] in ("Map", "Parallel")
    )
    assert len(labels) - 2 + groups == sum(_expected_titles(stem).values())
    assert subgraphs >= groups
    names = _by_name(stem)
    drawn = Counter((names[a], names[b]) for a, _, b in edges)
    assert drawn == Counter((a, b) for a, b, _ in implied_edges(definition(stem)).elements())


def test_catch_edges_are_dotted_in_mermaid_and_dashed_in_dot() -> None:
    machine = StateMachine.from_asl(
        {
            "StartAt": "work",
            "States": {
                "work": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage",
                    "Catch": [{"ErrorEquals": ["States.Timeout", "Custom"], "Next": "oops"}],
                    "End": True,
                },
                "oops": {"Type": "Fail"},
            },
        }
    )
    _, edges, _ = mermaid_graph(str(render(machine, "mermaid")))
    assert ("s1", "-.->", "s2") in edges
    _, dot_edges, _ = dot_graph(str(render(machine, "dot")))
    catch = next(attributes for a, b, attributes in dot_edges if (a, b) == ("s1", "s2"))
    assert catch == {"label": "States.Timeout, Custom", "style": "dashed"}


def test_quotes_and_markup_in_rules_survive_both_formats() -> None:
    machine = StateMachine.from_asl(
        {
            "StartAt": 'pick "one"',
            "States": {
                'pick "one"': {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.x", "StringEquals": 'a"|<b>#', "Next": "done"}],
                    "Default": "done",
                },
                "done": {"Type": "Succeed"},
            },
        }
    )
    _, dot_edges, _ = dot_graph(str(render(machine, "dot")))
    assert {"label": '$.x == "a\\"|<b>#"'} in [attributes for _, _, attributes in dot_edges]
    labels, _, _ = mermaid_graph(str(render(machine, "mermaid")))
    assert "pick #quot;one#quot;<br/>Choice" in labels


@settings(max_examples=40, deadline=None)
@given(machines())
def test_any_machine_writes_parseable_svg_mermaid_and_dot(machine: StateMachine) -> None:
    """Random names (quotes, markup, any Unicode) and shapes: every text format parses."""
    states = sum(1 for _ in machine.walk())
    assert sum(svg_graph(str(render(machine, "svg")))[0].values()) == states
    mermaid_graph(str(render(machine, "mermaid")))
    dot_graph(str(render(machine, "dot")))
