"""IAM for a deployment: what each role may do, and nothing more.

A function's role may write its logs plus the function's own
`iam_statements`. A state machine's role may invoke exactly the Lambda
functions its Task states name (and their versions and aliases):

- `Resource` is a `phalanx.function` or a Lambda function ARN, or
- `Resource` is `arn:aws:states:::lambda:invoke[.waitForTaskToken]` and the
  function is `FunctionName` in `Parameters` (JSONPath) or `Arguments` (JSONata);
  a plain name (or `name:qualifier`) of one of the project's functions is that
  function, since CloudFormation picks the deployed name.

and whatever else the definition names statically: a Distributed Map's own
child executions (`states:StartExecution` on the machine, in a separate
policy to avoid a cycle), its ItemReader object or bucket and ResultWriter
prefix, a Task's `Credentials.RoleArn`, and the targets of `sns:publish`,
`sqs:sendMessage`, `dynamodb:*Item` and `states:startExecution[.sync]`.

What cannot be known before run time (`FunctionName.$`, a JSONata value, a
`.$` bucket or role) and other service integrations get no permission, never
a wildcard: they are returned as notes, and a template hook can add the
statements they need. The one exception is what AWS itself documents on "*":
log delivery for a machine's declared logging, and X-Ray for its tracing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from phalanx.asl import Map, StateMachine, Task
from phalanx.asl.resources import (
    CALLBACK,
    SYNC,
    ResourceKind,
    TaskResource,
    parse_function_name,
    parse_resource,
)
from phalanx.functions import LambdaFunction

Json = Any  # a CloudFormation JSON value, intrinsics included

# The stack creates each function's log group, so the role only writes to it.
_LOGS_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]


@dataclasses.dataclass(frozen=True, slots=True)
class Invocations:
    """What a machine calls, as far as its definition says, and the grants it needs."""

    functions: tuple[LambdaFunction, ...] = ()  # phalanx functions, deployed by this stack
    # phalanx functions named `name:qualifier` in FunctionName: only that version or alias
    qualified: tuple[tuple[LambdaFunction, str], ...] = ()
    arns: tuple[str, ...] = ()  # functions named by ARN or by name, deployed elsewhere
    statements: tuple[Json, ...] = ()  # other static grants: S3, STS, SNS, SQS, ...
    distributed: bool = False  # a Distributed Map starts executions of the machine itself
    notes: tuple[str, ...] = ()  # calls that get no permission, and why


def invocations(
    machine: StateMachine, project_functions: Mapping[str, LambdaFunction] | None = None
) -> Invocations:
    """Find everything `machine` calls, nested branches included.

    `project_functions` are the project's functions by name: a `lambda:invoke`
    `FunctionName` that is one of them (`"work"` or `"work:live"`) is that
    function, whose deployed name CloudFormation chooses.
    """
    known = project_functions or {}
    functions: dict[str, LambdaFunction] = {}
    qualified: dict[tuple[str, str], LambdaFunction] = {}
    arns: dict[str, None] = {}
    statements: list[Json] = []
    notes: list[str] = []
    distributed = False
    for location, state in machine.walk():
        if isinstance(state, Map):
            distributed = distributed or is_distributed(state)
            found = _map_grants(location, state)
            statements += found[0]
            notes += found[1]
            continue
        if not isinstance(state, Task):
            continue
        if state.credentials is not None:
            found = _credentials_grants(location, state.credentials)
            statements += found[0]
            notes += found[1]
        if isinstance(state.resource, LambdaFunction):
            functions.setdefault(state.resource.name, state.resource)
            continue
        resource = parse_resource(state.resource)
        if resource.kind is ResourceKind.LAMBDA:
            arns.setdefault(resource.text, None)
        elif _calls_lambda_invoke(resource):
            target = _function_name(state)
            if isinstance(target, LambdaFunction):
                functions.setdefault(target.name, target)
            elif isinstance(target, str):
                local = resolve_function_name(target, known)
                if local is None:
                    arns.setdefault(target, None)
                elif local[1]:
                    qualified.setdefault((local[0].name, local[1]), local[0])
                else:
                    functions.setdefault(local[0].name, local[0])
            else:
                notes.append(
                    f"{location}: FunctionName is chosen at run time; no permission added: add "
                    "the lambda:InvokeFunction permission it needs with a template hook"
                )
        else:
            found = _service_grants(location, resource, state)
            statements += found[0]
            notes += found[1]
    return Invocations(
        tuple(functions.values()),
        tuple((fn, qualifier) for (_, qualifier), fn in qualified.items()),
        tuple(arns),
        tuple(statements),
        distributed,
        tuple(notes),
    )


def resolve_function_name(
    name: str, functions: Mapping[str, LambdaFunction]
) -> tuple[LambdaFunction, str] | None:
    """`"work"` or `"work:live"` naming a project function: it and the qualifier (`":live"`)."""
    function = parse_function_name(name)
    if name.startswith("arn:") or function.account:
        return None  # an ARN names a function in a given account: not ours to rewrite
    if function.name in functions:
        return functions[function.name], f":{function.qualifier}" if function.qualifier else ""
    return None


def is_distributed(state: Map) -> bool:
    processor = state.processor
    config = processor.processor_config if processor is not None else None
    return isinstance(config, Mapping) and config.get("Mode") == "DISTRIBUTED"


def _static(payload: object, key: str) -> str | None:
    """`payload[key]` when it is a literal string (not a `.$` path, not JSONata)."""
    if not isinstance(payload, Mapping):
        return None
    value = payload.get(key)
    if isinstance(value, str) and not value.startswith("{%"):
        return value
    return None


def _payload(state: Task | Mapping[str, Any]) -> Mapping[str, Any]:
    """The Parameters (JSONPath) or Arguments (JSONata) object of a Task or a reader/writer."""
    if isinstance(state, Task):
        candidates: tuple[object, ...] = (state.parameters, state.arguments)
    else:
        candidates = (state.get("Parameters"), state.get("Arguments"))
    for candidate in candidates:
        if isinstance(candidate, Mapping):
            return candidate
    return {}


def _sub(text: str) -> Json:
    return {"Fn::Sub": text}


_ARN = "arn:${AWS::Partition}"
_HERE = "${AWS::Region}:${AWS::AccountId}"


def _s3_object(bucket: str, key: str) -> Json:
    return _sub(f"{_ARN}:s3:::{_escape(bucket)}/{_escape(key)}")


def _escape(text: str) -> str:
    """User text inside an `Fn::Sub`: `${` written as `${!`."""
    return text.replace("${", "${!")


def _allow(actions: list[str], resources: list[Json]) -> Json:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def _map_grants(location: str, state: Map) -> tuple[list[Json], list[str]]:
    """S3 access for a Distributed Map's ItemReader and ResultWriter, when static."""
    statements: list[Json] = []
    notes: list[str] = []
    reader = state.item_reader
    if isinstance(reader, Mapping):
        payload = _payload(reader)
        bucket = _static(payload, "Bucket")
        resource = str(reader.get("Resource", ""))
        if bucket is None:
            notes.append(
                f"{location}: ItemReader's Bucket is chosen at run time; no permission added: "
                "add the s3 permissions it needs with a template hook"
            )
        elif resource.endswith(":s3:listObjectsV2"):
            statements.append(_allow(["s3:ListBucket"], [_sub(f"{_ARN}:s3:::{_escape(bucket)}")]))
        else:
            key = _static(payload, "Key")
            if key is None:
                notes.append(
                    f"{location}: ItemReader's Key is chosen at run time; no permission added: "
                    "add s3:GetObject with a template hook"
                )
            else:
                statements.append(_allow(["s3:GetObject"], [_s3_object(bucket, key)]))
                config = reader.get("ReaderConfig")
                if isinstance(config, Mapping) and "ManifestType" in config:
                    notes.append(
                        f"{location}: ItemReader reads a {config['ManifestType']} manifest: "
                        "s3:GetObject was added for the manifest only; add the objects it "
                        "lists with a template hook"
                    )
    writer = state.result_writer
    if isinstance(writer, Mapping) and ("Parameters" in writer or "Arguments" in writer):
        payload = _payload(writer)
        bucket = _static(payload, "Bucket")
        prefix = _static(payload, "Prefix") if "Prefix" in payload else ""
        if bucket is None or prefix is None:
            notes.append(
                f"{location}: ResultWriter's Bucket or Prefix is chosen at run time; no "
                "permission added: add s3:PutObject with a template hook"
            )
        else:
            where = f"{prefix.rstrip('/')}/*" if prefix else "*"
            statements.append(
                _allow(
                    [
                        "s3:PutObject",
                        "s3:GetObject",
                        "s3:ListMultipartUploadParts",
                        "s3:AbortMultipartUpload",
                    ],
                    [_s3_object(bucket, where)],
                )
            )
    return statements, notes


