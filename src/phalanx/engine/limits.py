"""Payload and variable size quotas, measured as UTF-8 JSON text.

* 256 KiB for a state's input and output, also "when, after Parameters
  processing, the input of a state is larger than the payload size quota"
  (error-handling docs, States.DataLimitExceeded): a Task's request, a
  Parallel's input after Parameters/Arguments, each Map item after ItemSelector.
* Variables ("Passing data between states with variables", size limits):
  256 KiB per variable, 256 KiB for one Assign, 10 MiB stored per execution.
  The docs name the limits; the causes below are Phalanx's own (no recording).
"""

from __future__ import annotations

from typing import Any

from phalanx.engine.failures import Failure
from phalanx.engine.history import to_text
from phalanx.engine.task import MAX_PAYLOAD_BYTES

MAX_VARIABLES_BYTES = 10 * 1024 * 1024
"""AWS's limit on the variables stored by one execution (10 MiB)."""

DATA_LIMIT = "States.DataLimitExceeded"


def size_of(text: str) -> int:
    """Bytes of `text` as UTF-8, what the quotas count."""
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def input_too_large(state: str) -> Failure:
    """AWS's failure for a state (or task) whose input is over the payload quota."""
    return Failure(
        DATA_LIMIT,
        f"The state/task '{state}' has an input with a size exceeding "
        "the maximum number of bytes service limit.",
    )


def result_too_large(state: str) -> Failure:
    """AWS's failure for a state (or task) whose result is over the payload quota."""
    return Failure(
        DATA_LIMIT,
        f"The state/task '{state}' returned a result with a size exceeding "
        "the maximum number of bytes service limit.",
    )


def check_input_size(state: str, value: Any) -> None:
    """`States.DataLimitExceeded` when a state's effective input is over the quota."""
    if size_of(to_text(value)) > MAX_PAYLOAD_BYTES:
        raise input_too_large(state)


def check_variable_sizes(state: str, assigned: dict[str, Any], variables: dict[str, Any]) -> None:
    """`States.DataLimitExceeded` when an Assign breaks one of the variable quotas."""
    sizes = {name: size_of(to_text(value)) for name, value in assigned.items()}
    for name, size in sizes.items():
        if size > MAX_PAYLOAD_BYTES:
            raise Failure(
                DATA_LIMIT,
                f"The state '{state}' assigns the variable '{name}' a value of {size} bytes, "
                f"over the {MAX_PAYLOAD_BYTES}-byte limit of a variable.",
            )
    total = sum(sizes.values())
    if total > MAX_PAYLOAD_BYTES:
        raise Failure(
            DATA_LIMIT,
            f"The Assign of state '{state}' totals {total} bytes, over the "
            f"{MAX_PAYLOAD_BYTES}-byte limit of one Assign.",
        )
    kept = sum(size_of(to_text(value)) for name, value in variables.items() if name not in assigned)
    if kept + total > MAX_VARIABLES_BYTES:
        raise Failure(
            DATA_LIMIT,
            f"The state '{state}' would bring the stored variables to {kept + total} bytes, "
            f"over the {MAX_VARIABLES_BYTES}-byte limit of an execution.",
        )
