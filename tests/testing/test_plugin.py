"""The pytest plugin on a sample project: the coverage table, fail-under, the reports, the fixture.

The plugin is registered through the `pytest11` entry point once phalanx is
installed; here it is named with `-p`, as an editable install made before the
entry point existed does not know it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

MACHINE = """
import dataclasses

import phalanx

ARN = "arn:aws:lambda:us-east-1:111111111111:function:charge"

DEFINITION = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task", "Resource": ARN, "ResultPath": "$.charge",
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "Catch": [
                {"ErrorEquals": ["Declined"], "Next": "Refund"},
                {"ErrorEquals": ["States.ALL"], "Next": "Refund"},
            ],
            "Next": "CheckAmount",
        },
        "CheckAmount": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Review"},
                {"Variable": "$.amount", "NumericGreaterThan": 50, "Next": "Escalate"},
            ],
            "Default": "Approve",
        },
        "Review": {"Type": "Pass", "Next": "Ship"},
        "Escalate": {"Type": "Pass", "Next": "Ship"},
        "Approve": {"Type": "Pass", "Next": "Ship"},
        "Ship": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Pack", "States": {"Pack": {"Type": "Pass", "End": True}}},
                {"StartAt": "Label", "States": {"Label": {"Type": "Pass", "End": True}}},
            ],
            "ResultPath": None,
            "Next": "Notify",
        },
        "Notify": {
            "Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "Send", "States": {"Send": {"Type": "Pass", "End": True}}},
            "Next": "Done",
        },
        "Refund": {"Type": "Fail", "Error": "Refunded"},
        "Done": {"Type": "Succeed"},
    },
}
ORDERS = dataclasses.replace(phalanx.StateMachine.from_asl(DEFINITION), name="Orders")
"""

TESTS = """
from phalanx.testing import Returns, Throws
from orders import ORDERS


def test_a_big_order_is_reviewed(phalanx_run):
    execution = phalanx_run(
        ORDERS, {"amount": 150, "items": [1, 2]}, mocks={"Charge": [Returns({"ok": True})]}
    )
    assert execution.status == "SUCCEEDED"


def test_a_declined_card_is_refunded(phalanx_run):
    execution = phalanx_run(ORDERS, {"amount": 10}, mocks={"Charge": [Throws("Declined")]})
    assert execution.error == "Refunded"


def test_a_flaky_charge_is_retried(phalanx_run):
    mocks = {"Charge": [Throws("Flaky"), Returns({"ok": True})]}
    execution = phalanx_run(ORDERS, {"amount": 10, "items": []}, mocks=mocks)
    assert execution.status == "SUCCEEDED"
"""

EXPECTED_TABLE = """\
Orders: 18/21 covered (85.7%), 3 executions
  states entered 11/12; not entered: Escalate
  Charge       Retry[0] Flaky                 used
  Charge       Catch[0] Declined -> Refund    fired
  Charge       Catch[1] States.ALL -> Refund  not fired
  CheckAmount  Choices[0] -> Review           taken
  CheckAmount  Choices[1] -> Escalate         not taken
  CheckAmount  Default -> Approve             taken
  Ship         Branches[0] Pack               entered
  Ship         Branches[1] Label              entered
  Notify       ItemProcessor Send             entered

TOTAL 18/21 (85.7%)"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(orders=MACHINE, test_orders=TESTS)
    return pytester


def _table(output: list[str]) -> str:
    start = next(i for i, line in enumerate(output) if "phalanx coverage" in line)
    end = next(i for i, line in enumerate(output) if line.startswith("TOTAL"))
    return "\n".join(output[start + 1 : end + 1]).strip("\n")


def test_the_session_ends_with_the_table_of_each_machine(project: pytest.Pytester) -> None:
    result = project.runpytest("-p", "phalanx.testing.plugin", "--phalanx-cov")
    result.assert_outcomes(passed=3)
    assert _table(result.outlines) == EXPECTED_TABLE


def test_renaming_and_reordering_tests_changes_nothing(project: pytest.Pytester) -> None:
    renamed = TESTS.replace("def test_a_big", "def test_z_big").replace("test_a_", "test_b_")
    project.makepyfile(test_orders=renamed)
    result = project.runpytest("-p", "phalanx.testing.plugin", "--phalanx-cov")
    assert _table(result.outlines) == EXPECTED_TABLE


@pytest.mark.parametrize(
    ("threshold", "code"),
    [
        pytest.param("85", pytest.ExitCode.OK, id="85-passes"),
        pytest.param("85.7", pytest.ExitCode.OK, id="at-the-rounded-figure-passes"),
        pytest.param("86", pytest.ExitCode.TESTS_FAILED, id="86-fails"),
        pytest.param("100", pytest.ExitCode.TESTS_FAILED, id="100-fails"),
    ],
)
def test_fail_under_fails_the_session_below_the_threshold(
    project: pytest.Pytester, threshold: str, code: pytest.ExitCode
) -> None:
    result = project.runpytest(
        "-p", "phalanx.testing.plugin", f"--phalanx-cov-fail-under={threshold}"
    )
    assert result.ret == code
    result.assert_outcomes(passed=3)
    if code == pytest.ExitCode.TESTS_FAILED:
        result.stdout.fnmatch_lines([f"FAIL phalanx coverage 85.7% is below *={threshold}"])


def test_the_json_report_parses_to_the_same_numbers(project: pytest.Pytester) -> None:
    report = Path(project.path) / "cov" / "phalanx.json"
    result = project.runpytest(
        "-p", "phalanx.testing.plugin", f"--phalanx-cov-report=json:{report}"
    )
    result.assert_outcomes(passed=3)
    document = json.loads(report.read_text(encoding="utf-8"))
    assert (document["covered"], document["total"], document["percent"]) == (18, 21, 85.7)
    (orders,) = document["machines"]
    missed = [item["item"] for item in orders["items"] if not item["covered"]]
    assert missed == ["Catch[1] States.ALL -> Refund", "Choices[1] -> Escalate", "state"]
    assert [i["state"] for i in orders["items"] if i["item"] == "state" and not i["covered"]] == [
        "Escalate"
    ]


def test_the_html_report_marks_what_no_test_reached(project: pytest.Pytester) -> None:
    folder = Path(project.path) / "htmlcov"
    project.runpytest("-p", "phalanx.testing.plugin", f"--phalanx-cov-report=html:{folder}")
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert page.count('<tr class="missed">') == 3
    assert "Choices[1] -&gt; Escalate" in page


def test_a_bad_report_spec_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest("-p", "phalanx.testing.plugin", "--phalanx-cov-report=xml:out")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--phalanx-cov-report 'xml:out': expected json:FILE or html:DIR*"]
    )


def test_without_the_options_nothing_is_counted_or_printed(project: pytest.Pytester) -> None:
    result = project.runpytest("-p", "phalanx.testing.plugin")
    result.assert_outcomes(passed=3)
    assert not any("phalanx coverage" in line for line in result.outlines)
