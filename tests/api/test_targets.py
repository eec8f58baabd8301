"""StartExecution sees every change to machines, versions and aliases at once.

What a start resolves is kept between requests (api/targets.py); each test
starts once (so something is kept), changes it, and starts again.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import ROLE


def _pass(result: str) -> str:
    return json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": True}}}
    )


def _output(sfn: Any, target: str) -> str:
    arn = sfn.start_execution(stateMachineArn=target)["executionArn"]
    definition = json.loads(
        sfn.describe_state_machine_for_execution(executionArn=arn)["definition"]
    )
    result: str = definition["States"]["P"]["Result"]
    return result


def test_an_updated_definition_runs_from_the_next_start(sfn: Any, machine_name: str) -> None:
    arn = sfn.create_state_machine(name=machine_name, definition=_pass("one"), roleArn=ROLE)[
        "stateMachineArn"
    ]
    assert _output(sfn, arn) == "one"
    sfn.update_state_machine(stateMachineArn=arn, definition=_pass("two"))
    assert _output(sfn, arn) == "two"


def test_a_deleted_machine_cannot_start(sfn: Any, machine_name: str) -> None:
    arn = sfn.create_state_machine(name=machine_name, definition=_pass("one"), roleArn=ROLE)[
        "stateMachineArn"
    ]
    _output(sfn, arn)
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.start_execution(stateMachineArn=arn)


def test_a_version_deleted_or_published_is_seen_at_once(sfn: Any, machine_name: str) -> None:
    arn = sfn.create_state_machine(
        name=machine_name, definition=_pass("one"), roleArn=ROLE, publish=True
    )["stateMachineArn"]
    assert _output(sfn, f"{arn}:1") == "one"
    sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.start_execution(stateMachineArn=f"{arn}:1")
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.start_execution(stateMachineArn=f"{arn}:2")
    sfn.update_state_machine(stateMachineArn=arn, definition=_pass("two"), publish=True)
    assert _output(sfn, f"{arn}:2") == "two"


def test_an_alias_routed_elsewhere_runs_the_new_version(sfn: Any, machine_name: str) -> None:
    arn = sfn.create_state_machine(
        name=machine_name, definition=_pass("one"), roleArn=ROLE, publish=True
    )["stateMachineArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=_pass("two"), publish=True)
    alias = sfn.create_state_machine_alias(
        name="live", routingConfiguration=[{"stateMachineVersionArn": f"{arn}:1", "weight": 100}]
    )["stateMachineAliasArn"]
    assert _output(sfn, alias) == "one"
    sfn.update_state_machine_alias(
        stateMachineAliasArn=alias,
        routingConfiguration=[{"stateMachineVersionArn": f"{arn}:2", "weight": 100}],
    )
    assert _output(sfn, alias) == "two"
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.start_execution(stateMachineArn=alias)
