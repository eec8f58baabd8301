"""`phalanx template`: the CloudFormation template of a project.

For every `phalanx.function`: an `AWS::Lambda::Function` (code from the
`CodeBucket`/`CodeKey` parameters, which provision fills in) and its role.
For every state machine: an `AWS::StepFunctions::StateMachine` and a role that
may invoke exactly its functions (see `phalanx.deploy.iam`), with the type,
logging (and its log group), X-Ray tracing and tags the machine declares
(`phalanx.asl.deployment`). Outputs give every ARN.

The definition is a `DefinitionString` built with `Fn::Sub`, a phalanx
function written as `${RollDieFunction.Arn}`: moto's CloudFormation keeps an
empty definition for a `Definition` object and ignores
`DefinitionSubstitutions`, while `Fn::Sub` works on both moto and AWS.

Template hooks (Sparta calls them service decorators) edit the template in
Python before it is written or deployed: any module-level callable named
`phalanx_template_hook`, or carrying a true `__phalanx_template_hook__`
attribute, is called as `hook(template, context)`. It may change `template`
in place or return a new dict::

    def phalanx_template_hook(template, context):
        template["Resources"]["Uploads"] = {"Type": "AWS::S3::Bucket"}
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from phalanx.asl import StateMachine
from phalanx.deploy import iam
from phalanx.deploy.errors import DeployError
from phalanx.functions import LambdaFunction
from phalanx.project import Project

Template = dict[str, Any]
CODE_BUCKET = "CodeBucket"
CODE_KEY = "CodeKey"
HOOK_NAME = "phalanx_template_hook"
HOOK_MARK = "__phalanx_template_hook__"
_INTEGRATION_PREFIX = "arn:aws:states:::"
# Lambda's quota on a function's environment variables, all together.
ENVIRONMENT_LIMIT = 4096
# How long each function's and machine's logs are kept; a template hook may change it.
LOG_RETENTION_DAYS = 30
# Step Functions developer guide, "CloudWatch Logs resource policy size
# restrictions": a log group named under /aws/vendedlogs/ keeps each new
# machine from growing the account's 5,120-character logs resource policy.
MACHINE_LOG_PREFIX = "/aws/vendedlogs/states/"


@dataclasses.dataclass(frozen=True, slots=True)
class TemplateContext:
    """What a template hook may want to know; `stack_name` is None outside provision."""

    project: Project
    functions: Mapping[str, str]  # function name -> logical id
    machines: Mapping[str, str]  # machine name -> logical id
    handlers: Mapping[str, str]  # function name -> Lambda handler string
    stack_name: str | None = None
    region: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Built:
    """A template with the names it uses and what the roles leave out."""

    template: Template
    context: TemplateContext
    notes: tuple[str, ...]


def logical_id(name: str, suffix: str) -> str:
    """`roll_die` + `Function` -> `RollDieFunction`: CloudFormation wants [A-Za-z0-9]."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)
    base = "".join(word[:1].upper() + word[1:] for word in words) or "Phalanx"
    if base[0].isdigit():
        base = f"P{base}"
    return f"{base}{suffix}"


def default_handler(function: LambdaFunction) -> str:
    from phalanx.deploy.package import SHIM_MODULE, handler_name

    return f"{SHIM_MODULE}.{handler_name(function)}"


