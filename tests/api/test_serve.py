"""`phalanx serve` as a process: one per database, clean stops, data kept across restarts."""

from __future__ import annotations

import signal
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from phalanx.cli.main import cli
from tests.api.conftest import PASS, ROLE, client
from tests.api.server import STOP_SECONDS, launch, start


def test_data_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "phalanx.db"
    first = start(db)
    try:
        sfn = client(first.url)
        arn = sfn.create_state_machine(name="kept", definition=PASS, roleArn=ROLE, publish=True)[
            "stateMachineArn"
        ]
        sfn.create_activity(name="kept-activity", tags=[{"key": "k", "value": "v"}])
    finally:
        code, out, _ = first.stop()
    assert code == 0
    assert "Phalanx stopped." in out
    second = start(db)
    try:
        sfn = client(second.url)
        assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == PASS
        assert [
            v["stateMachineVersionArn"]
            for v in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
        ] == [f"{arn}:1"]
        activity = sfn.list_activities()["activities"][0]["activityArn"]
        assert sfn.list_tags_for_resource(resourceArn=activity)["tags"] == [
            {"key": "k", "value": "v"}
        ]
    finally:
        second.stop()


def test_a_second_server_on_the_same_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "phalanx.db"
    first = start(db)
    try:
        second = launch(db)
        _, err = second.communicate(timeout=STOP_SECONDS)
        assert second.returncode == 1
        assert f"in use by another Phalanx server (pid {first.process.pid})" in err
        assert first.process.poll() is None  # the first one is untouched
    finally:
        first.stop()


@pytest.mark.parametrize(
    "stop_signal",
    [pytest.param(signal.SIGTERM, id="SIGTERM"), pytest.param(signal.SIGINT, id="ctrl-c")],
)
def test_a_signal_stops_the_server_cleanly_and_frees_the_database(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    db = tmp_path / "phalanx.db"
    running = start(db)
    running.process.send_signal(stop_signal)
    out, err = running.process.communicate(timeout=STOP_SECONDS)
    assert running.process.returncode == 0, err
    assert "Phalanx stopped." in out
    start(db).stop()  # the lock went with the process


def test_a_busy_port_is_refused_with_a_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = launch(tmp_path / "phalanx.db", port)
        _, err = process.communicate(timeout=STOP_SECONDS)
    assert process.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err


def test_listening_beyond_loopback_warns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []

    def fake_serve(db_path: Path, host: str, port: int, **options: Any) -> None:
        calls.append({"db": db_path, "host": host, "port": port})

    monkeypatch.setattr("phalanx.cli.serve.serve", fake_serve)
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0" in result.stderr
    assert calls == [{"db": db, "host": "0.0.0.0", "port": 8083}]
    quiet = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert "warning" not in quiet.stderr


def test_serve_is_listed_with_its_options() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db"):
        assert option in result.output
    assert "serve" in CliRunner().invoke(cli, ["--help"]).output


def test_a_database_that_cannot_be_created_is_refused_with_its_path(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--db", str(blocker / "p.db")])
    assert result.exit_code == 1
    assert f"{blocker / 'p.db'}: cannot open the database" in result.output


def test_a_database_from_a_newer_phalanx_is_refused_naming_the_versions(tmp_path: Path) -> None:
    import sqlite3

    from phalanx.store import MIGRATIONS, Migration
    from phalanx.store.migrations import migrate

    db = tmp_path / "newer.db"
    future = (*MIGRATIONS, Migration("from_the_future", ("CREATE TABLE future (x)",)))
    migrate(sqlite3.connect(db, isolation_level=None), future)
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--db", str(db)])
    assert result.exit_code == 1
    assert f"schema version {len(future)} ('from_the_future'), newer than" in result.output
