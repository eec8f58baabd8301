"""`phalanx validate` through click's CliRunner: output formats, positions, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from phalanx.cli.validate import validate_command
from phalanx.loading import Source, json_positions
from phalanx.loading.report import render_text

BAD = """{
  "StartAt": "checkRoll",
  "States": {
    "checkRoll": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.roll", "NumericEquals": 6, "Next": "win"}],
      "Default": "tryAgain"
    },
    "win": {"Type": "Succeed"}
  }
}
"""
GOOD = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: Call
        States:
          Call:
            Type: Task
            Resource: !GetAtt Fn.Arn
            Retry:
              - ErrorEquals: [Lambda.ServiceException]
            Next: Nowhere
  Quick:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineType: EXPRESS
      DefinitionString: !Sub |
        {"StartAt": "A", "States": {"A": {"Type": "Task",
          "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"bad": tmp_path / "bad.asl.json", "good": tmp_path / "good.asl.json"}
    paths["bad"].write_text(BAD)
    paths["good"].write_text(GOOD)
    paths["template"] = tmp_path / "template.yaml"
    paths["template"].write_text(TEMPLATE)
    paths["notjson"] = tmp_path / "broken.json"
    paths["notjson"].write_text("not a definition")
    return paths


def test_text_output_reads_like_a_compiler(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(validate_command, [str(files["bad"])])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{files['bad']}:7:18: error MISSING_TRANSITION_TARGET ")
    assert "/States/checkRoll/Default" in first and '"tryAgain"' in first


def test_ok_file_exits_zero(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(validate_command, [str(files["good"])])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_json_format_prints_the_aws_shaped_object(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(validate_command, ["--format", "json", str(files["bad"])])
    data = json.loads(result.stdout)
    assert set(data) == {"result", "diagnostics", "truncated"}
    assert data["result"] == "FAIL" and data["truncated"] is False
    assert set(data["diagnostics"][0]) == {"severity", "code", "message", "location"}
    assert data["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"


def test_jsonl_prints_one_object_per_machine_with_its_file(files: dict[str, Path]) -> None:
    args = ["--format", "jsonl", str(files["good"]), str(files["template"])]
    result = CliRunner().invoke(validate_command, args)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["file"], r.get("machine"), r["result"]) for r in rows] == [
        (str(files["good"]), None, "OK"),
        (str(files["template"]), "Flow", "FAIL"),
        (str(files["template"]), "Quick", "FAIL"),
    ]
    assert result.exit_code == 1


def test_cloudformation_yaml_positions_and_machine_type(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(validate_command, [str(files["template"])])
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{files['template']}:16:19: error MISSING_TRANSITION_TARGET")
        for line in lines
    ), lines
    assert any("'.waitForTaskToken'" in line and "[Quick]" in line for line in lines)


def test_type_express_changes_what_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "cb.json"
    path.write_text(
        '{"StartAt": "A", "States": {"A": {"Type": "Task", "End": true,'
        ' "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken"}}}'
    )
    assert CliRunner().invoke(validate_command, [str(path)]).exit_code == 0
    assert CliRunner().invoke(validate_command, ["--type", "EXPRESS", str(path)]).exit_code == 1


def test_ignore_silences_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(
        '{"StartAt": "A", "States": {"A": {"Type": "Task", "End": true,'
        ' "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f"}}}'
    )
    noisy = CliRunner().invoke(validate_command, [str(path)])
    assert "PHALANX_LAMBDA_NO_RETRY" in noisy.stdout and noisy.exit_code == 0
    quiet = CliRunner().invoke(validate_command, ["--ignore", "PHALANX_LAMBDA_NO_RETRY", str(path)])
    assert quiet.stdout == ""


def test_text_that_is_not_json_fails_like_aws_and_is_unusable_input(
    files: dict[str, Path],
) -> None:
    result = CliRunner().invoke(validate_command, [str(files["notjson"])])
    assert result.exit_code == 2
    assert "INVALID_JSON_DESCRIPTION" in result.stdout


def test_missing_file_exits_two(tmp_path: Path, files: dict[str, Path]) -> None:
    result = CliRunner().invoke(validate_command, [str(tmp_path / "nope.json"), str(files["good"])])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_unreadable_python_module_exits_two(tmp_path: Path) -> None:
    path = tmp_path / "flow.py"
    path.write_text("raise RuntimeError('not a project module')\n")
    result = CliRunner().invoke(validate_command, [str(path)])
    assert result.exit_code == 2


PYTHON_FLOW = """\
from phalanx import StateMachine, Succeed, Wait

