"""A machine's deployment options: declared in Python, checked at once, never in its ASL."""

from __future__ import annotations

from typing import Any

import pytest

from phalanx import Logging, MachineOptionError, Pass, StateMachine
from phalanx.asl import deployment
from phalanx.validation import core


def _machine(**options: Any) -> StateMachine:
    return StateMachine.of(Pass("start"), name="Orders", **options)


def test_options_are_kept_on_the_machine() -> None:
    logging = Logging(level="ERROR", include_execution_data=True)
    machine = _machine(type="EXPRESS", logging=logging, tracing=True, tags={"team": "orders"})
    assert machine.type == "EXPRESS"
    assert machine.logging == logging
    assert machine.tracing is True
    assert machine.tags == {"team": "orders"}


def test_options_stay_out_of_the_asl_and_its_round_trip() -> None:
    plain = _machine()
    deployed = _machine(
        type="EXPRESS", logging=Logging(), tracing=True, tags={"team": "orders", "cost": "42"}
    )
    assert deployed.to_asl() == plain.to_asl()
    assert StateMachine.from_asl(deployed.to_asl()) == StateMachine.from_asl(plain.to_asl())


def test_a_machine_declares_nothing_by_default() -> None:
    machine = _machine()
    assert (machine.type, machine.logging, machine.tracing, machine.tags) == (None, None, False, {})


def test_logging_defaults_to_every_event_without_execution_data() -> None:
    assert Logging() == Logging(level="ALL", include_execution_data=False)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            {"type": "express"},
            "state machine option type='express': expected STANDARD or EXPRESS",
            id="type-lowercase",
        ),
        pytest.param(
            {"type": "FAST"},
            "state machine option type='FAST': expected STANDARD or EXPRESS",
            id="type-unknown",
        ),
        pytest.param(
            {"logging": "ALL"},
            "state machine option logging='ALL': expected a phalanx.Logging(...)",
            id="logging-not-logging",
        ),
        pytest.param(
            {"tracing": "yes"},
            "state machine option tracing='yes': expected True or False",
            id="tracing-not-bool",
        ),
        pytest.param(
            {"tags": ["team"]},
            "state machine option tags=['team']: expected a dict of strings",
            id="tags-not-dict",
        ),
        pytest.param(
            {"tags": {"team": 7}},
            "state machine option tags={'team': 7}: expected strings",
            id="tag-value-not-string",
        ),
        pytest.param(
            {"tags": {"": "x"}},
            "state machine option tags={'': 'x'}: expected keys of 1 to 128 characters",
            id="tag-key-empty",
        ),
        pytest.param(
            {"tags": {"k" * 129: "x"}},
            "expected keys of 1 to 128 characters",
            id="tag-key-too-long",
        ),
        pytest.param(
            {"tags": {"team": "v" * 257}},
            "expected values of at most 256 characters",
            id="tag-value-too-long",
        ),
        pytest.param(
            {"tags": {"team": "a;b"}},
            "state machine option tags={'team': 'a;b'}: "
            "expected only letters, digits, whitespace and _ . : / = + - @",
            id="tag-value-bad-character",
        ),
        pytest.param(
            {"tags": {"AWS:team": "x"}},
            "state machine option tags={'AWS:team': 'x'}: expected no aws: prefix",
            id="tag-key-reserved-prefix",
        ),
        pytest.param(
            {"tags": {"team": "aws:orders"}},
            "expected no aws: prefix",
            id="tag-value-reserved-prefix",
        ),
        pytest.param(
            {"tags": {f"k{i}": "v" for i in range(51)}},
            "expected at most 50 tags, not 51",
            id="too-many-tags",
        ),
    ],
)
def test_bad_options_are_refused_naming_the_option_and_value(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(MachineOptionError) as raised:
        _machine(**options)
    assert message in str(raised.value)


def test_bad_options_are_refused_by_the_constructor_too() -> None:
    with pytest.raises(MachineOptionError, match="type='FAST'"):
        StateMachine(start_at="a", states={"a": Pass("a", end=True)}, type="FAST")


def test_the_tag_limits_allow_what_aws_allows() -> None:
    tags = {f"k{i}": "v" for i in range(48)}
    tags["ключ é_.:/=+-@ 1"] = ""
    tags["k" * 128] = "v" * 256
    assert _machine(tags=tags).tags == tags


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            {"level": "DEBUG"},
            "state machine option logging.level='DEBUG': expected one of ALL, ERROR, FATAL, OFF",
            id="level",
        ),
        pytest.param(
            {"include_execution_data": "yes"},
            "state machine option logging.include_execution_data='yes': expected True or False",
            id="include-execution-data",
        ),
    ],
)
def test_bad_logging_is_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(MachineOptionError) as raised:
        Logging(**options)
    assert str(raised.value) == message


def test_a_long_bad_value_is_shortened_in_the_message() -> None:
    with pytest.raises(MachineOptionError) as raised:
        _machine(tags={"team": "v" * 300})
    assert len(str(raised.value)) < 200


def test_the_validator_knows_the_same_machine_types() -> None:
    assert core.MACHINE_TYPES == deployment.MACHINE_TYPES
