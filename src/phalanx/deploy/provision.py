"""`phalanx provision`: from a Python file to a running stack, step by step.

1. validate: every machine, the diagnostics shown, an invalid one refused
   before anything asks AWS (no credentials needed to learn it is invalid);
2. identity: STS says who is calling (and in which account);
3. bucket: the code bucket exists and is in the stack's region (HeadBucket;
   Lambda requires it); its versioning is shown when the caller may read it;
4. build: the zip (`phalanx.deploy.package`);
5. upload: only when its content hash is new (the key is the hash);
6. hooks and template (`phalanx.deploy.template`);
7. change set: create or update, printed before it runs;
8. execute it, following the stack's events live;
9. summary: per-resource timings and outputs, or the failures and rollback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
import time
from typing import Any

from phalanx.deploy import progress, stack
from phalanx.deploy.aws import Connection, aws_errors, error_code
from phalanx.deploy.checks import validate_machines
from phalanx.deploy.errors import DeployError
from phalanx.deploy.package import Package, build, unpackaged_warning
from phalanx.deploy.progress import StepLog
from phalanx.deploy.template import CODE_BUCKET, CODE_KEY, build_template, render
from phalanx.project import Project

# CreateChangeSet takes at most 51,200 bytes inline; bigger templates go through S3
# (uploaded even by a dry run: the change set has to read them).
_TEMPLATE_BODY_LIMIT = 51_200
_NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
# CreateStack's StackName rule (CloudFormation API reference).
_STACK_NAME = re.compile(r"^[A-Za-z][-A-Za-z0-9]{0,127}$")
# CAPABILITY_IAM covers phalanx's own roles; hooks may name roles or add a Transform.
_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
# What a change set of each kind leaves behind when it worked.
_EXPECTED = {"CREATE": "CREATE_COMPLETE", "UPDATE": "UPDATE_COMPLETE"}


def check_stack_name(name: str) -> None:
    """Refuse a stack name CloudFormation would refuse, before building and uploading."""
    if _STACK_NAME.match(name) is None:
        raise DeployError(
            f"--stack-name {name!r}: CloudFormation wants a letter, then up to 127 letters, "
            "digits or hyphens"
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """How provision ended: the stack's status and outputs, the zip it shipped."""

    stack_name: str
    status: str
    outputs: dict[str, str]
    package: Package | None
    changed: bool


def provision(
    project: Project,
    conn: Connection,
    *,
    bucket: str,
    stack_name: str,
    log: StepLog,
    dry_run: bool = False,
) -> Outcome:
    """Deploy `project` as stack `stack_name`; raises `DeployError` on failure."""
    check_stack_name(stack_name)
    if not validate_machines(project, log):
        raise DeployError("a state machine is not valid (see above); fix it, then provision")
    with aws_errors():
        identity = conn.client("sts").get_caller_identity()
    log.step("identity", f"{identity['Arn']} (account {identity['Account']})")
    region = conn.region_name
    _check_bucket(conn, bucket, region, log)

    package = build(project) if project.functions else None
    key = None
    if package is not None:
        log.step(
            "build",
            f"{len(package.entries)} files, {progress.size(package.size)}, "
            f"sha256 {package.sha256[:12]}",
        )
        warning = unpackaged_warning(project, package)
        if warning:
            log.detail(warning)
        key = f"phalanx/{stack_name}/{package.key_name}"
        _upload(conn, bucket, key, package, log, dry_run)

    built = build_template(project, stack_name=stack_name, region=region)
    from phalanx.deploy.template import template_hooks

    hooks = [getattr(h, "__name__", repr(h)) for h in template_hooks(project)]
    log.step("hooks", ", ".join(hooks) if hooks else "none")
    for note in built.notes:
        log.detail(f"note: {note}")
    body = render(built.template, compact=True)
    resources = built.template.get("Resources", {})
    log.step("template", f"{len(resources)} resources, {progress.size(len(body.encode()))}")

    parameters: list[dict[str, Any]] = []
    if package is not None and CODE_BUCKET in built.template.get("Parameters", {}):
        parameters = [
            {"ParameterKey": CODE_BUCKET, "ParameterValue": bucket},
            {"ParameterKey": CODE_KEY, "ParameterValue": str(key)},
        ]
    template_source = _template_source(conn, bucket, stack_name, body)
    capabilities = list(_CAPABILITIES)
    if "Transform" in built.template:  # a hook added SAM or a macro
        capabilities.append("CAPABILITY_AUTO_EXPAND")
    return _apply(
        conn, stack_name, template_source, parameters, log, package, dry_run, capabilities
    )


