"""Step Functions Local's MockConfigFile: read a test case into mocks, write one from mocks.

The n-th call of a state (retries count) gets the entry for n (`"0"`, or a
range like `"1-2"`); past the last entry, the last repeats.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from phalanx.asl import StateMachine
from phalanx.errors import LoadError, MockError
from phalanx.runtime.mocks import (
    MockedCall,
    Mocks,
    Returns,
    Throws,
    check_mocked_states,
)


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
            cause = throw.get("Cause")
            call = Throws(str(throw.get("Error", "")), None if cause is None else str(cause))
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


def mock_config(mocks: Mocks, machine: str, test_case: str) -> dict[str, Any]:
    """A MockConfigFile document with one test case: `mocks` for `machine`.

    Each state gets a `MockedResponses` entry named `<state>-<test case>`
    holding its calls in order (`"0"`, `"1"`, ...), failures as `Throw`.
    """
    responses: dict[str, Any] = {}
    case: dict[str, str] = {}
    for state, calls in mocks.items():
        name = f"{state}-{test_case}"
        case[state] = name
        responses[name] = {
            str(index): (
                {"Return": call.value} if isinstance(call, Returns) else {"Throw": _throw(call)}
            )
            for index, call in enumerate(calls)
        }
    return {
        "StateMachines": {machine: {"TestCases": {test_case: case}}},
        "MockedResponses": responses,
    }


def _throw(call: Throws) -> dict[str, str]:
    """A `Throw`: `Cause` only when the failure has one."""
    if call.cause is None:
        return {"Error": call.error}
    return {"Error": call.error, "Cause": call.cause}
