"""Which fields each state type accepts, per query language: read from the model.

The model's `asl_field`s (`phalanx.asl.states`) are the one table of ASL keys:
which state type has which field, and which fields only one query language
allows (developer guide, "Transforming data with JSONata": JSONPath-only fields
are `InputPath`, `OutputPath`, `ResultPath`, `Parameters`, `ResultSelector`,
`Result` and every `*Path` variant; JSONata-only fields are `Arguments`,
`Output`, `Items`). What only the validator needs (required fields AWS names,
mutually exclusive groups) is here.
"""

from __future__ import annotations

from phalanx.asl import STATE_TYPES as _MODEL_STATE_TYPES
from phalanx.asl import Branch, StateMachine
from phalanx.asl.fields import asl_keys

STATE_TYPES = tuple(_MODEL_STATE_TYPES)

COMMON = frozenset({"Type", "Comment", "QueryLanguage"})

# Fields a state of each type must have (Next/End and Wait's time are checked apart).
REQUIRED: dict[str, tuple[str, ...]] = {
    "Task": ("Resource",),
    "Choice": ("Choices",),
    "Parallel": ("Branches",),
}

# At most one of each group.
EXCLUSIVE: tuple[tuple[str, ...], ...] = (
    ("TimeoutSeconds", "TimeoutSecondsPath"),
    ("HeartbeatSeconds", "HeartbeatSecondsPath"),
    ("Error", "ErrorPath"),
    ("Cause", "CausePath"),
    ("Iterator", "ItemProcessor"),
    ("Parameters", "ItemSelector"),
    ("MaxConcurrency", "MaxConcurrencyPath"),
    ("ToleratedFailureCount", "ToleratedFailureCountPath"),
    ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
    ("Seconds", "SecondsPath", "Timestamp", "TimestampPath"),
)

EXCLUSIVE_FIELDS = frozenset(f for group in EXCLUSIVE for f in group)

MACHINE_FIELDS = asl_keys(StateMachine)
PROCESSOR_FIELDS = asl_keys(Branch)
# A model `Branch` is both; only a Map's ItemProcessor (or Iterator) takes ProcessorConfig.
BRANCH_FIELDS = PROCESSOR_FIELDS - {"ProcessorConfig"}


_ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    (name, language): frozenset({"Type"}) | asl_keys(cls, language)
    for name, cls in _MODEL_STATE_TYPES.items()
    for language in ("JSONPath", "JSONata")
}


def allowed_fields(state_type: str, query_language: str) -> frozenset[str]:
    return _ALLOWED.get((state_type, query_language), COMMON)


def other_language_fields(state_type: str, query_language: str) -> frozenset[str]:
    """Fields this state type would accept in the other query language."""
    other = "JSONPath" if query_language == "JSONata" else "JSONata"
    return _ALLOWED.get((state_type, other), COMMON)
