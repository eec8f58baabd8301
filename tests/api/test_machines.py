"""State machines through boto3: create, describe, list, update, delete, and their errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import PASS, ROLE, client
from tests.api.server import RunningServer

BROKEN = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})


def _create(sfn: Any, name: str, definition: str = PASS, **options: Any) -> dict[str, Any]:
    response: dict[str, Any] = sfn.create_state_machine(
        name=name, definition=definition, roleArn=ROLE, **options
    )
    return response


def test_a_created_machine_is_described_as_sent(sfn: Any, machine_name: str) -> None:
    definition = '{"StartAt":"A",   "States":{"A":{"Type":"Pass","End":true}}}'
    created = _create(sfn, machine_name, definition, type="EXPRESS")
    arn = created["stateMachineArn"]
    assert arn == f"arn:aws:states:us-east-1:123456789012:stateMachine:{machine_name}"
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["definition"] == definition  # byte for byte
    assert described["name"] == machine_name
    assert described["type"] == "EXPRESS"
    assert described["status"] == "ACTIVE"
    assert described["roleArn"] == ROLE
    assert described["creationDate"] == created["creationDate"]
    assert described["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    assert described["tracingConfiguration"] == {"enabled": False}
    assert "revisionId" not in described


def test_an_invalid_definition_is_refused_with_the_validator_findings(
    sfn: Any, machine_name: str
) -> None:
    with pytest.raises(sfn.exceptions.InvalidDefinition) as refused:
        _create(sfn, machine_name, BROKEN)
    message = refused.value.response["Error"]["Message"]
    assert message.startswith("Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: ")
    assert "at /States/A/Next" in message
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(
            stateMachineArn=f"arn:aws:states:us-east-1:123456789012:stateMachine:{machine_name}"
        )


def test_an_invalid_definition_is_worded_as_aws_words_it(sfn: Any, machine_name: str) -> None:
    with pytest.raises(sfn.exceptions.InvalidDefinition) as refused:
        _create(sfn, machine_name, '{"StartAt": "A"}')
    assert refused.value.response["Error"]["Message"] == (  # as AWS answered (LocalStack's record)
        "Invalid State Machine Definition: "
        "'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    )


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("has space", id="space"),
        pytest.param("a/b", id="slash"),
        pytest.param("a:b", id="colon"),
        pytest.param("star*", id="wildcard"),
        pytest.param("tab\there", id="control"),
        pytest.param("brace{", id="bracket"),
    ],
)
def test_a_name_with_a_forbidden_character_is_invalid_name(sfn: Any, name: str) -> None:
    with pytest.raises(sfn.exceptions.InvalidName, match="Invalid Name"):
        _create(sfn, name)


def test_names_longer_than_80_characters_fail_validation(sfn: Any) -> None:
    with pytest.raises(sfn.exceptions.ValidationException) as refused:
        _create(sfn, "n" * 81)
    assert refused.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{'n' * 81}' at 'name' failed to satisfy "
        "constraint: Member must have length less than or equal to 80"
    )


def test_creating_the_same_machine_again_is_idempotent(sfn: Any, machine_name: str) -> None:
    first = _create(sfn, machine_name, tags=[{"key": "a", "value": "1"}])
    again = _create(sfn, machine_name, tags=[{"key": "b", "value": "2"}])
    assert again["stateMachineArn"] == first["stateMachineArn"]
    assert again["creationDate"] == first["creationDate"]
    tags = sfn.list_tags_for_resource(resourceArn=first["stateMachineArn"])["tags"]
    assert tags == [{"key": "a", "value": "1"}]  # a repeat's tags are ignored, as AWS does


def test_a_different_machine_under_a_taken_name_already_exists(sfn: Any, machine_name: str) -> None:
    _create(sfn, machine_name)
    other = json.dumps({"StartAt": "B", "States": {"B": {"Type": "Succeed"}}})
    with pytest.raises(sfn.exceptions.StateMachineAlreadyExists, match=machine_name):
        _create(sfn, machine_name, other)


def test_update_gives_a_new_revision_and_keeps_the_rest(sfn: Any, machine_name: str) -> None:
    arn = _create(sfn, machine_name)["stateMachineArn"]
    succeed = json.dumps({"StartAt": "B", "States": {"B": {"Type": "Succeed"}}})
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=succeed)
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["definition"] == succeed
    assert described["revisionId"] == updated["revisionId"]
    assert described["roleArn"] == ROLE
    second = sfn.update_state_machine(stateMachineArn=arn, tracingConfiguration={"enabled": True})
    assert second["revisionId"] != updated["revisionId"]
    assert sfn.describe_state_machine(stateMachineArn=arn)["tracingConfiguration"] == {
        "enabled": True
    }


def test_update_refuses_an_invalid_definition_and_keeps_the_old(
    sfn: Any, machine_name: str
) -> None:
    arn = _create(sfn, machine_name)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.InvalidDefinition, match="MISSING_TRANSITION_TARGET"):
        sfn.update_state_machine(stateMachineArn=arn, definition=BROKEN)
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == PASS


def test_update_needs_something_to_change(sfn: Any, machine_name: str) -> None:
    arn = _create(sfn, machine_name)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.MissingRequiredParameter):
        sfn.update_state_machine(stateMachineArn=arn)


def test_update_of_a_missing_machine_does_not_exist(sfn: Any) -> None:
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:absent"
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist, match="absent"):
        sfn.update_state_machine(stateMachineArn=arn, definition=PASS)


def test_logging_above_off_needs_a_destination(sfn: Any, machine_name: str) -> None:
    with pytest.raises(sfn.exceptions.InvalidLoggingConfiguration):
        _create(sfn, machine_name, loggingConfiguration={"level": "ALL"})


@pytest.mark.parametrize(
    "arn",
    [
        pytest.param("not-an-arn", id="garbage"),
        pytest.param("arn:aws:states:us-east-1:123456789012:activity:a", id="activity"),
    ],
)
def test_describe_with_a_bad_arn_is_invalid_arn(sfn: Any, arn: str) -> None:
    with pytest.raises(sfn.exceptions.InvalidArn, match="Invalid Arn"):
        sfn.describe_state_machine(stateMachineArn=arn)


def test_delete_removes_the_machine_and_is_idempotent(sfn: Any, machine_name: str) -> None:
    arn = _create(sfn, machine_name)["stateMachineArn"]
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arn)
    sfn.delete_state_machine(stateMachineArn=arn)


def test_list_pages_through_every_machine_in_name_order(server: RunningServer) -> None:
    sfn = client(server.url, region="ap-south-1")  # a region of its own: only these machines
    names = [f"page-{i:02d}" for i in range(7)]
    for name in reversed(names):
        _create(sfn, name)
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"maxResults": 3, **({"nextToken": token} if token else {})}
        answer = sfn.list_state_machines(**kwargs)
        seen += [m["name"] for m in answer["stateMachines"]]
        pages += 1
        token = answer.get("nextToken")
        if token is None:
            break
    assert seen == names
    assert pages == 3
    paginator = sfn.get_paginator("list_state_machines")
    pages_of_two = paginator.paginate(PaginationConfig={"PageSize": 2})
    listed = [m["name"] for page in pages_of_two for m in page["stateMachines"]]
    assert listed == names


def test_a_bad_page_token_is_invalid_token(sfn: Any) -> None:
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_state_machines(nextToken="not a token")


def test_machines_of_one_region_are_not_listed_in_another(server: RunningServer) -> None:
    west = client(server.url, region="us-west-2")
    arn = _create(west, "regional")["stateMachineArn"]
    assert ":us-west-2:" in arn
    east = client(server.url, region="eu-central-1")
    assert east.list_state_machines()["stateMachines"] == []
