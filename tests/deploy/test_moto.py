"""End to end against moto's server: provision, update, describe, execute, delete.

moto runs on loopback (one server per module) and every command goes through
the CLI with --endpoint-url, as a user would. What moto does not model (per
resource events, outputs of a stack created by a change set, tags set by
CloudFormation, running Lambda code) is checked in the template instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result

from phalanx.cli.main import cli

from .conftest import REGION

BUCKET = "phalanx-code"
STACK = "roll-die-test"


@pytest.fixture(scope="module")
def aws(moto_url: str) -> Callable[[str], Any]:
    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=moto_url)

    client("s3").create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture(scope="module")
def run(moto_url: str) -> Callable[..., Result]:
    def invoke(*args: str, input: str | None = None) -> Result:
        argv = [*args, "--region", REGION, "--endpoint-url", moto_url]
        return CliRunner().invoke(cli, argv, input=input, catch_exceptions=False)

    return invoke


def _machine_definition(aws: Callable[[str], Any], stack: str) -> dict[str, Any]:
    resources = aws("cloudformation").describe_stack_resources(StackName=stack)["StackResources"]
    [arn] = [
        r["PhysicalResourceId"]
        for r in resources
        if r["ResourceType"] == "AWS::StepFunctions::StateMachine"
    ]
    return json.loads(
        aws("stepfunctions").describe_state_machine(stateMachineArn=arn)["definition"]
    )


def _function(aws: Callable[[str], Any], stack: str) -> dict[str, Any]:
    found = aws("cloudformation").describe_stack_resource(
        StackName=stack, LogicalResourceId="RollDieFunction"
    )["StackResourceDetail"]
    return aws("lambda").get_function(FunctionName=found["PhysicalResourceId"])


def test_roll_die_lifecycle(run: Callable[..., Result], aws: Any, roll_die_file: Path) -> None:
    created = run("provision", str(roll_die_file), "--s3-bucket", BUCKET, "--stack-name", STACK)
    assert created.exit_code == 0, created.output
    print(created.output)  # the provision logs, shown with pytest -s
    for step in ("identity:", "bucket:", "validate:", "build:", "upload:", "hooks:", "template:"):
        assert step in created.output
    assert "+ add  RollDieFunction " in created.output
    assert "done: stack roll-die-test CREATE_COMPLETE" in created.output

    stack = aws("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    function = _function(aws, STACK)
    assert function["Configuration"]["MemorySize"] == 128
    assert function["Configuration"]["Handler"] == "phalanx_handlers.roll_die"
    assert function["Configuration"]["Runtime"] == "python3.12"
    function_arn = function["Configuration"]["FunctionArn"]
    definition = _machine_definition(aws, STACK)
    assert definition["States"]["lambdaRollDie"]["Resource"] == function_arn
    # moto drops tags set through CloudFormation: check them in the deployed template.
    deployed = aws("cloudformation").get_template(StackName=STACK)["TemplateBody"]
    deployed = json.loads(deployed) if isinstance(deployed, str) else deployed
    tags = deployed["Resources"]["RollDieFunction"]["Properties"]["Tags"]
    assert tags == [{"Key": "myAccounting", "Value": "tag"}]
    group = aws("cloudformation").describe_stack_resource(
        StackName=STACK, LogicalResourceId="RollDieFunctionLogGroup"
    )["StackResourceDetail"]["PhysicalResourceId"]
    [found] = aws("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert found["retentionInDays"] == 30
    assert definition["States"]["tryAgainShortly"]["Seconds"] == 3

    # The same inputs again: nothing to upload, nothing to change.
    again = run("provision", str(roll_die_file), "--s3-bucket", BUCKET, "--stack-name", STACK)
    assert again.exit_code == 0, again.output
    assert "unchanged, not uploaded" in again.output
    assert "no changes: the stack is up to date" in again.output

    # Change the machine: an update through a change set.
    source = roll_die_file.read_text().replace("seconds=3", "seconds=5")
    roll_die_file.write_text(source)
    updated = run("provision", str(roll_die_file), "--s3-bucket", BUCKET, "--stack-name", STACK)
    assert updated.exit_code == 0, updated.output
    assert "(UPDATE)" in updated.output
    assert "done: stack roll-die-test UPDATE_COMPLETE" in updated.output
    assert _machine_definition(aws, STACK)["States"]["tryAgainShortly"]["Seconds"] == 5

    described = run("describe", "--stack-name", STACK)
    assert described.exit_code == 0, described.output
    assert "Stack roll-die-test: UPDATE_COMPLETE" in described.output
    assert "Resources:\n  RollDieFunctionLogGroup  AWS::Logs::LogGroup " in described.output
    assert "\n  RollDieFunctionRole      AWS::IAM::Role " in described.output
    assert "  RollDieStateMachine      AWS::StepFunctions::StateMachine  UPDATE_COMPLETE" in (
        described.output
    )

    # moto records the execution but never runs it: it stays RUNNING with a canned history.
    executed = run("execute", str(roll_die_file), "--stack-name", STACK, "--timeout", "0")
    assert executed.exit_code == 1, executed.output  # still RUNNING is not a success
    assert "still RUNNING after 0s" in executed.output
    assert "started: arn:aws:states:us-east-1:" in executed.output
    assert "#1 ExecutionStarted" in executed.output

    status = run("status", "--stack-name", STACK)
    assert "RollDieStateMachine: 1 recent execution(s)" in status.output

    refused = run("delete", "--stack-name", STACK, input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    deleted = run("delete", "--stack-name", STACK, "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert "DELETE_COMPLETE" in deleted.output
    gone = run("describe", "--stack-name", STACK)
    assert gone.exit_code == 1
    assert gone.output == (
        "Error: no stack roll-die-test in us-east-1: provision it first, "
        "or check --stack-name and --region\n"
    )


def test_dry_run_shows_the_change_set_and_deploys_nothing(
    run: Callable[..., Result], aws: Any, roll_die_file: Path
) -> None:
    result = run(
        "provision", str(roll_die_file), "--s3-bucket", BUCKET, "--stack-name", "dry", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "+ add  RollDieStateMachine" in result.output
    assert "dry run: change set deleted, nothing deployed" in result.output
    stacks = aws("cloudformation").list_stacks()["StackSummaries"]
    assert all(s["StackStatus"] == "DELETE_COMPLETE" for s in stacks if s["StackName"] == "dry")


def test_large_templates_go_through_s3(
    run: Callable[..., Result],
    aws: Any,
    roll_die_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from phalanx.deploy import provision

    monkeypatch.setattr(provision, "_TEMPLATE_BODY_LIMIT", 100)
    result = run(
        "provision", str(roll_die_file), "--s3-bucket", BUCKET, "--stack-name", "big", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "+ add  RollDieFunction " in result.output
    keys = [o["Key"] for o in aws("s3").list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(k.startswith("phalanx/big/template-") for k in keys)


def test_missing_bucket_is_one_line(run: Callable[..., Result], roll_die_file: Path) -> None:
    result = run("provision", str(roll_die_file), "--s3-bucket", "no-such-bucket")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: bucket no-such-bucket does not exist: create it in the stack's region "
        "(aws s3 mb s3://no-such-bucket) or pass another --s3-bucket"
    )
    assert "Traceback" not in result.output


def test_bucket_in_another_region_is_refused(
    run: Callable[..., Result], aws: Any, roll_die_file: Path
) -> None:
    aws("s3").create_bucket(
        Bucket="far-away", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    result = run("provision", str(roll_die_file), "--s3-bucket", "far-away")
    assert result.exit_code == 1
    assert "Error: bucket far-away is in eu-west-1, the stack in us-east-1" in result.output


def test_invalid_machine_is_refused_with_its_diagnostics(
    run: Callable[..., Result], roll_die_file: Path
) -> None:
    source = roll_die_file.read_text(encoding="utf-8")
    roll_die_file.write_text(source.replace("seconds=3", "seconds=-3"))
    result = run("provision", str(roll_die_file), "--s3-bucket", BUCKET, "--stack-name", "bad")
    assert result.exit_code == 1
    assert "validate: RollDie FAIL" in result.output
    assert (
        "error SCHEMA_VALIDATION_FAILED /States/tryAgainShortly/Seconds [RollDie]" in result.output
    )
    assert "Error: a state machine is not valid" in result.output
    assert "build:" not in result.output


def test_distributed_map_and_service_grants_deploy(run: Callable[..., Result], aws: Any) -> None:
    """The self policy (machine ARN and name) and the static grants are accepted end to end."""
    fixture = Path(__file__).parent / "fixtures" / "integrations.py"
    result = run("provision", str(fixture), "--s3-bucket", BUCKET, "--stack-name", "integrations")
    assert result.exit_code == 0, result.output
    assert "note: state machine Integrations: /States/publishDynamic" in result.output
    resources = aws("cloudformation").describe_stack_resources(StackName="integrations")
    kinds = {r["LogicalResourceId"]: r["ResourceType"] for r in resources["StackResources"]}
    assert kinds["IntegrationsStateMachineSelfPolicy"] == "AWS::IAM::Policy"
    definition = _machine_definition(aws, "integrations")
    function = aws("cloudformation").describe_stack_resource(
        StackName="integrations", LogicalResourceId="WorkFunction"
    )["StackResourceDetail"]["PhysicalResourceId"]
    target = definition["States"]["byName"]["Parameters"]["FunctionName"]
    assert target.endswith(f":function:{function}")


def test_declared_deployment_options_provision(run: Callable[..., Result], aws: Any) -> None:
    """An Express machine with logging, tracing and tags, and its log group, deploy end to end.

    moto's CloudFormation keeps the machine's tags but not its type, logging or
    tracing: those are read back from the deployed template.
    """
    fixture = Path(__file__).parent / "fixtures" / "observed.py"
    stack_name = "observed"
    result = run("provision", str(fixture), "--s3-bucket", BUCKET, "--stack-name", stack_name)
    assert result.exit_code == 0, result.output
    assert "validate: Orders OK" in result.output
    assert f"done: stack {stack_name} CREATE_COMPLETE" in result.output

    found = aws("cloudformation").describe_stack_resource(
        StackName=stack_name, LogicalResourceId="OrdersStateMachineLogGroup"
    )["StackResourceDetail"]["PhysicalResourceId"]
    assert found == f"/aws/vendedlogs/states/{stack_name}-OrdersStateMachine"
    [group] = aws("logs").describe_log_groups(logGroupNamePrefix=found)["logGroups"]
    assert group["retentionInDays"] == 30

    machine_arn = aws("cloudformation").describe_stack_resource(
        StackName=stack_name, LogicalResourceId="OrdersStateMachine"
    )["StackResourceDetail"]["PhysicalResourceId"]
    tags = aws("stepfunctions").list_tags_for_resource(resourceArn=machine_arn)["tags"]
    assert sorted((t["key"], t["value"]) for t in tags) == [
        ("cost-center", "42"),
        ("team", "orders"),
    ]

    deployed = aws("cloudformation").get_template(StackName=stack_name)["TemplateBody"]
    deployed = json.loads(deployed) if isinstance(deployed, str) else deployed
    properties = deployed["Resources"]["OrdersStateMachine"]["Properties"]
    assert properties["StateMachineType"] == "EXPRESS"
    assert properties["LoggingConfiguration"]["Level"] == "ALL"
    assert properties["TracingConfiguration"] == {"Enabled": True}


def test_a_declared_express_machine_is_validated_as_express(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    source = tmp_path / "callback.py"
    source.write_text(
        "from phalanx import StateMachine, Task\n"
        "machine = StateMachine.of(\n"
        '    Task("ask", "arn:aws:states:::sqs:sendMessage.waitForTaskToken",\n'
        '         parameters={"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}),\n'
        '    name="Callback", type="EXPRESS",\n'
        ")\n"
    )
    result = run("provision", str(source), "--s3-bucket", BUCKET, "--stack-name", "callback")
    assert result.exit_code == 1
    assert "validate: Callback FAIL" in result.output
    assert "Express state machine does not support '.waitForTaskToken'" in result.output
    assert "build:" not in result.output
