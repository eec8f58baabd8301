"""The one Task resource parser: every ARN form, its parts, and Lambda's FunctionName forms."""

from __future__ import annotations

import pytest

from phalanx.asl.resources import (
    FunctionName,
    ResourceKind,
    function_arn,
    parse_function_name,
    parse_resource,
)


@pytest.mark.parametrize(
    ("text", "kind", "parts"),
    [
        pytest.param(
            "arn:aws:lambda:us-east-1:123456789012:function:work",
            ResourceKind.LAMBDA,
            {"region": "us-east-1", "account": "123456789012", "name": "work", "qualifier": ""},
            id="function",
        ),
        pytest.param(
            "arn:aws-cn:lambda:cn-north-1:123456789012:function:work:live",
            ResourceKind.LAMBDA,
            {"partition": "aws-cn", "name": "work", "qualifier": "live"},
            id="function-alias",
        ),
        pytest.param(
            "arn:aws:lambda:us-east-1:123456789012:function:work:$LATEST",
            ResourceKind.LAMBDA,
            {"qualifier": "$LATEST"},
            id="function-latest",
        ),
        pytest.param(
            "arn:aws:states:eu-west-1:123456789012:activity:approve",
            ResourceKind.ACTIVITY,
            {"region": "eu-west-1", "account": "123456789012", "name": "approve"},
            id="activity",
        ),
        pytest.param(
            "arn:aws:states:::lambda:invoke",
            ResourceKind.INTEGRATION,
            {"service": "lambda", "action": "invoke", "pattern": "", "region": ""},
            id="lambda-invoke",
        ),
        pytest.param(
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            ResourceKind.INTEGRATION,
            {"service": "sqs", "action": "sendMessage", "pattern": ".waitForTaskToken"},
            id="callback",
        ),
        pytest.param(
            "arn:aws:states:::states:startExecution.sync:2",
            ResourceKind.INTEGRATION,
            {"service": "states", "action": "startExecution", "pattern": ".sync:2"},
            id="sync-2",
        ),
        pytest.param(
            "arn:aws:states:us-east-1:123456789012:sns:publish",
            ResourceKind.INTEGRATION,
            {"service": "sns", "action": "publish", "region": "us-east-1"},
            id="integration-with-region-and-account",
        ),
        pytest.param(
            "arn:aws:states:::aws-sdk:s3:getObject",
            ResourceKind.SDK,
            {"service": "s3", "action": "getObject", "pattern": ""},
            id="sdk",
        ),
        pytest.param(
            "arn:aws:states:::aws-sdk:ec2:describeInstances.waitForTaskToken",
            ResourceKind.SDK,
            {"service": "ec2", "action": "describeInstances", "pattern": ".waitForTaskToken"},
            id="sdk-callback",
        ),
        pytest.param(
            "arn:aws:states:::http:invoke",
            ResourceKind.HTTP,
            {"service": "http", "action": "invoke"},
            id="http",
        ),
        pytest.param(
            "arn:aws:states:::aws-sdk:s3",
            ResourceKind.INTEGRATION,
            {"service": "aws-sdk", "action": "s3"},
            id="sdk-without-action-is-an-unknown-api",
        ),
        pytest.param("work", ResourceKind.UNKNOWN, {}, id="plain-name"),
        pytest.param(
            "arn:aws:lambda:us-east-1:123456789012:function:bad.name",
            ResourceKind.UNKNOWN,
            {},
            id="bad-function-name",
        ),
        pytest.param(
            "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:work",
            ResourceKind.UNKNOWN,
            {},
            id="placeholders-not-asked-for",
        ),
    ],
)
def test_parse_resource_names_the_form_and_its_parts(
    text: str, kind: ResourceKind, parts: dict[str, str]
) -> None:
    parsed = parse_resource(text)
    assert parsed.kind is kind
    assert parsed.text == text
    assert {key: getattr(parsed, key) for key in parts} == parts


def test_an_activity_is_an_activity_not_a_lambda_call() -> None:
    parsed = parse_resource("arn:aws:states:us-east-1:123456789012:activity:approve")
    assert parsed.kind is ResourceKind.ACTIVITY
    assert not parsed.is_lambda_invoke


def test_placeholders_stand_for_whole_segments_when_asked() -> None:
    text = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:work"
    parsed = parse_resource(text, placeholders=True)
    assert (parsed.kind, parsed.region, parsed.name) == (
        ResourceKind.LAMBDA,
        "${AWS::Region}",
        "work",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("work", FunctionName("work"), id="name"),
        pytest.param("work:live", FunctionName("work", "live"), id="name-alias"),
        pytest.param(
            "123456789012:function:work:3",
            FunctionName("work", "3", "123456789012"),
            id="partial-arn",
        ),
        pytest.param(
            "arn:aws:lambda:us-east-1:123456789012:function:work",
            FunctionName(
                "work", "", "123456789012", "arn:aws:lambda:us-east-1:123456789012:function:work"
            ),
            id="arn",
        ),
    ],
)
def test_parse_function_name_accepts_lambdas_forms(text: str, expected: FunctionName) -> None:
    assert parse_function_name(text) == expected


@pytest.mark.parametrize(
    ("text", "arn"),
    [
        pytest.param("work", "arn:aws:lambda:eu-west-1:111:function:work", id="name"),
        pytest.param("work:live", "arn:aws:lambda:eu-west-1:111:function:work:live", id="alias"),
        pytest.param(
            "222:function:work", "arn:aws:lambda:eu-west-1:222:function:work", id="partial-arn"
        ),
        pytest.param(
            "arn:aws:lambda:us-east-1:333:function:w", "arn:aws:lambda:us-east-1:333:function:w"
        ),
    ],
)
def test_function_arn_completes_every_form(text: str, arn: str) -> None:
    assert function_arn(text, "eu-west-1", "111") == arn
