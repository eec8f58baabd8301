"""Activities and tags through boto3."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import PASS, ROLE, client
from tests.api.server import RunningServer


def test_an_activity_is_created_described_listed_and_deleted(server: RunningServer) -> None:
    sfn = client(server.url, region="sa-east-1")  # a region of its own: only these activities
    created = sfn.create_activity(name="approve")
    arn = created["activityArn"]
    assert arn == "arn:aws:states:sa-east-1:123456789012:activity:approve"
    described = sfn.describe_activity(activityArn=arn)
    assert (described["name"], described["creationDate"]) == ("approve", created["creationDate"])
    assert sfn.create_activity(name="approve")["activityArn"] == arn  # idempotent
    sfn.create_activity(name="audit")
    listed = sfn.list_activities(maxResults=1)
    assert [a["name"] for a in listed["activities"]] == ["approve"]
    rest = sfn.list_activities(nextToken=listed["nextToken"])
    assert [a["name"] for a in rest["activities"]] == ["audit"]
    assert "nextToken" not in rest
    sfn.delete_activity(activityArn=arn)
    sfn.delete_activity(activityArn=arn)  # deleting twice is no error
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist, match="approve"):
        sfn.describe_activity(activityArn=arn)


def test_an_activity_name_with_a_forbidden_character_is_invalid_name(sfn: Any) -> None:
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.create_activity(name="needs approval")


def test_describe_activity_with_a_machine_arn_is_invalid_arn(sfn: Any) -> None:
    with pytest.raises(sfn.exceptions.InvalidArn, match="not valid in this context"):
        sfn.describe_activity(activityArn="arn:aws:states:us-east-1:123456789012:stateMachine:m")


def test_tags_are_added_replaced_removed_and_listed(sfn: Any, machine_name: str) -> None:
    arn = sfn.create_state_machine(
        name=machine_name, definition=PASS, roleArn=ROLE, tags=[{"key": "team", "value": "a"}]
    )["stateMachineArn"]
    sfn.tag_resource(
        resourceArn=arn, tags=[{"key": "env", "value": "dev"}, {"key": "team", "value": "b"}]
    )
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"key": "team", "value": "b"},
        {"key": "env", "value": "dev"},
    ]
    sfn.untag_resource(resourceArn=arn, tagKeys=["team", "absent"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "env", "value": "dev"}]


def test_activities_take_tags_too(sfn: Any) -> None:
    arn = sfn.create_activity(name="tagged", tags=[{"key": "k", "value": "v"}])["activityArn"]
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]


def test_more_than_50_tags_is_too_many(sfn: Any, machine_name: str) -> None:
    arn = sfn.create_state_machine(name=machine_name, definition=PASS, roleArn=ROLE)[
        "stateMachineArn"
    ]
    sfn.tag_resource(resourceArn=arn, tags=[{"key": f"k{i}", "value": ""} for i in range(50)])
    with pytest.raises(sfn.exceptions.TooManyTags) as refused:
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "one-more", "value": ""}])
    assert refused.value.response["resourceName"] == arn
    assert len(sfn.list_tags_for_resource(resourceArn=arn)["tags"]) == 50


def test_tags_of_a_missing_resource_are_resource_not_found(sfn: Any) -> None:
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:absent"
    for call in (
        lambda: sfn.list_tags_for_resource(resourceArn=arn),
        lambda: sfn.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}]),
        lambda: sfn.untag_resource(resourceArn=arn, tagKeys=["k"]),
    ):
        with pytest.raises(sfn.exceptions.ResourceNotFound, match="absent"):
            call()


def test_a_tag_with_a_forbidden_character_fails_validation(sfn: Any) -> None:
    arn = sfn.create_activity(name="plain")["activityArn"]
    with pytest.raises(sfn.exceptions.ValidationException, match="Invalid tag"):
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "a*b", "value": "v"}])


def test_concurrent_requests_are_all_answered(server: RunningServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    sfn = client(server.url, region="ca-central-1")
    names = [f"parallel-{i:02d}" for i in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(lambda name: sfn.create_activity(name=name), names))
        listed = list(pool.map(lambda _: sfn.list_activities(maxResults=1000), range(8)))
    assert len({answer["activityArn"] for answer in created}) == len(names)
    final = sfn.list_activities(maxResults=1000)["activities"]
    assert [a["name"] for a in final] == names
    for answer in listed:  # a list taken mid-way is a sorted subset, never a torn read
        seen = [a["name"] for a in answer["activities"]]
        assert seen == sorted(seen)
        assert set(seen) <= set(names)
