"""One error style for every command: `path:line:col: message`, the same exit codes.

Each test runs from a temporary working directory and gives FILE as an
absolute path: the output must show it relative to the working directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from phalanx.cli.main import cli

# Every command that takes FILE, with what else it needs to get as far as loading it.
FILE_COMMANDS = [
    pytest.param(["validate"], id="validate"),
    pytest.param(["run"], id="run"),
    pytest.param(["asl"], id="asl"),
    pytest.param(["template"], id="template"),
    pytest.param(["build"], id="build"),
    pytest.param(["provision", "--s3-bucket", "code-bucket"], id="provision"),
]

# Line 2 column 38 is the `}` after a trailing comma.
BAD_JSON = '{"StartAt": "A",\n "States": {"A": {"Type": "Succeed"},}}\n'

RAISES = """\
import phalanx


def broken():
    return 1 / 0


broken()
"""


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(command: list[str], file: Path, *more: str) -> Result:
    return CliRunner().invoke(cli, [command[0], str(file), *command[1:], *more])


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_missing_file_exits_2_naming_it_relative_to_the_cwd(cwd: Path, command: list[str]) -> None:
    result = invoke(command, cwd / "nope.py")
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == ["nope.py: no such file"]


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_exception_importing_the_module_names_the_users_line(cwd: Path, command: list[str]) -> None:
    (cwd / "flow.py").write_text(RAISES)
    result = invoke(command, cwd / "flow.py")
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        "flow.py:5:12: importing it failed: ZeroDivisionError: division by zero"
    ]


def test_syntax_error_in_the_module_names_its_line_and_column(cwd: Path) -> None:
    (cwd / "flow.py").write_text("import phalanx\nx = (\n")
    result = invoke(["run"], cwd / "flow.py")
    assert result.exit_code == 2
    assert result.output.startswith("flow.py:2:5: importing it failed: SyntaxError: ")


def test_builder_error_on_import_names_the_users_lines_only(cwd: Path) -> None:
    (cwd / "flow.py").write_text(
        "from phalanx import Pass, StateMachine\n"
        "\n"
        'machine = StateMachine.of(Pass("A").next("Nowhere"))\n'
    )
    result = invoke(["run"], cwd / "flow.py")
    assert result.exit_code == 2
    assert result.output.startswith("flow.py:3:11: importing it failed: DefinitionError: ")
    assert 'State "A" (built at flow.py:3): Next: "Nowhere" is not a state' in result.output
    assert "raised at" not in result.output and "phalanx/" not in result.output


def test_exception_in_an_imported_module_names_both_lines(cwd: Path) -> None:
    (cwd / "helper.py").write_text("X = 1\nraise KeyError('k')\n")
    (cwd / "flow.py").write_text("import phalanx\nimport helper\n")
    result = invoke(["asl"], cwd / "flow.py")
    assert result.exit_code == 2
    assert result.output == (
        "flow.py:2:1: importing it failed: KeyError: 'k' (raised at helper.py:2)\n"
    )


@pytest.mark.parametrize("command", [["validate"], ["run"]], ids=["validate", "run"])
def test_invalid_json_prefix_and_message_agree_on_the_position(
    cwd: Path, command: list[str]
) -> None:
    (cwd / "bad.json").write_text(BAD_JSON)
    result = invoke(command, cwd / "bad.json")
    assert result.exit_code == 2, result.output  # not JSON: unusable input, as everywhere
    first = result.output.splitlines()[0]
    assert first.startswith("bad.json:2:38: error INVALID_JSON_DESCRIPTION /: ")
    assert first.endswith("[line: 2, column: 38]")


@pytest.mark.parametrize("command", [["asl"], ["template"]], ids=["asl", "template"])
def test_invalid_json_is_unusable_input_at_its_position(cwd: Path, command: list[str]) -> None:
    (cwd / "bad.json").write_text(BAD_JSON)
    result = invoke(command, cwd / "bad.json")
    assert result.exit_code == 2, result.output
    assert result.output == (
        "bad.json:2:38: not valid JSON: Expecting property name enclosed in double quotes\n"
    )


@pytest.mark.parametrize(
    "name", [pytest.param("nope.json", id="missing"), pytest.param("flow.py", id="raises")]
)
def test_validate_prints_no_count_after_a_load_failure(cwd: Path, name: str) -> None:
    (cwd / "flow.py").write_text(RAISES)
    result = invoke(["validate"], cwd / name)
    assert result.exit_code == 2
    assert "error(s)" not in result.output


INVALID = """\
from phalanx import StateMachine, Wait

