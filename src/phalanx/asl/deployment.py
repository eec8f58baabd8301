"""How a machine is deployed: its type, logging, X-Ray tracing and tags.

None of this is ASL: like `StateMachine.name`, these options stay out of
`to_asl()` and go to the `AWS::StepFunctions::StateMachine` resource instead
(`StateMachineType`, `LoggingConfiguration`, `TracingConfiguration`, `Tags`)::

    StateMachine.of(
        start,
        type="EXPRESS",
        logging=Logging(level="ALL", include_execution_data=True),
        tracing=True,
        tags={"team": "orders"},
    )

Each option is checked when the machine is built, against what AWS documents,
so a mistake shows in Python rather than as a failed stack.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from phalanx.errors import MachineOptionError

# "Standard and Express workflow types"; the default is STANDARD.
MACHINE_TYPES = ("STANDARD", "EXPRESS")
# Step Functions developer guide, "Log levels".
LOG_LEVELS = ("ALL", "ERROR", "FATAL", "OFF")
# Step Functions developer guide, "Restrictions related to tagging": 50 tags a
# resource, keys 1-128 and values 0-256 Unicode characters, of letters, digits,
# whitespace and `_ . : / = + - @` only, and no `aws:` prefix on either.
MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
_TAG_TEXT = re.compile(r"[\w\s.:/=+\-@]*")  # \w: Unicode letters and digits, and `_`
_RESERVED_PREFIX = "aws:"
_SHOWN_MAX = 80  # a bad value is quoted up to this many characters


@dataclasses.dataclass(frozen=True, slots=True)
class Logging:
    """Execution logs sent to CloudWatch Logs.

    `level` is which events are logged (`ALL`, `ERROR`, `FATAL` or `OFF`);
    `include_execution_data` adds each event's input, output and variables,
    which AWS leaves out by default. The deployed template creates the log
    group (under `/aws/vendedlogs/states/`) and the role's permissions.
    """

    level: str = "ALL"
    include_execution_data: bool = False

    def __post_init__(self) -> None:
        _check(
            self.level in LOG_LEVELS,
            "logging.level",
            self.level,
            f"one of {', '.join(LOG_LEVELS)}",
        )
        _check(
            isinstance(self.include_execution_data, bool),
            "logging.include_execution_data",
            self.include_execution_data,
            "True or False",
        )


def check_options(type: str | None, logging: Any, tracing: Any, tags: Any) -> None:
    """Raise `MachineOptionError` for a deployment option AWS would refuse."""
    if type is not None:
        _check(type in MACHINE_TYPES, "type", type, "STANDARD or EXPRESS")
    if logging is not None:
        _check(isinstance(logging, Logging), "logging", logging, "a phalanx.Logging(...)")
    _check(isinstance(tracing, bool), "tracing", tracing, "True or False")
    _check(isinstance(tags, Mapping), "tags", tags, "a dict of strings")
    _check(len(tags) <= MAX_TAGS, "tags", tags, f"at most {MAX_TAGS} tags, not {len(tags)}")
    for key, value in tags.items():
        pair = {key: value}
        _check(isinstance(key, str) and isinstance(value, str), "tags", pair, "strings")
        _check(1 <= len(key) <= MAX_TAG_KEY, "tags", pair, f"keys of 1 to {MAX_TAG_KEY} characters")
        _check(
            len(value) <= MAX_TAG_VALUE,
            "tags",
            pair,
            f"values of at most {MAX_TAG_VALUE} characters",
        )
        _check(
            all(_TAG_TEXT.fullmatch(text) for text in (key, value)),
            "tags",
            pair,
            "only letters, digits, whitespace and _ . : / = + - @",
        )
        _check(
            not any(text.lower().startswith(_RESERVED_PREFIX) for text in (key, value)),
            "tags",
            pair,
            "no aws: prefix, which AWS reserves",
        )


def _check(ok: bool, option: str, value: Any, expected: str) -> None:
    if not ok:
        shown = repr(value)
        if len(shown) > _SHOWN_MAX:
            shown = shown[: _SHOWN_MAX - 3] + "..."
        raise MachineOptionError(f"state machine option {option}={shown}: expected {expected}")
