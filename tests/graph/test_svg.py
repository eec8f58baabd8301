"""SVG output read back as XML: one node per state, the edges the definition implies, labels."""

from __future__ import annotations

import runpy
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

import pytest

from phalanx import StateMachine
from phalanx.graph import diagram, render
from phalanx.graph.svg import svg
from tests.graph.drawings import definition, laid_out, machine, realworld
from tests.graph.readers import SVG, all_states, implied_edges, svg_graph

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def roll_die() -> StateMachine:
    found: StateMachine = runpy.run_path(str(EXAMPLES / "roll_die.py"))["machine"]
    return found


@pytest.mark.parametrize("stem", realworld())
def test_svg_has_one_node_per_state_and_the_implied_edges(stem: str) -> None:
    states, edges, _ = svg_graph(svg(laid_out(stem)))
    expected_states = Counter(name for name, _ in all_states(definition(stem)["States"]))
    assert states == expected_states
    assert edges == implied_edges(definition(stem))


def test_roll_die_svg_shows_the_rule_the_default_and_the_types() -> None:
    states, edges, labels = svg_graph(str(render(roll_die(), "svg")))
    assert set(states) == {"lambdaRollDie", "checkRoll", "tryAgainShortly", "success"}
    assert ("checkRoll", "tryAgainShortly", "choice") in edges
    assert ("checkRoll", "success", "default") in edges
    assert "NOT $.roll > 3" in labels
    assert "Default" in labels
    root = ElementTree.fromstring(str(render(roll_die(), "svg")))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Task · lambda roll_die" in texts
    assert "Wait" in texts


def test_svg_is_accessible_with_title_desc_and_labels() -> None:
    root = ElementTree.fromstring(str(render(roll_die(), "svg")))
    assert root.get("role") == "img"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == title_id and "RollDie" in (title.text or "")
    assert desc is not None and desc.get("id") == desc_id
    assert "checkRoll to tryAgainShortly when NOT $.roll > 3" in (desc.text or "")
    for group in root.iter(f"{SVG}g"):
        if {"node", "edge"} & set(group.get("class", "").split()):
            assert group.get("aria-label")
            assert group.find(f"{SVG}title") is not None


def test_names_and_rules_with_markup_characters_are_escaped() -> None:
    name = 'a<b> & "c"'
    machine = StateMachine.from_asl(
        {
            "StartAt": name,
            "States": {
                name: {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.x", "StringEquals": "</svg>", "Next": "end"}],
                    "Default": "end",
                },
                "end": {"Type": "Succeed"},
            },
        }
    )
    states, _, labels = svg_graph(str(render(machine, "svg")))
    assert name in states
    assert '$.x == "</svg>"' in labels


def test_catch_edges_are_dashed_and_labelled_with_their_errors() -> None:
    machine = StateMachine.from_asl(
        {
            "StartAt": "work",
            "States": {
                "work": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "handle"}],
                    "End": True,
                },
                "handle": {"Type": "Fail", "Error": "Failed"},
            },
        }
    )
    root = ElementTree.fromstring(str(render(machine, "svg")))
    catch = next(g for g in root.iter(f"{SVG}g") if g.get("data-kind") == "catch")
    path = catch.find(f"{SVG}path")
    assert path is not None and path.get("stroke-dasharray")
    assert [t.text for t in catch.iter(f"{SVG}text")] == ["States.ALL"]
    work = next(g for g in root.iter(f"{SVG}g") if g.get("data-name") == "work")
    assert "retry ×2 States.Timeout" in [t.text for t in work.iter(f"{SVG}text")]


def test_map_and_parallel_are_groups_holding_their_branches() -> None:
    branch = {"StartAt": "inner", "States": {"inner": {"Type": "Pass", "End": True}}}
    other = {"StartAt": "other", "States": {"other": {"Type": "Pass", "End": True}}}
    item = {"StartAt": "each", "States": {"each": {"Type": "Pass", "End": True}}}
    machine = StateMachine.from_asl(
        {
            "StartAt": "fork",
            "States": {
                "fork": {"Type": "Parallel", "Branches": [branch, other], "Next": "loop"},
                "loop": {"Type": "Map", "ItemProcessor": item, "End": True},
            },
        }
    )
    root = ElementTree.fromstring(str(render(machine, "svg")))
    groups = {g.get("data-name"): g for g in root.iter(f"{SVG}g") if "group" in g.get("class", "")}
    assert set(groups) == {"fork", "loop"}
    lanes = groups["fork"].findall(f"{SVG}g[@class='lane']")
    inside = [{g.get("data-name") for g in lane.iter(f"{SVG}g")} - {None} for lane in lanes]
    assert inside == [{"inner"}, {"other"}]
    assert {g.get("data-name") for g in groups["loop"].iter(f"{SVG}g")} - {None} == {"loop", "each"}


def test_diagram_and_svg_agree_on_the_number_of_states() -> None:
    stem = realworld()[0].values[0]
    assert len(list(diagram(machine(stem)).states())) == sum(
        svg_graph(svg(laid_out(stem)))[0].values()
    )