start = Wait("Start", seconds=-3)
machine = StateMachine.of(start)
"""


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        pytest.param(
            "bad.json",
            '{"StartAt": "A",\n "States": {"A": {"Type": "Pass", "Next": "B"},'
            ' "C": {"Type": "Succeed"}}}',
            "bad.json:2:43",
            id="json",
        ),
        pytest.param(
            "bad.asl.yaml",
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n  C:\n    Type: Succeed\n",
            "bad.asl.yaml:5:11",
            id="yaml",
        ),
    ],
)
def test_run_shows_an_invalid_machine_where_validate_does(
    cwd: Path, name: str, text: str, where: str
) -> None:
    (cwd / name).write_text(text)
    validated = invoke(["validate"], cwd / name)
    ran = invoke(["run"], cwd / name, "--fast")
    assert validated.exit_code == ran.exit_code == 1
    shown = validated.output.splitlines()[:-1]  # the last line counts them
    assert any(line.startswith(f"{where}: error MISSING_TRANSITION_TARGET") for line in shown)
    assert ran.output.splitlines() == [*shown, "the state machine is not valid; nothing was run"]


ASL_YAML = """\
StartAt: Greet
States:
  Greet:
    Type: Pass
    Result: {greeting: hello}
    End: true
"""

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Inline:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: Say
        States:
          Say:
            Type: Pass
            Parameters:
              queue: !Ref Queue
            End: true
  Sub:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${Queue}", "End": true}}}
"""


def test_run_reads_an_asl_yaml_file(cwd: Path) -> None:
    (cwd / "flow.asl.yaml").write_text(ASL_YAML)
    result = invoke(["run"], cwd / "flow.asl.yaml", "--fast", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["output"] == {"greeting": "hello"}


@pytest.mark.parametrize(
    ("machine", "output"),
    [
        pytest.param("Inline", {"queue": "${Queue}"}, id="definition"),
        pytest.param("Sub", "${Queue}", id="definition-string-sub"),
    ],
)
def test_run_reads_the_machines_of_a_cloudformation_template(
    cwd: Path, machine: str, output: object
) -> None:
    (cwd / "template.yaml").write_text(TEMPLATE)
    args = ["--machine", machine, "--fast", "--format", "json"]
    result = invoke(["run"], cwd / "template.yaml", *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["output"] == output


def test_run_asks_which_machine_of_a_template(cwd: Path) -> None:
    (cwd / "template.yaml").write_text(TEMPLATE)
    result = invoke(["run"], cwd / "template.yaml", "--fast")
    assert result.exit_code == 2
    assert result.output == (
        "template.yaml: defines several state machines (Inline, Sub); choose one\n"
    )


def test_asl_prints_a_yaml_definition(cwd: Path) -> None:
    (cwd / "flow.asl.yaml").write_text(ASL_YAML)
    result = invoke(["asl"], cwd / "flow.asl.yaml")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["States"]["Greet"]["Result"] == {"greeting": "hello"}


def test_provision_refuses_an_invalid_machine_before_calling_aws(
    cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No credentials and an endpoint nothing listens on: any AWS call would fail.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    (cwd / "flow.py").write_text(INVALID)
    args = ["--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"]
    result = invoke(["provision", "--s3-bucket", "code-bucket"], cwd / "flow.py", *args)
    assert result.exit_code == 1, result.output
    assert "flow.py:3:1: error SCHEMA_VALIDATION_FAILED /States/Start/Seconds" in result.output
    assert result.output.splitlines()[-1] == (
        "Error: a state machine is not valid (see above); fix it, then provision"
    )
    assert "identity" not in result.output and "credentials" not in result.output
