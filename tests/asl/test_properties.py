"""Property: any machine the builder makes survives to_asl -> from_asl -> to_asl."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from phalanx import StateMachine
from tests.strategies import machines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(machines())
def test_built_machine_survives_json_round_trip(machine: StateMachine) -> None:
    asl = machine.to_asl()
    text = json.dumps(asl)
    again = StateMachine.from_asl(text)
    assert again.to_asl() == asl
    assert again == StateMachine.from_asl(asl)
