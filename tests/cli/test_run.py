from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from phalanx.cli.main import cli

MACHINE = {
    "StartAt": "Hello",
    "States": {
        "Hello": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:111111111111:function:hello",
            "Next": "Wait",
        },
        "Wait": {"Type": "Wait", "Seconds": 3600, "End": True},
    },
}

FUNCTIONS = """
import phalanx

@phalanx.function
def hello(event, context):
    return {"greeting": "hello " + event["name"]}
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "machine.json").write_text(json.dumps(MACHINE))
    (tmp_path / "functions.py").write_text(FUNCTIONS)
    (tmp_path / "input.json").write_text('{"name": "file"}')
    return tmp_path


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, ["run", *args])


def test_text_output_shows_path_and_output(files: Path) -> None:
    result = invoke(
        str(files / "machine.json"),
        "--functions",
        str(files / "functions.py"),
        "--input",
        '{"name": "Ada"}',
        "--fast",
    )
    assert result.exit_code == 0, result.output
    assert "> Hello (Task)" in result.output
    assert "Hello -> Wait" in result.output
    assert "< Wait after 3600.000s" in result.output
    assert '"greeting": "hello Ada"' in result.output


def test_json_format_has_the_interface_keys(files: Path) -> None:
    result = invoke(
        str(files / "machine.json"),
        "--functions",
        str(files / "functions.py"),
        "--input",
        "@" + str(files / "input.json"),
        "--fast",
        "--format",
        "json",
    )
    document = json.loads(result.output)
    assert list(document) == ["status", "output", "error", "cause", "history"]
    assert document["output"] == {"greeting": "hello file"}
    assert document["history"][0]["type"] == "ExecutionStarted"


def test_failed_execution_exits_1_with_error(files: Path) -> None:
    result = invoke(str(files / "machine.json"), "--fast")
    assert result.exit_code == 1
    assert "Lambda.ResourceNotFoundException" in result.output


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--input", "{not json"], id="bad-json-input"),
        pytest.param(["--input", "@/no/such/file.json"], id="missing-input-file"),
        pytest.param(["--type", "BOTH"], id="bad-type"),
    ],
)
def test_bad_options_are_usage_errors(files: Path, args: list[str]) -> None:
    result = invoke(str(files / "machine.json"), *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_unreadable_file_is_an_error_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{")
    result = invoke(str(tmp_path / "bad.json"))
    assert result.exit_code == 2  # not JSON: unusable input, as in every command
    assert f"{tmp_path / 'bad.json'}:1:2: error INVALID_JSON_DESCRIPTION" in result.output
    assert "Traceback" not in result.output


def test_python_module_with_phalanx_function_resource() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "roll_die.py"
    result = invoke(str(example), "--fast", "--format", "json")
    assert json.loads(result.output)["status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("NaN", id="nan"),
        pytest.param('{"x": Infinity}', id="infinity"),
        pytest.param("[-Infinity]", id="minus-infinity"),
        pytest.param("[1e400]", id="float-overflow"),
        pytest.param('"\\ud800"', id="lone-surrogate"),
        pytest.param(json.dumps({"s": "x" * 300_000}), id="over-256-kib"),
    ],
)
def test_input_that_is_not_json_is_a_usage_error(files: Path, text: str) -> None:
    result = invoke(str(files / "machine.json"), "--fast", "--input", text)
    assert result.exit_code == 2, result.output
    assert "Invalid value for --input" in result.output
    assert "not JSON" in result.output or "262144" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_handler_prints_do_not_corrupt_json_output(files: Path) -> None:
    (files / "chatty.py").write_text(
        "import phalanx\n\n"
        "@phalanx.function\n"
        "def hello(event, context):\n"
        "    print('hello from lambda')\n"
        "    return {'ok': 1}\n"
    )
    result = invoke(
        str(files / "machine.json"),
        "--functions",
        str(files / "chatty.py"),
        "--fast",
        "--format",
        "json",
    )
    assert json.loads(result.stdout)["status"] == "SUCCEEDED"
    assert "hello from lambda" in result.stderr


@pytest.mark.parametrize("machine_type", ["EXPRESS", "express", "Express"])
def test_express_machine_with_a_callback_task_is_refused_without_traceback(
    tmp_path: Path, machine_type: str
) -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "f"},
        "End": True,
    }
    (tmp_path / "m.json").write_text(json.dumps({"StartAt": "A", "States": {"A": task}}))
    result = invoke(str(tmp_path / "m.json"), "--type", machine_type, "--fast")
    assert result.exit_code == 1
    assert "Express" in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)


def test_invalid_machine_is_refused_with_its_diagnostics(tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text(
        json.dumps({"StartAt": "a", "States": {"a": {"Type": "Pass", "Next": "nowhere"}}})
    )
    result = CliRunner().invoke(cli, ["run", str(source), "--fast"])
    assert result.exit_code == 1
    assert "error MISSING_TRANSITION_TARGET /States/a/Next" in result.output
    assert "nothing was run" in result.output
    assert "Entered" not in result.output


@pytest.mark.parametrize(
    ("given", "arn_part"),
    [
        pytest.param("standard", ":execution:", id="standard"),
        pytest.param("express", ":express:", id="express"),
        pytest.param("eXpReSs", ":express:", id="mixed-case"),
    ],
)
def test_type_is_case_insensitive_like_validate(tmp_path: Path, given: str, arn_part: str) -> None:
    state = {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "End": True}
    (tmp_path / "m.json").write_text(json.dumps({"StartAt": "P", "States": {"P": state}}))
    args = ["--type", given, "--fast", "--format", "json"]
    result = invoke(str(tmp_path / "m.json"), *args)
    assert result.exit_code == 0, result.output
    assert arn_part in json.loads(result.output)["output"]["id"]


def _write_bytes(tmp_path: Path, data: bytes) -> str:
    (tmp_path / "input.json").write_bytes(data)
    return "@" + str(tmp_path / "input.json")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b'{"name": "\xff\xfe"}', "not UTF-8 text", id="not-utf8-file"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "nested too deeply", id="deep-file"),
    ],
)
def test_input_file_that_cannot_be_read_as_json_is_a_usage_error(
    files: Path, data: bytes, message: str
) -> None:
    result = invoke(str(files / "machine.json"), "--fast", "--input", _write_bytes(files, data))
    assert result.exit_code == 2, result.output
    assert "Invalid value for --input" in result.output and message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_deeply_nested_inline_input_is_a_usage_error(files: Path) -> None:
    result = invoke(str(files / "machine.json"), "--fast", "--input", "[" * 100_000)
    assert result.exit_code == 2, result.output
    assert "nested too deeply" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


DECLARED_EXPRESS = """
from phalanx import Pass, StateMachine

