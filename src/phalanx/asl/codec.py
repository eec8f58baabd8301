"""ASL JSON in and out, losslessly.

Reading walks each model dataclass's declared fields (`fields.asl_field`):
known keys are shape-checked and decoded, unknown ones kept in `extra`.
Writing is the same walk backwards, so `encode(decode(d)) == d` for every
definition the model can read. Errors name the JSON pointer of the problem.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from phalanx.asl import rules
from phalanx.asl.fields import (
    JSON,
    NULL,
    FieldSpec,
    Kind,
    check_kind,
    expect_array,
    expect_object,
    field_specs,
    pointer,
)
from phalanx.asl.handling import Catcher, Retrier
from phalanx.asl.machine import Branch, ResourceArn, StateMachine
from phalanx.asl.states import STATE_TYPES, State
from phalanx.errors import DefinitionError

if TYPE_CHECKING:
    from phalanx.functions import LambdaFunction

_OPERATORS = frozenset(rules.COMPARISON_OPERATORS)
_RULE_KEYS = ("Next", "Comment", "Assign", "Output")


@functools.cache
def _specs(cls: Any) -> tuple[FieldSpec, ...]:
    """The ASL fields of `cls` in writing order: Comment first, Next and End last."""
    rank = {"Comment": 0, "Next": 2, "End": 2}
    return tuple(sorted(field_specs(cls), key=lambda s: rank.get(s.key, 1)))


@functools.cache
def _specs_by_key(cls: Any) -> Mapping[str, FieldSpec]:
    return {spec.key: spec for spec in _specs(cls)}


# -- reading ---------------------------------------------------------------


def decode_machine(obj: JSON) -> StateMachine:
    """Read a whole definition."""
    document = expect_object(obj, "", "a state machine definition")
    machine: StateMachine = _decode(StateMachine, document, "")
    return machine


def _decode(cls: Any, obj: Mapping[str, JSON], location: str, **fixed: Any) -> Any:
    by_key = _specs_by_key(cls)
    kwargs: dict[str, Any] = dict(fixed)
    extra: dict[str, JSON] = {}
    for key, value in obj.items():
        spec = by_key.get(key)
        if spec is None:
            extra[key] = value
            continue
        kwargs[spec.attr] = _decode_value(spec, value, pointer(location, key))
    for spec in by_key.values():
        if spec.required and spec.key not in obj:
            raise DefinitionError(location, f"missing required field {spec.key!r}")
    return cls(**kwargs, extra=extra)


def _decode_value(spec: FieldSpec, value: JSON, location: str) -> Any:
    if spec.nested is not None:
        return _NESTED_DECODERS[spec.nested](value, location)
    if value is None and spec.kind in (Kind.PATH, Kind.ANY, Kind.OBJECT_OR_STRING):
        return NULL
    check_kind(spec.kind, value, location)
    if spec.kind is Kind.STRING_LIST:
        return tuple(value)
    return value


def _decode_states(value: JSON, location: str) -> dict[str, State]:
    table = expect_object(value, location, "States")
    return {name: _decode_state(name, obj, pointer(location, name)) for name, obj in table.items()}


def _decode_state(name: str, value: JSON, location: str) -> State:
    obj = expect_object(value, location, f"state {name!r}")
    if "Type" not in obj:
        raise DefinitionError(location, f"state {name!r} has no 'Type'")
    type_name = obj["Type"]
    cls = STATE_TYPES.get(type_name) if isinstance(type_name, str) else None
    if cls is None:
        known = ", ".join(STATE_TYPES)
        raise DefinitionError(
            pointer(location, "Type"),
            f"state {name!r} has unknown Type {type_name!r} (expected one of {known})",
        )
    fields = {key: item for key, item in obj.items() if key != "Type"}
    state: State = _decode(cls, fields, location, name=name)
    return state


def _decode_branch(value: JSON, location: str) -> Branch:
    branch: Branch = _decode(Branch, expect_object(value, location, "a branch"), location)
    return branch


def _decode_branches(value: JSON, location: str) -> tuple[Branch, ...]:
    items = expect_array(value, location, "Branches")
    return tuple(_decode_branch(item, pointer(location, i)) for i, item in enumerate(items))


def _decode_list(cls: type[Any], what: str) -> Callable[[JSON, str], tuple[Any, ...]]:
    def decode(value: JSON, location: str) -> tuple[Any, ...]:
        items = expect_array(value, location, what)
        return tuple(
            _decode(
                cls,
                expect_object(item, pointer(location, i), f"a {what} entry"),
                pointer(location, i),
            )
            for i, item in enumerate(items)
        )

    return decode


def _decode_rules(value: JSON, location: str) -> tuple[rules.ChoiceRule, ...]:
    items = expect_array(value, location, "Choices")
    return tuple(_decode_rule(item, pointer(location, i)) for i, item in enumerate(items))


def _decode_rule(value: JSON, location: str) -> rules.ChoiceRule:
    obj = expect_object(value, location, "a choice rule")
    rule_fields = {key: obj[key] for key in _RULE_KEYS if key in obj}
    rest = {key: item for key, item in obj.items() if key not in _RULE_KEYS}
    if "Condition" in rest:
        condition: rules.BooleanExpression | str | bool = rest.pop("Condition")
        extra = rest
    else:
        condition = _decode_expression(rest, location)
        extra = {}
    rule: rules.ChoiceRule = _decode(rules.ChoiceRule, rule_fields, location, condition=condition)
    if "Next" not in obj:
        raise DefinitionError(location, "choice rule has no 'Next'")
    return dataclasses.replace(rule, extra=extra) if extra else rule


def _decode_expression(obj: Mapping[str, JSON], location: str) -> rules.BooleanExpression:
    comment = obj.get("Comment")
    if comment is not None:
        check_kind(Kind.STRING, comment, pointer(location, "Comment"))
    if "And" in obj or "Or" in obj:
        key = "And" if "And" in obj else "Or"
        here = pointer(location, key)
        items = expect_array(obj[key], here, key)
        operands = tuple(
            _decode_expression(expect_object(item, pointer(here, i), "a rule"), pointer(here, i))
            for i, item in enumerate(items)
        )
        extra = _rest(obj, key)
        return (
            rules.And(operands, comment=comment, extra=extra)
            if key == "And"
            else rules.Or(operands, comment=comment, extra=extra)
        )
    if "Not" in obj:
        here = pointer(location, "Not")
        inner = _decode_expression(expect_object(obj["Not"], here, "Not"), here)
        return rules.Not(inner, comment=comment, extra=_rest(obj, "Not"))
    operator = next((key for key in obj if key in _OPERATORS), None)
    if operator is None:
        raise DefinitionError(
            location,
            "choice rule has no condition: expected 'Variable' with a comparison operator, "
            "'And', 'Or', 'Not' or (JSONata) 'Condition'",
        )
    if "Variable" not in obj:
        raise DefinitionError(location, f"comparison {operator!r} has no 'Variable'")
    variable = obj["Variable"]
    check_kind(Kind.STRING, variable, pointer(location, "Variable"))
    return rules.Comparison(
        variable,
        operator,
        obj[operator],
        comment=comment,
        extra=_rest(obj, "Variable", operator),
    )


def _rest(obj: Mapping[str, JSON], *used: str) -> dict[str, JSON]:
    return {key: item for key, item in obj.items() if key not in used and key != "Comment"}


_NESTED_DECODERS: Mapping[str, Callable[[JSON, str], Any]] = {
    "states": _decode_states,
    "branch": _decode_branch,
    "branches": _decode_branches,
    "rules": _decode_rules,
    "retriers": _decode_list(Retrier, "Retry"),
    "catchers": _decode_list(Catcher, "Catch"),
}


# -- writing ---------------------------------------------------------------


def default_resource_arn(function: LambdaFunction) -> str:
    """A function's ARN in the default region and account."""
    return function.arn()


