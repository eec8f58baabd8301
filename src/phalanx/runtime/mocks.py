"""The mock seam: answer task effects of mocked states, by state name, per call.

The runner (`runtime.local`) takes a `StateMocks` in place of an invoker for
the states it mocks; `phalanx.testing` re-exports `Returns`, `Throws` and
`Mocks` for users and reads AWS's MockConfigFile into them.

The n-th call of a state (retries count) gets entry n; past the last entry,
the last repeats. A mocked Lambda state's `Returns` is the function's result
(a `Returns` holding `Payload` and `StatusCode`, as `lambda:invoke` answers,
uses that payload); any other integration returns the value as the task result.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

from phalanx.engine.effects import (
    CallService,
    InvokeLambda,
    LambdaResponse,
    ServiceResponse,
)
from phalanx.errors import LoadError


@dataclasses.dataclass(frozen=True, slots=True)
class Returns:
    """A mocked call that succeeds with `value`."""

    value: Any = None


@dataclasses.dataclass(frozen=True, slots=True)
class Throws:
    """A mocked call that fails with `error` and `cause`."""

    error: str
    cause: str = ""


MockedCall = Returns | Throws
Mocks = Mapping[str, Sequence[MockedCall]]
"""Mocked calls by state name, in call order."""


def _check_json(value: Any, where: str) -> None:
    """Refuse a mocked value no task could return: it is not JSON (NaN, a set, ...)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise LoadError(f"{where}: Returns({value!r:.60}) is not JSON: {error}") from None


class StateMocks:
    """Answers task effects of mocked states; counts calls per state."""

    def __init__(self, mocks: Mocks) -> None:
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
