"""Roll die: retry a Lambda until it rolls more than 3.

lambdaRollDie -> checkRoll --(NOT $.roll > 3)--> tryAgainShortly (3 s) -> lambdaRollDie
                         \\--(otherwise)-------> success
"""

import random

import phalanx
from phalanx import Choice, StateMachine, Succeed, Task, Wait
from phalanx.asl.conditions import numeric_greater_than


@phalanx.function(memory_size=128, tags={"myAccounting": "tag"})
def roll_die(event, context):
    """Roll a five-sided die."""
    return {"roll": random.randint(1, 5)}


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
