"""Versions and aliases through boto3: publish, list, route, refuse what AWS refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import PASS, ROLE

SUCCEED = json.dumps({"StartAt": "B", "States": {"B": {"Type": "Succeed"}}})


def _machine(sfn: Any, name: str, **options: Any) -> str:
    arn: str = sfn.create_state_machine(name=name, definition=PASS, roleArn=ROLE, **options)[
        "stateMachineArn"
    ]
    return arn


def _versions(sfn: Any, arn: str) -> list[str]:
    listed = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    return [v["stateMachineVersionArn"] for v in listed]


def test_create_with_publish_makes_version_one(sfn: Any, machine_name: str) -> None:
    created = sfn.create_state_machine(
        name=machine_name, definition=PASS, roleArn=ROLE, publish=True, versionDescription="v1"
    )
    version = created["stateMachineVersionArn"]
    assert version == created["stateMachineArn"] + ":1"
    described = sfn.describe_state_machine(stateMachineArn=version)
    assert described["stateMachineArn"] == version
    assert described["description"] == "v1"
    assert described["definition"] == PASS


def test_publishing_is_idempotent_per_revision(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name)
    first = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    again = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    assert first == again == f"{arn}:1"
    sfn.update_state_machine(stateMachineArn=arn, definition=SUCCEED, publish=True)
    assert _versions(sfn, arn) == [f"{arn}:2", f"{arn}:1"]  # newest first
    assert sfn.describe_state_machine(stateMachineArn=f"{arn}:1")["definition"] == PASS
    assert sfn.describe_state_machine(stateMachineArn=f"{arn}:2")["definition"] == SUCCEED


def test_publishing_a_stale_revision_is_a_conflict(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name)
    sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="INITIAL")
    revision = sfn.update_state_machine(stateMachineArn=arn, definition=SUCCEED)["revisionId"]
    with pytest.raises(sfn.exceptions.ConflictException):
        sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="INITIAL")
    published = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=revision)
    assert published["stateMachineVersionArn"] == f"{arn}:2"


def test_publishing_for_a_missing_machine_does_not_exist(sfn: Any) -> None:
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.publish_state_machine_version(
            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:absent"
        )


def test_deleted_version_numbers_are_not_reused(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name, publish=True)
    sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
    sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")  # idempotent
    assert _versions(sfn, arn) == []
    sfn.update_state_machine(stateMachineArn=arn, definition=SUCCEED, publish=True)
    assert _versions(sfn, arn) == [f"{arn}:2"]
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=f"{arn}:1")


def test_versions_page_newest_first(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name, publish=True)
    for index in range(4):
        body = {"StartAt": "B", "States": {"B": {"Type": "Succeed", "Comment": str(index)}}}
        sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(body), publish=True)
    pages, token = [], None
    while True:
        more = {"nextToken": token} if token else {}
        answer = sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=2, **more)
        pages.append([v["stateMachineVersionArn"] for v in answer["stateMachineVersions"]])
        token = answer.get("nextToken")
        if token is None:
            break
    assert pages == [[f"{arn}:5", f"{arn}:4"], [f"{arn}:3", f"{arn}:2"], [f"{arn}:1"]]


def test_an_alias_routes_to_versions_and_pins_them(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name, publish=True)
    sfn.update_state_machine(stateMachineArn=arn, definition=SUCCEED, publish=True)
    routing = [
        {"stateMachineVersionArn": f"{arn}:1", "weight": 90},
        {"stateMachineVersionArn": f"{arn}:2", "weight": 10},
    ]
    created = sfn.create_state_machine_alias(
        name="PROD", description="live", routingConfiguration=routing
    )
    alias = created["stateMachineAliasArn"]
    assert alias == f"{arn}:PROD"
    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["routingConfiguration"] == routing
    assert described["description"] == "live"
    assert described["name"] == "PROD"
    again = sfn.create_state_machine_alias(
        name="PROD", description="live", routingConfiguration=routing
    )
    assert again["creationDate"] == created["creationDate"]
    with pytest.raises(sfn.exceptions.ConflictException, match="referenced by an alias"):
        sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
    sfn.update_state_machine_alias(
        stateMachineAliasArn=alias,
        routingConfiguration=[{"stateMachineVersionArn": f"{arn}:2", "weight": 100}],
    )
    sfn.delete_state_machine_version(stateMachineVersionArn=f"{arn}:1")
    listed = sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]
    assert [a["stateMachineAliasArn"] for a in listed] == [alias]
    by_version = sfn.list_state_machine_aliases(stateMachineArn=f"{arn}:2")
    assert [a["stateMachineAliasArn"] for a in by_version["stateMachineAliases"]] == [alias]
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(sfn.exceptions.ResourceNotFound) as missing:
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert missing.value.response["resourceName"] == alias


def test_the_same_alias_with_other_settings_is_a_conflict(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name, publish=True)
    routing = [{"stateMachineVersionArn": f"{arn}:1", "weight": 100}]
    sfn.create_state_machine_alias(name="live", routingConfiguration=routing)
    with pytest.raises(sfn.exceptions.ConflictException):
        sfn.create_state_machine_alias(name="live", description="x", routingConfiguration=routing)


@pytest.mark.parametrize(
    ("routing", "error"),
    [
        pytest.param([(1, 60), (1, 40)], "ValidationException", id="same-version-twice"),
        pytest.param([(1, 50)], "ValidationException", id="weights-not-100"),
        pytest.param([(9, 100)], "ResourceNotFound", id="missing-version"),
    ],
)
def test_alias_routing_is_checked(
    sfn: Any, machine_name: str, routing: list[tuple[int, int]], error: str
) -> None:
    arn = _machine(sfn, machine_name, publish=True)
    items = [{"stateMachineVersionArn": f"{arn}:{v}", "weight": w} for v, w in routing]
    with pytest.raises(getattr(sfn.exceptions, error)):
        sfn.create_state_machine_alias(name="a", routingConfiguration=items)


def test_an_alias_name_of_digits_only_fails_validation(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name, publish=True)
    routing = [{"stateMachineVersionArn": f"{arn}:1", "weight": 100}]
    with pytest.raises(sfn.exceptions.ValidationException, match="regular expression pattern"):
        sfn.create_state_machine_alias(name="123", routingConfiguration=routing)


def test_update_alias_needs_something_to_change(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name, publish=True)
    routing = [{"stateMachineVersionArn": f"{arn}:1", "weight": 100}]
    alias = sfn.create_state_machine_alias(name="a", routingConfiguration=routing)
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.update_state_machine_alias(stateMachineAliasArn=alias["stateMachineAliasArn"])


def test_deleting_a_machine_deletes_its_versions_and_aliases(sfn: Any, machine_name: str) -> None:
    arn = _machine(sfn, machine_name, publish=True)
    routing = [{"stateMachineVersionArn": f"{arn}:1", "weight": 100}]
    alias = sfn.create_state_machine_alias(name="a", routingConfiguration=routing)
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias["stateMachineAliasArn"])
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=f"{arn}:1")


MISSING_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:absent"


@pytest.mark.parametrize(
    ("operation", "arguments", "error"),
    [
        pytest.param(
            "describe_state_machine_alias",
            {"stateMachineAliasArn": f"{MISSING_MACHINE}:PROD"},
            "ResourceNotFound",
            id="describe-alias",
        ),
        pytest.param(
            "update_state_machine_alias",
            {"stateMachineAliasArn": f"{MISSING_MACHINE}:PROD", "description": "d"},
            "ResourceNotFound",
            id="update-alias",
        ),
        pytest.param(
            "delete_state_machine_alias",
            {"stateMachineAliasArn": f"{MISSING_MACHINE}:PROD"},
            "ResourceNotFound",
            id="delete-alias",
        ),
        pytest.param(
            "list_state_machine_aliases",
            {"stateMachineArn": MISSING_MACHINE},
            "StateMachineDoesNotExist",
            id="list-aliases",
        ),
        pytest.param(
            "describe_state_machine_alias",
            {"stateMachineAliasArn": f"{MISSING_MACHINE}:1"},
            "ValidationException",
            id="alias-arn-that-is-a-version",
        ),
        pytest.param(
            "delete_state_machine_version",
            {"stateMachineVersionArn": MISSING_MACHINE},
            "ValidationException",
            id="version-arn-without-version",
        ),
        pytest.param(
            "list_state_machine_versions",
            {"stateMachineArn": "arn:aws:states:us-east-1:123456789012:activity:a"},
            "InvalidArn",
            id="versions-of-an-activity",
        ),
    ],
)
def test_missing_or_wrong_resources_get_aws_errors(
    sfn: Any, operation: str, arguments: dict[str, Any], error: str
) -> None:
    with pytest.raises(getattr(sfn.exceptions, error)):
        getattr(sfn, operation)(**arguments)
