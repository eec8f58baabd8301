"""Service and error names as Step Functions spells them."""

from __future__ import annotations

import pytest

from phalanx.services.naming import error_name, pascal_service, sdk_client


@pytest.mark.parametrize(
    ("service_id", "prefix"),
    [
        pytest.param("DynamoDB", "DynamoDb", id="dynamodb"),
        pytest.param("S3", "S3", id="s3"),
        pytest.param("SFN", "Sfn", id="sfn"),
        pytest.param("Secrets Manager", "SecretsManager", id="secrets-manager"),
        pytest.param("EC2", "Ec2", id="ec2"),
        pytest.param("EventBridge", "EventBridge", id="eventbridge"),
        pytest.param("API Gateway", "ApiGateway", id="api-gateway"),
    ],
)
def test_sdk_error_prefix_is_the_service_in_pascal_case(service_id: str, prefix: str) -> None:
    assert pascal_service(service_id) == prefix


@pytest.mark.parametrize(
    ("code", "name"),
    [
        pytest.param("NoSuchKey", "S3.NoSuchKeyException", id="suffix-added"),
        pytest.param("NoSuchKeyException", "S3.NoSuchKeyException", id="suffix-once"),
        pytest.param(
            "AWS.SimpleQueueService.NonExistentQueue",
            "S3.NonExistentQueueException",
            id="dotted-code",
        ),
    ],
)
def test_error_names_end_in_exception_once(code: str, name: str) -> None:
    assert error_name("S3", code) == name


@pytest.mark.parametrize(
    ("service", "client"),
    [
        pytest.param("dynamodb", "dynamodb", id="same-word"),
        pytest.param("sfn", "stepfunctions", id="sfn"),
        pytest.param("eventbridge", "events", id="eventbridge"),
        pytest.param("cloudwatchlogs", "logs", id="logs"),
        pytest.param("sagemakerruntime", "sagemaker-runtime", id="hyphenated"),
    ],
)
def test_arn_service_names_find_their_boto3_client(service: str, client: str) -> None:
    import boto3

    found = sdk_client(boto3.Session(region_name="us-east-1")._session, service)
    assert found is not None and found[0] == client