def _check_bucket(conn: Connection, bucket: str, region: str, log: StepLog) -> None:
    s3 = conn.client("s3")
    where = bucket_region(conn, bucket)
    if where != region:
        raise DeployError(
            f"bucket {bucket} is in {where}, the stack in {region}: Lambda reads code from "
            f"its own region; pass --region {where} or use a bucket in {region}"
        )
    # Only shown, never needed (keys are content hashes): a caller without
    # s3:GetBucketVersioning still deploys.
    try:
        with aws_errors():
            versioning = (s3.get_bucket_versioning(Bucket=bucket).get("Status") or "off").lower()
    except DeployError as error:
        if error_code(error.__cause__) not in ("AccessDenied", "403", "Forbidden"):
            raise
        versioning = "unknown (no s3:GetBucketVersioning)"
    log.step(
        "bucket",
        f"s3://{bucket} in {where}, versioning {versioning} (keys are content hashes either way)",
    )


def bucket_region(conn: Connection, bucket: str) -> str:
    """The bucket's region from HeadBucket's `x-amz-bucket-region` header.

    AWS recommends HeadBucket over GetBucketLocation, which a bucket policy in
    another region or account may refuse; the header comes with a 301 or 403
    answer too (S3 API reference, GetBucketLocation and HeadBucket).
    """
    s3 = conn.client("s3")
    try:
        with aws_errors():
            response = s3.head_bucket(Bucket=bucket)
    except DeployError as error:
        region = _region_header(getattr(error.__cause__, "response", None))
        if region and error_code(error.__cause__) in ("301", "PermanentRedirect"):
            return region
        if error_code(error.__cause__) in ("404", "NoSuchBucket", "NotFound"):
            raise DeployError(
                f"bucket {bucket} does not exist: create it in the stack's region "
                f"(aws s3 mb s3://{bucket}) or pass another --s3-bucket"
            ) from error
        if error_code(error.__cause__) in ("403", "Forbidden"):
            raise DeployError(
                f"access denied to bucket {bucket}"
                + (f" (in {region})" if region else "")
                + ": the caller needs s3:ListBucket, s3:GetObject and s3:PutObject on it; "
                "check --profile and --s3-bucket"
            ) from error
        raise
    region = _region_header(response) or response.get("BucketRegion")
    if region:
        return str(region)
    # An S3 look-alike without the header: GetBucketLocation says None for
    # us-east-1 and "EU" for the oldest eu-west-1 buckets.
    with aws_errors():
        location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint")
    return str({None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, location))


def _region_header(response: Any) -> str | None:
    if not isinstance(response, dict):
        return None
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {}) or {}
    region = headers.get("x-amz-bucket-region")
    return str(region) if region else None


def _upload(
    conn: Connection, bucket: str, key: str, package: Package, log: StepLog, dry_run: bool
) -> None:
    s3 = conn.client("s3")
    # One HeadObject (s3:GetObject), not a listing. A 403 for a missing key
    # (no s3:ListBucket) just means: upload (the same bytes under the same key).
    try:
        with aws_errors():
            s3.head_object(Bucket=bucket, Key=key)
        exists = True
    except DeployError as error:
        if error_code(error.__cause__) not in ("404", "NoSuchKey", "NotFound", "403"):
            raise
        exists = False
    if exists:
        log.step("upload", f"s3://{bucket}/{key} unchanged, not uploaded")
        return
    if dry_run:
        log.step("upload", f"would upload s3://{bucket}/{key} (dry run)")
        return
    with aws_errors():
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=package.data,
            ContentType="application/zip",
            Metadata={"sha256": package.sha256},
        )
    log.step("upload", f"s3://{bucket}/{key} ({progress.size(package.size)})")


def _template_source(conn: Connection, bucket: str, stack_name: str, body: str) -> dict[str, str]:
    if len(body.encode()) <= _TEMPLATE_BODY_LIMIT:
        return {"TemplateBody": body}
    digest = hashlib.sha256(body.encode()).hexdigest()[:20]
    key = f"phalanx/{stack_name}/template-{digest}.json"
    with aws_errors():
        conn.client("s3").put_object(
            Bucket=bucket, Key=key, Body=body.encode(), ContentType="application/json"
        )
    # CloudFormation reads the URL with the caller's credentials; moto parses this form too.
    region = conn.region_name
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    if "." in bucket:  # a dotted bucket name breaks the virtual-hosted certificate
        return {"TemplateURL": f"https://s3.{region}.{domain}/{bucket}/{key}"}
    return {"TemplateURL": f"https://{bucket}.s3.{region}.{domain}/{key}"}


