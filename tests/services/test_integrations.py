"""Optimized and SDK integrations through boto3, against moto's server.

Outputs are checked against the shapes in AWS's documentation (and, for
which carry SdkHttpMetadata, the responses LocalStack recorded against AWS).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import phalanx
from phalanx.asl import StateMachine

TABLE = "items"
CHILD_ARN = "arn:aws:states:us-east-1:111111111111:stateMachine:Child"


@pytest.fixture(scope="module")
def resources(aws: Any) -> dict[str, str]:
    aws("dynamodb").create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    queue = aws("sqs").create_queue(QueueName="work")["QueueUrl"]
    topic = aws("sns").create_topic(Name="news")["TopicArn"]
    aws("s3").create_bucket(Bucket="docs")
    aws("s3").put_object(Bucket="docs", Key="a.txt", Body=b"alpha")
    aws("s3").put_object(Bucket="docs", Key="b.json", Body=b'{"b": 2}')
    return {"queue": queue, "topic": topic}


def task(resource: str, parameters: dict[str, Any], result: str, after: str | None) -> Any:
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": f"arn:aws:states:::{resource}",
        "Parameters": parameters,
        "ResultPath": f"$.{result}",
    }
    if after is None:
        state["End"] = True
    else:
        state["Next"] = after
    return state


def everything(queue: str, topic: str) -> dict[str, Any]:
    key = {"id": {"S": "k1"}}
    steps = [
        ("put", "dynamodb:putItem", {"TableName": TABLE, "Item": {**key, "n": {"N": "1"}}}),
        ("get", "dynamodb:getItem", {"TableName": TABLE, "Key": key}),
        (
            "update",
            "dynamodb:updateItem",
            {
                "TableName": TABLE,
                "Key": key,
                "UpdateExpression": "SET n = n + :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
                "ReturnValues": "ALL_NEW",
            },
        ),
        ("delete", "dynamodb:deleteItem", {"TableName": TABLE, "Key": key}),
        ("send", "sqs:sendMessage", {"QueueUrl": queue, "MessageBody": {"hello": "sqs"}}),
        ("receive", "aws-sdk:sqs:receiveMessage", {"QueueUrl": queue}),
        ("publish", "sns:publish", {"TopicArn": topic, "Message": {"hello": "sns"}}),
        ("list", "aws-sdk:s3:listObjectsV2", {"Bucket": "docs"}),
        ("read", "aws-sdk:s3:getObject", {"Bucket": "docs", "Key": "b.json"}),
        (
            "events",
            "events:putEvents",
            {"Entries": [{"Source": "shop", "DetailType": "Ordered", "Detail": {"id": 7}}]},
        ),
        (
            "child",
            "states:startExecution.sync:2",
            {
                "StateMachineArn": CHILD_ARN,
                "Input": {
                    "x": 1,
                    "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id",
                },
            },
        ),
    ]
    states = {}
    for index, (name, resource, parameters) in enumerate(steps):
        after = steps[index + 1][0] if index + 1 < len(steps) else None
        states[name] = task(resource, parameters, name, after)
    return {"StartAt": "put", "States": states}


CHILD = StateMachine.from_asl(
    {
        "StartAt": "Double",
        "States": {"Double": {"Type": "Pass", "Parameters": {"y.$": "$.x"}, "End": True}},
    }
)


@pytest.fixture(scope="module")
def execution(session: Any, moto_url: str, resources: dict[str, str]) -> Any:
    definition = everything(resources["queue"], resources["topic"])
    return phalanx.run(
        definition, {}, fast=True, aws=session, endpoint_url=moto_url, machines={"Child": CHILD}
    )


def sdk_metadata(value: dict[str, Any]) -> None:
    http = value["SdkHttpMetadata"]
    assert http["HttpStatusCode"] == 200
    assert set(http) == {"AllHttpHeaders", "HttpHeaders", "HttpStatusCode"}
    assert value["SdkResponseMetadata"]["RequestId"]


def test_the_machine_succeeds(execution: Any) -> None:
    assert (execution.status, execution.error, execution.cause) == ("SUCCEEDED", None, None)


def test_dynamodb_results_carry_the_item_and_sdk_metadata(execution: Any) -> None:
    out = execution.output
    assert set(out["put"]) == {"SdkHttpMetadata", "SdkResponseMetadata"}
    sdk_metadata(out["put"])
    assert out["get"]["Item"] == {"id": {"S": "k1"}, "n": {"N": "1"}}
    sdk_metadata(out["get"])
    assert out["update"]["Attributes"] == {"id": {"S": "k1"}, "n": {"N": "2"}}
    assert set(out["delete"]) == {"SdkHttpMetadata", "SdkResponseMetadata"}


def test_sqs_send_gives_the_message_id_and_the_body_is_json_text(execution: Any) -> None:
    sent = execution.output["send"]
    assert {"MessageId", "MD5OfMessageBody"} <= set(sent)
    sdk_metadata(sent)
    (message,) = execution.output["receive"]["Messages"]
    assert message["MessageId"] == sent["MessageId"]
    assert json.loads(message["Body"]) == {"hello": "sqs"}
    assert "SdkHttpMetadata" not in execution.output["receive"]  # SDK integrations: none


def test_sns_publish_gives_the_message_id(execution: Any) -> None:
    published = execution.output["publish"]
    assert published["MessageId"]
    sdk_metadata(published)


def test_s3_through_the_sdk_lists_and_reads_objects(execution: Any) -> None:
    listed = execution.output["list"]
    assert [item["Key"] for item in listed["Contents"]] == ["a.txt", "b.json"]
    # Timestamps as ISO 8601 text, as Step Functions serialises them.
    assert listed["Contents"][0]["LastModified"].endswith("Z")
    assert execution.output["read"]["Body"] == '{"b": 2}'
    assert execution.output["read"]["ContentLength"] == 8


def test_eventbridge_put_events_gives_entries_and_no_metadata(execution: Any) -> None:
    events = execution.output["events"]
    assert events["FailedEntryCount"] == 0
    assert [set(entry) for entry in events["Entries"]] == [{"EventId"}]
    assert "SdkHttpMetadata" not in events


def test_a_nested_machine_runs_locally_with_sync_2_shapes(execution: Any) -> None:
    child = execution.output["child"]
    assert child["Status"] == "SUCCEEDED"
    assert child["Output"] == {"y": 1}
    assert child["Input"]["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"].startswith(
        "arn:aws:states:us-east-1:111111111111:execution:"
    )
    (run,) = execution.children
    assert child["ExecutionArn"].endswith(f":execution:Child:{run.name}")
    started = run.history[0]
    assert started["type"] == "ExecutionStarted"
    assert json.loads(started["executionStartedEventDetails"]["input"])["x"] == 1


def test_a_failed_conditional_put_is_caught_under_aws_error_name(
    session: Any, moto_url: str, resources: dict[str, str]
) -> None:
    put = {
        "Type": "Task",
        "Resource": "arn:aws:states:::dynamodb:putItem",
        "Parameters": {
            "TableName": TABLE,
            "Item": {"id": {"S": "once"}},
            "ConditionExpression": "attribute_not_exists(id)",
        },
        "ResultPath": None,
        "Next": "Again",
    }
    again = {
        **put,
        "Catch": [
            {
                "ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                "ResultPath": "$.caught",
                "Next": "Caught",
            }
        ],
        "Next": "Missed",
    }
    definition = {
        "StartAt": "Put",
        "States": {
            "Put": put,
            "Again": again,
            "Caught": {"Type": "Succeed"},
            "Missed": {"Type": "Fail", "Error": "NotCaught"},
        },
    }
    execution = phalanx.run(definition, {}, fast=True, aws=session, endpoint_url=moto_url)
    assert execution.states_entered[-1] == "Caught"
    caught = execution.output["caught"]
    assert caught["Error"] == "DynamoDB.ConditionalCheckFailedException"
    assert "Error Code: ConditionalCheckFailedException" in caught["Cause"]


def test_sdk_errors_are_named_service_error_exception(
    session: Any, moto_url: str, resources: dict[str, str]
) -> None:
    definition = {
        "StartAt": "Read",
        "States": {
            "Read": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                "Parameters": {"Bucket": "docs", "Key": "missing"},
                "End": True,
            }
        },
    }
    execution = phalanx.run(definition, {}, fast=True, aws=session, endpoint_url=moto_url)
    assert execution.error == "S3.NoSuchKeyException"
    assert "Service: S3, Status Code: 404" in (execution.cause or "")
