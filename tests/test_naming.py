"""`user_scoped_name` gives per-user names CloudFormation accepts."""

from __future__ import annotations

import re

import pytest

from phalanx import user_scoped_name

STACK_NAME = re.compile(r"^[A-Za-z][-A-Za-z0-9]{0,127}$")


@pytest.mark.parametrize(
    ("base", "user", "expected"),
    [
        pytest.param("roll-die", "alice", "roll-die-alice", id="plain"),
        pytest.param("RollDie", "bob.smith@corp", "RollDie-bob-smith-corp", id="user-with-dots"),
        pytest.param("my_stack", "carol", "my-stack-carol", id="underscore"),
        pytest.param("1st", "dan", "phalanx-1st-dan", id="must-start-with-letter"),
        pytest.param("a", "", "a", id="no-user"),
    ],
)
def test_user_scoped_name(base: str, user: str, expected: str) -> None:
    assert user_scoped_name(base, user) == expected


def test_default_user_gives_a_valid_stack_name() -> None:
    assert STACK_NAME.match(user_scoped_name("roll-die"))


def test_long_names_are_cut_to_128_characters() -> None:
    name = user_scoped_name("x" * 200, "u")
    assert len(name) == 128 and STACK_NAME.match(name)


def test_long_base_names_keep_the_user_part() -> None:
    first, second = user_scoped_name("x" * 200, "alice"), user_scoped_name("x" * 200, "bob")
    assert first != second and first.endswith("-alice") and len(first) == 128