def _credentials_grants(location: str, credentials: object) -> tuple[list[Json], list[str]]:
    """`sts:AssumeRole` on a Task's static `Credentials.RoleArn`."""
    role = _static(credentials, "RoleArn")
    if role is not None:
        return [_allow(["sts:AssumeRole"], [role])], []
    return [], [
        f"{location}: Credentials' RoleArn is chosen at run time; no permission added: add "
        "sts:AssumeRole on the roles it may name with a template hook"
    ]


def _service_grants(
    location: str, resource: TaskResource, task: Task
) -> tuple[list[Json], list[str]]:
    """Grants for the service integrations whose target is static in the definition."""
    if resource.kind is ResourceKind.INTEGRATION:
        service, action = resource.service, resource.action
        granted = _integration(service, action, resource.pattern, _payload(task))
        if granted is not None:
            return granted, []
        if (service, action) in _INTEGRATION_FIELDS:
            field = _INTEGRATION_FIELDS[(service, action)]
            return [], [
                f"{location}: {field} of {resource.text} is chosen at run time; no permission "
                "added: add what it needs with a template hook"
            ]
    return [], [
        f"{location}: {resource.text} is not a Lambda call; no permission added: add the "
        "permissions it needs with a template hook"
    ]


# Service integration -> the Parameters/Arguments field that names its target.
_INTEGRATION_FIELDS = {
    ("sns", "publish"): "TopicArn",
    ("sqs", "sendMessage"): "QueueUrl",
    ("dynamodb", "getItem"): "TableName",
    ("dynamodb", "putItem"): "TableName",
    ("dynamodb", "updateItem"): "TableName",
    ("dynamodb", "deleteItem"): "TableName",
    ("states", "startExecution"): "StateMachineArn",
}


