"""Deploy commands: help, template and build output, usage errors (no AWS needed)."""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from phalanx.cli.main import COMMANDS, cli

ROOT = Path(__file__).resolve().parents[2]
ROLL_DIE = ROOT / "examples" / "roll_die.py"
DEPLOY_COMMANDS = ["build", "template", "provision", "describe", "status", "execute", "delete"]


@pytest.mark.parametrize("name", DEPLOY_COMMANDS)
def test_every_deploy_command_is_registered_with_help(name: str) -> None:
    assert COMMANDS[name][0] == "phalanx.cli.deploy"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {name} [OPTIONS]" in result.output


@pytest.mark.parametrize("name", ["provision", "describe", "status", "execute", "delete"])
def test_aws_commands_take_the_connection_options(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    for option in ("--region", "--profile", "--endpoint-url", "--stack-name"):
        assert option in result.output


def test_template_prints_json() -> None:
    result = CliRunner().invoke(cli, ["template", str(ROLL_DIE)])
    assert result.exit_code == 0, result.output
    template = json.loads(result.output)
    assert template["Resources"]["RollDieFunction"]["Properties"]["MemorySize"] == 128


def test_template_writes_yaml_by_suffix(tmp_path: Path) -> None:
    target = tmp_path / "template.yaml"
    result = CliRunner().invoke(cli, ["template", str(ROLL_DIE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "RollDieStateMachine" in yaml.safe_load(target.read_text())["Resources"]


def test_build_writes_the_zip_and_reports_its_size(tmp_path: Path) -> None:
    target = tmp_path / "out.zip"
    result = CliRunner().invoke(cli, ["build", str(ROLL_DIE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert re.match(rf"{re.escape(str(target))}: \d+ files, \d+\.\d KiB\n", result.output)
    assert "roll_die: handler phalanx_handlers.roll_die" in result.output
    assert "phalanx_handlers.py" in zipfile.ZipFile(target).namelist()


def test_a_stack_command_needs_file_or_stack_name() -> None:
    result = CliRunner().invoke(cli, ["describe"])
    assert result.exit_code == 2
    assert "give FILE or --stack-name" in result.output


def test_execute_input_must_be_json() -> None:
    result = CliRunner().invoke(cli, ["execute", "--stack-name", "s", "--input", "{nope"])
    assert result.exit_code == 2
    assert "Invalid value for --input: not JSON" in result.output


def test_loading_errors_are_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["template", str(tmp_path / "missing.py")])
    assert result.exit_code == 2
    assert result.output == f"{tmp_path / 'missing.py'}: no such file\n"


@pytest.mark.parametrize("name", DEPLOY_COMMANDS)
def test_every_deploy_command_is_documented(name: str) -> None:
    assert f"phalanx {name}" in (ROOT / "docs" / "deploy.md").read_text()


@pytest.mark.parametrize("url", ["notaurl", "ftp://host", "http://", "http://host:port"])
def test_endpoint_url_must_be_an_http_url(url: str) -> None:
    result = CliRunner().invoke(cli, ["describe", "--stack-name", "s", "--endpoint-url", url])
    assert result.exit_code == 2
    assert "Invalid value for '--endpoint-url'" in result.output
    assert "is not a URL" in result.output
    assert "Traceback" not in result.output


def test_a_bad_endpoint_reaching_botocore_is_one_line() -> None:
    from phalanx.deploy.aws import Connection
    from phalanx.deploy.errors import DeployError

    conn = Connection(region="us-east-1", endpoint_url="notaurl")
    with pytest.raises(DeployError, match="--endpoint-url 'notaurl' is not a URL"):
        conn.client("sts")


@pytest.mark.parametrize("name", ["describe", "status", "delete"])
def test_without_boto3_an_aws_command_says_which_extra_to_install(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("boto3", "boto3.session"):
        monkeypatch.setitem(sys.modules, module, None)
    result = CliRunner().invoke(cli, [name, "--stack-name", "s", "--region", "us-east-1"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: phalanx deploy commands need boto3: pip install 'phalanx[deploy]'\n"
    )


def test_build_warns_about_imports_the_zip_lacks(tmp_path: Path) -> None:
    file = tmp_path / "uses_yaml.py"
    file.write_text(
        "import yaml\nimport phalanx\n\n@phalanx.function\ndef f(event, context):\n"
        "    return yaml.safe_load(event)\n"
    )
    result = CliRunner().invoke(cli, ["build", str(file), "-o", str(tmp_path / "o.zip")])
    assert result.exit_code == 0, result.output
    assert "warning: uses_yaml.py imports yaml, not in the zip" in result.output


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["provision", str(ROLL_DIE), "--s3-bucket", "b"], id="provision"),
        pytest.param(["delete", "--stack-name", "s", "--yes"], id="delete"),
    ],
)
def test_provision_and_delete_follow_the_stack_for_timeout_seconds(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from phalanx.deploy import provision, stack

    timeouts: list[float] = []

    def record(conn: Any, *args: object, **kwargs: object) -> None:
        timeouts.append(conn.pace.timeout)

    monkeypatch.setattr(provision, "provision", lambda project, conn, **_: record(conn))
    monkeypatch.setattr(stack, "require", record)
    monkeypatch.setattr(stack, "delete", record)
    result = CliRunner().invoke(cli, [*argv, "--timeout", "90"])
    assert result.exit_code == 0, result.output
    assert timeouts and set(timeouts) == {90.0}


def test_build_refuses_a_file_with_no_function(tmp_path: Path) -> None:
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n")
    result = CliRunner().invoke(cli, ["build", str(empty), "-o", str(tmp_path / "e.zip")])
    assert result.exit_code == 1
    assert "nothing to package" in result.output
    assert not (tmp_path / "e.zip").exists()


def test_template_output_into_a_new_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir" / "template.json"
    result = CliRunner().invoke(cli, ["template", str(ROLL_DIE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Resources" in json.loads(target.read_text())


def test_unwritable_output_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["template", str(ROLL_DIE), "-o", str(blocker / "t.json")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "Error:" in result.output


def test_execute_reads_input_from_a_file_like_run(tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["execute", "--stack-name", "s", "--input", "@nope.json"])
    assert missing.exit_code == 2 and "cannot read nope.json" in missing.output
    bad = tmp_path / "bad.json"
    bad.write_text('{"x": NaN}')
    result = CliRunner().invoke(cli, ["execute", "--stack-name", "s", "--input", f"@{bad}"])
    assert result.exit_code == 2 and "NaN is not a JSON value" in result.output
