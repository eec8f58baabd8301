"""The shape of the document: required, forbidden and exclusive fields, types and ranges.

Everything here reports AWS's `SCHEMA_VALIDATION_FAILED`, with AWS's wording
where the corpus recorded it ("These fields are required: [States, StartAt]",
"The field 'RoleArn' is required but was missing"). Syntax of path and
JSONata values is `paths.py`'s business; Choice rules, Map fields and
Retry/Catch have their own modules.
"""

from __future__ import annotations

import re
from typing import Any

from phalanx.validation import fields
from phalanx.validation.diagnostics import Report, join, json_type, quote
from phalanx.validation.expressions import has_placeholder, is_jsonata
from phalanx.validation.scopes import JSONATA, Machine, Scope, StateSite

# AWS's ceiling for TimeoutSeconds, Seconds, IntervalSeconds, MaxAttempts...: the ASL
# reference says these must be "less than 99999999".
MAX_SECONDS = 99_999_998

# RFC 3339 date-time, as AWS checks Wait `Timestamp` and Choice timestamp literals.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))",
    re.IGNORECASE,
)


def is_timestamp(value: object) -> bool:
    if not isinstance(value, str):
        return False
    m = _RFC3339.fullmatch(value)
    if not m:
        return False
    month, day, hour, minute, second = (int(m.group(k)) for k in (2, 3, 4, 5, 6))
    if m.group(9) and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return 1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 60


