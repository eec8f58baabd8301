"""examples/saga.py runs against moto's server with the command its docstring documents."""

from __future__ import annotations

import json
import runpy
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from phalanx.cli.main import cli

SAGA = Path(__file__).resolve().parents[2] / "examples" / "saga.py"
TRIP = {"trip": "t0", "flight": "F0", "room": "R0", "car": "C0"}


@pytest.fixture(scope="module")
def saga(moto_url: str) -> dict[str, Any]:
    module = runpy.run_path(str(SAGA))
    module["create_table"](moto_url)
    return module


def documented_command(moto_url: str, trip: dict[str, str]) -> list[str]:
    """The `phalanx run` command of the module docstring, aimed at this test's server."""
    doc = runpy.run_path(str(SAGA))["__doc__"]
    command = doc.split("phalanx run ", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    args = shlex.split(command.replace("http://127.0.0.1:5000", moto_url))
    args[args.index("--input") + 1] = json.dumps(trip)
    return ["run", *args]


def book(moto_url: str, trip: dict[str, str]) -> Any:
    return CliRunner().invoke(cli, documented_command(moto_url, trip))


def items(aws: Any, saga: dict[str, Any]) -> set[str]:
    scanned = aws("dynamodb").scan(TableName=saga["TABLE"])["Items"]
    return {item["pk"]["S"] for item in scanned}


def test_a_trip_books_flight_hotel_and_car_through_the_nested_machine(
    saga: dict[str, Any], moto_url: str, aws: Any
) -> None:
    result = book(moto_url, {"trip": "t1", "flight": "F1", "room": "R1", "car": "C1"})
    assert result.exit_code == 0, result.output
    assert "dynamodb:putItem in reserveFlight  [TableName=saga-bookings]" in result.output
    # The child's call, shown under its machine as it runs.
    assert "$ BookCar/putCar: dynamodb:putItem" in result.output
    output = json.loads(result.output.split("SUCCEEDED\n", 1)[1])
    assert output["carBooking"]["car"] == "C1"
    assert ":execution:BookCar:" in output["carBooking"]["execution"]
    assert {"FLIGHT#F1", "HOTEL#R1", "CAR#C1"} <= items(aws, saga)


def test_a_car_already_booked_undoes_hotel_then_flight(
    saga: dict[str, Any], moto_url: str, aws: Any
) -> None:
    book(moto_url, {"trip": "t2", "flight": "F2", "room": "R2", "car": "C2"})
    result = book(moto_url, {"trip": "t3", "flight": "F3", "room": "R3", "car": "C2"})
    assert result.exit_code == 1
    assert "error: TripNotBooked" in result.output
    lines = result.output.splitlines()
    entered = [line.split("> ")[1].split(" (")[0] for line in lines if "  > " in line]
    assert entered == [
        "reserveFlight",
        "reserveHotel",
        "reserveCar",
        "cancelHotel",
        "cancelFlight",
        "tripFailed",
    ]
    booked = items(aws, saga)
    assert "FLIGHT#F3" not in booked and "HOTEL#R3" not in booked
    assert {"FLIGHT#F2", "HOTEL#R2", "CAR#C2"} <= booked


def test_a_room_already_booked_undoes_only_the_flight(
    saga: dict[str, Any], moto_url: str, aws: Any
) -> None:
    book(moto_url, {"trip": "t4", "flight": "F4", "room": "R4", "car": "C4"})
    result = book(moto_url, {"trip": "t5", "flight": "F5", "room": "R4", "car": "C5"})
    assert "reserveHotel -> cancelFlight" in result.output
    assert "FLIGHT#F5" not in items(aws, saga)


def test_without_aws_the_run_says_which_options_call_aws(saga: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        cli,
        ["run", str(SAGA), "--machine", "BookTrip", "--fast", "--input", json.dumps(TRIP)],
    )
    assert result.exit_code == 1
    assert "--aws" in result.output and "--endpoint-url" in result.output
