"""Retry and Catch: retriers' ranges, catchers' fields, `States.ALL` alone and last.

Ranges from the ASL reference ("Retrying after an error"): IntervalSeconds
1..99999999, MaxAttempts 0 up to (not including) 99999999, BackoffRate >= 1.0,
MaxDelaySeconds 1..31622400, JitterStrategy FULL or NONE.
"""

from __future__ import annotations

from typing import Any

from phalanx.validation.diagnostics import Report, join, quote
from phalanx.validation.schema import MAX_SECONDS, is_int
from phalanx.validation.scopes import JSONATA, Machine, StateSite

MAX_DELAY_SECONDS = 31_622_400

_RETRIER_FIELDS = frozenset(
    {
        "ErrorEquals",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "JitterStrategy",
        "Comment",
    }
)
_CATCHER_JSONPATH = frozenset({"ErrorEquals", "Next", "ResultPath", "Assign", "Comment"})
_CATCHER_JSONATA = frozenset({"ErrorEquals", "Next", "Output", "Assign", "Comment"})


def check(machine: Machine, report: Report) -> None:
    for site in machine.states:
        if site.type not in ("Task", "Parallel", "Map"):
            continue
        for key in ("Retry", "Catch"):
            if key in site.body:
                _check_list(machine, site, key, site.body[key], report)


def _check_list(machine: Machine, site: StateSite, key: str, value: object, report: Report) -> None:
    at = site.at(key)
    if not isinstance(value, list):
        report.schema(at, f'State "{site.name}": {key} must be an array, got {quote(value)}')
        return
    for i, item in enumerate(value):
        where = join(at, i)
        if not isinstance(item, dict):
            report.schema(
                where, f'State "{site.name}": {key}[{i}] must be an object, got {quote(item)}'
            )
            continue
        _error_equals(site, key, i, item, last=i == len(value) - 1, report=report)
        if key == "Retry":
            _retrier(machine, site, i, item, report)
        else:
            _catcher(site, i, item, report)


def _error_equals(
    site: StateSite, key: str, i: int, item: dict[str, Any], *, last: bool, report: Report
) -> None:
    where = join(site.at(key), i)
    if "ErrorEquals" not in item:
        report.schema(where, f"These fields are required: [ErrorEquals] at {where}")
        return
    errors = item["ErrorEquals"]
    at = join(where, "ErrorEquals")
    if not isinstance(errors, list) or not errors:
        report.schema(
            at, f'State "{site.name}": {key}[{i}].ErrorEquals must be a non-empty array of strings'
        )
        return
    for j, name in enumerate(errors):
        if not isinstance(name, str):
            report.schema(
                join(at, j), f'State "{site.name}": {key}[{i}].ErrorEquals[{j}] must be a string'
            )
    if "States.ALL" in errors:
        if len(errors) != 1:
            report.schema(
                at,
                f'State "{site.name}": {key}[{i}]: States.ALL must appear alone in ErrorEquals',
            )
        if not last:
            report.schema(
                at,
                f'State "{site.name}": {key}[{i}]: a {"retrier" if key == "Retry" else "catcher"} '
                "with States.ALL must be the last one",
            )


def _retrier(
    machine: Machine, site: StateSite, i: int, item: dict[str, Any], report: Report
) -> None:
    where = join(site.at("Retry"), i)
    label = f'State "{site.name}": Retry[{i}]'
    for key in item:
        if key not in _RETRIER_FIELDS:
            report.schema(join(where, key), f"{label}: the field '{key}' is not supported")
    ranges = (
        # The retry interval's ceiling is inclusive, unlike the timeouts' and MaxAttempts'.
        ("IntervalSeconds", 1, MAX_SECONDS + 1),
        ("MaxAttempts", 0, MAX_SECONDS),
        ("MaxDelaySeconds", 1, MAX_DELAY_SECONDS),
    )
    for key, low, high in ranges:
        if key not in item:
            continue
        value = item[key]
        if not is_int(value):
            report.schema(
                join(where, key), f"{label}: {key} must be an integer, got {quote(value)}"
            )
        elif not low <= value <= high:
            report.schema(
                join(where, key),
                f"{label}: {key} must be between {low} and {high}, got {quote(value)}",
            )
    if "BackoffRate" in item:
        rate = item["BackoffRate"]
        if isinstance(rate, bool) or not isinstance(rate, int | float):
            report.schema(
                join(where, "BackoffRate"),
                f"{label}: BackoffRate must be a number, got {quote(rate)}",
            )
        elif rate < 1.0:
            report.schema(
                join(where, "BackoffRate"),
                f"{label}: BackoffRate must be at least 1.0, got {quote(rate)}",
            )
    if "JitterStrategy" in item and item["JitterStrategy"] not in ("FULL", "NONE"):
        report.schema(
            join(where, "JitterStrategy"),
            f"{label}: JitterStrategy must be 'FULL' or 'NONE', "
            f"got {quote(item['JitterStrategy'])}",
        )


def _catcher(site: StateSite, i: int, item: dict[str, Any], report: Report) -> None:
    where = join(site.at("Catch"), i)
    label = f'State "{site.name}": Catch[{i}]'
    allowed = _CATCHER_JSONATA if site.query_language == JSONATA else _CATCHER_JSONPATH
    for key in item:
        if key not in allowed:
            report.schema(join(where, key), f"{label}: the field '{key}' is not supported")
    if "Next" not in item:
        report.schema(where, f"These fields are required: [Next] at {where}")
    elif not isinstance(item["Next"], str):
        report.schema(
            join(where, "Next"), f"{label}: Next must be a string, got {quote(item['Next'])}"
        )
    if "Assign" in item and not isinstance(item["Assign"], dict):
        report.schema(join(where, "Assign"), f"{label}: Assign must be an object")
