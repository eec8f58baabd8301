"""`.sync` jobs are polled until they end; the poll interval passes on the run's clock."""

from __future__ import annotations

import json
from typing import Any

import pytest

from phalanx.runtime.clock import VirtualClock
from phalanx.services import sync


class FakeGlue:
    """A Glue job that is RUNNING for `polls` polls, then ends in `final`."""

    def __init__(self, polls: int, final: str) -> None:
        self.states = ["RUNNING"] * polls + [final]
        self.asked: list[dict[str, Any]] = []

    def get_job_run(self, **request: Any) -> dict[str, Any]:
        self.asked.append(request)
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        return {"JobRun": {"Id": request["RunId"], "JobRunState": state}, "ResponseMetadata": {}}


JOB = sync.JOBS["glue", "startJobRun"]


def test_a_job_is_polled_until_it_ends_and_each_poll_waits_on_the_virtual_clock() -> None:
    clock = VirtualClock(1_000.0)
    glue = FakeGlue(polls=3, final="SUCCEEDED")
    answer = sync.follow(
        JOB, glue, {"JobRunId": "jr_1"}, {"JobName": "etl"}, clock, None, interval=5.0
    )
    assert answer.output == {"Id": "jr_1", "JobRunState": "SUCCEEDED"}
    assert glue.asked == [{"JobName": "etl", "RunId": "jr_1"}] * 4
    assert clock.now() == 1_015.0  # three waits of 5 s, none of them real


def test_a_failed_job_fails_the_task_with_its_description_as_cause() -> None:
    answer = sync.follow(
        JOB,
        FakeGlue(polls=0, final="FAILED"),
        {"JobRunId": "jr_2"},
        {"JobName": "etl"},
        VirtualClock(0.0),
        None,
    )
    assert answer.error == "States.TaskFailed"
    assert json.loads(answer.cause or "")["JobRunState"] == "FAILED"


def test_polling_stops_once_the_timeout_has_passed() -> None:
    clock = VirtualClock(0.0)
    answer = sync.follow(
        JOB,
        FakeGlue(polls=1000, final="SUCCEEDED"),
        {"JobRunId": "j"},
        {"JobName": "etl"},
        clock,
        60.0,
        interval=5.0,
    )
    assert answer.error == "States.Timeout"
    assert clock.now() == 60.0


@pytest.mark.parametrize(
    "integration",
    [pytest.param(key, id=f"{key[0]}:{key[1]}") for key in sorted(sync.JOBS)],
)
def test_every_polled_integration_names_success_and_failure(integration: tuple[str, str]) -> None:
    job = sync.JOBS[integration]
    assert job.succeeded and job.failed and not job.succeeded & job.failed


def test_glue_sync_against_moto_returns_the_job_run(session: Any, aws: Any, moto_url: str) -> None:
    import phalanx

    aws("glue").create_job(
        Name="etl",
        Role="arn:aws:iam::123456789012:role/glue",
        Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py"},
    )
    definition = {
        "StartAt": "Transform",
        "States": {
            "Transform": {
                "Type": "Task",
                "Resource": "arn:aws:states:::glue:startJobRun.sync",
                "Parameters": {"JobName": "etl"},
                "End": True,
            }
        },
    }
    execution = phalanx.run(definition, {}, fast=True, aws=session, endpoint_url=moto_url)
    assert execution.status == "SUCCEEDED", execution.cause
    assert execution.output["JobName"] == "etl"
    assert execution.output["JobRunState"] == "SUCCEEDED"
    assert execution.output["Id"].startswith("jr_")
