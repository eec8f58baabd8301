"""Test helpers: mock what a state's task returns, per call, and check the path taken.

    from phalanx.testing import Returns, Throws

    execution = phalanx.run(
        machine, {}, fast=True,
        mocks={"lambdaRollDie": [Returns({"roll": 2}), Returns({"roll": 5})]},
    )
    assert_path(execution, [
        "lambdaRollDie", "checkRoll", "tryAgainShortly", "lambdaRollDie", "checkRoll", "success"
    ])

Mocks are keyed by *state name*, like AWS Step Functions Local's
MockConfigFile, whose format `MockConfigFile` reads: test cases map state
names to mocked responses; a mocked response maps call numbers (`"0"`, or
ranges like `"1-2"`) to a `Return` or a `Throw`. The n-th call of a state
(retries count) gets the entry for n; past the last entry, the last repeats.

A mocked Lambda state's `Return` is the function's result (for
`lambda:invoke`, a `Return` holding `Payload` uses that payload). A mocked
state of any other integration returns `Return` as the task result.

A mock naming a state the machine does not have raises `MockError` before
the run starts, with the closest state name and the machine's states.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from phalanx.asl import StateMachine
from phalanx.errors import LoadError, MockError
from phalanx.runtime.mocks import (
    MockedCall,
    Mocks,
    Returns,
    StateMocks,
    Throws,
    check_mocked_states,
)

__all__ = [
    "MockConfigFile",
    "MockError",
    "MockedCall",
    "Mocks",
    "Returns",
    "StateMocks",
    "Throws",
    "assert_path",
]


def _calls(response: Mapping[str, Any], where: str) -> list[MockedCall]:
    """A MockedResponse (`{"0": {"Return": ...}, "1-2": {"Throw": ...}}`) as a call list."""
    slots: dict[int, MockedCall] = {}
    for key, entry in response.items():
        first, _, last = str(key).partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise LoadError(f"{where}: {key!r} is not a call number or range like '0-2'") from None
        if not isinstance(entry, Mapping) or len(entry) != 1:
            raise LoadError(f"{where}[{key}]: expected one of Return or Throw")
        if "Return" in entry:
            call: MockedCall = Returns(entry["Return"])
        elif "Throw" in entry:
            throw = entry["Throw"]
            call = Throws(str(throw.get("Error", "")), str(throw.get("Cause", "")))
        else:
            raise LoadError(f"{where}[{key}]: expected Return or Throw, got {sorted(entry)}")
        for index in range(low, high + 1):
            slots[index] = call
    if not slots:
        return []
    return [slots.get(i, slots[max(k for k in slots if k <= i)]) for i in range(max(slots) + 1)]


@dataclasses.dataclass(frozen=True)
class MockConfigFile:
    """AWS Step Functions Local's MockConfigFile (`StateMachines`, `MockedResponses`)."""

    document: Mapping[str, Any]

    @classmethod
    def load(cls, source: str | Path | Mapping[str, Any]) -> MockConfigFile:
        if isinstance(source, Mapping):
            return cls(source)
        try:
            return cls(json.loads(Path(source).read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            raise LoadError(f"{source}: cannot read the mock config: {error}") from None

    def test_case(self, machine: str | StateMachine, case: str) -> dict[str, list[MockedCall]]:
        """The mocks of one test case, by state name.

        Given the `StateMachine` itself (rather than its name), the test case's
        state names are checked against it now: `MockError` names the test case.
        """
        if isinstance(machine, StateMachine):
            if not machine.name:
                raise LoadError("mock config: the state machine has no name to look it up by")
            found = self.test_case(machine.name, case)
            try:
                check_mocked_states(found, machine)
            except MockError as error:
                where = f"StateMachines.{machine.name}.TestCases.{case}"
                raise MockError(f"mock config {where}: {error}") from None
            return found
        machines = self.document.get("StateMachines", {})
        if machine not in machines:
            raise LoadError(f"mock config: no state machine {machine!r} (has {sorted(machines)})")
        cases = machines[machine].get("TestCases", {})
        if case not in cases:
            raise LoadError(
                f"mock config: {machine} has no test case {case!r} (has {sorted(cases)})"
            )
        responses = self.document.get("MockedResponses", {})
        mocks: dict[str, list[MockedCall]] = {}
        for state, response_name in cases[case].items():
            if response_name not in responses:
                raise LoadError(f"mock config: no MockedResponses entry {response_name!r}")
            mocks[state] = _calls(responses[response_name], f"MockedResponses.{response_name}")
        return mocks


def assert_path(execution: Any, expected: Sequence[str]) -> None:
    """Assert the states entered, in order; the message shows where the paths part.

    `execution` is what `phalanx.run` returns (anything with `states_entered`).
    """
    actual = list(execution.states_entered)
    if actual == list(expected):
        return
    at = next(
        (i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b),
        min(len(actual), len(expected)),
    )
    raise AssertionError(
        f"path differs at step {at}: expected {list(expected)[at : at + 3]}..., "
        f"took {actual[at : at + 3]}...\n  expected: {list(expected)}\n  actual:   {actual}"
        f"\n  status: {execution.status} error: {execution.error}"
    )
