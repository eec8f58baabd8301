"""phalanx.testing.Coverage: the numbers the plugin prints, in Python."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import phalanx
from phalanx.cli.main import cli
from phalanx.testing import Coverage, Returns, Throws, replay
from tests.testing.machines import ORDERS, changed, record


def _verdicts(coverage: Coverage) -> dict[str, dict[str, bool]]:
    """Per machine, `"state item"` -> covered."""
    return {
        machine.name: {f"{i.state} {i.label}": i.covered for i in machine.items}
        for machine in coverage.machines
    }


def test_choice_rules_retriers_and_catchers_count_by_position() -> None:
    coverage = Coverage()
    with coverage.recording():
        mocks = {"Charge": [Throws("Flaky"), Returns({"id": 1})], "Review": [Returns({})]}
        phalanx.run(ORDERS, {"amount": 150}, fast=True, mocks=mocks)
    (orders,) = _verdicts(coverage).values()
    assert orders == {
        "Charge state": True,
        "Charge Retry[0] Flaky": True,
        "Charge Catch[0] States.ALL -> Refund": False,
        "CheckAmount state": True,
        "CheckAmount Choices[0] -> Review": True,
        "CheckAmount Default -> Approve": False,
        "Review state": True,
        "Approve state": False,
        "Refund state": False,
        "Done state": True,
    }
    assert (coverage.covered, coverage.total, round(coverage.percent, 1)) == (6, 10, 60.0)


def test_two_rules_to_the_same_state_are_told_apart() -> None:
    definition = changed(
        ("States", "CheckAmount", "Choices"),
        [
            {"Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Review"},
            {"Variable": "$.amount", "NumericLessThan": 0, "Next": "Review"},
        ],
    )
    coverage = Coverage()
    with coverage.recording():
        mocks = {"Charge": [Returns({})], "Review": [Returns({})]}
        phalanx.run(definition, {"amount": -5}, fast=True, mocks=mocks)
    (orders,) = _verdicts(coverage).values()
    assert orders["CheckAmount Choices[0] -> Review"] is False
    assert orders["CheckAmount Choices[1] -> Review"] is True


def test_a_distributed_maps_children_count_though_their_events_are_not_in_the_history() -> None:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Child",
        "States": {"Child": {"Type": "Pass", "End": True}},
    }
    machine = {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True}},
    }
    coverage = Coverage()
    with coverage.recording():
        execution = phalanx.run(machine, [1, 2], fast=True)
    assert "Child" not in execution.states_entered
    (verdicts,) = _verdicts(coverage).values()
    assert verdicts == {"M state": True, "M ItemProcessor Child": True, "Child state": True}


def test_a_changed_machine_gets_a_table_of_its_own_and_an_unrun_machine_counts_as_missed() -> None:
    coverage = Coverage()
    coverage.include(
        phalanx.StateMachine.from_asl(changed(("States", "Approve", "Result"), "manual"))
    )
    recorded = record(amount=150)
    with coverage.recording():
        replay(ORDERS, recorded)
    names = [machine.name for machine in coverage.machines]
    assert len(names) == 2 and names[0] == names[1][: len(names[0])]
    assert coverage.machines[0].executions == 0
    assert coverage.machines[0].covered == 0
    assert coverage.machines[1].executions == 1


def test_phalanx_run_called_in_process_is_counted(tmp_path: Path) -> None:
    (tmp_path / "orders.json").write_text(json.dumps(ORDERS))
    (tmp_path / "functions.py").write_text(
        "import phalanx\n\n@phalanx.function\ndef charge(event, context):\n    return {}\n"
    )
    coverage = Coverage()
    with coverage.recording():
        result = CliRunner().invoke(
            cli,
            [
                "run",
                str(tmp_path / "orders.json"),
                "--fast",
                "--input",
                '{"amount": 1}',
                "--functions",
                str(tmp_path / "functions.py"),
            ],
        )
    assert result.exit_code == 0, result.output
    (orders,) = _verdicts(coverage).values()
    assert orders["CheckAmount Default -> Approve"] is True


def test_nothing_is_counted_outside_recording() -> None:
    coverage = Coverage()
    with coverage.recording():
        pass
    phalanx.run(ORDERS, {"amount": 1}, fast=True, mocks={"Charge": [Returns({})]})
    assert coverage.machines == []


def test_the_table_names_each_item_and_its_verdict() -> None:
    coverage = Coverage()
    with coverage.recording():
        phalanx.run(ORDERS, {"amount": 1}, fast=True, mocks={"Charge": [Throws("Other")]})
    lines = coverage.table().splitlines()
    assert lines[1] == "  states entered 2/6; not entered: CheckAmount, Review, Approve, Done"
    assert lines[2:] == [
        "  Charge       Retry[0] Flaky                 not used",
        "  Charge       Catch[0] States.ALL -> Refund  fired",
        "  CheckAmount  Choices[0] -> Review           not taken",
        "  CheckAmount  Default -> Approve             not taken",
    ]
