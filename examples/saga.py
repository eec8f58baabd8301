"""Saga: book a flight, a hotel and a car for a trip; on a failure, undo what was booked.

reserveFlight -> reserveHotel -> reserveCar (child machine BookCar) -> tripBooked
      |               |               \\--(error)--> cancelHotel -> cancelFlight -> tripFailed
      |               \\--(error)--> cancelFlight -> tripFailed
      \\--(error)--> tripFailed

Each booking is a DynamoDB write to one table, `saga-bookings`: a flight
seat, a hotel room or a car can be booked once (a conditional put), so a
second trip asking for the same room fails at that step, and the steps
already done are compensated in reverse order. The car is booked by a
nested machine, started with `states:startExecution.sync:2`.

Run it against moto's server (`pip install 'moto[server]'`; `moto_server -p 5000`):

    python examples/saga.py --create-table http://127.0.0.1:5000
    phalanx run examples/saga.py --machine BookTrip --fast \\
        --aws --endpoint-url http://127.0.0.1:5000 \\
        --input '{"trip": "t1", "flight": "LH400-12A", "room": "ritz-101", "car": "vw-7"}'

Run the second command again with another trip and the same room to see
the hotel step fail and the flight booking undone.
"""

from __future__ import annotations

import sys

from phalanx import DISCARD, Fail, Pass, StateMachine, Succeed, Task

TABLE = "saga-bookings"
BOOK_CAR_ARN = "arn:aws:states:us-east-1:111111111111:stateMachine:BookCar"


def _book(name: str, kind: str, field: str) -> Task:
    """A conditional put: the item `<kind>#<id>` must not be booked yet."""
    return Task(
        name,
        "arn:aws:states:::dynamodb:putItem",
        parameters={
            "TableName": TABLE,
            "Item": {
                "pk": {"S.$": f"States.Format('{kind}#{{}}', $.{field})"},
                "trip": {"S.$": "$.trip"},
            },
            "ConditionExpression": "attribute_not_exists(pk)",
        },
        result_path=DISCARD,
    )


def _cancel(name: str, kind: str, field: str) -> Task:
    """Delete this trip's booking (and only this trip's)."""
    return Task(
        name,
        "arn:aws:states:::dynamodb:deleteItem",
        parameters={
            "TableName": TABLE,
            "Key": {"pk": {"S.$": f"States.Format('{kind}#{{}}', $.{field})"}},
            "ConditionExpression": "attribute_not_exists(pk) OR trip = :trip",
            "ExpressionAttributeValues": {":trip": {"S.$": "$.trip"}},
        },
        result_path=DISCARD,
    ).retrying(["DynamoDB.ProvisionedThroughputExceededException"], max_attempts=3)


# The child machine: book the car, and say which car it booked.
book_car = StateMachine.of(
    _book("putCar", "CAR", "car").next(
        Pass("carBooked", parameters={"car.$": "$.car", "trip.$": "$.trip"})
    ),
    name="BookCar",
)

trip_failed = Fail("tripFailed", error="TripNotBooked", cause="a booking failed; undone")
cancel_flight = _cancel("cancelFlight", "FLIGHT", "flight").next(trip_failed)
cancel_hotel = _cancel("cancelHotel", "HOTEL", "room").next(cancel_flight)
trip_booked = Succeed("tripBooked")

reserve_car = (
    Task(
        "reserveCar",
        "arn:aws:states:::states:startExecution.sync:2",
        parameters={
            "StateMachineArn": BOOK_CAR_ARN,
            "Input": {
                "trip.$": "$.trip",
                "car.$": "$.car",
                "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id",
            },
        },
        result_selector={"car.$": "$.Output.car", "execution.$": "$.ExecutionArn"},
        result_path="$.carBooking",
    )
    .catching("States.ALL", cancel_hotel, result_path="$.error")
    .next(trip_booked)
)
reserve_hotel = (
    _book("reserveHotel", "HOTEL", "room")
    .catching("States.ALL", cancel_flight, result_path="$.error")
    .next(reserve_car)
)
reserve_flight = (
    _book("reserveFlight", "FLIGHT", "flight")
    .catching("States.ALL", trip_failed, result_path="$.error")
    .next(reserve_hotel)
)

saga = StateMachine.of(reserve_flight, name="BookTrip")


def create_table(endpoint_url: str | None = None) -> None:
    """Create the bookings table (on the emulator at `endpoint_url`, else in AWS)."""
    import boto3

    client = boto3.client("dynamodb", endpoint_url=endpoint_url)
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


if __name__ == "__main__" and sys.argv[1:2] == ["--create-table"]:
    create_table(sys.argv[2] if len(sys.argv) > 2 else None)
    print(f"created table {TABLE}")
