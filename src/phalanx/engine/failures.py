"""How a state's processing stops early: an AWS error, the execution timeout, the event limit.

These are control flow inside the interpreter; they never leave `Interpreter.run`,
which turns them into the execution's outcome.
"""

from __future__ import annotations


class Failure(Exception):
    """A state failed with an AWS error; Retry/Catch may handle it."""

    def __init__(self, error: str, cause: str | None) -> None:
        super().__init__(error, cause)
        self.error = error
        self.cause = cause


class TimedOut(Exception):
    """The execution's TimeoutSeconds passed: nothing can catch this."""


class EventLimit(Exception):
    """The history reached 25,000 events."""
