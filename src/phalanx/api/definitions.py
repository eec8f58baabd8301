"""ValidateStateMachineDefinition, and the check CreateStateMachine/UpdateStateMachine run.

Both use `phalanx.validation`, which reports what AWS reports; an invalid
definition is refused with AWS's `InvalidDefinition` text::

    Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3
    at /States/pass1/Next, SCHEMA_VALIDATION_FAILED: ... at /States/x'
"""

from __future__ import annotations

from collections.abc import Callable

from phalanx.api.context import Context
from phalanx.api.errors import ApiError
from phalanx.api.operations import Operation, Request, Response
from phalanx.api.shapes import DEFINITION, STATE_MACHINE_TYPE, integer, string, structure
from phalanx.validation import Diagnostic, validate


def require_valid(
    definition: str,
    machine_type: str,
    *,
    ignore: Callable[[Diagnostic], bool] | None = None,
) -> None:
    """Raise InvalidDefinition with every error the validator finds, as AWS words it.

    `ignore` picks the diagnostics that are not errors here (TestState's lone
    state may name a Next that is not in its definition).
    """
    result = validate(definition, machine_type=machine_type)
    errors = [d for d in result.errors if ignore is None or not ignore(d)]
    if not errors:
        return
    findings = ", ".join(_as_aws_words_it(d) for d in errors)
    raise ApiError("InvalidDefinition", f"Invalid State Machine Definition: '{findings}'")


def _as_aws_words_it(diagnostic: Diagnostic) -> str:
    """`CODE: message at /pointer`; some messages already end with their location, as AWS's do."""
    where = f" at {diagnostic.location or '/'}"
    text = f"{diagnostic.code}: {diagnostic.message}"
    return text if text.endswith(where) else text + where


VALIDATE_INPUT = structure(
    ("definition",),
    definition=DEFINITION,
    type=STATE_MACHINE_TYPE,
    severity=string(enum=("ERROR", "WARNING")),
    maxResults=integer(0, 100),
)


def validate_definition(context: Context, request: Request) -> Response:
    result = validate(
        request["definition"],
        machine_type=request.get("type", "STANDARD"),
        severity=request.get("severity", "ERROR"),
        max_results=request.get("maxResults", 0),
    )
    return result.to_dict()


OPERATIONS = {"ValidateStateMachineDefinition": Operation(VALIDATE_INPUT, validate_definition)}