machine = StateMachine.of(
    Pass("P", parameters={"id.$": "$$.Execution.Id"}), name="Orders", type="EXPRESS"
)
"""


@pytest.mark.parametrize(
    ("args", "arn_part"),
    [
        pytest.param([], ":express:", id="declared"),
        pytest.param(["--type", "standard"], ":execution:", id="overridden"),
    ],
)
def test_run_uses_the_declared_type_unless_told_otherwise(
    tmp_path: Path, args: list[str], arn_part: str
) -> None:
    (tmp_path / "orders.py").write_text(DECLARED_EXPRESS)
    result = invoke(str(tmp_path / "orders.py"), *args, "--fast", "--format", "json")
    assert result.exit_code == 0, result.output
    assert arn_part in json.loads(result.output)["output"]["id"]


def _start_time_machine(tmp_path: Path) -> str:
    state = {"Type": "Pass", "Parameters": {"start.$": "$$.Execution.StartTime"}, "End": True}
    (tmp_path / "clock.json").write_text(json.dumps({"StartAt": "P", "States": {"P": state}}))
    return str(tmp_path / "clock.json")


def test_start_time_fixes_the_virtual_clock_for_reproducible_runs(tmp_path: Path) -> None:
    args = ["--fast", "--start-time", "2030-01-02T03:04:05Z", "--format", "json"]
    first = invoke(_start_time_machine(tmp_path), *args)
    second = invoke(_start_time_machine(tmp_path), *args)
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["output"] == {"start": "2030-01-02T03:04:05.000Z"}
    assert json.loads(first.output)["history"] == json.loads(second.output)["history"]


def test_without_start_time_the_virtual_clock_starts_now(tmp_path: Path) -> None:
    result = invoke(_start_time_machine(tmp_path), "--fast", "--format", "json")
    start = json.loads(result.output)["output"]["start"]
    assert start != "2024-01-01T00:00:00.000Z" and start > "2025"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--fast", "--start-time", "soon"], "not an ISO 8601 time", id="not-iso"),
        pytest.param(["--start-time", "2030-01-01T00:00:00Z"], "needs --fast", id="no-fast"),
    ],
)
def test_start_time_that_cannot_be_used_is_a_usage_error(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = invoke(_start_time_machine(tmp_path), *args)
    assert result.exit_code == 2
    assert "Invalid value for '--start-time'" in result.output and message in result.output
