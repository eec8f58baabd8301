"""Transitions, per scope: every target exists, every state is reachable, something ends.

A target (`StartAt`, `Next`, `Default`, a choice rule's or catcher's `Next`)
resolves only inside its own scope: a Parallel branch cannot jump to a state
of the machine around it. AWS answers a dangling target with
`MISSING_TRANSITION_TARGET`, a scope without a terminal state with
`MISSING_END_STATE`, and refuses states that nothing reaches.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from phalanx.validation.diagnostics import Report, join, quote
from phalanx.validation.scopes import Machine, Scope

Field = tuple[str | int, ...]


def targets(state: dict[str, Any]) -> Iterator[tuple[str, Field]]:
    """Every (target name, path of the field naming it, relative to the state) of one state."""
    nxt = state.get("Next")
    if isinstance(nxt, str):
        yield nxt, ("Next",)
    default = state.get("Default")
    if isinstance(default, str) and state.get("Type") == "Choice":
        yield default, ("Default",)
    for key in ("Choices", "Catch"):
        items = state.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("Next"), str):
                    yield item["Next"], (key, i, "Next")


def is_terminal(state: dict[str, Any]) -> bool:
    return state.get("Type") in ("Succeed", "Fail") or (
        state.get("End") is True and "Next" not in state
    )


def check(machine: Machine, report: Report) -> None:
    for scope in machine.scopes:
        _check_scope(scope, report)


def _check_scope(scope: Scope, report: Report) -> None:
    states = scope.states
    if not states:
        return
    start = scope.body.get("StartAt")
    where = scope.pointer or "/"
    if isinstance(start, str) and start not in states:
        report.error(
            "MISSING_TRANSITION_TARGET",
            join(scope.pointer, "StartAt"),
            f"Missing 'Next' target: StartAt {quote(start)} is not a state at {where}",
        )
    edges: dict[str, list[str]] = {}
    for name, state in states.items():
        if not isinstance(state, dict):
            edges[name] = []
            continue
        found = edges[name] = []
        for target, field in targets(state):
            if target in states:
                found.append(target)
            else:
                report.error(
                    "MISSING_TRANSITION_TARGET",
                    join(scope.pointer, "States", name, *field),
                    f"State \"{name}\": Missing 'Next' target: {quote(target)} is not a state "
                    f"in this scope",
                )
    if not any(isinstance(s, dict) and is_terminal(s) for s in states.values()):
        report.error(
            "MISSING_END_STATE",
            join(scope.pointer, "States"),
            f'Workflow has no terminal state at {where}: no state has "End": true '
            "and there is no Succeed or Fail state",
        )
    if not isinstance(start, str) or start not in states:
        return
    seen = {start}
    todo = [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    for name in states:
        if name not in seen:
            report.schema(
                join(scope.pointer, "States", name),
                f'State "{name}" is not reachable from StartAt {quote(start)}',
            )
    # A reachable part that can never end (every path loops) is a missing end too.
    reachable_end = any(isinstance(states[n], dict) and is_terminal(states[n]) for n in seen)
    if not reachable_end and any(isinstance(s, dict) and is_terminal(s) for s in states.values()):
        report.error(
            "MISSING_END_STATE",
            join(scope.pointer, "StartAt"),
            f"No terminal state can be reached from StartAt {quote(start)} at {where}",
        )