def encode_machine(machine: StateMachine, resource_arn: ResourceArn | None) -> dict[str, JSON]:
    """Write a whole definition."""
    return _encode(machine, resource_arn or default_resource_arn)


def _encode(obj: Any, resource_arn: ResourceArn) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    if isinstance(obj, State):
        out["Type"] = obj.type_name
    for spec in _specs(obj.__class__):
        value = getattr(obj, spec.attr)
        if value is None:
            continue
        out[spec.key] = _encode_value(spec, value, resource_arn)
    out.update(obj.extra)
    return out


def _encode_value(spec: FieldSpec, value: Any, resource_arn: ResourceArn) -> JSON:
    if value is NULL:
        return None
    if spec.nested == "states":
        return {name: _encode(state, resource_arn) for name, state in value.items()}
    if spec.nested == "branch":
        return _encode(value, resource_arn)
    if spec.nested == "rules":
        return [_encode_rule(rule, resource_arn) for rule in value]
    if spec.nested is not None:
        return [_encode(item, resource_arn) for item in value]
    if spec.kind is Kind.STRING_LIST:
        return list(value)
    if spec.key == "Resource" and not isinstance(value, str):
        return resource_arn(value)
    return value


def _encode_rule(rule: rules.ChoiceRule, resource_arn: ResourceArn) -> dict[str, JSON]:
    if isinstance(rule.condition, rules.Comparison | rules.And | rules.Or | rules.Not):
        out = _encode_expression(rule.condition)
    else:
        out = {"Condition": rule.condition}
    out.update(_encode(rule, resource_arn))
    return out


def _encode_expression(expression: rules.BooleanExpression) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    if isinstance(expression, rules.Comparison):
        out["Variable"] = expression.variable
        out[expression.operator] = expression.value
    elif isinstance(expression, rules.And):
        out["And"] = [_encode_expression(rule) for rule in expression.rules]
    elif isinstance(expression, rules.Or):
        out["Or"] = [_encode_expression(rule) for rule in expression.rules]
    else:
        out["Not"] = _encode_expression(expression.rule)
    if expression.comment is not None:
        out["Comment"] = expression.comment
    out.update(expression.extra)
    return out
