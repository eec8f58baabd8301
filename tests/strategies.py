"""Hypothesis strategies for state machines built with the builder."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from phalanx import (
    DISCARD,
    Branch,
    Choice,
    Fail,
    Map,
    Parallel,
    Pass,
    State,
    StateMachine,
    Succeed,
    Task,
    Wait,
)
from phalanx.asl import conditions

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f"

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12
)
json_scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
json_objects = st.dictionaries(st.text(max_size=6), json_values, max_size=3)
paths = st.sampled_from(["$", "$.a", "$.a.b[0]", "$$.Execution.Id", "$var"])
optional_paths = st.none() | paths | st.just(DISCARD)


@st.composite
def comparisons(draw: st.DrawFn) -> Any:
    operator = draw(st.sampled_from(sorted(conditions.HELPERS)))
    return conditions.HELPERS[operator](draw(paths), draw(json_scalars))


expressions = st.recursive(
    comparisons(),
    lambda inner: (
        inner.map(lambda rule: ~rule)
        | st.tuples(inner, inner).map(lambda pair: pair[0] & pair[1])
        | st.tuples(inner, inner).map(lambda pair: pair[0] | pair[1])
    ),
    max_leaves=4,
)


def _state(draw: st.DrawFn, name: str, targets: list[str], depth: int, used: set[str]) -> State:
    kinds = ["pass", "task", "wait", "choice", "succeed", "fail"]
    if depth < 2:
        kinds += ["parallel", "map"]
    kind = draw(st.sampled_from(kinds))
    common: dict[str, Any] = {"comment": draw(st.none() | st.text(max_size=10))}
    if kind == "succeed":
        return Succeed(name, output_path=draw(optional_paths), **common)
    if kind == "fail":
        return Fail(name, error=draw(st.none() | st.text(max_size=6)), **common)
    if kind == "choice":
        choice = Choice(name, **common)
        for _ in range(draw(st.integers(1, 3))):
            choice = choice.when(draw(expressions), draw(st.sampled_from(targets)))
        if draw(st.booleans()):
            choice = choice.otherwise(draw(st.sampled_from(targets)))
        return choice
    state: Any
    if kind == "pass":
        state = Pass(name, result=draw(json_values), result_path=draw(optional_paths), **common)
    elif kind == "wait":
        state = Wait(name, seconds=draw(st.integers(0, 10**6)), **common)
    else:
        io = {"result_path": draw(optional_paths), "input_path": draw(optional_paths)}
        if kind == "task":
            state = Task(
                name,
                LAMBDA,
                timeout_seconds=draw(st.none() | st.integers(1, 99)),
                parameters=draw(st.none() | json_objects),
                **io,
                **common,
            )
        elif kind == "parallel":
            branch_count = draw(st.integers(1, 2))
            state = Parallel(
                name, [_branch(draw, depth + 1, used) for _ in range(branch_count)], **io, **common
            )
        else:
            state = Map(
                name,
                item_processor=_branch(draw, depth + 1, used),
                max_concurrency=draw(st.none() | st.integers(0, 40)),
                **io,
                **common,
            )
        if draw(st.booleans()):
            state = state.retrying(
                draw(st.lists(names, min_size=1, max_size=2)),
                max_attempts=draw(st.none() | st.integers(0, 5)),
            )
        if draw(st.booleans()):
            state = state.catching(
                ["States.ALL"], draw(st.sampled_from(targets)), result_path=draw(optional_paths)
            )
    return state.next(draw(st.sampled_from(targets))) if draw(st.booleans()) else state


def _states(draw: st.DrawFn, depth: int, used: set[str]) -> list[State]:
    """States with names unique across the whole machine (`used` spans all scopes)."""
    count = draw(st.integers(1, 4))
    candidates = st.lists(
        names.filter(lambda n: n not in used), min_size=count, max_size=count, unique=True
    )
    state_names = draw(candidates)
    used.update(state_names)
    return [_state(draw, name, state_names, depth, used) for name in state_names]


def _branch(draw: st.DrawFn, depth: int, used: set[str]) -> Branch:
    return Branch.of(*_states(draw, depth, used))


@st.composite
def machines(draw: st.DrawFn) -> StateMachine:
    """Random machines: every state type, nested up to two levels, random fields."""
    return StateMachine.of(*_states(draw, 0, set()))
