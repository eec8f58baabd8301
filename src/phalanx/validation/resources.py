"""Task resources: Lambda and activity ARNs, service integrations and their patterns.

A Task `Resource` must be an ARN AWS can call (ASL reference, "Task
state"; developer guide, "Integrating services"):

- a Lambda function `arn:aws:lambda:<region>:<account>:function:<name>[:<alias|version>]`
- an activity `arn:aws:states:<region>:<account>:activity:<name>`
- an optimized integration `arn:aws:states:::<service>` (region and account may be
  filled in, as published AWS samples do) `:<api>[.sync|.sync:2|.waitForTaskToken]`
- an SDK integration `arn:aws:states:::aws-sdk:<service>:<api>[.waitForTaskToken]`

Which patterns each optimized service supports is the table in "Optimized
integrations for Step Functions". Express machines support neither `.sync`
nor `.waitForTaskToken` (nor activities); AWS reports that as
`SCHEMA_VALIDATION_FAILED` (recorded: "Express state machine does not support
'.sync' service integration").
"""

from __future__ import annotations

import re

from phalanx.validation.diagnostics import Report, quote
from phalanx.validation.expressions import has_placeholder, is_jsonata
from phalanx.validation.scopes import Machine, StateSite

_PARTITION = r"aws(?:-cn|-us-gov|-iso(?:-[a-z])?)?"
LAMBDA_ARN = re.compile(
    rf"arn:{_PARTITION}:lambda:[a-z0-9-]*:\d{{0,12}}:function:[A-Za-z0-9_-]{{1,140}}"
    r"(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?"
)
ACTIVITY_ARN = re.compile(rf"arn:{_PARTITION}:states:[a-z0-9-]+:\d+:activity:[^\s:]{{1,80}}")
INTEGRATION_ARN = re.compile(
    rf"arn:{_PARTITION}:states:(?:[a-z0-9-]+:\d+|:):(?P<service>[a-z0-9-]+):(?P<api>[A-Za-z0-9]+)"
    r"(?::(?P<sdk_api>[A-Za-z0-9]+))?(?P<pattern>\.sync(?::2)?|\.waitForTaskToken)?"
)

_SYNC = ".sync"
_CALLBACK = ".waitForTaskToken"

# service -> (APIs, or None when we do not pin them down; supported patterns)
OPTIMIZED: dict[str, tuple[frozenset[str] | None, frozenset[str]]] = {
    "lambda": (frozenset({"invoke"}), frozenset({_CALLBACK})),
    "dynamodb": (frozenset({"getItem", "putItem", "updateItem", "deleteItem"}), frozenset()),
    "sns": (frozenset({"publish"}), frozenset({_CALLBACK})),
    "sqs": (frozenset({"sendMessage"}), frozenset({_CALLBACK})),
    "events": (frozenset({"putEvents"}), frozenset({_CALLBACK})),
    "apigateway": (frozenset({"invoke"}), frozenset({_CALLBACK})),
    "http": (frozenset({"invoke"}), frozenset()),
    "batch": (frozenset({"submitJob"}), frozenset({_SYNC})),
    "ecs": (frozenset({"runTask"}), frozenset({_SYNC, _CALLBACK})),
    "glue": (frozenset({"startJobRun"}), frozenset({_SYNC})),
    "databrew": (frozenset({"startJobRun"}), frozenset({_SYNC})),
    "states": (frozenset({"startExecution"}), frozenset({_SYNC, ".sync:2", _CALLBACK})),
    "athena": (
        frozenset(
            {"startQueryExecution", "stopQueryExecution", "getQueryExecution", "getQueryResults"}
        ),
        frozenset({_SYNC}),
    ),
    "codebuild": (None, frozenset({_SYNC})),
    "mediaconvert": (frozenset({"createJob"}), frozenset({_SYNC})),
    "sagemaker": (None, frozenset({_SYNC})),
    "elasticmapreduce": (None, frozenset({_SYNC})),
    "emr-containers": (None, frozenset({_SYNC})),
    "emr-serverless": (None, frozenset({_SYNC})),
    "eks": (None, frozenset({_SYNC, _CALLBACK})),
    "bedrock": (None, frozenset({_SYNC, _CALLBACK})),
}

# ItemReader / ResultWriter resources of a distributed Map.
_READER_APIS = frozenset({"getObject", "listObjectsV2"})
_WRITER_APIS = frozenset({"putObject"})


def not_recognized(resource: str) -> str:
    """AWS's wording for a resource it does not know."""
    return (
        f"The resource provided {resource} is not recognized. The value is not a valid "
        "resource ARN, or the resource is not available in this region."
    )


def check(machine: Machine, report: Report) -> None:
    for site in machine.states:
        if site.type == "Task":
            resource = site.body.get("Resource")
            if isinstance(resource, str):
                _task_resource(machine, site, resource, report)
        elif site.type == "Map":
            for key, apis in (("ItemReader", _READER_APIS), ("ResultWriter", _WRITER_APIS)):
                part = site.body.get(key)
                if isinstance(part, dict) and isinstance(part.get("Resource"), str):
                    _map_resource(machine, site, key, part["Resource"], apis, report)


def _task_resource(machine: Machine, site: StateSite, resource: str, report: Report) -> None:
    at = site.at("Resource")
    name = site.name
    if machine.options.placeholders and has_placeholder(resource):
        return
    if is_jsonata(resource) and site.query_language == "JSONata":
        return
    if LAMBDA_ARN.fullmatch(resource):
        return
    if ACTIVITY_ARN.fullmatch(resource):
        if machine.options.machine_type == "EXPRESS":
            report.schema(at, f'State "{name}": Express state machine does not support activities')
        return
    m = INTEGRATION_ARN.fullmatch(resource)
    if m is None:
        report.error("INVALID_RESOURCE", at, f'State "{name}": {not_recognized(quote(resource))}')
        return
    service, api, sdk_api, pattern = m.group("service", "api", "sdk_api", "pattern")
    if service == "aws-sdk":
        supported: frozenset[str] = frozenset({_CALLBACK})
        if sdk_api is None:
            report.schema(at, f'State "{name}": {not_recognized(resource)}')
            return
    else:
        entry = OPTIMIZED.get(service)
        if entry is None or sdk_api is not None or (entry[0] is not None and api not in entry[0]):
            report.schema(at, f'State "{name}": {not_recognized(resource)}')
            return
        supported = entry[1]
    if pattern and pattern not in supported:
        report.schema(
            at,
            f'State "{name}": {service}:{api} does not support the {pattern} integration pattern',
        )
    elif pattern and machine.options.machine_type == "EXPRESS":
        kind = ".sync" if pattern.startswith(".sync") else pattern
        report.schema(at, f"Express state machine does not support '{kind}' service integration")


def _map_resource(
    machine: Machine,
    site: StateSite,
    key: str,
    resource: str,
    apis: frozenset[str],
    report: Report,
) -> None:
    if machine.options.placeholders and has_placeholder(resource):
        return
    m = INTEGRATION_ARN.fullmatch(resource)
    ok = (
        m is not None
        and m.group("pattern") is None
        and (
            (m.group("service") == "s3" and m.group("api") in apis and m.group("sdk_api") is None)
            or (m.group("service") == "aws-sdk" and m.group("sdk_api") is not None)
        )
    )
    if not ok:
        report.schema(
            site.at(key, "Resource"), f'State "{site.name}": {key}: {not_recognized(resource)}'
        )
