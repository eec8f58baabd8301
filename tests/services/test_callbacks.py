"""`.waitForTaskToken` over SQS against moto: the message carries the token; an answer resumes."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

import phalanx
from phalanx.engine.effects import Callback, CallbackResponse
from phalanx.services import CallRecord, TaskTokens


@pytest.fixture(scope="module")
def queue(aws: Any) -> str:
    return str(aws("sqs").create_queue(QueueName="approvals")["QueueUrl"])


def machine(queue: str) -> dict[str, Any]:
    return {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {
                    "QueueUrl": queue,
                    "MessageBody": {"order.$": "$.order", "token.$": "$$.Task.Token"},
                },
                "TimeoutSeconds": 3600,
                "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.why", "Next": "Refused"}],
                "Next": "Done",
            },
            "Done": {"Type": "Succeed"},
            "Refused": {"Type": "Succeed"},
        },
    }


def read_one(aws: Any, queue: str) -> dict[str, Any]:
    messages = aws("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1
    aws("sqs").delete_message(QueueUrl=queue, ReceiptHandle=messages[0]["ReceiptHandle"])
    return dict(json.loads(messages[0]["Body"]))


def test_a_callbacks_function_reads_the_queue_and_answers_the_token(
    session: Any, moto_url: str, aws: Any, queue: str
) -> None:
    def approve(request: Callback) -> CallbackResponse:
        body = read_one(aws, queue)
        assert body["token"] == request.token
        return CallbackResponse(output={"approved": body["order"]})

    execution = phalanx.run(
        machine(queue),
        {"order": 42},
        fast=True,
        aws=session,
        endpoint_url=moto_url,
        callbacks=approve,
    )
    assert (execution.status, execution.output) == ("SUCCEEDED", {"approved": 42})
    assert [e["type"] for e in execution.history if e["type"].startswith("Task")] == [
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited",
    ]


@pytest.mark.parametrize(
    ("answer", "status", "end"),
    [
        pytest.param("success", "SUCCEEDED", "Done", id="send-task-success"),
        pytest.param("failure", "SUCCEEDED", "Refused", id="send-task-failure-caught"),
    ],
)
def test_a_test_answers_the_running_execution_from_another_thread(
    session: Any, moto_url: str, aws: Any, queue: str, answer: str, status: str, end: str
) -> None:
    tokens = TaskTokens(patience=30)
    sent = threading.Event()
    result: list[Any] = []

    def on_call(call: CallRecord) -> None:
        if call.service == "sqs":
            sent.set()

    def execute() -> None:
        result.append(
            phalanx.run(
                machine(queue),
                {"order": 7},
                fast=True,
                aws=session,
                endpoint_url=moto_url,
                callbacks=tokens,
                on_call=on_call,
            )
        )

    worker = threading.Thread(target=execute)
    worker.start()
    assert sent.wait(30)
    token = read_one(aws, queue)["token"]
    assert token in tokens.issued()
    if answer == "success":
        tokens.send_task_success(token, {"ok": True})
    else:
        tokens.send_task_failure(token, "Rejected", "no stock")
    worker.join(30)
    (execution,) = result
    assert (execution.status, execution.states_entered[-1]) == (status, end)