def is_int(value: object) -> bool:
    """JSON integers; AWS also takes `5.0`."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def check(machine: Machine, report: Report) -> None:
    for scope in machine.scopes:
        _check_scope(machine, scope, report)
    for site in machine.states:
        _check_state(machine, site, report)


def _check_scope(machine: Machine, scope: Scope, report: Report) -> None:
    body = scope.body
    where = scope.pointer or "/"
    missing = [f for f in ("States", "StartAt") if f not in body]
    if missing:
        report.schema(
            scope.pointer, f"These fields are required: [{', '.join(missing)}] at {where}"
        )
    if scope.kind == "machine":
        allowed = fields.MACHINE_FIELDS
    elif scope.kind == "branch":
        allowed = fields.BRANCH_FIELDS
    else:
        allowed = fields.PROCESSOR_FIELDS
    for key in body:
        if key not in allowed:
            report.schema(
                join(scope.pointer, key), f"The field '{key}' is not supported at {where}"
            )
    start = body.get("StartAt")
    if "StartAt" in body and not isinstance(start, str):
        report.schema(
            join(scope.pointer, "StartAt"), f"StartAt must be a string, got {quote(start)}"
        )
    states = body.get("States")
    if "States" in body:
        if not isinstance(states, dict):
            report.schema(
                join(scope.pointer, "States"), f"States must be an object, got {json_type(states)}"
            )
        elif not states:
            report.schema(join(scope.pointer, "States"), "States must contain at least one state")
        else:
            for name, state in states.items():
                if not isinstance(state, dict):
                    hint = ""
                    if name in fields.MACHINE_FIELDS:
                        hint = f"; {name} belongs beside StartAt and States, not inside States"
                    report.schema(
                        join(scope.pointer, "States", name),
                        f'State "{name}" must be an object, got {quote(state)}{hint}',
                    )
    if scope.kind == "machine":
        _check_machine_fields(machine, body, report)


def _check_machine_fields(machine: Machine, body: dict[str, Any], report: Report) -> None:
    for key in ("Comment", "Version"):
        if key in body and not isinstance(body[key], str):
            report.schema(f"/{key}", f"{key} must be a string, got {quote(body[key])}")
    if "TimeoutSeconds" in body:
        _seconds(machine, "/TimeoutSeconds", "TimeoutSeconds", body["TimeoutSeconds"], 1, report)
    if "QueryLanguage" in body and body["QueryLanguage"] not in ("JSONPath", "JSONata"):
        report.schema(
            "/QueryLanguage",
            f"QueryLanguage must be 'JSONPath' or 'JSONata', got {quote(body['QueryLanguage'])}",
        )


def _seconds(
    machine: Machine, at: str, label: str, value: object, floor: int, report: Report
) -> None:
    """An integer number of seconds in [floor, MAX_SECONDS]."""
    if machine.options.placeholders and has_placeholder(value):
        return
    if not is_int(value):
        report.schema(at, f"{label} must be an integer, got {quote(value)}")
    elif not floor <= value <= MAX_SECONDS:  # type: ignore[operator]
        report.schema(at, f"{label} must be between {floor} and {MAX_SECONDS}, got {quote(value)}")


def _check_state(machine: Machine, site: StateSite, report: Report) -> None:
    body = site.body
    name = site.name
    state_type = body.get("Type")
    if "Type" not in body:
        report.schema(site.pointer, f"These fields are required: [Type] at {site.pointer}")
        return
    if state_type not in fields.STATE_TYPES:
        report.schema(
            site.at("Type"),
            f'State "{name}": Type {quote(state_type)} is not one of '
            f"{', '.join(fields.STATE_TYPES)}",
        )
        return
    assert isinstance(state_type, str)
    language = body.get("QueryLanguage")
    if "QueryLanguage" in body:
        if language not in ("JSONPath", "JSONata"):
            report.schema(
                site.at("QueryLanguage"),
                f"State \"{name}\": QueryLanguage must be 'JSONPath' or 'JSONata', "
                f"got {quote(language)}",
            )
        elif language == "JSONPath" and machine.query_language == JSONATA:
            report.schema(
                site.pointer,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            )
    allowed = fields.allowed_fields(state_type, site.query_language)
    foreign = fields.other_language_fields(state_type, site.query_language)
    for key in body:
        if key in allowed:
            continue
        if key in foreign:
            report.schema(
                site.at(key),
                f"State \"{name}\": the field '{key}' is not supported when QueryLanguage "
                f"is {site.query_language}",
            )
        else:
            report.schema(
                site.at(key),
                f"State \"{name}\": the field '{key}' is not supported in a {state_type} state",
            )
    missing = [f for f in fields.REQUIRED.get(state_type, ()) if f not in body]
    if missing:
        report.schema(
            site.pointer, f'State "{name}": These fields are required: [{", ".join(missing)}]'
        )
    for group in fields.EXCLUSIVE if len(fields.EXCLUSIVE_FIELDS.intersection(body)) > 1 else ():
        present = [f for f in group if f in body]
        if len(present) > 1:
            report.schema(
                site.at(present[1]),
                f'State "{name}": only one of {", ".join(present)} may be set',
            )
    _check_transition_fields(site, state_type, report)
    _check_scalars(machine, site, state_type, report)


def _check_transition_fields(site: StateSite, state_type: str, report: Report) -> None:
    body = site.body
    if state_type in ("Choice", "Succeed", "Fail"):
        return  # Next/End are reported as unsupported fields above
    has_next = "Next" in body
    end = body.get("End")
    if "End" in body and not isinstance(end, bool):
        report.schema(
            site.at("End"), f'State "{site.name}": End must be a boolean, got {quote(end)}'
        )
    if has_next and not isinstance(body["Next"], str):
        report.schema(
            site.at("Next"),
            f'State "{site.name}": Next must be a string, got {quote(body["Next"])}',
        )
    if has_next and end is True:
        report.schema(site.at("End"), f'State "{site.name}": Next and End cannot both be set')
    elif not has_next and end is not True:
        report.schema(
            site.pointer,
            f'State "{site.name}": a {state_type} state needs either Next or "End": true',
        )


def _check_scalars(machine: Machine, site: StateSite, state_type: str, report: Report) -> None:
    body = site.body
    name = site.name
    jsonata = site.query_language == JSONATA
    ph = machine.options.placeholders

    def expression_ok(value: object) -> bool:
        return (jsonata and is_jsonata(value)) or (ph and has_placeholder(value))

    for key in ("TimeoutSeconds", "HeartbeatSeconds"):
        if key in body and not expression_ok(body[key]):
            _seconds(machine, site.at(key), f'State "{name}": {key}', body[key], 1, report)
    timeout, heartbeat = body.get("TimeoutSeconds"), body.get("HeartbeatSeconds")
    if is_int(timeout) and is_int(heartbeat) and heartbeat >= timeout:  # type: ignore[operator]
        # ASL reference: "HeartbeatSeconds ... must be smaller than TimeoutSeconds".
        report.schema(
            site.at("HeartbeatSeconds"),
            f'State "{name}": HeartbeatSeconds ({heartbeat}) must be smaller than '
            f"TimeoutSeconds ({timeout})",
        )
    if state_type == "Wait":
        time_fields = [
            f for f in ("Seconds", "SecondsPath", "Timestamp", "TimestampPath") if f in body
        ]
        if not time_fields:
            report.schema(
                site.pointer,
                f'State "{name}": a Wait state needs exactly one of Seconds, SecondsPath, '
                "Timestamp or TimestampPath",
            )
        if "Seconds" in body and not expression_ok(body["Seconds"]):
            _seconds(
                machine, site.at("Seconds"), f'State "{name}": Seconds', body["Seconds"], 0, report
            )
        stamp = body.get("Timestamp")
        if "Timestamp" in body and not expression_ok(stamp) and not is_timestamp(stamp):
            report.schema(
                site.at("Timestamp"),
                f'State "{name}": String does not match RFC3339 timestamp: {quote(stamp)}',
            )
    if state_type == "Fail":
        for key in ("Error", "Cause"):
            if key in body and not isinstance(body[key], str):
                report.schema(
                    site.at(key), f'State "{name}": {key} must be a string, got {quote(body[key])}'
                )
    if state_type == "Task":
        resource = body.get("Resource")
        if "Resource" in body and not isinstance(resource, str):
            report.schema(
                site.at("Resource"),
                f'State "{name}": Resource must be a string, got {quote(resource)}',
            )
        if "Credentials" in body:
            _check_credentials(site, body["Credentials"], report)
    if state_type in ("Choice", "Parallel"):
        key = "Choices" if state_type == "Choice" else "Branches"
        value = body.get(key)
        if key in body and (not isinstance(value, list) or not value):
            report.schema(
                site.at(key), f'State "{name}": {key} must be a non-empty array, got {quote(value)}'
            )
        if state_type == "Parallel" and isinstance(value, list):
            for i, branch in enumerate(value):
                if not isinstance(branch, dict):
                    report.schema(
                        site.at(key, i),
                        f'State "{name}": Branches[{i}] must be an object, got {quote(branch)}',
                    )
    if state_type == "Choice" and "Default" in body and not isinstance(body["Default"], str):
        report.schema(
            site.at("Default"),
            f'State "{name}": Default must be a string, got {quote(body["Default"])}',
        )
    for key in ("Parameters", "ResultSelector", "ItemSelector", "Assign"):
        if key in body and not isinstance(body[key], dict):
            if key == "ItemSelector" and jsonata and is_jsonata(body[key]):
                continue
            report.schema(
                site.at(key), f'State "{name}": {key} must be an object, got {quote(body[key])}'
            )
    arguments = body.get("Arguments")
    if "Arguments" in body and not isinstance(arguments, dict) and not is_jsonata(arguments):
        report.schema(
            site.at("Arguments"),
            f'State "{name}": Arguments must be an object or a JSONata expression, '
            f"got {quote(arguments)}",
        )
    if "Comment" in body and not isinstance(body["Comment"], str):
        report.schema(site.at("Comment"), f'State "{name}": Comment must be a string')


def _check_credentials(site: StateSite, value: object, report: Report) -> None:
    at = site.at("Credentials")
    if not isinstance(value, dict):
        report.schema(at, f'State "{site.name}": Credentials must be an object, got {quote(value)}')
        return
    keys = {"RoleArn", "RoleArn.$"} if site.query_language != JSONATA else {"RoleArn"}
    if not any(k in value for k in keys):
        report.schema(at, f"The field 'RoleArn' is required but was missing at {at}")
    for key, item in value.items():
        if key not in keys:
            report.schema(
                join(at, key),
                f"State \"{site.name}\": the field '{key}' is not supported in Credentials",
            )
        elif not isinstance(item, str):
            report.schema(join(at, key), f'State "{site.name}": Credentials.{key} must be a string')
