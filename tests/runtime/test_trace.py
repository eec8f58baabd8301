"""The text trace: lines labelled with their branch, transitions only within a branch."""

from __future__ import annotations

from typing import Any

from phalanx.runtime.local import run
from phalanx.runtime.trace import TextTrace

FULFIL = {
    "StartAt": "Fulfil",
    "States": {
        "Fulfil": {
            "Type": "Parallel",
            "End": True,
            "Branches": [
                {
                    "StartAt": "ReserveStock",
                    "States": {
                        "ReserveStock": {"Type": "Wait", "Seconds": 2, "Next": "Ship"},
                        "Ship": {"Type": "Pass", "End": True},
                    },
                },
                {
                    "StartAt": "PriceLines",
                    "States": {
                        "PriceLines": {
                            "Type": "Map",
                            "End": True,
                            "ItemProcessor": {
                                "StartAt": "PriceLine",
                                "States": {
                                    "PriceLine": {"Type": "Wait", "Seconds": 1, "End": True}
                                },
                            },
                        }
                    },
                },
            ],
        }
    },
}


def trace_lines(definition: dict[str, Any], data: Any) -> list[str]:
    trace = TextTrace()
    lines: list[str] = []
    run(definition, data, fast=True, trace=lambda event, label: lines.extend(trace(event, label)))
    return [line.split("s ", 1)[1].strip() for line in lines]


def test_lines_name_the_branch_or_iteration() -> None:
    lines = trace_lines(FULFIL, [10, 20])
    assert "> Fulfil[0] ReserveStock (Wait)" in lines
    assert "> Fulfil[1] PriceLines[1] PriceLine (Wait)" in lines
    assert "Fulfil[0] ReserveStock -> Ship" in lines


def test_transitions_stay_within_a_branch_and_branches_overlap() -> None:
    lines = trace_lines(FULFIL, [10, 20])
    transitions = [line for line in lines if "->" in line]
    assert transitions == ["Fulfil[0] ReserveStock -> Ship"]
    # Both branches are entered before either leaves its first state.
    entered_map = lines.index("> Fulfil[1] PriceLines (Map)")
    left_wait = lines.index("< Fulfil[0] ReserveStock after 2.000s")
    assert entered_map < left_wait