def _integration(
    service: str, action: str, pattern: str, payload: Mapping[str, Any]
) -> list[Json] | None:
    field = _INTEGRATION_FIELDS.get((service, action))
    target = _static(payload, field) if field else None
    if target is None:
        return None
    if service == "sns":
        return [_allow(["sns:Publish"], [target])]
    if service == "sqs":
        arn = _queue_arn(target)
        return [_allow(["sqs:SendMessage"], [arn])] if arn is not None else None
    if service == "dynamodb":
        table = (
            target
            if target.startswith("arn:")
            else _sub(f"{_ARN}:dynamodb:{_HERE}:table/{_escape(target)}")
        )
        return [_allow([f"dynamodb:{action[0].upper()}{action[1:]}"], [table])]
    # states:startExecution, optionally .sync / .sync:2 (which also watch the child run)
    statements = [_allow(["states:StartExecution"], [target])]
    if pattern.startswith(SYNC):
        executions = target.replace(":stateMachine:", ":execution:", 1) + ":*"
        rule = f"{_ARN}:events:{_HERE}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"
        statements += [
            _allow(["states:DescribeExecution", "states:StopExecution"], [executions]),
            _allow(["events:PutTargets", "events:PutRule", "events:DescribeRule"], [_sub(rule)]),
        ]
    return statements