pause = Wait("Pause", seconds=100_000_000)
done = Succeed("Done")

machine = StateMachine.of(pause.next(done), done)
"""


def test_python_module_points_at_the_line_that_built_the_state(tmp_path: Path) -> None:
    path = tmp_path / "flow.py"
    path.write_text(PYTHON_FLOW)
    result = CliRunner().invoke(validate_command, [str(path)])
    assert result.exit_code == 1
    assert f"{path}:3:1: error SCHEMA_VALIDATION_FAILED /States/Pause/Seconds" in result.stdout


def test_json_positions_point_at_values() -> None:
    positions = json_positions(BAD)
    assert positions["/States/checkRoll/Default"] == (7, 18)
    assert positions["/States/checkRoll/Choices/0/Next"][0] == 6
    assert positions[""] == (1, 1)


def test_sam_definition_uri_is_followed_with_substitutions(tmp_path: Path) -> None:
    (tmp_path / "statemachine").mkdir()
    asl = tmp_path / "statemachine" / "flow.asl.json"
    asl.write_text(
        '{"StartAt": "Call",\n "States": {"Call": {"Type": "Task", "Resource": "${FnArn}",\n'
        '  "Next": "Gone"}}}\n'
    )
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n"
        "    Type: AWS::Serverless::StateMachine\n    Properties:\n"
        "      DefinitionUri: statemachine/flow.asl.json\n"
        "      DefinitionSubstitutions:\n        FnArn: !GetAtt Fn.Arn\n"
    )
    result = CliRunner().invoke(validate_command, [str(template)])
    assert result.exit_code == 1
    assert any(
        line.startswith(f"{asl}:3:11: error MISSING_TRANSITION_TARGET")
        for line in result.stdout.splitlines()
    ), result.stdout


def test_yaml_state_names_yes_and_no_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "flow.asl.yaml"
    path.write_text(
        "StartAt: Ask\nStates:\n  Ask:\n    Type: Choice\n    Choices:\n"
        "      - Variable: $.ok\n        BooleanEquals: true\n        Next: Yes\n"
        "    Default: No\n  Yes:\n    Type: Succeed\n  No:\n    Type: Fail\n"
    )
    result = CliRunner().invoke(validate_command, [str(path)])
    assert result.exit_code == 0, result.stdout


def test_python_built_machines_point_at_the_line_that_built_the_state() -> None:
    from phalanx.validation import validate

    class Machine:
        def to_asl(self) -> dict[str, object]:
            return {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}

        def locate(self, pointer: str) -> tuple[str, int] | None:
            return ("flows/roll.py", 12) if pointer.startswith("/States/A") else None

    machine = Machine()
    source = Source("flows/roll.py", "roll", machine, "STANDARD", False, locate=machine.locate)
    lines = render_text(source, validate(machine).diagnostics)
    assert (
        "flows/roll.py:12:1: error MISSING_TRANSITION_TARGET /States/A/Next [roll]: "
        in "\n".join(lines)
    )


def test_a_directory_is_unusable_input_named_as_such(tmp_path: Path) -> None:
    result = CliRunner().invoke(validate_command, [str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.output


def test_python_module_is_validated_as_its_declared_type(tmp_path: Path) -> None:
    path = tmp_path / "flow.py"
    path.write_text(
        "from phalanx import StateMachine, Task\n"
        "\n"
        "machine = StateMachine.of(\n"
        '    Task("Ask", "arn:aws:states:::sqs:sendMessage.waitForTaskToken",\n'
        '         parameters={"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}),\n'
        '    type="EXPRESS",\n'
        ")\n"
    )
    result = CliRunner().invoke(validate_command, [str(path)])
    assert result.exit_code == 1
    assert "Express state machine does not support '.waitForTaskToken'" in result.stdout