def _apply(
    conn: Connection,
    stack_name: str,
    template_source: dict[str, str],
    parameters: list[dict[str, Any]],
    log: StepLog,
    package: Package | None,
    dry_run: bool,
    capabilities: list[str] | None = None,
) -> Outcome:
    cfn = conn.client("cloudformation")
    current = stack.find(conn, stack_name)
    status = str(current["StackStatus"]) if current else None
    advice = stack.next_step(stack_name, status) if status else None
    if advice is not None:
        raise DeployError(f"stack {stack_name} is {status} and cannot be updated: {advice}")
    if status is not None and status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS":
        raise DeployError(f"stack {stack_name} is busy ({status}); wait for it, then retry")
    kind = "UPDATE" if status not in (None, "REVIEW_IN_PROGRESS") else "CREATE"
    # A random suffix: two provisions in the same second must not clash.
    name = f"phalanx-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"
    extra: dict[str, Any] = {}
    if kind == "CREATE":
        # A failed first create deletes the stack instead of leaving a ROLLBACK_COMPLETE
        # stack that can only be deleted (CreateChangeSet OnStackFailure; CREATE only).
        extra["OnStackFailure"] = "DELETE"
    try:
        with aws_errors():
            created = cfn.create_change_set(
                StackName=stack_name,
                ChangeSetName=name,
                ChangeSetType=kind,
                Parameters=parameters,
                Capabilities=list(capabilities or _CAPABILITIES),
                Description="phalanx provision",
                ClientToken=name,
                **extra,
                **template_source,
            )
    except DeployError as error:
        # AWS creates a FAILED change set when nothing changed; moto refuses it at once.
        if any(text in str(error) for text in _NO_CHANGES):
            log.step("change set", "no changes: the stack is up to date")
            return _finish(conn, stack_name, stack_name, [], log, package, changed=False)
        raise
    change_set_id = str(created["Id"])
    stack_id = str(created.get("StackId") or stack_name)
    described = _wait_for_change_set(conn, change_set_id)
    if described["Status"] == "FAILED":
        reason = str(described.get("StatusReason", ""))
        with aws_errors():
            cfn.delete_change_set(ChangeSetName=change_set_id)
        if any(text in reason for text in _NO_CHANGES):
            log.step("change set", "no changes: the stack is up to date")
            return _finish(conn, stack_name, stack_id, [], log, package, changed=False)
        raise DeployError(f"CloudFormation refused the change set: {reason}")
    changes = described.get("Changes", []) or []
    log.step("change set", f"{name} ({kind}), {len(changes)} change(s)")
    log.detail(progress.change_set(changes))
    if dry_run:
        with aws_errors():
            cfn.delete_change_set(ChangeSetName=change_set_id)
            if kind == "CREATE":  # the change set left an empty REVIEW_IN_PROGRESS stack
                cfn.delete_stack(StackName=stack_id)
        log.step("dry run", "change set deleted, nothing deployed")
        return Outcome(stack_name, status or "NONE", {}, package, changed=False)

    seen = stack.event_ids(conn, stack_id)
    log.step("execute", f"change set {name}")
    with aws_errors():
        cfn.execute_change_set(ChangeSetName=change_set_id)
    before = (status, current.get("LastUpdatedTime")) if current and status else None
    final, events = stack.follow(conn, stack_id, log, seen, before=before)
    if final != _EXPECTED[kind]:
        reasons = stack.failures(events) or [final]
        log.step("failed", f"stack {stack_name} is {final}")
        for reason in reasons:
            log.detail(f"  {reason}")
        then = _after_failure(stack_name, kind, final)
        log.detail(f"next: {then}")
        raise DeployError(
            f"provision failed, stack {stack_name} is {final}: {reasons[0]}; next: {then}"
        )
    return _finish(conn, stack_name, stack_id, events, log, package, changed=True)


def _after_failure(stack_name: str, kind: str, final: str) -> str:
    """The exact next step after a change set that did not end as `_EXPECTED[kind]`."""
    advice = stack.next_step(stack_name, final)
    if advice is not None:
        return advice
    if kind == "CREATE" and final == "DELETE_COMPLETE":
        return "the failed stack was deleted; fix the cause, then provision again"
    if final == "UPDATE_ROLLBACK_COMPLETE":
        return "the stack is back at its previous version; fix the cause, then provision again"
    return f"check phalanx describe --stack-name {stack_name}, then provision again"


def _wait_for_change_set(conn: Connection, change_set_id: str) -> dict[str, Any]:
    cfn = conn.client("cloudformation")
    pace = conn.pace
    deadline = pace.clock() + pace.timeout
    while True:
        with aws_errors():
            described = dict(cfn.describe_change_set(ChangeSetName=change_set_id))
        if described["Status"] in ("CREATE_COMPLETE", "FAILED"):
            return described
        if pace.clock() > deadline:
            raise DeployError(f"change set {change_set_id} still {described['Status']}")
        pace.sleep(min(pace.interval, 1.0))


def _finish(
    conn: Connection,
    stack_name: str,
    stack_id: str,
    events: list[dict[str, Any]],
    log: StepLog,
    package: Package | None,
    *,
    changed: bool,
) -> Outcome:
    current = stack.require(conn, stack_id)
    status = str(current["StackStatus"])
    log.step("done", f"stack {stack_name} {status}")
    rows = progress.timings(events, stack_name)
    if rows:
        log.detail(progress.table([["resource", "type", "status", "time"], *rows]))
    outputs = stack.outputs(current)
    log.detail("outputs:")
    if current.get("Outputs"):
        log.detail(progress.outputs(current["Outputs"]))
    else:  # moto computes outputs before a change set creates the resources
        log.detail("(none reported; the resources:)")
        log.detail(progress.resources(stack.resources(conn, stack_id)))
    return Outcome(stack_name, status, outputs, package, changed)
