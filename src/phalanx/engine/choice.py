"""The Choice state: JSONPath rule trees and JSONata conditions.

Data-test semantics from the ASL specification: a comparison whose value has
the wrong type is false (not an error); `IsPresent` is the only test that
survives a missing `Variable`; `*Path` operators read the other operand from
the input too. Timestamps are RFC 3339 (`2016-03-14T01:59:00Z`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from phalanx.asl import And, BooleanExpression, Choice, Comparison, Not, Or
from phalanx.asl.fields import is_number
from phalanx.engine import io
from phalanx.engine.failures import Failure
from phalanx.engine.trail import DEFAULT, RULE, Taken
from phalanx.query import jsonata, jsonpath

if TYPE_CHECKING:  # run.py imports this module: only the type is needed here
    from phalanx.engine.run import StateRun

_MISSING = object()


def holds(
    rule: BooleanExpression,
    data: Any,
    *,
    context: Any = None,
    variables: Mapping[str, Any] | None = None,
) -> bool:
    """Is `rule` true for `data`? Raises `StatesError` for paths that cannot be read."""
    if isinstance(rule, And):
        return all(holds(r, data, context=context, variables=variables) for r in rule.rules)
    if isinstance(rule, Or):
        return any(holds(r, data, context=context, variables=variables) for r in rule.rules)
    if isinstance(rule, Not):
        return not holds(rule.rule, data, context=context, variables=variables)
    return _compare(rule, data, context, variables)


def _read(path: str, data: Any, context: Any, variables: Mapping[str, Any] | None) -> Any:
    return jsonpath.evaluate(path, data, context=context, variables=variables)


def _compare(
    rule: Comparison, data: Any, context: Any, variables: Mapping[str, Any] | None
) -> bool:
    operator = rule.operator
    if operator == "IsPresent":
        try:
            _read(rule.variable, data, context, variables)
            present = True
        except jsonpath.PathNotFound:
            present = False
        return present is bool(rule.value)
    value = _read(rule.variable, data, context, variables)
    expected = rule.value
    if operator.endswith("Path"):
        operator = operator[: -len("Path")]
        expected = _read(expected, data, context, variables)
    if operator.startswith("Is"):
        return _TYPE_TESTS[operator](value) is bool(expected)
    if operator == "StringMatches":
        return isinstance(value, str) and isinstance(expected, str) and _glob(expected, value)
    kind, relation = _split(operator)
    if kind == "String":
        if not (isinstance(value, str) and isinstance(expected, str)):
            return False
        return relation(value, expected)
    if kind == "Numeric":
        if not (is_number(value) and is_number(expected)):
            return False
        return relation(value, expected)
    if kind == "Boolean":
        if not (isinstance(value, bool) and isinstance(expected, bool)):
            return False
        return relation(value, expected)
    if kind == "Timestamp":
        left, right = parse_timestamp(value), parse_timestamp(expected)
        if left is None or right is None:
            return False
        return relation(left, right)
    return False


_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: bool(a == b),
    "LessThan": lambda a, b: bool(a < b),
    "GreaterThan": lambda a, b: bool(a > b),
    "LessThanEquals": lambda a, b: bool(a <= b),
    "GreaterThanEquals": lambda a, b: bool(a >= b),
}


def _split(operator: str) -> tuple[str, Callable[[Any, Any], bool]]:
    for kind in ("String", "Numeric", "Boolean", "Timestamp"):
        if operator.startswith(kind):
            return kind, _RELATIONS[operator[len(kind) :]]
    raise ValueError(f"unknown Choice operator {operator!r}")


_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


def parse_timestamp(value: Any) -> datetime.datetime | None:
    """An RFC 3339 timestamp as an aware datetime, or None when `value` is not one."""
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        micro = int((fraction or ".0")[1:7].ljust(6, "0"))
        if zone in ("Z", "z"):
            tz = datetime.UTC
        else:
            sign = 1 if zone[0] == "+" else -1
            offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
            tz = datetime.timezone(sign * offset)
        return datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
        )
    except ValueError:
        return None


_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "IsNull": lambda v: v is None,
    "IsNumeric": is_number,
    "IsString": lambda v: isinstance(v, str),
    "IsBoolean": lambda v: isinstance(v, bool),
    "IsTimestamp": lambda v: parse_timestamp(v) is not None,
}


def _glob(pattern: str, text: str) -> bool:
    """`StringMatches`: `*` matches any run of characters, `\\*` a literal star."""
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            parts.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "*" else re.escape(char))
        index += 1
    return re.fullmatch("".join(parts), text, flags=re.DOTALL) is not None


def choose_jsonpath(run: StateRun, state: Choice, value: Any) -> tuple[str | None, Any]:
    """Run a JSONPath Choice state: first rule that holds, else Default, else NoChoiceMatched."""
    matched = None
    for position, rule in enumerate(state.choices):
        condition = rule.condition
        if isinstance(condition, bool | str):
            continue
        if holds(condition, value, context=run.context, variables=run.variables):
            matched = rule
            _taken(run, state, position)
            break
    if matched is None and state.default is None:
        raise Failure("States.NoChoiceMatched", "No Matches!")
    if matched is None:
        _taken(run, state, None)
    assign = matched.assign if matched is not None and matched.assign is not None else None
    if assign is None:
        assign = state.assign
    assigned = io.assign_jsonpath(assign, value, run.scope)
    output = io.select(state.output_path, value, run.scope)
    target = matched.next_state if matched is not None else state.default
    return run.finish(target, output, assigned)


def choose_jsonata(run: StateRun, state: Choice) -> tuple[str | None, Any]:
    """Run a JSONata Choice state: the first `Condition` that is true."""
    matched = None
    for position, rule in enumerate(state.choices):
        condition = rule.condition
        if isinstance(condition, str):
            condition = run.jsonata_value(condition, "Condition")
        if not isinstance(condition, bool):
            raise jsonata.unexpected_type(str(rule.condition), "Condition", "boolean", condition)
        if condition:
            matched = rule
            _taken(run, state, position)
            break
    if matched is None and state.default is None:
        raise Failure("States.NoChoiceMatched", "No Matches!")
    if matched is None:
        _taken(run, state, None)
    source: Any = matched if matched is not None else state
    assigned = None
    if source.assign is not None:
        assigned = run.jsonata_value(dict(source.assign), "Assign")
    output = run.raw_input
    if source.output is not None:
        output = run.jsonata_value(source.output, "Output")
    target = matched.next_state if matched is not None else state.default
    return run.finish(target, output, assigned)


def _taken(run: StateRun, state: Choice, position: int | None) -> None:
    """Note the rule at `position` (None: the Default) for coverage (`engine/trail.py`)."""
    taken = (
        Taken(state.name, RULE, position) if position is not None else Taken(state.name, DEFAULT)
    )
    run.interpreter.trail.append(taken)
