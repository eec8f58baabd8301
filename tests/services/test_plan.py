"""What a machine will call, listed from its definition."""

from __future__ import annotations

from phalanx.asl import StateMachine
from phalanx.services import plan_text, planned_calls


def test_the_plan_lists_services_actions_and_static_resources() -> None:
    machine = StateMachine.from_asl(
        {
            "StartAt": "Put",
            "States": {
                "Put": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}}},
                    "Next": "Notify",
                },
                "Notify": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
                    "Parameters": {"TopicArn.$": "$.topic", "Message.$": "$$.Task.Token"},
                    "Next": "Pass",
                },
                "Pass": {"Type": "Pass", "End": True},
            },
        }
    )
    calls = planned_calls(machine)
    assert [(c.state, c.service, c.action, c.resources) for c in calls] == [
        ("Put", "dynamodb", "putItem", ("TableName=orders",)),
        ("Notify", "sns", "publish.waitForTaskToken", ("TopicArn=(from the input)",)),
    ]
    assert plan_text(calls)[1] == "  dynamodb:putItem in Put  [TableName=orders]"


def test_a_machine_calling_nothing_says_so() -> None:
    machine = StateMachine.from_asl(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    )
    assert plan_text(planned_calls(machine)) == ["calls: none (no Task calls an AWS service)"]


def test_a_known_child_machines_calls_follow_the_task_that_starts_it() -> None:
    child = StateMachine.from_asl(
        {
            "StartAt": "Put",
            "States": {
                "Put": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName": "cars", "Item": {}},
                    "End": True,
                }
            },
        }
    )
    parent = StateMachine.from_asl(
        {
            "StartAt": "Start",
            "States": {
                "Start": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {
                        "StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:Car"
                    },
                    "End": True,
                }
            },
        }
    )
    calls = planned_calls(parent, {"Car": child})
    assert [(c.state, c.service, c.action) for c in calls] == [
        ("Start", "states", "startExecution.sync:2"),
        ("Car/Put", "dynamodb", "putItem"),
    ]
