"""Fetch an execution's history from AWS, every page, as GetExecutionHistory returns it."""

from __future__ import annotations

from typing import Any

from phalanx.deploy.aws import Connection, aws_errors


def fetch_history(connection: Connection, execution_arn: str) -> dict[str, Any]:
    """`{"events": [...]}` of `execution_arn`, oldest first, with its execution data.

    Raises `DeployError` (one line) when AWS refuses: no such execution, no
    credentials, no access.
    """
    client = connection.client("stepfunctions")
    events: list[Any] = []
    with aws_errors():
        paginator = client.get_paginator("get_execution_history")
        pages = paginator.paginate(
            executionArn=execution_arn, reverseOrder=False, includeExecutionData=True
        )
        for page in pages:
            events.extend(page.get("events", []))
    return {"events": events}


def region_of(arn: str) -> str | None:
    """The region an ARN names (`arn:aws:states:eu-west-1:...`), if any."""
    parts = arn.split(":")
    return parts[3] or None if len(parts) > 3 and parts[0] == "arn" else None
