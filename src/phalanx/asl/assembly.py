"""How the builder turns the states it is given into one scope's `States` table.

`StateMachine.of(first)` needs only the first state: every state reachable
from it through `.next()`, `.when()`, `.otherwise()` and `.catching()` is
found through the State objects those methods keep (`State.linked`). Each
Parallel branch and Map item processor is its own scope, built by `Branch.of`.

Builder values are immutable, so one state is often met in several stages:
`try_again.next(roll)` keeps the bare `roll`, while the machine lists
`roll.next(check)`. A stage is the same state with fewer transitions (no
`Next` yet, a prefix of the `Choices`, `Retry` or `Catch`); the fullest
stage wins. Two definitions that are not stages of one another are refused,
naming where each was built.
"""

from __future__ import annotations

import dataclasses
import re
from collections import deque
from collections.abc import Iterator

from phalanx.asl.fields import pointer
from phalanx.asl.states import Choice, State, _Chainable, _Fallible, target_name
from phalanx.errors import DefinitionError

# Fields the builder's methods fill in or extend; every other field of two
# stages of one state must be equal.
_GROWN_BY_BUILDER = frozenset({"next_state", "end", "default", "choices", "retry", "catch"})


def transitions(state: State) -> Iterator[tuple[str, str]]:
    """`(field, target)` for every transition of `state`, e.g. `("Choices/0/Next", "b")`."""
    if isinstance(state, Choice):
        for index, rule in enumerate(state.choices):
            yield f"Choices/{index}/Next", rule.next_state
        if state.default is not None:
            yield "Default", state.default
    if isinstance(state, _Chainable) and state.next_state is not None:
        yield "Next", state.next_state
    if isinstance(state, _Fallible):
        for index, catcher in enumerate(state.catch or ()):
            yield f"Catch/{index}/Next", catcher.next_state


def assemble(
    states: tuple[State, ...], start_at: str | State | None, what: str
) -> tuple[str, dict[str, State]]:
    """The start's name and the scope's states by name, each open state ended.

    `what` names the builder in messages: `"StateMachine.of"` or `"Branch.of"`.
    """
    if not states:
        raise DefinitionError("/States", f"{what}(...) needs at least one state")
    table = _listed(states)
    _add_reachable(states, table)
    start = states[0].name if start_at is None else target_name(start_at)
    if start not in table:
        raise DefinitionError("/StartAt", f"start state {start!r} is not one of the states")
    _check_targets(table, what)
    return start, {name: _ended(state) for name, state in table.items()}


def _listed(states: tuple[State, ...]) -> dict[str, State]:
    table: dict[str, State] = {}
    for state in states:
        if state.name in table:
            raise DefinitionError(
                pointer("/States", state.name),
                f"two states are named {state.name!r} "
                f"({_places(table[state.name], state)}); state names must be unique",
            )
        table[state.name] = state
    return table


def _add_reachable(states: tuple[State, ...], table: dict[str, State]) -> None:
    """Add every state reachable through kept target objects; keep the fullest stage."""
    seen = {id(state) for state in states}
    todo = deque(states)
    while todo:
        state = todo.popleft()
        for _, name in transitions(state):
            for target in state.linked:
                if target.name != name or id(target) in seen:
                    continue
                seen.add(id(target))
                known = table.get(name)
                table[name] = target if known is None else _fuller(known, target)
                todo.append(target)


def _fuller(one: State, other: State) -> State:
    if _is_stage_of(other, one):
        return one
    if _is_stage_of(one, other):
        return other
    differing = ", ".join(_differences(one, other)) or "their type"
    raise DefinitionError(
        pointer("/States", one.name),
        f"two different states are named {one.name!r} ({_places(one, other)}; they differ "
        f"in {differing}); give one another name, or build one from the other",
    )


def _is_stage_of(early: State, late: State) -> bool:
    """Whether `late` is `early` with transitions added by the builder's methods."""
    if type(early) is not type(late):
        return False
    for field in dataclasses.fields(early):
        if not field.compare:
            continue
        before, after = getattr(early, field.name), getattr(late, field.name)
        if before == after or (field.name in _GROWN_BY_BUILDER and before is None):
            continue
        grown = (
            field.name in _GROWN_BY_BUILDER
            and isinstance(before, tuple)
            and isinstance(after, tuple)
            and after[: len(before)] == before
        )
        if not grown:
            return False
    return True


def _differences(one: State, other: State) -> list[str]:
    if type(one) is not type(other):
        return []
    return [
        field.metadata.get("asl", field.name)
        for field in dataclasses.fields(one)
        if field.compare and getattr(one, field.name) != getattr(other, field.name)
    ]


def _places(one: State, other: State) -> str:
    return f"built at {_place(one)} and at {_place(other)}"


def _place(state: State) -> str:
    return str(state.defined_at) if state.defined_at is not None else "an unknown place"


def _check_targets(table: dict[str, State], what: str) -> None:
    for name, state in table.items():
        for field, target in transitions(state):
            if target in table:
                continue
            where = f" (built at {state.defined_at})" if state.defined_at else ""
            shown = re.sub(r"/(\d+)/", r"[\1].", field)
            raise DefinitionError(
                f"{pointer('/States', name)}/{field}",
                f'State "{name}"{where}: {shown}: "{target}" is not a state in this scope: '
                "pass the state object to .next()/.when()/.otherwise()/.catching(), "
                f"or list it in {what}(...)",
            )


def _ended(state: State) -> State:
    """`state` with `"End": true` when it has neither `Next` nor `End`."""
    if isinstance(state, _Chainable) and state.next_state is None and state.end is None:
        return dataclasses.replace(state, end=True)
    return state