def build_template(
    project: Project,
    *,
    stack_name: str | None = None,
    region: str | None = None,
    run_hooks: bool = True,
) -> Built:
    """The template of `project`, after its hooks ran (unless `run_hooks` is false)."""
    if not project.functions and not project.machines:
        raise DeployError(
            f"{project.path}: declares no phalanx.function and no StateMachine: nothing to deploy"
        )
    functions = _unique_ids(project.functions, "Function", "function")
    machines = _unique_ids(project.machines, "StateMachine", "state machine")
    handlers = {name: default_handler(fn) for name, fn in project.functions.items()}
    context = TemplateContext(project, functions, machines, handlers, stack_name, region)
    resources: Template = {}
    outputs: Template = {}
    for name, function in project.functions.items():
        lid = functions[name]
        resources[f"{lid}LogGroup"] = _log_group()
        resources[f"{lid}Role"] = _role(
            "lambda.amazonaws.com", iam.function_policy(function, f"{lid}LogGroup")
        )
        resources[lid] = _function(function, handlers[name], f"{lid}Role", f"{lid}LogGroup")
        outputs[f"{lid}Arn"] = {
            "Description": f"ARN of Lambda function {name}",
            "Value": {"Fn::GetAtt": [lid, "Arn"]},
        }
    notes: list[str] = []
    for name, machine in project.machines.items():
        lid = machines[name]
        found = iam.invocations(machine, project.functions)
        called = [*found.functions, *(fn for fn, _ in found.qualified)]
        missing = [fn.name for fn in called if fn.name not in functions]
        if missing:
            raise DeployError(
                f"state machine {name} calls phalanx functions {missing} that phalanx cannot "
                "package: assign them to module-level names"
            )
        notes += [f"state machine {name}: {note}" for note in found.notes]
        if machine.type == "EXPRESS" and (
            machine.logging is None or machine.logging.level == "OFF"
        ):
            # "Express Workflows don't record execution history in AWS Step Functions"
            # (developer guide, "Using CloudWatch Logs to log execution history").
            notes.append(
                f"state machine {name}: an EXPRESS machine without logging keeps no history; "
                'declare logging=Logging(level="ALL") to see its executions'
            )
        policy = _with_statements(
            iam.machine_policy(found, functions), iam.observability_statements(machine)
        )
        resources[f"{lid}Role"] = _role("states.amazonaws.com", policy)
        properties = {
            "RoleArn": {"Fn::GetAtt": [f"{lid}Role", "Arn"]},
            "DefinitionString": definition_string(machine, functions, project.functions),
            **deployment_properties(machine, f"{lid}LogGroup"),
        }
        if "Destinations" in properties.get("LoggingConfiguration", {}):
            group_name = {"Fn::Sub": f"{MACHINE_LOG_PREFIX}${{AWS::StackName}}-{lid}"}
            resources[f"{lid}LogGroup"] = _log_group(group_name)
        resources[lid] = {"Type": "AWS::StepFunctions::StateMachine", "Properties": properties}
        if found.distributed:
            resources[f"{lid}SelfPolicy"] = {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyName": "phalanx-distributed-map",
                    "PolicyDocument": iam.self_policy(lid),
                    "Roles": [{"Ref": f"{lid}Role"}],
                },
            }
        outputs[f"{lid}Arn"] = {
            "Description": f"ARN of state machine {name}",
            "Value": {"Ref": lid},
        }
    template: Template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Phalanx: {project.path.name}",
        "Parameters": {
            CODE_BUCKET: {
                "Type": "String",
                "Description": "S3 bucket holding the functions' zip",
            },
            CODE_KEY: {"Type": "String", "Description": "S3 key of the functions' zip"},
        },
        "Resources": resources,
        "Outputs": outputs,
    }
    if not project.functions:
        del template["Parameters"]
    if run_hooks:
        template = run_template_hooks(template, context)
    return Built(template, context, tuple(notes))


