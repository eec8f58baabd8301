"""Which fields each state type accepts, per query language.

From the Amazon States Language reference and the Step Functions developer
guide ("Transforming data with JSONata": JSONPath-only fields are
`InputPath`, `OutputPath`, `ResultPath`, `Parameters`, `ResultSelector`,
`ItemsPath`, `Iterator`... and every `*Path` variant; JSONata-only fields are
`Arguments`, `Output`, `Items`, `Condition`).
"""

from __future__ import annotations

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")

COMMON = frozenset({"Type", "Comment", "QueryLanguage"})
_TRANSITION = frozenset({"Next", "End"})

_JSONPATH_FIELDS: dict[str, frozenset[str]] = {
    "Pass": _TRANSITION
    | {"InputPath", "OutputPath", "ResultPath", "Parameters", "Result", "Assign"},
    "Task": _TRANSITION
    | {
        "InputPath",
        "OutputPath",
        "ResultPath",
        "Parameters",
        "ResultSelector",
        "Resource",
        "TimeoutSeconds",
        "TimeoutSecondsPath",
        "HeartbeatSeconds",
        "HeartbeatSecondsPath",
        "Retry",
        "Catch",
        "Credentials",
        "Assign",
    },
    "Choice": frozenset({"InputPath", "OutputPath", "Choices", "Default", "Assign"}),
    "Wait": _TRANSITION
    | {"InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign"},
    "Succeed": frozenset({"InputPath", "OutputPath"}),
    "Fail": frozenset({"Error", "ErrorPath", "Cause", "CausePath"}),
    "Parallel": _TRANSITION
    | {
        "InputPath",
        "OutputPath",
        "ResultPath",
        "Parameters",
        "ResultSelector",
        "Branches",
        "Retry",
        "Catch",
        "Assign",
    },
    "Map": _TRANSITION
    | {
        "InputPath",
        "OutputPath",
        "ResultPath",
        "Parameters",
        "ResultSelector",
        "Iterator",
        "ItemProcessor",
        "ItemsPath",
        "ItemSelector",
        "ItemReader",
        "ItemBatcher",
        "ResultWriter",
        "MaxConcurrency",
        "MaxConcurrencyPath",
        "ToleratedFailureCount",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
        "Label",
        "Retry",
        "Catch",
        "Assign",
    },
}

_JSONATA_FIELDS: dict[str, frozenset[str]] = {
    "Pass": _TRANSITION | {"Output", "Assign"},
    "Task": _TRANSITION
    | {
        "Resource",
        "Arguments",
        "Output",
        "Assign",
        "TimeoutSeconds",
        "HeartbeatSeconds",
        "Retry",
        "Catch",
        "Credentials",
    },
    "Choice": frozenset({"Choices", "Default", "Output", "Assign"}),
    "Wait": _TRANSITION | {"Seconds", "Timestamp", "Output", "Assign"},
    "Succeed": frozenset({"Output"}),
    "Fail": frozenset({"Error", "Cause"}),
    "Parallel": _TRANSITION | {"Branches", "Arguments", "Output", "Assign", "Retry", "Catch"},
    "Map": _TRANSITION
    | {
        "ItemProcessor",
        "Iterator",
        "Items",
        "ItemSelector",
        "ItemReader",
        "ItemBatcher",
        "ResultWriter",
        "MaxConcurrency",
        "ToleratedFailureCount",
        "ToleratedFailurePercentage",
        "Label",
        "Output",
        "Assign",
        "Retry",
        "Catch",
    },
}

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

MACHINE_FIELDS = frozenset(
    {"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"}
)
BRANCH_FIELDS = frozenset({"StartAt", "States", "Comment"})
PROCESSOR_FIELDS = frozenset({"StartAt", "States", "Comment", "ProcessorConfig"})


_ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    (kind, language): COMMON | table[kind]
    for language, table in (("JSONPath", _JSONPATH_FIELDS), ("JSONata", _JSONATA_FIELDS))
    for kind in STATE_TYPES
}


def allowed_fields(state_type: str, query_language: str) -> frozenset[str]:
    return _ALLOWED.get((state_type, query_language), COMMON)


def other_language_fields(state_type: str, query_language: str) -> frozenset[str]:
    """Fields this state type would accept in the other query language."""
    other = "JSONPath" if query_language == "JSONata" else "JSONata"
    return _ALLOWED.get((state_type, other), COMMON)
