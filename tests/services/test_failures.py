"""Failed calls become the Step Functions error and cause AWS would report, and are caught."""

from __future__ import annotations

import socket
import sys
from typing import Any

import pytest

import phalanx
from phalanx.errors import ServiceSetupError
from phalanx.services.failures import failure


def one_task(resource: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": f"arn:aws:states:::{resource}",
                "Parameters": parameters,
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }


def client_error(code: str, status: int) -> Exception:
    from botocore.exceptions import ClientError

    return ClientError(
        {
            "Error": {"Code": code, "Message": "it went wrong"},
            "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": "req-1"},
        },
        "Operation",
    )


@pytest.mark.parametrize(
    ("code", "status", "prefix", "sdk", "error"),
    [
        pytest.param(
            "ThrottlingException",
            400,
            "DynamoDb",
            True,
            "DynamoDb.ThrottlingException",
            id="throttling",
        ),
        pytest.param(
            "AccessDenied", 403, "S3", True, "S3.AccessDeniedException", id="access-denied-suffix"
        ),
        pytest.param("NoSuchKey", 404, "S3", True, "S3.NoSuchKeyException", id="no-such-key"),
        pytest.param(
            "ResourceNotFoundException",
            400,
            "DynamoDB",
            False,
            "DynamoDB.ResourceNotFoundException",
            id="optimized-unknown-table",
        ),
        pytest.param(
            "ProvisionedThroughputExceededException",
            400,
            "DynamoDB",
            False,
            "DynamoDB.ProvisionedThroughputExceededException",
            id="optimized-throttled",
        ),
    ],
)
def test_api_errors_are_named_prefix_code_exception(
    code: str, status: int, prefix: str, sdk: bool, error: str
) -> None:
    response = failure(client_error(code, status), prefix, sdk=sdk, service=prefix)
    assert response.error == error
    assert "it went wrong" in (response.cause or "")
    assert f"Status Code: {status}" in (response.cause or "")
    assert "req-1" in (response.cause or "")


def test_an_unknown_table_is_a_caught_task_failure(session: Any, moto_url: str) -> None:
    definition = one_task("dynamodb:getItem", {"TableName": "nope", "Key": {"id": {"S": "1"}}})
    definition["States"]["Call"]["Catch"][0]["ResultPath"] = "$.error"
    execution = phalanx.run(definition, {}, fast=True, aws=session, endpoint_url=moto_url)
    assert execution.states_entered[-1] == "Caught"
    assert execution.output["error"]["Error"] == "DynamoDB.ResourceNotFoundException"


def test_an_unreachable_endpoint_is_a_caught_sdk_client_exception(
    session: Any, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    definition = one_task("sns:publish", {"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": "m"})
    definition["States"]["Call"]["Catch"][0]["ResultPath"] = "$.error"
    execution = phalanx.run(definition, {}, fast=True, aws=session, endpoint_url=closed)
    assert execution.output["error"]["Error"] == "SNS.SdkClientException"
    assert "Unable to execute HTTP request" in execution.output["error"]["Cause"]


def test_without_aws_the_failure_names_the_options() -> None:
    execution = phalanx.run(one_task("sns:publish", {"Message": "m"}), {}, fast=True)
    assert execution.error == "States.Runtime"
    for option in ("--aws", "--endpoint-url", "aws=boto3.Session()", "mock"):
        assert option in (execution.cause or "")


def test_a_missing_boto3_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)
    with pytest.raises(ServiceSetupError, match=r"pip install 'phalanx\[aws\]'"):
        phalanx.run(one_task("sns:publish", {"Message": "m"}), {}, aws=True)