def definition_string(
    machine: StateMachine,
    functions: Mapping[str, str],
    by_name: Mapping[str, LambdaFunction] | None = None,
) -> str | dict[str, Any]:
    """`{"Fn::Sub": <ASL JSON>}`, each phalanx function as `${<LogicalId>.Arn}`.

    The plain ASL JSON when there is nothing to substitute.

    A literal `${` in the definition is escaped as `${!` (Fn::Sub's escape).
    A `phalanx.function` given as `FunctionName` of a `lambda:invoke` task
    is written the same way, and so is a `FunctionName` string that names one
    of `by_name` (`"work"`, `"work:live"`): CloudFormation chooses the
    deployed function's name, so the plain name would not exist.
    `arn:aws:states:::...` integrations are written for the stack's partition.
    """
    tokens: dict[str, str] = {}

    def token(function: LambdaFunction, qualifier: str = "") -> str:
        return literal("${" + functions[function.name] + ".Arn}" + qualifier.replace("${", "${!"))

    def literal(value: str) -> str:
        """A mark in the JSON that becomes `value`, already written for Fn::Sub."""
        mark = f"\x00{len(tokens)}\x00"
        tokens[mark] = value
        return mark

    def partitioned(holder: dict[str, Any]) -> None:
        # Service integrations exist in every partition (aws-cn, aws-us-gov): cfn-lint I3042.
        resource = holder.get("Resource")
        if isinstance(resource, str) and resource.startswith(_INTEGRATION_PREFIX):
            rest = resource[len(_INTEGRATION_PREFIX) :].replace("${", "${!")
            holder["Resource"] = literal("arn:${AWS::Partition}:states:::" + rest)

    def by_function_name(states: object) -> None:
        if not isinstance(states, dict):
            return
        for state in states.values():
            if not isinstance(state, dict):
                continue
            if state.get("Type") == "Task" and iam.is_lambda_invoke(str(state.get("Resource"))):
                for field in ("Parameters", "Arguments"):
                    payload = state.get(field)
                    name = payload.get("FunctionName") if isinstance(payload, dict) else None
                    if isinstance(payload, dict) and isinstance(name, str):
                        local = iam.resolve_function_name(name, by_name or {})
                        if local is not None:
                            payload["FunctionName"] = token(*local)
            if state.get("Type") == "Task":
                partitioned(state)
            for key in ("ItemReader", "ResultWriter"):
                if isinstance(state.get(key), dict):
                    partitioned(state[key])
            for branch in state.get("Branches", []) or []:
                by_function_name(branch.get("States") if isinstance(branch, dict) else None)
            for key in ("ItemProcessor", "Iterator"):
                if isinstance(state.get(key), dict):
                    by_function_name(state[key].get("States"))

    def encode(value: object) -> str:
        if isinstance(value, LambdaFunction):
            return token(value)
        raise TypeError(f"cannot write {type(value).__name__} in a definition")

    asl = machine.to_asl(token)
    by_function_name(asl.get("States"))
    text = json.dumps(asl, indent=2, ensure_ascii=False, default=encode)
    if not tokens and "${" not in text:
        return text  # nothing to substitute: an Fn::Sub without variables is cfn-lint W1020
    text = text.replace("${", "${!")
    for mark, value in tokens.items():
        text = text.replace(json.dumps(mark), json.dumps(value), 1)
    return {"Fn::Sub": text}


