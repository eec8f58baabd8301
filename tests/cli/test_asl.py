"""`phalanx asl FILE` prints the machine's ASL JSON."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from phalanx.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
ROLL_DIE = ROOT / "examples" / "roll_die.py"

SEED = {
    "StartAt": "lambdaRollDie",
    "States": {
        "lambdaRollDie": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:111111111111:function:roll_die",
            "Next": "checkRoll",
        },
        "checkRoll": {
            "Type": "Choice",
            "Choices": [
                {"Not": {"Variable": "$.roll", "NumericGreaterThan": 3}, "Next": "tryAgainShortly"}
            ],
            "Default": "success",
        },
        "tryAgainShortly": {"Type": "Wait", "Seconds": 3, "Next": "lambdaRollDie"},
        "success": {"Type": "Succeed"},
    },
}


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_roll_die_prints_the_seed_definition_field_by_field() -> None:
    code, output = _invoke("asl", str(ROLL_DIE))
    assert code == 0, output
    assert json.loads(output) == SEED


def test_region_and_account_change_the_lambda_arns() -> None:
    code, output = _invoke(
        "asl", str(ROLL_DIE), "--region", "eu-west-1", "--account", "222222222222"
    )
    assert code == 0, output
    resource = json.loads(output)["States"]["lambdaRollDie"]["Resource"]
    assert resource == "arn:aws:lambda:eu-west-1:222222222222:function:roll_die"


def test_json_definition_is_printed_canonically(tmp_path: Path) -> None:
    source = tmp_path / "m.asl.json"
    source.write_text('{"States": {"s": {"Type": "Succeed", "Comment": "c"}}, "StartAt": "s"}')
    code, output = _invoke("asl", str(source))
    assert code == 0, output
    assert output == textwrap.dedent("""\
        {
          "StartAt": "s",
          "States": {
            "s": {
              "Type": "Succeed",
              "Comment": "c"
            }
          }
        }
        """)


def _module(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "machines.py"
    path.write_text(textwrap.dedent(body))
    return path


TWO_MACHINES = """
    from phalanx import Pass, StateMachine
    first = StateMachine.of(Pass("a"))
    second = StateMachine.of(Pass("b"), name="Second")
"""


def test_machine_option_chooses_among_several(tmp_path: Path) -> None:
    path = _module(tmp_path, TWO_MACHINES)
    code, output = _invoke("asl", str(path), "--machine", "Second")
    assert code == 0, output
    assert json.loads(output)["StartAt"] == "b"


@pytest.mark.parametrize(
    ("body", "args", "message"),
    [
        pytest.param(TWO_MACHINES, [], "several state machines (first, Second)", id="ambiguous"),
        pytest.param(
            TWO_MACHINES,
            ["--machine", "third"],
            "no state machine named 'third'",
            id="unknown-machine",
        ),
        pytest.param("x = 1\n", [], "defines no StateMachine", id="no-machine"),
        pytest.param(
            "raise RuntimeError('boom')\n",
            [],
            "importing it failed: RuntimeError: boom",
            id="module-raises",
        ),
    ],
)
def test_unusable_module_gives_a_clear_error(
    tmp_path: Path, body: str, args: list[str], message: str
) -> None:
    code, output = _invoke("asl", str(_module(tmp_path, body)), *args)
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_missing_file_is_reported(tmp_path: Path) -> None:
    code, output = _invoke("asl", str(tmp_path / "nope.py"))
    assert code == 2 and "no such file" in output


def test_malformed_json_names_the_location(tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text('{"StartAt": "a", "States": {"a": {"Next": "b"}}}')
    code, output = _invoke("asl", str(source))
    assert code == 2 and "/States/a: state 'a' has no 'Type'" in output


def test_help_lists_the_commands() -> None:
    code, output = _invoke("--help")
    assert code == 0 and "asl" in output
