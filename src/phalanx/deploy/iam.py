"""IAM for a deployment: what each role may do, and nothing more.

A function's role may write its logs plus the function's own
`iam_statements`. A state machine's role may invoke exactly the Lambda
functions its Task states name (and their versions and aliases):

- `Resource` is a `phalanx.function` or a Lambda function ARN, or
- `Resource` is `arn:aws:states:::lambda:invoke[.waitForTaskToken]` and the
  function is `FunctionName` in `Parameters` (JSONPath) or `Arguments` (JSONata).

What cannot be known before run time (`FunctionName.$`, a JSONata
`FunctionName`) and other service integrations get no permission: they are
returned as notes, and a template hook can add the statements they need.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from phalanx.asl import StateMachine, Task
from phalanx.functions import LambdaFunction

Json = Any  # a CloudFormation JSON value, intrinsics included

_LOGS_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]


@dataclasses.dataclass(frozen=True, slots=True)
class Invocations:
    """The Lambda functions a machine calls, as far as its definition says."""

    functions: tuple[LambdaFunction, ...] = ()  # phalanx functions, deployed by this stack
    arns: tuple[str, ...] = ()  # functions named by ARN or by name, deployed elsewhere
    notes: tuple[str, ...] = ()  # calls that get no permission, and why


def invocations(machine: StateMachine) -> Invocations:
    """Find every Lambda function `machine` invokes, nested branches included."""
    functions: dict[str, LambdaFunction] = {}
    arns: dict[str, None] = {}
    notes: list[str] = []
    for location, state in machine.walk():
        if not isinstance(state, Task):
            continue
        resource = state.resource
        if isinstance(resource, LambdaFunction):
            functions.setdefault(resource.name, resource)
        elif _is_lambda_arn(resource):
            arns.setdefault(resource, None)
        elif _is_lambda_invoke(resource):
            target = _function_name(state)
            if isinstance(target, LambdaFunction):
                functions.setdefault(target.name, target)
            elif isinstance(target, str):
                arns.setdefault(target, None)
            else:
                notes.append(
                    f"{location}: FunctionName is chosen at run time; add the "
                    "lambda:InvokeFunction permission it needs with a template hook"
                )
        else:
            notes.append(
                f"{location}: {resource} is not a Lambda call; add the permissions it "
                "needs with a template hook"
            )
    return Invocations(tuple(functions.values()), tuple(arns), tuple(notes))


def _is_lambda_arn(resource: str) -> bool:
    parts = resource.split(":")
    return len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function"


def _is_lambda_invoke(resource: str) -> bool:
    """`arn:<partition>:states:::lambda:invoke`, optionally `.waitForTaskToken`."""
    parts = resource.split(":")
    return (
        len(parts) == 7
        and parts[2] == "states"
        and parts[5:]
        in (
            ["lambda", "invoke"],
            ["lambda", "invoke.waitForTaskToken"],
        )
    )


def _function_name(task: Task) -> LambdaFunction | str | None:
    """The static `FunctionName` of a `lambda:invoke` task, if it has one."""
    for payload in (task.parameters, task.arguments):
        if not isinstance(payload, Mapping):
            continue
        value = payload.get("FunctionName")
        if isinstance(value, LambdaFunction):
            return value
        if isinstance(value, str) and not value.startswith("{%"):
            return value
    return None


def assume_role(service: str) -> dict[str, Json]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def function_policy(function: LambdaFunction) -> dict[str, Json]:
    """Logs for the function, then the statements it declared."""
    group = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/*"
    statements: list[Json] = [
        {
            "Effect": "Allow",
            "Action": _LOGS_ACTIONS,
            "Resource": [{"Fn::Sub": group}, {"Fn::Sub": group + ":*"}],
        }
    ]
    statements.extend(dict(statement) for statement in function.iam_statements)
    return {"Version": "2012-10-17", "Statement": statements}


def machine_policy(found: Invocations, logical_ids: Mapping[str, str]) -> dict[str, Json] | None:
    """`lambda:InvokeFunction` on exactly the functions found, or None if there are none.

    `logical_ids` maps a phalanx function's name to its resource in the stack.
    """
    resources: list[Json] = []
    for function in found.functions:
        lid = logical_ids[function.name]
        resources += [{"Fn::GetAtt": [lid, "Arn"]}, {"Fn::Sub": "${" + lid + ".Arn}:*"}]
    for name in found.arns:
        resources += _arn_and_versions(name)
    if not resources:
        return None
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": resources}
        ],
    }


def _arn_and_versions(name: str) -> list[Json]:
    """A function named by ARN, partial ARN or plain name: it and its versions and aliases."""
    if not name.startswith("arn:"):
        base = name.split(":function:", 1)[-1]
        unqualified = base.split(":", 1)[0]
        arn = {
            "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
            f":function:{unqualified}"
        }
        if ":" in base:  # name:version or name:alias: exactly that one
            return [{"Fn::Sub": arn["Fn::Sub"] + base[len(unqualified) :]}]
        return [arn, {"Fn::Sub": arn["Fn::Sub"] + ":*"}]
    if len(name.split(":")) > 7:  # qualified ARN: exactly that version or alias
        return [name]
    return [name, f"{name}:*"]