def _queue_arn(url: str) -> str | None:
    """`https://sqs.eu-west-1.amazonaws.com/123456789012/q` -> its queue ARN."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = [part for part in parts.path.split("/") if part]
    host = (parts.hostname or "").split(".")
    if len(path) != 2 or len(host) < 3 or host[0] != "sqs":
        return None
    partition = "aws-cn" if (parts.hostname or "").endswith(".cn") else "aws"
    return f"arn:{partition}:sqs:{host[1]}:{path[0]}:{path[1]}"


def is_lambda_invoke(resource: str) -> bool:
    """`arn:<partition>:states:::lambda:invoke`, optionally `.waitForTaskToken`."""
    return _calls_lambda_invoke(parse_resource(resource))


def _calls_lambda_invoke(resource: TaskResource) -> bool:
    return resource.is_lambda_invoke and resource.pattern in ("", CALLBACK)


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


def function_policy(function: LambdaFunction, log_group: str) -> dict[str, Json]:
    """Logs in its own log group (logical id `log_group`), then the statements it declared.

    The log group's `Arn` attribute ends in `:*`, so it covers its streams.
    """
    statements: list[Json] = [
        {
            "Effect": "Allow",
            "Action": _LOGS_ACTIONS,
            "Resource": [{"Fn::GetAtt": [log_group, "Arn"]}],
        }
    ]
    statements.extend(dict(statement) for statement in function.iam_statements)
    return {"Version": "2012-10-17", "Statement": statements}


def machine_policy(found: Invocations, logical_ids: Mapping[str, str]) -> dict[str, Json] | None:
    """Exactly what the machine calls: Lambda functions, then other static grants.

    `logical_ids` maps a phalanx function's name to its resource in the stack.
    None when the machine calls nothing that needs a permission.
    """
    resources: list[Json] = []
    for function in found.functions:
        lid = logical_ids[function.name]
        resources += [{"Fn::GetAtt": [lid, "Arn"]}, {"Fn::Sub": "${" + lid + ".Arn}:*"}]
    for function, qualifier in found.qualified:
        resources.append({"Fn::Sub": "${" + logical_ids[function.name] + ".Arn}" + qualifier})
    for name in found.arns:
        resources += _arn_and_versions(name)
    statements: list[Json] = []
    if resources:
        statements.append(
            {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": resources}
        )
    for statement in found.statements:
        if statement not in statements:
            statements.append(statement)
    if not statements:
        return None
    return {"Version": "2012-10-17", "Statement": statements}


def self_policy(machine_lid: str) -> dict[str, Json]:
    """What a Distributed Map needs on its own machine: start child runs, watch and stop them.

    A separate `AWS::IAM::Policy`: in the role's own policy, the machine's ARN
    would make the role depend on the machine, which depends on the role.
    """
    executions = f"{_ARN}:states:{_HERE}:execution:${{{machine_lid}.Name}}/*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            _allow(["states:StartExecution"], [{"Ref": machine_lid}]),
            _allow(["states:DescribeExecution", "states:StopExecution"], [_sub(executions)]),
        ],
    }


def _arn_and_versions(name: str) -> list[Json]:
    """A function named by ARN, partial ARN or plain name: it and its versions and aliases."""
    function = parse_function_name(name)
    if not name.startswith("arn:"):
        arn = f"{_ARN}:lambda:{_HERE}:function:{function.name}"
        if function.qualifier:  # name:version or name:alias: exactly that one
            return [_sub(f"{arn}:{function.qualifier}")]
        return [_sub(arn), _sub(f"{arn}:*")]
    if function.qualifier:  # qualified ARN: exactly that version or alias
        return [name]
    return [name, f"{name}:*"]


# --- the machine's own logging and tracing ----------------------------------------------------

# Step Functions developer guide, "IAM Policies for logging to CloudWatch Logs":
# Step Functions sets up log delivery with these account-level actions, which
# take no resource ARN, so the guide grants them on "*".
LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
]
# Step Functions developer guide, "IAM policies for AWS X-Ray in Step Functions".
XRAY_ACTIONS = [
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
]


def observability_statements(machine: StateMachine) -> list[Json]:
    """What the machine's declared logging and X-Ray tracing need, exactly as AWS documents.

    Nothing when it declares neither (or logging at level OFF).
    """
    statements: list[Json] = []
    if machine.logging is not None and machine.logging.level != "OFF":
        statements.append(_allow(LOG_DELIVERY_ACTIONS, ["*"]))
    if machine.tracing:
        statements.append(_allow(XRAY_ACTIONS, ["*"]))
    return statements
