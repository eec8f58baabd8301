"""Roll die with a die that rolls 2, 3, 5 (and again): a known path for the console tests.

Served with `phalanx serve --functions tests/console/fixed_die.py`. When
`PHALANX_DIE_GATE` names a FIFO, each roll of 5 first reads one line from
it, so the test decides when a running execution may go on (no clock, no sleep).
"""

import itertools
import os

import phalanx
from phalanx import Choice, StateMachine, Succeed, Task, Wait
from phalanx.asl.conditions import numeric_greater_than

ROLLS = itertools.cycle((2, 3, 5))
GATE = os.environ.get("PHALANX_DIE_GATE")


@phalanx.function
def roll_die(event, context):
    """Roll the fixed die."""
    roll = next(ROLLS)
    if roll == 5 and GATE:
        with open(GATE, encoding="utf-8") as gate:
            gate.readline()
    return {"roll": roll}


roll = Task("lambdaRollDie", roll_die)
check = Choice("checkRoll")
try_again = Wait("tryAgainShortly", seconds=3)
success = Succeed("success")

machine = StateMachine.of(
    roll.next(check),
    check.when(~numeric_greater_than("$.roll", 3), try_again).otherwise(success),
    try_again.next(roll),
    success,
    name="RollDie",
)
