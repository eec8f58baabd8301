"""How each Task resource runs, and how much of the real-world corpus runs one way or another."""

from __future__ import annotations

import json

import pytest

from phalanx.services import support as ways
from phalanx.services.support import boto3_service_names, support, task_resources
from tests.corpora import shared


@pytest.mark.parametrize(
    ("resource", "way"),
    [
        pytest.param("arn:aws:states:::dynamodb:putItem", ways.BOTO3, id="optimized"),
        pytest.param("arn:aws:states:::aws-sdk:s3:getObject", ways.BOTO3, id="sdk"),
        pytest.param(
            "arn:aws:states:::states:startExecution.sync:2", ways.LOCAL_OR_BOTO3, id="nested"
        ),
        pytest.param("arn:aws:lambda:us-east-1:1:function:f", ways.LOCAL_OR_BOTO3, id="lambda-arn"),
        pytest.param("${ProcessFunctionArn}", ways.LOCAL_OR_BOTO3, id="placeholder-lambda"),
        pytest.param("${DDBPutItem}", ways.BOTO3, id="placeholder-sam-substitution"),
        pytest.param("${MainActivity}", ways.CALLBACK, id="placeholder-activity"),
        pytest.param(
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken", ways.CALLBACK, id="token"
        ),
        pytest.param("arn:aws:states:::glue:startJobRun.sync", ways.BOTO3, id="polled-sync"),
        pytest.param(
            "arn:aws:states:::emr-containers:startJobRun.sync", ways.NONE, id="sync-no-poller"
        ),
        pytest.param("arn:aws:states:::apigateway:invoke", ways.BOTO3, id="apigateway-invoke"),
        pytest.param("arn:aws:states:::http:invoke", ways.HTTP, id="http"),
    ],
)
def test_each_resource_has_a_way_to_run(resource: str, way: str) -> None:
    assert support(resource, {"s3", "dynamodb"}).way == way


def test_an_sdk_service_boto3_lacks_runs_nowhere() -> None:
    verdict = support("arn:aws:states:::aws-sdk:lookoutvision:startModel", {"s3"})
    assert (verdict.way, verdict.runnable) == (ways.NONE, False)


def test_at_least_290_real_world_workflows_have_every_task_runnable() -> None:
    import boto3

    known = boto3_service_names(boto3.Session(region_name="us-east-1")._session)
    files = sorted(shared("realworld").glob("*.json"))
    runnable = sum(
        all(
            support(resource, known).runnable
            for resource in task_resources(
                json.loads(path.read_text(encoding="utf-8"))["definition"].get("States")
            )
        )
        for path in files
    )
    assert (len(files), runnable >= 290) == (314, True), runnable
