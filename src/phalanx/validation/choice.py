"""Choice rules: one comparison (or And/Or/Not) per rule, operand types, Next only at the top.

JSONPath rules compare `Variable` with a literal or, for the `...Path`
operators, a reference path. JSONata rules are `{"Condition": "{% ... %}",
"Next": ...}`.
"""

from __future__ import annotations

from typing import Any

from phalanx.validation.diagnostics import Report, join, quote
from phalanx.validation.expressions import has_placeholder, is_jsonata, jsonpath_error
from phalanx.validation.schema import is_timestamp
from phalanx.validation.scopes import JSONATA, Machine, StateSite

_KINDS = {
    "String": "string",
    "Numeric": "number",
    "Boolean": "boolean",
    "Timestamp": "timestamp",
}
_RELATIONS = ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")

COMPARISONS: dict[str, str] = {}
for _prefix, _kind in _KINDS.items():
    for _rel in _RELATIONS if _prefix != "Boolean" else ("Equals",):
        COMPARISONS[_prefix + _rel] = _kind
        COMPARISONS[_prefix + _rel + "Path"] = "path"
COMPARISONS["StringMatches"] = "string"
for _test in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"):
    COMPARISONS[_test] = "boolean"

_COMBINATORS = ("And", "Or", "Not")
_MAX_DEPTH = 50


def check(machine: Machine, report: Report) -> None:
    for site in machine.states:
        if site.type != "Choice":
            continue
        choices = site.body.get("Choices")
        if not isinstance(choices, list):
            continue
        for i, rule in enumerate(choices):
            at = site.at("Choices", i)
            if site.query_language == JSONATA:
                _jsonata_rule(site, i, rule, at, report)
            else:
                _rule(machine, site, rule, at, top=True, depth=0, report=report)


def _jsonata_rule(site: StateSite, i: int, rule: object, at: str, report: Report) -> None:
    label = f'State "{site.name}": Choices[{i}]'
    if not isinstance(rule, dict):
        report.schema(at, f"{label} must be an object, got {quote(rule)}")
        return
    for key in ("Condition", "Next"):
        if key not in rule:
            report.schema(at, f"These fields are required: [{key}] at {at}")
    for key in rule:
        if key not in ("Condition", "Next", "Assign", "Output", "Comment"):
            report.schema(
                join(at, key),
                f"{label}: the field '{key}' is not supported when QueryLanguage is JSONata",
            )
    condition = rule.get("Condition")
    if "Condition" in rule and not (is_jsonata(condition) or isinstance(condition, bool)):
        report.schema(
            join(at, "Condition"),
            f"{label}: Condition must be a JSONata expression {{% ... %}}, got {quote(condition)}",
        )
    if "Next" in rule and not isinstance(rule["Next"], str):
        report.schema(join(at, "Next"), f"{label}: Next must be a string")


def _rule(
    machine: Machine,
    site: StateSite,
    rule: object,
    at: str,
    *,
    top: bool,
    depth: int,
    report: Report,
) -> None:
    label = f'State "{site.name}": choice rule at {at}'
    if not isinstance(rule, dict):
        report.schema(at, f"{label} must be an object, got {quote(rule)}")
        return
    if depth > _MAX_DEPTH:
        report.schema(at, f"{label} is nested more than {_MAX_DEPTH} rules deep")
        return
    operators = [k for k in rule if k in COMPARISONS or k in _COMBINATORS]
    allowed = {"Variable", "Comment", *operators}
    if top:
        allowed |= {"Next", "Assign"}
        if "Next" not in rule:
            report.schema(at, f"These fields are required: [Next] at {at}")
        elif not isinstance(rule["Next"], str):
            report.schema(join(at, "Next"), f"{label}: Next must be a string")
    for key in rule:
        if key not in allowed:
            if key == "Condition":
                message = f"{label}: Condition is only supported when QueryLanguage is JSONata"
            elif key == "Next":
                message = f"{label}: Next is only allowed in a top-level choice rule"
            else:
                message = f"{label}: the field '{key}' is not supported"
            report.schema(join(at, key), message)
    if len(operators) != 1:
        report.schema(
            at,
            f"{label} must have exactly one comparison operator or And/Or/Not, "
            f"found {len(operators)}" + (f" ({', '.join(operators)})" if operators else ""),
        )
    if not operators:
        return
    op = operators[0]
    value = rule[op]
    if op in _COMBINATORS:
        if "Variable" in rule:
            report.schema(join(at, "Variable"), f"{label}: Variable is not allowed with {op}")
        if op == "Not":
            _rule(machine, site, value, join(at, op), top=False, depth=depth + 1, report=report)
        elif not isinstance(value, list) or not value:
            report.schema(join(at, op), f"{label}: {op} must be a non-empty array of choice rules")
        else:
            for j, sub in enumerate(value):
                _rule(
                    machine, site, sub, join(at, op, j), top=False, depth=depth + 1, report=report
                )
        return
    if "Variable" not in rule:
        report.schema(at, f"These fields are required: [Variable] at {at}")
    else:
        variable = rule["Variable"]
        problem = (
            jsonpath_error(variable) if isinstance(variable, str) else "Variable must be a string"
        )
        if problem and not (machine.options.placeholders and has_placeholder(variable)):
            report.schema(join(at, "Variable"), f"{label}: Variable {quote(variable)}: {problem}")
    _operand(machine, op, value, join(at, op), label, report)


def _operand(machine: Machine, op: str, value: Any, at: str, label: str, report: Report) -> None:
    kind = COMPARISONS[op]
    if machine.options.placeholders and has_placeholder(value):
        return
    if kind == "path":
        problem = (
            jsonpath_error(value, reference=True) if isinstance(value, str) else "not a string"
        )
        if problem:
            report.schema(
                at, f"{label}: {op} must be a reference path, got {quote(value)}: {problem}"
            )
        return
    ok = {
        "string": isinstance(value, str),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "timestamp": is_timestamp(value),
    }[kind]
    if not ok:
        expected = "an RFC3339 timestamp" if kind == "timestamp" else f"a {kind}"
        report.schema(at, f"{label}: {op} must be {expected}, got {quote(value)}")
