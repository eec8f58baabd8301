"""What a Task `Resource` ARN names: the one parser the engine, validator, IAM and runtime share.

The forms (ASL reference, "Task state"; developer guide, "Integrating services"):

- a Lambda function `arn:aws:lambda:<region>:<account>:function:<name>[:<alias|version>]`
- an activity `arn:aws:states:<region>:<account>:activity:<name>`
- an optimized integration `arn:aws:states:::<service>:<action>` with an optional
  pattern `.sync`, `.sync:2` or `.waitForTaskToken` (region and account may be
  filled in, as published AWS samples do); `http:invoke` is the HTTP task
- an SDK integration `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`

Anything else is `UNKNOWN`. When asked, a `${...}` placeholder (CloudFormation,
SAM) may stand for a whole partition, region, account or name, so
`arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:work`
is a Lambda function.

Parsing says what the text is, not whether AWS supports it: which actions and
patterns each service takes is the validator's table. An integration-shaped
ARN with an extra segment (`sns:publish:extra`, or `aws-sdk:s3` with no
action) parses as an `INTEGRATION` whose `action` holds the rest, so the
validator can name it.

Lambda's `FunctionName` (in `lambda:invoke` parameters, and what an invoker
is asked for) has forms of its own: `parse_function_name`.
"""

from __future__ import annotations

import dataclasses
import re
from enum import Enum

_PLACEHOLDER = r"\$\{[^}]+\}"


@dataclasses.dataclass(frozen=True, slots=True)
class _Grammar:
    """The three ARN forms as regular expressions."""

    lambda_arn: re.Pattern[str]
    activity_arn: re.Pattern[str]
    integration_arn: re.Pattern[str]


def _grammar(placeholders: bool) -> _Grammar:
    """The ARN forms; with `placeholders`, a `${...}` may stand for a whole segment."""

    def segment(pattern: str) -> str:
        return rf"(?:{pattern}|{_PLACEHOLDER})" if placeholders else rf"(?:{pattern})"

    partition = segment(r"aws(?:-cn|-us-gov|-iso(?:-[a-z])?)?")
    region, account = segment(r"[a-z0-9-]+"), segment(r"\d+")
    function_region, function_account = segment(r"[a-z0-9-]*"), segment(r"\d{0,12}")
    function_name = segment(r"[A-Za-z0-9_-]{1,140}")
    qualifier = segment(r"\$LATEST|[A-Za-z0-9_-]{1,128}")
    activity_name = segment(r"[^\s:]{1,80}")
    return _Grammar(
        re.compile(
            rf"arn:(?P<partition>{partition}):lambda:(?P<region>{function_region})"
            rf":(?P<account>{function_account}):function:(?P<name>{function_name})"
            rf"(?::(?P<qualifier>{qualifier}))?"
        ),
        re.compile(
            rf"arn:(?P<partition>{partition}):states:(?P<region>{region}):(?P<account>{account})"
            rf":activity:(?P<name>{activity_name})"
        ),
        re.compile(
            rf"arn:(?P<partition>{partition}):states:(?:(?P<region>{region}):(?P<account>{account})|:)"
            r":(?P<service>[a-z0-9-]+):(?P<action>[A-Za-z0-9]+(?::[A-Za-z0-9]+)?)"
            r"(?P<pattern>\.sync(?::2)?|\.waitForTaskToken)?"
        ),
    )


_STRICT = _grammar(placeholders=False)
_WITH_PLACEHOLDERS = _grammar(placeholders=True)

SYNC = ".sync"
SYNC_2 = ".sync:2"
CALLBACK = ".waitForTaskToken"


class ResourceKind(Enum):
    """What a Task resource names."""

    LAMBDA = "Lambda function"
    INTEGRATION = "optimized service integration"
    SDK = "AWS SDK integration"
    HTTP = "HTTP task"
    ACTIVITY = "activity"
    UNKNOWN = "unknown resource"


@dataclasses.dataclass(frozen=True, slots=True)
class TaskResource:
    """A parsed Task resource ARN; fields a form does not have are empty strings.

    `service`/`action` are the integration's (`sns`/`publish`; for the SDK,
    the called service and API: `s3`/`getObject`); `pattern` keeps its dot
    (`.sync`, `.sync:2`, `.waitForTaskToken`); `name` is the function's or
    the activity's name and `qualifier` the function's version or alias.
    """

    text: str
    kind: ResourceKind
    partition: str = ""
    region: str = ""
    account: str = ""
    service: str = ""
    action: str = ""
    pattern: str = ""
    name: str = ""
    qualifier: str = ""

    @property
    def is_lambda_invoke(self) -> bool:
        """`lambda:invoke`, any pattern: the function is `FunctionName` in the parameters."""
        return (
            self.kind is ResourceKind.INTEGRATION
            and self.service == "lambda"
            and self.action == "invoke"
        )


def parse_resource(text: str, *, placeholders: bool = False) -> TaskResource:
    """What the Task resource `text` names (`UNKNOWN` when it is no form AWS knows).

    With `placeholders`, a `${...}` may stand for a whole partition, region,
    account or name (a CloudFormation or SAM definition before substitution).
    """
    grammar = _WITH_PLACEHOLDERS if placeholders else _STRICT
    if m := grammar.lambda_arn.fullmatch(text):
        return TaskResource(
            text,
            ResourceKind.LAMBDA,
            m["partition"],
            m["region"],
            m["account"],
            name=m["name"],
            qualifier=m["qualifier"] or "",
        )
    if m := grammar.activity_arn.fullmatch(text):
        return TaskResource(
            text, ResourceKind.ACTIVITY, m["partition"], m["region"], m["account"], name=m["name"]
        )
    if m := grammar.integration_arn.fullmatch(text):
        service, action = m["service"], m["action"]
        kind = ResourceKind.INTEGRATION
        if service == "aws-sdk" and ":" in action:
            kind = ResourceKind.SDK
            service, action = action.split(":")
        elif (service, action) == ("http", "invoke"):
            kind = ResourceKind.HTTP
        return TaskResource(
            text,
            kind,
            m["partition"],
            m["region"] or "",
            m["account"] or "",
            service,
            action,
            m["pattern"] or "",
        )
    return TaskResource(text, ResourceKind.UNKNOWN)


@dataclasses.dataclass(frozen=True, slots=True)
class FunctionName:
    """A Lambda `FunctionName`: `name`, `name:qualifier`, `account:function:name[:qualifier]`
    or a full function ARN; `arn` is set only for the last."""

    name: str
    qualifier: str = ""
    account: str = ""
    arn: str = ""


def parse_function_name(text: str) -> FunctionName:
    """The function (and version or alias) a Lambda `FunctionName` names."""
    parsed = parse_resource(text)
    if parsed.kind is ResourceKind.LAMBDA:
        return FunctionName(parsed.name, parsed.qualifier, parsed.account, text)
    before, marker, rest = text.partition(":function:")
    account = before.rsplit(":", 1)[-1] if marker else ""
    name, _, qualifier = (rest if marker else text).partition(":")
    return FunctionName(name, qualifier, account)


def function_arn(text: str, region: str, account: str, partition: str = "aws") -> str:
    """The full function ARN for a `FunctionName` (Lambda accepts every form).

    An ARN is kept as written; a name or partial ARN is completed with
    `region` and `account` (a partial ARN's own account wins).
    """
    if text.startswith("arn:"):
        return text
    function = parse_function_name(text)
    qualifier = f":{function.qualifier}" if function.qualifier else ""
    owner = function.account or account
    return f"arn:{partition}:lambda:{region}:{owner}:function:{function.name}{qualifier}"
