"""`phalanx graph --execution ARN`: an execution of a real `phalanx serve`, drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from phalanx.cli.main import cli
from tests.api.conftest import client
from tests.api.server import RunningServer, start
from tests.api.test_executions import finished
from tests.graph.readers import svg_graph

FIXED_DIE = Path(__file__).resolve().parents[1] / "console" / "fixed_die.py"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:RollDie"
EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:RollDie:drawn"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    db = tmp_path_factory.mktemp("graph") / "phalanx.db"
    running = start(db, "--functions", str(FIXED_DIE), "--virtual-clock")
    try:
        sfn = client(running.url)
        sfn.start_execution(stateMachineArn=MACHINE, name="drawn", input="{}")
        finished(sfn, EXECUTION)
        yield running
    finally:
        running.stop()


def _outcomes(svg: str) -> dict[str, str]:
    root = ElementTree.fromstring(svg)
    return {
        g.get("data-name", ""): g.get("data-outcome", "")
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "node"
    }


@pytest.mark.parametrize("where", ["--endpoint-url", "--db"])
def test_graph_draws_an_execution_of_a_server(served: RunningServer, where: str) -> None:
    source = served.url if where == "--endpoint-url" else str(served.db)
    result = CliRunner().invoke(cli, ["graph", "--execution", EXECUTION, where, source])
    assert result.exit_code == 0, result.output
    states, _, _ = svg_graph(result.output)
    assert set(states) == {"lambdaRollDie", "checkRoll", "tryAgainShortly", "success"}
    assert set(_outcomes(result.output).values()) == {"succeeded"}
    assert "steps 1, 4, 7" in result.output  # the fixed die rolls 2, 3, then 5


def test_graph_of_an_unknown_execution_in_the_database_exits_2(served: RunningServer) -> None:
    result = CliRunner().invoke(
        cli, ["graph", "--execution", EXECUTION + "x", "--db", str(served.db)]
    )
    assert result.exit_code == 2
    assert "no such execution" in result.output


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="neither-file-nor-execution"),
        pytest.param(["machine.py", "--execution", EXECUTION], id="both"),
        pytest.param(
            ["--execution", EXECUTION, "--db", "x.db", "--endpoint-url", "http://h"],
            id="db-and-endpoint",
        ),
    ],
)
def test_graph_needs_one_source(args: list[str]) -> None:
    assert CliRunner().invoke(cli, ["graph", *args]).exit_code == 2
