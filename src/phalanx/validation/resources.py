"""Task resources: Lambda and activity ARNs, service integrations and their patterns.

A Task `Resource` must be an ARN AWS can call: a Lambda function, an
activity, an optimized or an SDK integration (`phalanx.asl.resources` parses
them; ASL reference, "Task state").

Which patterns each optimized service supports is the table in "Optimized
integrations for Step Functions". Express machines support neither `.sync`
nor `.waitForTaskToken` (nor activities); AWS reports that as
`SCHEMA_VALIDATION_FAILED` (recorded: "Express state machine does not support
'.sync' service integration").
"""

from __future__ import annotations

from phalanx.asl.resources import CALLBACK, SYNC, SYNC_2, ResourceKind, TaskResource, parse_resource
from phalanx.validation.diagnostics import Report, quote
from phalanx.validation.expressions import has_placeholder, is_jsonata
from phalanx.validation.scopes import Machine, StateSite

# service -> (APIs, or None when we do not pin them down; supported patterns)
OPTIMIZED: dict[str, tuple[frozenset[str] | None, frozenset[str]]] = {
    "lambda": (frozenset({"invoke"}), frozenset({CALLBACK})),
    "dynamodb": (frozenset({"getItem", "putItem", "updateItem", "deleteItem"}), frozenset()),
    "sns": (frozenset({"publish"}), frozenset({CALLBACK})),
    "sqs": (frozenset({"sendMessage"}), frozenset({CALLBACK})),
    "events": (frozenset({"putEvents"}), frozenset({CALLBACK})),
    "apigateway": (frozenset({"invoke"}), frozenset({CALLBACK})),
    "http": (frozenset({"invoke"}), frozenset()),
    "batch": (frozenset({"submitJob"}), frozenset({SYNC})),
    "ecs": (frozenset({"runTask"}), frozenset({SYNC, CALLBACK})),
    "glue": (frozenset({"startJobRun"}), frozenset({SYNC})),
    "databrew": (frozenset({"startJobRun"}), frozenset({SYNC})),
    "states": (frozenset({"startExecution"}), frozenset({SYNC, SYNC_2, CALLBACK})),
    "athena": (
        frozenset(
            {"startQueryExecution", "stopQueryExecution", "getQueryExecution", "getQueryResults"}
        ),
        frozenset({SYNC}),
    ),
    "codebuild": (None, frozenset({SYNC})),
    "mediaconvert": (frozenset({"createJob"}), frozenset({SYNC})),
    "sagemaker": (None, frozenset({SYNC})),
    "elasticmapreduce": (None, frozenset({SYNC})),
    "emr-containers": (None, frozenset({SYNC})),
    "emr-serverless": (None, frozenset({SYNC})),
    "eks": (None, frozenset({SYNC, CALLBACK})),
    "bedrock": (None, frozenset({SYNC, CALLBACK})),
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
    parsed = parse_resource(resource)
    if parsed.kind is ResourceKind.LAMBDA:
        return
    if parsed.kind is ResourceKind.ACTIVITY:
        if machine.options.machine_type == "EXPRESS":
            report.schema(at, f'State "{name}": Express state machine does not support activities')
        return
    if parsed.kind is ResourceKind.UNKNOWN:
        report.error("INVALID_RESOURCE", at, f'State "{name}": {not_recognized(quote(resource))}')
        return
    supported = _supported_patterns(parsed)
    if supported is None:
        report.schema(at, f'State "{name}": {not_recognized(resource)}')
        return
    pattern = parsed.pattern
    if pattern and pattern not in supported:
        api = f"{parsed.service}:{parsed.action}"
        if parsed.kind is ResourceKind.SDK:
            api = f"aws-sdk:{parsed.service}"  # AWS names the SDK service, not its API
        message = f"{api} does not support the {pattern} integration pattern"
        report.schema(at, f'State "{name}": {message}')
    elif pattern and machine.options.machine_type == "EXPRESS":
        kind = SYNC if pattern.startswith(SYNC) else pattern
        report.schema(at, f"Express state machine does not support '{kind}' service integration")


def _supported_patterns(parsed: TaskResource) -> frozenset[str] | None:
    """The patterns an integration supports; None for an API AWS does not know."""
    if parsed.kind is ResourceKind.SDK:
        return frozenset({CALLBACK})
    apis, patterns = OPTIMIZED.get(parsed.service, (frozenset(), frozenset()))
    if ":" in parsed.action or (apis is not None and parsed.action not in apis):
        return None
    return patterns


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
    parsed = parse_resource(resource)
    ok = not parsed.pattern and (
        parsed.kind is ResourceKind.SDK
        or (
            parsed.kind is ResourceKind.INTEGRATION
            and parsed.service == "s3"
            and parsed.action in apis
        )
    )
    if not ok:
        report.schema(
            site.at(key, "Resource"), f'State "{site.name}": {key}: {not_recognized(resource)}'
        )
