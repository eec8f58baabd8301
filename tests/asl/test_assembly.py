"""The builder finds a scope's states from its first one, and refuses ambiguous names."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest

from phalanx import (
    Branch,
    Choice,
    DefinitionError,
    Fail,
    Map,
    Parallel,
    Pass,
    StateMachine,
    Succeed,
    Task,
    Wait,
)
from phalanx.asl.conditions import is_present, numeric_greater_than, string_equals
from phalanx.paths import display_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f"


def _here(state: Any) -> str:
    """Where `state` was built, as messages show it: relative to the working directory."""
    return f"{display_path(__file__)}:{state.defined_at.line}"


def test_roll_die_given_by_its_first_state_equals_the_listed_example() -> None:
    listed = runpy.run_path(str(EXAMPLES / "roll_die.py"))["machine"]
    roll = Task("lambdaRollDie", listed.states["lambdaRollDie"].resource)
    try_again = Wait("tryAgainShortly", seconds=3).next(roll)
    check = (
        Choice("checkRoll")
        .when(~numeric_greater_than("$.roll", 3), try_again)
        .otherwise(Succeed("success"))
    )
    first_only = StateMachine.of(roll.next(check), name="RollDie")
    assert first_only == listed
    assert first_only.to_json() == listed.to_json()


def _every_state_type(linked: bool) -> StateMachine:
    """One machine with every state type, Retry and Catch: by its first state or listed.

    `linked` passes State objects to the builder's methods and gives only the
    first state; otherwise every target is a name and every state is listed.
    """

    def to(state: Any) -> Any:
        return state if linked else state.name

    done = Succeed("done")
    failed = Fail("failed", error="Bad", cause="it failed")
    each = Map(
        "each",
        item_processor=Branch.of(Pass("double").next(Pass("keep"))),
        items_path="$.items",
        result_path="$.each",
    ).next(to(done))
    both = (
        Parallel("both", [Branch.of(Wait("nap", seconds=1)), Branch.of(Pass("other"))])
        .retrying("States.ALL", max_attempts=2)
        .catching("States.ALL", to(failed), result_path="$.error")
        .next(to(each))
    )
    route = (
        Choice("route")
        .when(is_present("$.skip") & string_equals("$.skip", "yes"), to(done))
        .when(~numeric_greater_than("$.n", 0), to(failed))
        .otherwise(to(both))
    )
    work = (
        Task("work", LAMBDA, result_path="$.work")
        .retrying(["Lambda.ServiceException"], interval_seconds=2)
        .catching("States.Timeout", to(failed))
        .next(to(route))
    )
    start = Pass("start", result={"n": 1}, result_path="$.seed").next(to(work))
    if linked:
        return StateMachine.of(start, name="Every")
    return StateMachine.of(start, work, route, both, each, done, failed, name="Every")


def test_machine_given_by_its_first_state_equals_the_listed_machine() -> None:
    first_only = _every_state_type(linked=True)
    listed = _every_state_type(linked=False)
    assert first_only == listed
    assert set(first_only.states) == {"start", "work", "route", "both", "each", "done", "failed"}
    assert first_only.validate().result == "OK"


def test_listing_the_reachable_states_again_gives_the_same_machine() -> None:
    first_only = _every_state_type(linked=True)
    relisted = StateMachine.of(*first_only.states.values(), name="Every")
    assert relisted == first_only
    assert relisted.to_json() == first_only.to_json()


def test_a_branch_finds_its_states_from_its_first_one() -> None:
    branch = Branch.of(Pass("a").next(Wait("b", seconds=1).next(Succeed("c"))))
    assert list(branch.states) == ["a", "b", "c"]
    assert branch == Branch.of(Pass("a").next("b"), Wait("b", seconds=1).next("c"), Succeed("c"))


def test_a_loop_back_to_an_earlier_stage_keeps_the_fullest_definition() -> None:
    ping = Pass("ping")
    pong = Wait("pong", seconds=1).next(ping)
    machine = StateMachine.of(ping.next(pong))
    assert machine.to_asl()["States"] == {
        "ping": {"Type": "Pass", "Next": "pong"},
        "pong": {"Type": "Wait", "Seconds": 1, "Next": "ping"},
    }


def test_a_stage_met_first_gives_way_to_the_fuller_one() -> None:
    check = Choice("check").when(is_present("$.a"), Succeed("yes"))
    fuller = check.otherwise(Fail("no"))
    machine = StateMachine.of(Pass("start").next(check), fuller, start_at="start")
    assert machine.states["check"] == fuller
    assert set(machine.states) == {"start", "check", "yes", "no"}


def test_two_different_states_with_one_name_are_refused_naming_both_places() -> None:
    one = Pass("x", result=1)
    other = Pass("x", result=2)
    choice = Choice("c").when(is_present("$.a"), one).otherwise(other)
    with pytest.raises(DefinitionError, match="two different states are named 'x'") as raised:
        StateMachine.of(choice)
    assert _here(one) in str(raised.value) and _here(other) in str(raised.value)
    assert "differ in Result" in str(raised.value)
    assert raised.value.location == "/States/x"


def test_one_state_given_two_different_next_states_is_refused() -> None:
    a = Pass("a")
    choice = Choice("c").when(is_present("$.x"), a.next(Succeed("s1"))).otherwise(a.next("c"))
    with pytest.raises(DefinitionError, match="differ in Next"):
        StateMachine.of(choice)


def test_equal_states_built_in_two_places_are_one_state() -> None:
    choice = Choice("c").when(is_present("$.a"), Succeed("done")).otherwise(Succeed("done"))
    assert list(StateMachine.of(choice).states) == ["c", "done"]


def test_listed_states_with_one_name_are_refused_naming_both_places() -> None:
    one, other = Pass("a"), Pass("a")
    with pytest.raises(DefinitionError, match="two states are named 'a'") as raised:
        StateMachine.of(one, other)
    assert _here(one) in str(raised.value) and _here(other) in str(raised.value)


@pytest.mark.parametrize(
    ("build", "location", "field"),
    [
        pytest.param(
            lambda: StateMachine.of(Pass("a").next("OrderRejected")),
            "/States/a/Next",
            "Next",
            id="next",
        ),
        pytest.param(
            lambda: StateMachine.of(Choice("a").when(is_present("$.x"), "OrderRejected")),
            "/States/a/Choices/0/Next",
            "Choices[0].Next",
            id="choice-rule",
        ),
        pytest.param(
            lambda: StateMachine.of(Choice("a").otherwise("OrderRejected")),
            "/States/a/Default",
            "Default",
            id="default",
        ),
        pytest.param(
            lambda: StateMachine.of(Task("a", LAMBDA).catching("States.ALL", "OrderRejected")),
            "/States/a/Catch/0/Next",
            "Catch[0].Next",
            id="catch",
        ),
    ],
)
def test_missing_target_says_how_to_add_it(build: Any, location: str, field: str) -> None:
    with pytest.raises(DefinitionError) as raised:
        build()
    assert raised.value.location == location
    assert raised.value.message.startswith(f'State "a" (built at {display_path(__file__)}:')
    assert raised.value.message.endswith(
        f'{field}: "OrderRejected" is not a state in this scope: pass the state object to '
        ".next()/.when()/.otherwise()/.catching(), or list it in StateMachine.of(...)"
    )


def test_missing_target_in_a_branch_names_branch_of() -> None:
    with pytest.raises(DefinitionError, match=r"list it in Branch\.of\(\.\.\.\)"):
        Branch.of(Pass("a").next("elsewhere"))


def test_a_replaced_target_is_not_followed() -> None:
    machine = StateMachine.of(Pass("a").next(Pass("old")).next(Succeed("new")))
    assert list(machine.states) == ["a", "new"]


def test_targets_are_written_by_name_and_compare_by_name() -> None:
    b = Pass("b")
    assert Pass("a").next(b) == Pass("a").next("b")
    assert Pass("a").next(b).next_state == "b"
