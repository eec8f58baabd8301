"""The engine's state-type table covers every state type of the model."""

from __future__ import annotations

import pytest

from phalanx.asl import STATE_TYPES, Branch, Map, Parallel, Pass, Task
from phalanx.engine.run import STATE_KINDS, DataFields, kind_of


@pytest.mark.parametrize("name", list(STATE_TYPES))
def test_every_model_state_type_has_an_entry(name: str) -> None:
    cls = STATE_TYPES[name]
    assert cls in STATE_KINDS
    runs_itself = STATE_KINDS[cls].run is not None
    assert runs_itself == (cls not in (Task, Parallel, Map))  # those go through fallible()


def test_a_fallible_states_data_fields_are_read_typed() -> None:
    task = Task(
        "T",
        "arn:aws:lambda:us-east-1:123456789012:function:f",
        input_path="$.in",
        parameters={"a": 1},
        result_selector={"b.$": "$.c"},
        result_path="$.r",
        output_path="$.o",
    ).next("Then")
    assert kind_of(task).fields(task) == DataFields(
        input_path="$.in",
        parameters={"a": 1},
        result_selector={"b.$": "$.c"},
        result_path="$.r",
        output_path="$.o",
        next_state="Then",
    )


def test_an_ending_state_has_no_next_state() -> None:
    state = Map("M", item_processor=Branch.of(Pass("I"))).next("Then").ends()
    assert kind_of(state).fields(state).next_state is None
