"""Mocks from a recorded execution: turn a production failure into a test.

    mocks = mocks_from_history("histories/order-1234.json")
    execution = phalanx.run(machine, recorded_input, fast=True, mocks=mocks)

Each state that called a task gets its calls' results in call order:
`Returns(output)` for a success, `Throws(error, cause)` for a failure
(a retried failure is one call). A `lambda:invoke` result keeps the whole
Invoke response; the mock answers with its `Payload`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from phalanx.runtime.mocks import MockedCall, Returns, Throws
from phalanx.testing.history import RecordedCall, RecordedHistory, read_history, recorded_calls


def _mocked(call: RecordedCall) -> MockedCall:
    if call.succeeded:
        return Returns(call.output)
    return Throws(call.error or "", call.cause)


def mocks_from_history(
    history: str | Path | Mapping[str, Any] | Sequence[Any] | RecordedHistory,
) -> dict[str, list[MockedCall]]:
    """Each state's recorded calls as mocks, in call order (module docstring)."""
    recorded = history if isinstance(history, RecordedHistory) else read_history(history)
    return {
        state: [_mocked(call) for call in calls]
        for state, calls in recorded_calls(recorded.events).items()
    }
