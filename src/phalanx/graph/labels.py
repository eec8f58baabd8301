"""The words drawn on a graph: Choice rules, Catch errors, Retry badges, Task resources.

A reader of the drawing should see what the JSON says without opening it, as
the AWS console's graph view shows it: `NOT $.roll > 3` on a Choice edge,
`States.ALL` on a Catch edge, `retry ×3 States.ALL` on the state. Long texts
are shortened with an ellipsis so one label cannot stretch the whole layout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from phalanx.asl import And, BooleanExpression, Comparison, Not, Or, Retrier
from phalanx.asl.dynamic import is_jsonata
from phalanx.asl.states import State, Task
from phalanx.engine.task import parse_resource

MAX_LABEL = 48
"""Characters kept of an edge label or badge before it is shortened."""

MAX_NAME = 80
"""AWS's limit on a state name; longer (invalid) names are shortened."""

# Comparison operators as the symbols a reader expects, by the name without
# its type prefix and `Path` suffix: NumericGreaterThanEquals -> ">=".
_SYMBOLS = {
    "Equals": "==",
    "LessThan": "<",
    "GreaterThan": ">",
    "LessThanEquals": "<=",
    "GreaterThanEquals": ">=",
    "Matches": "matches",
}
_TYPE_TESTS = {
    "IsNull": "null",
    "IsPresent": "present",
    "IsNumeric": "numeric",
    "IsString": "a string",
    "IsBoolean": "a boolean",
    "IsTimestamp": "a timestamp",
}
_OPERATOR = re.compile(r"^(String|Numeric|Boolean|Timestamp)(\w+?)(Path)?$")


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def condition_text(condition: BooleanExpression | str | bool) -> str:
    """A Choice rule's condition as a reader writes it: `NOT $.roll > 3`.

    JSONata conditions are shown as their expression without `{% %}`.
    """
    if isinstance(condition, bool):
        return "true" if condition else "false"
    if isinstance(condition, str):
        text = condition.strip()
        if is_jsonata(text):
            text = text[2:-2].strip()
        return shorten(text)
    return shorten(_expression(condition, top=True))


def _expression(rule: BooleanExpression, *, top: bool = False) -> str:
    if isinstance(rule, Comparison):
        return _comparison(rule)
    if isinstance(rule, Not):
        inner = _expression(rule.rule)
        return f"NOT {inner}"
    joiner = " AND " if isinstance(rule, And) else " OR "
    assert isinstance(rule, And | Or)
    text = joiner.join(_expression(part) for part in rule.rules)
    return text if top else f"({text})"


def _comparison(rule: Comparison) -> str:
    test = _TYPE_TESTS.get(rule.operator)
    if test is not None:
        negation = "" if rule.value is True else "not "
        return f"{rule.variable} is {negation}{test}"
    match = _OPERATOR.match(rule.operator)
    symbol = _SYMBOLS.get(match.group(2), rule.operator) if match else rule.operator
    is_path = bool(match and match.group(3))
    value = str(rule.value) if is_path else json.dumps(rule.value, ensure_ascii=False)
    return f"{rule.variable} {symbol} {value}"


def errors_text(errors: Sequence[str]) -> str:
    """The `ErrorEquals` of a Catch or Retry entry, shortened: `States.Timeout, Lambda.Unknown`."""
    return shorten(", ".join(errors))


def retry_badge(retrier: Retrier) -> str:
    """`retry ×3 States.ALL`: attempts (AWS's default is 3) and the errors retried."""
    attempts = 3 if retrier.max_attempts is None else retrier.max_attempts
    if isinstance(attempts, float) and attempts.is_integer():
        attempts = int(attempts)
    return shorten(f"retry ×{attempts} {', '.join(retrier.error_equals)}")


def subtitle(state: State) -> str:
    """The line under a state's name: its type, and for a Task what it calls.

    `Task · lambda roll_die`, `Task · dynamodb:putItem`, `Task · lambda:invoke`.
    """
    if not isinstance(state, Task):
        return state.type_name
    if isinstance(state.resource, str) and is_jsonata(state.resource):
        return "Task"
    resource = parse_resource(state.resource)
    if resource.kind == "function":
        name = (resource.function or "").rsplit(":function:", 1)[-1]
        return shorten(f"Task · lambda {name}")
    action = f"{resource.service}:{resource.action}"
    if resource.pattern:
        action += f".{resource.pattern}"
    return shorten(f"Task · {action}")


def state_name(name: str) -> str:
    """A state's name as drawn: on one line, whole unless longer than AWS allows."""
    flat = "".join(" " if char.isspace() else char for char in name)
    return flat if len(flat) <= MAX_NAME else flat[: MAX_NAME - 1] + "…"
