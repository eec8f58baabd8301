"""`.sync` ("Run a Job"): start the job, then poll it until it ends, on the run's clock.

Each row says how to ask a started job for its state and what AWS returns
when it ends (developer guide, each integration's page): Athena
`GetQueryExecution`, Batch `DescribeJobs`' job, ECS `DescribeTasks`, Glue
`GetJobRun`'s `JobRun`, CodeBuild `BatchGetBuilds`' build, SageMaker's training and
transform jobs, MediaConvert `GetJob`, EMR `DescribeCluster`/`DescribeStep`. A job that ends
in failure fails the task with `States.TaskFailed` and that description as
JSON text in the cause.

Polls wait with the run's clock (`Clock.sleep`): real seconds on the real
clock, an instant jump on the virtual one (`--fast`), so a job that needs
ten polls takes ten intervals of virtual time. Polling stops when the
state's `TimeoutSeconds` has passed (the engine then times the task out).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from phalanx.engine.effects import ServiceResponse
from phalanx.runtime.clock import Clock
from phalanx.services.shapes import serialise

POLL_SECONDS = 5.0
"""How long between two polls of a running job."""


@dataclasses.dataclass(frozen=True, slots=True)
class Job:
    """How to follow one kind of job: ask (`operation`), read its state, shape the result.

    `state` and `result` read the description as Step Functions shows it
    (member names capitalised, timestamps as text).
    """

    operation: str
    ask: Callable[[Any, dict[str, Any], dict[str, Any]], dict[str, Any]]
    state: Callable[[dict[str, Any]], str]
    succeeded: frozenset[str]
    failed: frozenset[str]
    result: Callable[[dict[str, Any]], Any]


def _first(items: list[Any]) -> dict[str, Any]:
    return items[0] if items else {}


def _ecs_state(described: dict[str, Any]) -> str:
    tasks = described.get("Tasks", [])
    if not tasks or any(task.get("LastStatus") != "STOPPED" for task in tasks):
        return "RUNNING"
    codes = [c.get("ExitCode") for task in tasks for c in task.get("Containers", [])]
    return "SUCCEEDED" if all(code == 0 for code in codes) else "FAILED"


JOBS: dict[tuple[str, str], Job] = {
    ("athena", "startQueryExecution"): Job(
        "GetQueryExecution",
        lambda c, started, _: c.get_query_execution(QueryExecutionId=started["QueryExecutionId"]),
        lambda d: str(d["QueryExecution"]["Status"]["State"]),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED", "CANCELLED"}),
        lambda d: {"QueryExecution": d["QueryExecution"]},
    ),
    ("batch", "submitJob"): Job(
        "DescribeJobs",
        lambda c, started, _: c.describe_jobs(jobs=[started["jobId"]]),
        lambda d: str(_first(d["Jobs"]).get("Status", "RUNNING")),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED"}),
        lambda d: _first(d["Jobs"]),
    ),
    ("ecs", "runTask"): Job(
        "DescribeTasks",
        lambda c, started, p: c.describe_tasks(
            **({"cluster": p["Cluster"]} if "Cluster" in p else {}),
            tasks=[task["taskArn"] for task in started.get("tasks", [])],
        ),
        _ecs_state,
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED"}),
        lambda d: {"Tasks": d.get("Tasks", []), "Failures": d.get("Failures", [])},
    ),
    ("glue", "startJobRun"): Job(
        "GetJobRun",
        lambda c, started, p: c.get_job_run(JobName=p["JobName"], RunId=started["JobRunId"]),
        lambda d: str(d["JobRun"]["JobRunState"]),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED", "ERROR", "TIMEOUT", "STOPPED"}),
        lambda d: d["JobRun"],
    ),
    ("sagemaker", "createTrainingJob"): Job(
        "DescribeTrainingJob",
        lambda c, _, p: c.describe_training_job(TrainingJobName=p["TrainingJobName"]),
        lambda d: str(d["TrainingJobStatus"]),
        frozenset({"Completed"}),
        frozenset({"Failed", "Stopped"}),
        lambda d: d,
    ),
    ("sagemaker", "createTransformJob"): Job(
        "DescribeTransformJob",
        lambda c, _, p: c.describe_transform_job(TransformJobName=p["TransformJobName"]),
        lambda d: str(d["TransformJobStatus"]),
        frozenset({"Completed"}),
        frozenset({"Failed", "Stopped"}),
        lambda d: d,
    ),
    ("mediaconvert", "createJob"): Job(
        "GetJob",
        lambda c, started, _: c.get_job(Id=started["Job"]["Id"]),
        lambda d: str(d["Job"]["Status"]),
        frozenset({"COMPLETE"}),
        frozenset({"ERROR", "CANCELED"}),
        lambda d: {"Job": d["Job"]},
    ),
    ("elasticmapreduce", "createCluster"): Job(
        "DescribeCluster",
        lambda c, started, _: c.describe_cluster(ClusterId=started["JobFlowId"]),
        lambda d: str(d["Cluster"]["Status"]["State"]),
        frozenset({"WAITING", "RUNNING"}),
        frozenset({"TERMINATED", "TERMINATED_WITH_ERRORS"}),
        lambda d: {"ClusterId": d["Cluster"]["Id"]},
    ),
    ("elasticmapreduce", "addStep"): Job(
        "DescribeStep",
        lambda c, started, p: c.describe_step(
            ClusterId=p["ClusterId"], StepId=started["StepIds"][0]
        ),
        lambda d: str(d["Step"]["Status"]["State"]),
        frozenset({"COMPLETED"}),
        frozenset({"CANCELLED", "FAILED", "INTERRUPTED"}),
        lambda d: {"Step": d["Step"]},
    ),
    ("codebuild", "startBuild"): Job(
        "BatchGetBuilds",
        lambda c, started, _: c.batch_get_builds(ids=[started["build"]["id"]]),
        lambda d: str(_first(d["Builds"]).get("BuildStatus", "IN_PROGRESS")),
        frozenset({"SUCCEEDED"}),
        frozenset({"FAILED", "FAULT", "STOPPED", "TIMED_OUT"}),
        lambda d: {"Build": _first(d["Builds"])},
    ),
}


def follow(
    job: Job,
    client: Any,
    started: dict[str, Any],
    parameters: dict[str, Any],
    clock: Clock,
    timeout: float | None,
    interval: float = POLL_SECONDS,
) -> ServiceResponse:
    """Poll the started job until it ends (or `timeout` seconds pass on `clock`)."""
    began = clock.now()
    shape = _output_shape(client, job.operation)
    while True:
        described = job.ask(client, started, parameters)
        described.pop("ResponseMetadata", None)
        described = serialise(described, shape)
        state = job.state(described)
        if state in job.succeeded or state in job.failed:
            result = job.result(described)
            if state in job.failed:
                return ServiceResponse(
                    error="States.TaskFailed", cause=json.dumps(result, separators=(",", ":"))
                )
            return ServiceResponse(output=result)
        if timeout is not None and clock.now() - began >= timeout:
            return ServiceResponse(error="States.Timeout")
        clock.sleep(interval)


def _output_shape(client: Any, operation: str) -> Any:
    """The botocore output shape of `operation`, or None for a client without a model."""
    meta = getattr(client, "meta", None)
    if meta is None:
        return None
    return meta.service_model.operation_model(operation).output_shape
