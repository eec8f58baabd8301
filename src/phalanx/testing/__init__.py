"""Test helpers: mocks, path assertions, coverage, replay of recorded executions.

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

`replay(machine, history)` runs a machine as a recorded execution ran and
reports the first difference; `mocks_from_history(history)` turns a recorded
execution into mocks; `Coverage` counts the states, Choice rules, Retriers,
Catchers and branches the executions of a session took (the pytest plugin,
`phalanx.testing.plugin`, prints it with `--phalanx-cov`).
"""

from __future__ import annotations

from phalanx.errors import MockError
from phalanx.runtime.mocks import MockedCall, Mocks, Returns, StateMocks, Throws
from phalanx.testing.assertions import assert_path
from phalanx.testing.config import MockConfigFile, mock_config
from phalanx.testing.coverage import Coverage
from phalanx.testing.from_history import mocks_from_history
from phalanx.testing.history import RecordedHistory, read_history
from phalanx.testing.masks import Masks
from phalanx.testing.replay import Difference, ReplayReport, replay

__all__ = [
    "Coverage",
    "Difference",
    "Masks",
    "MockConfigFile",
    "MockError",
    "MockedCall",
    "Mocks",
    "RecordedHistory",
    "ReplayReport",
    "Returns",
    "StateMocks",
    "Throws",
    "assert_path",
    "mock_config",
    "mocks_from_history",
    "read_history",
    "replay",
]
