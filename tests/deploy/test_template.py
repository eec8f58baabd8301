"""The CloudFormation template: functions, machines, least-privilege roles, hooks."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from phalanx.deploy import iam
from phalanx.deploy.errors import DeployError
from phalanx.deploy.template import build_template, logical_id, render
from phalanx.project import load_file

from .conftest import EXAMPLES

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE_FILES = [
    *(pytest.param(path, id=path.stem) for path in sorted(EXAMPLES.glob("*.py"))),
    pytest.param(FIXTURES / "every_state.py", id="every_state"),
    pytest.param(FIXTURES / "integrations.py", id="integrations"),
    pytest.param(FIXTURES / "observed.py", id="observed"),
]


def _template(path: Path) -> dict:
    return build_template(load_file(path)).template


def test_roll_die_function_has_its_options_and_tags() -> None:
    resources = _template(EXAMPLES / "roll_die.py")["Resources"]
    function = resources["RollDieFunction"]
    assert function["Type"] == "AWS::Lambda::Function"
    properties = function["Properties"]
    assert properties["MemorySize"] == 128
    assert properties["Timeout"] == 3
    assert properties["Runtime"] == "python3.12"
    assert properties["Architectures"] == ["x86_64"]
    assert properties["Handler"] == "phalanx_handlers.roll_die"
    assert properties["Tags"] == [{"Key": "myAccounting", "Value": "tag"}]
    assert properties["Code"] == {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CodeKey"}}
    assert properties["Role"] == {"Fn::GetAtt": ["RollDieFunctionRole", "Arn"]}


def test_roll_die_definition_refers_to_the_function_through_fn_sub() -> None:
    resources = _template(EXAMPLES / "roll_die.py")["Resources"]
    text = resources["RollDieStateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    definition = json.loads(text)
    assert definition["StartAt"] == "lambdaRollDie"
    assert definition["States"]["lambdaRollDie"]["Resource"] == "${RollDieFunction.Arn}"


def test_machine_role_invokes_exactly_its_functions_and_their_versions() -> None:
    resources = _template(EXAMPLES / "roll_die.py")["Resources"]
    role = resources["RollDieStateMachineRole"]["Properties"]
    principal = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert principal == {"Service": "states.amazonaws.com"}
    [statement] = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "lambda:InvokeFunction"
    assert statement["Resource"] == [
        {"Fn::GetAtt": ["RollDieFunction", "Arn"]},
        {"Fn::Sub": "${RollDieFunction.Arn}:*"},
    ]


def test_function_role_has_logs_and_its_own_statements() -> None:
    resources = _template(FIXTURES / "every_state.py")["Resources"]
    statements = resources["FetchFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"][
        "Statement"
    ]
    # only its own log group, which the stack creates: no logs:CreateLogGroup, no /aws/lambda/*
    assert statements[0] == {
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [{"Fn::GetAtt": ["FetchFunctionLogGroup", "Arn"]}],
    }
    assert resources["FetchFunctionLogGroup"] == {
        "Type": "AWS::Logs::LogGroup",
        "DeletionPolicy": "Delete",
        "UpdateReplacePolicy": "Delete",
        "Properties": {"RetentionInDays": 30},
    }
    logging = resources["FetchFunction"]["Properties"]["LoggingConfig"]
    assert logging == {"LogGroup": {"Ref": "FetchFunctionLogGroup"}}
    assert statements[1] == {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*",
    }


def test_parameters_and_arguments_function_names_are_granted() -> None:
    resources = _template(FIXTURES / "every_state.py")["Resources"]
    policy = resources["EveryStateStateMachineRole"]["Properties"]["Policies"][0]
    granted = policy["PolicyDocument"]["Statement"][0]["Resource"]
    assert {"Fn::GetAtt": ["NotifyMeFunction", "Arn"]} in granted  # Parameters.FunctionName
    assert {  # Arguments.FunctionName, qualified: exactly that alias
        "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
        ":function:other-function:live"
    } in granted
    assert len(granted) == 7


def test_every_state_function_options_reach_the_template() -> None:
    properties = _template(FIXTURES / "every_state.py")["Resources"]["ScoreFunction"]["Properties"]
    assert properties["MemorySize"] == 256
    assert properties["Timeout"] == 30
    assert properties["Architectures"] == ["arm64"]
    assert properties["Environment"] == {"Variables": {"MODE": "test"}}


def test_literal_dollar_brace_is_escaped_for_fn_sub() -> None:
    resources = _template(FIXTURES / "every_state.py")["Resources"]
    text = resources["EveryStateStateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    assert '"costs ${!5}"' in text


def test_outputs_give_every_arn() -> None:
    outputs = _template(EXAMPLES / "roll_die.py")["Outputs"]
    assert outputs == {
        "RollDieFunctionArn": {
            "Description": "ARN of Lambda function roll_die",
            "Value": {"Fn::GetAtt": ["RollDieFunction", "Arn"]},
        },
        "RollDieStateMachineArn": {
            "Description": "ARN of state machine RollDie",
            "Value": {"Ref": "RollDieStateMachine"},
        },
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("roll_die", "RollDieFunction", id="snake"),
        pytest.param("RollDie", "RollDieFunction", id="camel"),
        pytest.param("notify-me", "NotifyMeFunction", id="kebab"),
        pytest.param("HTTPFetch2", "HTTPFetch2Function", id="acronym"),
        pytest.param("9lives", "P9LivesFunction", id="leading-digit"),
    ],
)
def test_logical_ids_are_alphanumeric(name: str, expected: str) -> None:
    assert logical_id(name, "Function") == expected


def test_names_colliding_as_logical_ids_are_refused(tmp_path: Path) -> None:
    file = tmp_path / "clash.py"
    file.write_text(
        textwrap.dedent(
            """
            import phalanx
            a = phalanx.function(name="roll_die")(lambda e, c: e)
            b = phalanx.function(name="roll-die")(lambda e, c: e)
            """
        )
    )
    with pytest.raises(DeployError, match="both become RollDieFunction"):
        build_template(load_file(file))


def test_template_hook_edits_the_template(tmp_path: Path) -> None:
    file = tmp_path / "hooked.py"
    file.write_text(
        textwrap.dedent(
            """
            import phalanx

            @phalanx.function
            def work(event, context):
                return event

            def phalanx_template_hook(template, context):
                template["Resources"]["Uploads"] = {"Type": "AWS::S3::Bucket"}
                fn = context.functions["work"]
                template["Resources"][fn]["Properties"]["MemorySize"] = 512

            def _marked(template, context):
                return {**template, "Description": f"stack {context.stack_name}"}

            _marked.__phalanx_template_hook__ = True
            """
        )
    )
    template = build_template(load_file(file), stack_name="s1").template
    assert template["Resources"]["Uploads"] == {"Type": "AWS::S3::Bucket"}
    assert template["Resources"]["WorkFunction"]["Properties"]["MemorySize"] == 512
    assert template["Description"] == "stack s1"


def test_failing_hook_is_reported_by_name(tmp_path: Path) -> None:
    file = tmp_path / "broken.py"
    file.write_text(
        "import phalanx\n"
        "work = phalanx.function(name='work')(lambda e, c: e)\n"
        "def phalanx_template_hook(template, context):\n"
        "    raise KeyError('x')\n"
    )
    with pytest.raises(DeployError, match="template hook phalanx_template_hook failed: KeyError"):
        build_template(load_file(file))


def test_yaml_has_no_anchors() -> None:
    text = render(_template(FIXTURES / "every_state.py"), "yaml")
    assert "&id" not in text and "*id" not in text
    assert yaml.safe_load(text) == _template(FIXTURES / "every_state.py")


def test_cfn_lint_finds_nothing(tmp_path: Path) -> None:
    """Every example and the every-state machine, as JSON and YAML, in one cfn-lint run."""
    targets = []
    for param in TEMPLATE_FILES:
        [path] = param.values
        for fmt in ("json", "yaml"):
            target = tmp_path / f"{param.id}.{fmt}"
            target.write_text(render(_template(path), fmt))
            targets.append(str(target))
    lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(lint), *targets], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_has_not_even_an_informational_hit_on_phalanx_text(tmp_path: Path) -> None:
    """No hard-coded partition (I3042) nor implicit deletion policy (I3011) of our own.

    The integrations fixture and the saga example are left out: their literal
    ARNs (the saga's nested machine) are the user's text.
    """
    targets = []
    for param in TEMPLATE_FILES:
        [path] = param.values
        if param.id not in ("integrations", "saga"):
            target = tmp_path / f"{param.id}.json"
            target.write_text(render(_template(path)))
            targets.append(str(target))
    lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(
        [str(lint), "-c", "I", "--", *targets], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_service_integrations_are_written_for_the_stacks_partition() -> None:
    resources = _template(FIXTURES / "integrations.py")["Resources"]
    text = resources["IntegrationsStateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    states = json.loads(text)["States"]
    assert states["byName"]["Resource"] == "arn:${AWS::Partition}:states:::lambda:invoke"
    assert states["child"]["Resource"] == (
        "arn:${AWS::Partition}:states:::states:startExecution.sync:2"
    )
    assert states["spread"]["ItemReader"]["Resource"] == (
        "arn:${AWS::Partition}:states:::s3:getObject"
    )
    # a user's own ARN stays as written (its grant names it the same way)
    assert states["cross"]["Resource"] == "arn:aws:lambda:us-east-1:222222222222:function:other"


def test_provision_sends_a_compact_body() -> None:
    template = _template(EXAMPLES / "roll_die.py")
    compact = render(template, compact=True)
    assert json.loads(compact) == template
    assert "\n" not in compact and len(compact) < len(render(template)) * 0.8


def test_a_file_with_nothing_to_deploy_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "empty.py"
    file.write_text("X = 1\n")
    with pytest.raises(DeployError, match="nothing to deploy"):
        build_template(load_file(file))


def _integrations() -> tuple[dict, list[dict], tuple[str, ...]]:
    built = build_template(load_file(FIXTURES / "integrations.py"))
    resources = built.template["Resources"]
    role = resources["IntegrationsStateMachineRole"]["Properties"]
    return resources, role["Policies"][0]["PolicyDocument"]["Statement"], built.notes


def _granted(statements: list[dict], action: str) -> list:
    return [
        resource
        for statement in statements
        if action
        in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        for resource in statement["Resource"]
    ]


def test_a_function_name_naming_a_project_function_is_that_function() -> None:
    resources, statements, _ = _integrations()
    granted = _granted(statements, "lambda:InvokeFunction")
    assert {"Fn::GetAtt": ["WorkFunction", "Arn"]} in granted
    assert {"Fn::Sub": "${WorkFunction.Arn}:live"} in granted  # qualified: only that alias
    assert not any("function:work" in json.dumps(item) for item in granted)
    text = resources["IntegrationsStateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    states = json.loads(text)["States"]
    assert states["byName"]["Parameters"]["FunctionName"] == "${WorkFunction.Arn}"
    assert states["byAlias"]["Parameters"]["FunctionName"] == "${WorkFunction.Arn}:live"


def test_a_distributed_map_may_start_and_stop_runs_of_its_own_machine() -> None:
    resources, _, _ = _integrations()
    policy = resources["IntegrationsStateMachineSelfPolicy"]
    assert policy["Type"] == "AWS::IAM::Policy"
    assert policy["Properties"]["Roles"] == [{"Ref": "IntegrationsStateMachineRole"}]
    assert policy["Properties"]["PolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["states:StartExecution"],
            "Resource": [{"Ref": "IntegrationsStateMachine"}],
        },
        {
            "Effect": "Allow",
            "Action": ["states:DescribeExecution", "states:StopExecution"],
            "Resource": [
                {
                    "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}"
                    ":execution:${IntegrationsStateMachine.Name}/*"
                }
            ],
        },
    ]
    assert "SelfPolicy" not in json.dumps(_template(EXAMPLES / "roll_die.py"))


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        pytest.param(
            "s3:ListBucket",
            None,  # only the ItemReader's object and the ResultWriter's prefix
            id="no-bucket-listing",
        ),
        pytest.param(
            "s3:AbortMultipartUpload",
            {"Fn::Sub": "arn:${AWS::Partition}:s3:::out-bucket/runs/*"},
            id="result-writer-multipart",
        ),
        pytest.param(
            "s3:PutObject",
            {"Fn::Sub": "arn:${AWS::Partition}:s3:::out-bucket/runs/*"},
            id="result-writer",
        ),
        pytest.param(
            "s3:GetObject",
            {"Fn::Sub": "arn:${AWS::Partition}:s3:::in-bucket/items.json"},
            id="item-reader",
        ),
        pytest.param("sts:AssumeRole", "arn:aws:iam::222222222222:role/caller", id="credentials"),
        pytest.param("sns:Publish", "arn:aws:sns:us-east-1:123456789012:alerts", id="sns"),
        pytest.param("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:jobs", id="sqs"),
        pytest.param(
            "dynamodb:PutItem",
            {
                "Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}"
                ":table/results"
            },
            id="dynamodb",
        ),
        pytest.param(
            "states:StartExecution",
            "arn:aws:states:us-east-1:123456789012:stateMachine:child",
            id="start-execution",
        ),
        pytest.param(
            "states:DescribeExecution",
            "arn:aws:states:us-east-1:123456789012:execution:child:*",
            id="start-execution-sync",
        ),
    ],
)
def test_static_service_targets_get_exactly_their_permission(action: str, resource: object) -> None:
    _, statements, _ = _integrations()
    granted = _granted(statements, action)
    if action == "s3:GetObject":  # the ResultWriter reads its own prefix too
        granted.remove({"Fn::Sub": "arn:${AWS::Partition}:s3:::out-bucket/runs/*"})
    assert granted == ([] if resource is None else [resource])


def test_dynamic_targets_are_noted_and_never_wildcarded() -> None:
    _, statements, notes = _integrations()
    assert notes == (
        "state machine Integrations: /States/crossDynamic: Credentials' RoleArn is chosen at "
        "run time; no permission added: add sts:AssumeRole on the roles it may name with a "
        "template hook",
        "state machine Integrations: /States/publishDynamic: TopicArn of "
        "arn:aws:states:::sns:publish is chosen at run time; no permission added: add what it "
        "needs with a template hook",
    )
    assert '"*"' not in json.dumps(statements)


@pytest.mark.parametrize(
    "machine",
    [
        pytest.param('Task("t", roll)', id="machine-calling-a-function"),
        pytest.param('Pass("p")', id="machine-calling-nothing"),
    ],
)
def test_the_documented_hook_example_runs(tmp_path: Path, machine: str) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text()
    section = docs.split("### Template hooks", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    file = tmp_path / "hooked.py"
    file.write_text(
        "import phalanx\nfrom phalanx import Pass, StateMachine, Task\n\n"
        "@phalanx.function\ndef roll(event, context):\n    return event\n\n"
        f"machine = StateMachine.of({machine}, name='RollDie')\n\n" + example
    )
    resources = build_template(load_file(file)).template["Resources"]
    policy = resources["RollDieStateMachineRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    assert policy["Statement"][-1]["Action"] == "sns:Publish"
    assert resources["Alerts"] == {"Type": "AWS::SNS::Topic"}


def test_an_environment_over_lambdas_4_kb_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "big_env.py"
    file.write_text(
        "import phalanx\n\n"
        "@phalanx.function(environment={'AA': 'x' * 3000, 'BB': 'y' * 1100})\n"
        "def heavy(event, context):\n    return event\n"
    )
    with pytest.raises(DeployError) as raised:
        build_template(load_file(file))
    assert str(raised.value) == (
        "function heavy: its environment holds 4,104 bytes of names and values, over Lambda's "
        "4,096 (4 KB); keep big values in S3 or SSM Parameter Store and pass their names"
    )


def test_declared_type_logging_tracing_and_tags_reach_the_machine() -> None:
    resources = _template(FIXTURES / "observed.py")["Resources"]
    properties = resources["OrdersStateMachine"]["Properties"]
    assert properties["StateMachineType"] == "EXPRESS"
    assert properties["LoggingConfiguration"] == {
        "Level": "ALL",
        "IncludeExecutionData": True,
        "Destinations": [
            {
                "CloudWatchLogsLogGroup": {
                    "LogGroupArn": {"Fn::GetAtt": ["OrdersStateMachineLogGroup", "Arn"]}
                }
            }
        ],
    }
    assert properties["TracingConfiguration"] == {"Enabled": True}
    assert properties["Tags"] == [
        {"Key": "cost-center", "Value": "42"},
        {"Key": "team", "Value": "orders"},
    ]


def test_a_machine_that_declares_nothing_gets_aws_defaults() -> None:
    properties = _template(EXAMPLES / "roll_die.py")["Resources"]["RollDieStateMachine"][
        "Properties"
    ]
    assert set(properties) == {"RoleArn", "DefinitionString"}


def test_a_logging_machine_gets_its_own_vended_log_group() -> None:
    resources = _template(FIXTURES / "observed.py")["Resources"]
    assert resources["OrdersStateMachineLogGroup"] == {
        "Type": "AWS::Logs::LogGroup",
        "DeletionPolicy": "Delete",
        "UpdateReplacePolicy": "Delete",
        "Properties": {
            "LogGroupName": {
                "Fn::Sub": "/aws/vendedlogs/states/${AWS::StackName}-OrdersStateMachine"
            },
            "RetentionInDays": 30,
        },
    }
    quiet = resources["QuietStateMachine"]["Properties"]
    assert quiet["LoggingConfiguration"] == {"Level": "OFF", "IncludeExecutionData": False}
    assert "QuietStateMachineLogGroup" not in resources


LOG_DELIVERY = {
    "Effect": "Allow",
    "Action": [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
    ],
    "Resource": ["*"],
}
XRAY = {
    "Effect": "Allow",
    "Action": [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
    ],
    "Resource": ["*"],
}


@pytest.mark.parametrize(
    ("machine", "expected"),
    [
        pytest.param("Orders", ["lambda:InvokeFunction", LOG_DELIVERY, XRAY], id="everything"),
        pytest.param("Audit", [LOG_DELIVERY], id="logging-only"),
        pytest.param("Quiet", [XRAY], id="logging-off-tracing-on"),
    ],
)
def test_logging_and_tracing_get_exactly_the_permissions_aws_documents(
    machine: str, expected: list[object]
) -> None:
    resources = _template(FIXTURES / "observed.py")["Resources"]
    role = resources[f"{machine}StateMachineRole"]["Properties"]
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert [
        s["Action"] if s["Action"] == "lambda:InvokeFunction" else s for s in statements
    ] == expected


def test_a_definition_with_nothing_to_substitute_is_plain_text() -> None:
    resources = _template(FIXTURES / "observed.py")["Resources"]
    text = resources["AuditStateMachine"]["Properties"]["DefinitionString"]
    assert json.loads(text) == {
        "StartAt": "note",
        "States": {"note": {"Type": "Pass", "End": True}},
    }


@pytest.mark.parametrize(
    ("options", "noted"),
    [
        pytest.param('type="EXPRESS"', True, id="express-without-logging"),
        pytest.param(
            'type="EXPRESS", logging=Logging(level="OFF")', True, id="express-logging-off"
        ),
        pytest.param('type="EXPRESS", logging=Logging(level="ERROR")', False, id="express-logging"),
        pytest.param("logging=None", False, id="standard"),
    ],
)
def test_an_express_machine_without_logging_is_noted(
    tmp_path: Path, options: str, noted: bool
) -> None:
    file = tmp_path / "flow.py"
    file.write_text(
        "from phalanx import Logging, Pass, StateMachine\n"
        f'machine = StateMachine.of(Pass("p"), name="Flow", {options})\n'
    )
    notes = build_template(load_file(file)).notes
    expected = "state machine Flow: an EXPRESS machine without logging keeps no history"
    assert any(note.startswith(expected) for note in notes) is noted


@pytest.mark.parametrize(
    ("resource", "invokes"),
    [
        pytest.param("arn:aws:states:::lambda:invoke", True, id="invoke"),
        pytest.param("arn:aws:states:::lambda:invoke.waitForTaskToken", True, id="callback"),
        pytest.param("arn:aws:states:us-east-1:123456789012:lambda:invoke", True, id="regional"),
        pytest.param("arn:aws:states:us-east-1:123456789012:activity:a", False, id="activity"),
        pytest.param("arn:aws:states:::sns:publish", False, id="other-service"),
    ],
)
def test_lambda_invoke_is_recognised_in_every_form(resource: str, invokes: bool) -> None:
    assert iam.is_lambda_invoke(resource) is invokes
