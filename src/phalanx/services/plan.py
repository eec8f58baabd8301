"""What a machine will call, read from its definition before anything runs.

`phalanx run --aws` prints this first, so nobody is surprised by a real
call: each integration (service and action, as the Task resource names
it) with the static resources its parameters name (a `TableName`, a
`QueueUrl`, a `StateMachineArn` written in the definition; values chosen
at run time by a path or an expression are shown as `(from the input)`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from phalanx.asl import StateMachine
from phalanx.asl.resources import ResourceKind, parse_resource
from phalanx.services.nested import machine_name

_RESOURCE_KEYS = (
    "Name",
    "Arn",
    "Url",
    "Bucket",
    "Id",
    "Queue",
    "Definition",
    "Cluster",
    "Endpoint",
)
"""Parameter names that name a resource end with one of these (TableName, QueueUrl ...)."""


@dataclasses.dataclass(frozen=True, slots=True)
class PlannedCall:
    """One integration a machine calls, and where."""

    state: str
    service: str
    action: str
    kind: str
    resources: tuple[str, ...]


def planned_calls(
    machine: StateMachine, machines: Mapping[str, StateMachine] | None = None
) -> list[PlannedCall]:
    """Every Task that calls a service, in definition order.

    A `states:startExecution` task naming one of `machines` (statically) is
    followed by that child's calls, their states shown as `Child/state`.
    """
    return _calls(machine, dict(machines or {}), "", set())


def _calls(
    machine: StateMachine, machines: dict[str, StateMachine], prefix: str, seen: set[str]
) -> list[PlannedCall]:
    calls = []
    for _, state in machine.walk():
        resource = getattr(state, "resource", None)
        if not isinstance(resource, str):
            continue
        parsed = parse_resource(resource, placeholders=True)
        if parsed.kind in (ResourceKind.UNKNOWN, ResourceKind.ACTIVITY):
            continue
        if parsed.kind is ResourceKind.LAMBDA:
            service, action = "lambda", f"function {parsed.name}"
        else:
            service, action = parsed.service, parsed.action + parsed.pattern
        fields = getattr(state, "parameters", None) or getattr(state, "arguments", None)
        call = PlannedCall(
            prefix + state.name, service, action, parsed.kind.value, tuple(_named(fields))
        )
        calls.append(call)
        child = (
            _child_name(fields)
            if (service, parsed.action) == ("states", "startExecution")
            else None
        )
        if child in machines and child not in seen:
            calls += _calls(machines[child], machines, f"{prefix}{child}/", seen | {child})
    return calls


def _child_name(fields: Any) -> str | None:
    """The machine a static `StateMachineArn` names."""
    arn = fields.get("StateMachineArn") if isinstance(fields, dict) else None
    return machine_name(arn) if isinstance(arn, str) else None


def _named(value: Any) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith(".$"):
                if key[:-2].endswith(_RESOURCE_KEYS):
                    found.append(f"{key[:-2]}=(from the input)")
            elif isinstance(item, str) and key.endswith(_RESOURCE_KEYS):
                shown = "(from the input)" if item.startswith("{%") else item
                found.append(f"{key}={shown}")
            else:
                found += _named(item)
    elif isinstance(value, list):
        for item in value:
            found += _named(item)
    return found


def plan_text(calls: list[PlannedCall]) -> list[str]:
    """The lines `phalanx run --aws` prints before the first call."""
    if not calls:
        return ["calls: none (no Task calls an AWS service)"]
    lines = ["calls (from the definition):"]
    for call in calls:
        where = f"  [{', '.join(call.resources)}]" if call.resources else ""
        lines.append(f"  {call.service}:{call.action} in {call.state}{where}")
    return lines