def deployment_properties(machine: StateMachine, log_group: str) -> dict[str, Any]:
    """The machine's declared type, logging, tracing and tags as resource properties.

    `log_group` is the logical id of the log group its logging goes to (the
    caller creates it when `LoggingConfiguration` has `Destinations`).
    """
    properties: dict[str, Any] = {}
    if machine.type is not None:
        properties["StateMachineType"] = machine.type
    logging = machine.logging
    if logging is not None:
        properties["LoggingConfiguration"] = {
            "Level": logging.level,
            "IncludeExecutionData": logging.include_execution_data,
        }
        if logging.level != "OFF":
            # The log group's Arn attribute ends in `:*`, the form Step Functions asks for.
            group = {"LogGroupArn": {"Fn::GetAtt": [log_group, "Arn"]}}
            properties["LoggingConfiguration"]["Destinations"] = [{"CloudWatchLogsLogGroup": group}]
    if machine.tracing:
        properties["TracingConfiguration"] = {"Enabled": True}
    if machine.tags:
        properties["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(machine.tags.items())]
    return properties


def run_template_hooks(template: Template, context: TemplateContext) -> Template:
    """Call the project's template hooks in the order the module defines them."""
    for hook in template_hooks(context.project):
        try:
            changed = hook(template, context)
        except Exception as error:
            name = getattr(hook, "__name__", repr(hook))
            raise DeployError(
                f"template hook {name} failed: {type(error).__name__}: {error}"
            ) from error
        if changed is not None:
            if not isinstance(changed, dict):
                raise DeployError(f"template hook {hook!r} returned {type(changed).__name__}")
            template = changed
    return template


def template_hooks(project: Project) -> list[Callable[[Template, TemplateContext], Any]]:
    from phalanx.deploy.package import find_module

    if project.path.suffix != ".py":
        return []
    module = find_module(project)
    return [
        value
        for name, value in vars(module).items()
        if callable(value) and (name == HOOK_NAME or getattr(value, HOOK_MARK, False) is True)
    ]


def render(template: Template, fmt: str = "json", *, compact: bool = False) -> str:
    """The template as JSON or YAML text (YAML in the long `Fn::` form, no tags).

    `compact` JSON (no indentation) is what provision sends: CreateChangeSet
    takes at most 51,200 bytes inline.
    """
    if fmt == "yaml":
        import yaml

        class Dumper(yaml.SafeDumper):
            def ignore_aliases(self, data: Any) -> bool:
                return True  # CloudFormation refuses YAML anchors and aliases

        return str(
            yaml.dump(template, Dumper=Dumper, sort_keys=False, width=100, allow_unicode=True)
        )
    if compact:
        return json.dumps(template, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(template, indent=2, ensure_ascii=False) + "\n"


def format_for(path: str | Path) -> str:
    return "yaml" if Path(path).suffix in (".yaml", ".yml") else "json"


def _unique_ids(items: Mapping[str, object], suffix: str, what: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    taken: dict[str, str] = {}
    for name in items:
        lid = logical_id(name, suffix)
        if lid in taken:
            raise DeployError(
                f"{what}s {taken[lid]!r} and {name!r} both become {lid} in CloudFormation; "
                "rename one"
            )
        taken[lid] = name
        ids[name] = lid
    return ids


def _log_group(name: Any = None) -> dict[str, Any]:
    properties: dict[str, Any] = {"RetentionInDays": LOG_RETENTION_DAYS}
    if name is not None:
        properties = {"LogGroupName": name, **properties}
    return {
        "Type": "AWS::Logs::LogGroup",
        # Said, not defaulted (cfn-lint I3011): the logs go with the stack.
        "DeletionPolicy": "Delete",
        "UpdateReplacePolicy": "Delete",
        "Properties": properties,
    }


def _with_statements(policy: dict[str, Any] | None, statements: list[Any]) -> dict[str, Any] | None:
    if not statements:
        return policy
    if policy is None:
        return {"Version": "2012-10-17", "Statement": statements}
    return {**policy, "Statement": [*policy["Statement"], *statements]}


def _role(service: str, policy: dict[str, Any] | None) -> dict[str, Any]:
    properties: dict[str, Any] = {"AssumeRolePolicyDocument": iam.assume_role(service)}
    if policy is not None:
        properties["Policies"] = [{"PolicyName": "phalanx", "PolicyDocument": policy}]
    return {"Type": "AWS::IAM::Role", "Properties": properties}


def _function(function: LambdaFunction, handler: str, role: str, logs: str) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "Code": {"S3Bucket": {"Ref": CODE_BUCKET}, "S3Key": {"Ref": CODE_KEY}},
        "Handler": handler,
        "Runtime": function.runtime,
        "Architectures": [function.architecture],
        "MemorySize": function.memory_size,
        "Timeout": function.timeout,
        "Role": {"Fn::GetAtt": [role, "Arn"]},
        # The stack's own log group (retention set, deleted with the stack) instead
        # of /aws/lambda/<name>, which Lambda would create with no expiry and leave behind.
        "LoggingConfig": {"LogGroup": {"Ref": logs}},
    }
    if function.description:
        properties["Description"] = function.description[:256]
    if function.environment:
        size = sum(len(k.encode()) + len(v.encode()) for k, v in function.environment.items())
        if size > ENVIRONMENT_LIMIT:
            # Lambda refuses it mid-stack (CREATE_FAILED); moto accepts it.
            raise DeployError(
                f"function {function.name}: its environment holds {size:,} bytes of names and "
                f"values, over Lambda's {ENVIRONMENT_LIMIT:,} (4 KB); keep big values in S3 or "
                "SSM Parameter Store and pass their names"
            )
        properties["Environment"] = {"Variables": dict(function.environment)}
    if function.tags:
        properties["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(function.tags.items())]
    if function.ephemeral_storage is not None:
        properties["EphemeralStorage"] = {"Size": function.ephemeral_storage}
    if function.reserved_concurrency is not None:
        properties["ReservedConcurrentExecutions"] = function.reserved_concurrency
    if function.layers:
        properties["Layers"] = list(function.layers)
    return {"Type": "AWS::Lambda::Function", "Properties": properties}
