"""The mock seam: answer task effects of mocked states, by state name, per call.

The runner (`runtime.local`) takes a `StateMocks` in place of an invoker for
the states it mocks; `phalanx.testing` re-exports `Returns`, `Throws` and
`Mocks` for users and reads AWS's MockConfigFile into them.

The n-th call of a state (retries count) gets entry n; past the last entry,
the last repeats. A mocked Lambda state's `Returns` is the function's result
(a `Returns` holding `Payload` and `StatusCode`, as `lambda:invoke` answers,
uses that payload); any other integration returns the value as the task result.

A mock naming a state the machine does not have, or a state that runs no
task, is refused before the run (`MockError`): it would never answer, and
the real function would run in its place without a word.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from phalanx.asl import Map, State, StateMachine, Task
from phalanx.engine.effects import (
    CallService,
    InvokeLambda,
    LambdaResponse,
    ServiceResponse,
)
from phalanx.errors import LoadError, MockError


@dataclasses.dataclass(frozen=True, slots=True)
class Returns:
    """A mocked call that succeeds with `value`."""

    value: Any = None


@dataclasses.dataclass(frozen=True, slots=True)
class Throws:
    """A mocked call that fails with `error` and `cause` (None: the failure has no cause)."""

    error: str
    cause: str | None = ""


MockedCall = Returns | Throws
Mocks = Mapping[str, Sequence[MockedCall]]
"""Mocked calls by state name, in call order."""


def _check_json(value: Any, where: str) -> None:
    """Refuse a mocked value no task could return: it is not JSON (NaN, a set, ...)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise LoadError(f"{where}: Returns({value!r:.60}) is not JSON: {error}") from None


def _calls_out(state: State) -> bool:
    """Whether `state` makes the calls a mock answers: a Task, or a Map's ItemReader."""
    return isinstance(state, Task) or (isinstance(state, Map) and state.item_reader is not None)


def check_mocked_states(mocks: Mocks, machine: StateMachine) -> None:
    """Raise `MockError` for a mock naming no state of `machine` that calls out.

    Nested states count; a state calls out when it is a Task or a Map with an
    ItemReader.

    The message names the closest state and lists the machine's states::

        mock for "ValidateOrdr": no such state in machine "Orders"; did you
        mean "ValidateOrder"? States: ValidateOrder, ChargeCard, ...
    """
    states = {state.name: state for _, state in machine.walk()}
    called = f'machine "{machine.name}"' if machine.name else "the machine"
    for name in mocks:
        state = states.get(name)
        if state is not None and _calls_out(state):
            continue
        if state is not None:
            tasks = ", ".join(n for n, s in states.items() if _calls_out(s)) or "none"
            raise MockError(
                f'mock for "{name}": it is a {state.type_name} state of {called}, which calls '
                f"nothing; mocks answer Task states (and a Map's ItemReader). They are: {tasks}"
            )
        # Compared without case, so "validateOrder" finds "ValidateOrder".
        by_lower = {known.lower(): known for known in reversed(states)}
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=1)
        hint = f'; did you mean "{by_lower[close[0]]}"?' if close else "."
        raise MockError(
            f'mock for "{name}": no such state in {called}{hint} States: {", ".join(states)}'
        )


class StateMocks:
    """Answers task effects of mocked states; counts calls per state.

    Given the `machine`, mocks naming none of its Task states are refused
    (`check_mocked_states`).
    """

    def __init__(self, mocks: Mocks, machine: StateMachine | None = None) -> None:
        if machine is not None:
            check_mocked_states(mocks, machine)
        self.mocks = {name: list(calls) for name, calls in mocks.items()}
        self.calls: dict[str, int] = {}
        for state, calls in self.mocks.items():
            for index, call in enumerate(calls):
                if isinstance(call, Returns):
                    _check_json(call.value, f"mocks[{state!r}][{index}]")

    def __contains__(self, state: str) -> bool:
        return bool(self.mocks.get(state))

    def next_call(self, state: str) -> MockedCall:
        calls = self.mocks[state]
        count = self.calls.get(state, 0)
        self.calls[state] = count + 1
        return calls[min(count, len(calls) - 1)]

    def invoke(self, request: InvokeLambda) -> LambdaResponse:
        call = self.next_call(request.state)
        if isinstance(call, Throws):
            return LambdaResponse(error=call.error, cause=call.cause)
        value = call.value
        if isinstance(value, dict) and "Payload" in value and "StatusCode" in value:
            value = value["Payload"]
        return LambdaResponse(payload=json.dumps(value, allow_nan=False))

    def call(self, request: CallService) -> ServiceResponse:
        call = self.next_call(request.state)
        if isinstance(call, Throws):
            return ServiceResponse(error=call.error, cause=call.cause)
        return ServiceResponse(output=call.value)
