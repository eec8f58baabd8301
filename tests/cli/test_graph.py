"""`phalanx graph` and `phalanx run --graph`: options in, drawings out."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from click.testing import CliRunner

from phalanx.cli.main import cli
from tests.graph.readers import SVG, dot_graph, mermaid_graph, svg_graph

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "roll_die.py")
ROLL_DIE_STATES = {"lambdaRollDie", "checkRoll", "tryAgainShortly", "success"}


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_graph_prints_svg_by_default() -> None:
    result = invoke("graph", EXAMPLE)
    assert result.exit_code == 0, result.output
    states, _, labels = svg_graph(result.output)
    assert set(states) == ROLL_DIE_STATES
    assert "NOT $.roll > 3" in labels


def test_graph_prints_mermaid() -> None:
    result = invoke("graph", EXAMPLE, "--format", "mermaid")
    assert result.exit_code == 0, result.output
    labels, edges, _ = mermaid_graph(result.output)
    assert {label.split("<br/>")[0] for label in labels} == ROLL_DIE_STATES | {"Start", "End"}
    assert len(edges) == 6


def test_graph_prints_dot() -> None:
    result = invoke("graph", EXAMPLE, "--format", "dot")
    assert result.exit_code == 0, result.output
    states, edges, _ = dot_graph(result.output)
    assert set(states) == ROLL_DIE_STATES
    assert len(edges) == 6


def test_graph_writes_the_format_its_output_suffix_names(tmp_path: Path) -> None:
    out = tmp_path / "roll.html"
    result = invoke("graph", EXAMPLE, "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_graph_writes_png(tmp_path: Path) -> None:
    pytest.importorskip("PIL", reason="PNG output needs Pillow (pip install 'phalanx[graph]')")
    out = tmp_path / "roll.png"
    result = invoke("graph", EXAMPLE, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_graph_refuses_an_unknown_suffix(tmp_path: Path) -> None:
    result = invoke("graph", EXAMPLE, "-o", str(tmp_path / "roll.txt"))
    assert result.exit_code == 2
    assert "cannot tell the graph format from .txt" in result.output


def test_graph_draws_a_history_from_run_json(tmp_path: Path) -> None:
    ran = invoke("run", EXAMPLE, "--fast", "--format", "json")
    assert ran.exit_code == 0, ran.output
    history = tmp_path / "history.json"
    history.write_text(ran.output)
    result = invoke("graph", EXAMPLE, "--history", str(history))
    assert result.exit_code == 0, result.output
    root = ElementTree.fromstring(result.output)
    outcomes = {g.get("data-name"): g.get("data-outcome") for g in root.iter(f"{SVG}g")}
    assert outcomes["lambdaRollDie"] == "succeeded"
    assert outcomes["success"] == "succeeded"


def test_graph_history_that_is_not_json_is_a_usage_error(tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text("not json")
    result = invoke("graph", EXAMPLE, "--history", str(history))
    assert result.exit_code == 2
    assert "--history" in result.output


def test_graph_history_of_the_wrong_shape_is_a_usage_error(tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text('{"executions": []}')
    result = invoke("graph", EXAMPLE, "--history", str(history))
    assert result.exit_code == 2
    assert "a history is a list of events" in result.output


def test_graph_of_a_missing_file_fails_with_its_name(tmp_path: Path) -> None:
    result = invoke("graph", str(tmp_path / "nope.py"))
    assert result.exit_code == 2
    assert "nope.py" in result.output


def test_run_graph_draws_the_execution(tmp_path: Path) -> None:
    out = tmp_path / "run.svg"
    result = invoke("run", EXAMPLE, "--fast", "--graph", str(out))
    assert result.exit_code == 0, result.output
    root = ElementTree.fromstring(out.read_text(encoding="utf-8"))
    outcomes = {g.get("data-name"): g.get("data-outcome") for g in root.iter(f"{SVG}g")}
    assert {name: outcomes[name] for name in ("lambdaRollDie", "success")} == {
        "lambdaRollDie": "succeeded",
        "success": "succeeded",
    }
    assert "SUCCEEDED" in result.output  # the run's own report is still printed
