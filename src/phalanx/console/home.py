"""The front page: every state machine, and the latest executions of them all."""

from __future__ import annotations

from typing import Any

from phalanx.api.context import Service
from phalanx.console.calls import call, every
from phalanx.console.markup import badge, escape, link, moment, page, table, took, url

RECENT = 50
"""How many executions the front page lists (the machine pages list them all)."""


def machines(service: Service) -> list[dict[str, Any]]:
    return every(service, "ListStateMachines", {}, "stateMachines")


def executions(service: Service, machine_arn: str) -> list[dict[str, Any]]:
    """A STANDARD machine's executions, newest first (EXPRESS ones are not kept)."""
    return every(service, "ListExecutions", {"stateMachineArn": machine_arn}, "executions")


def latest_executions(service: Service, machine_arn: str, count: int) -> list[dict[str, Any]]:
    """A STANDARD machine's `count` newest executions: one page, not all of them."""
    answer = call(service, "ListExecutions", {"stateMachineArn": machine_arn, "maxResults": count})
    found: list[dict[str, Any]] = answer["executions"]
    return found


def executions_table(found: list[dict[str, Any]], now: float, *, caption: str) -> str:
    rows = [
        (
            link(url("/execution", arn=e["executionArn"]), e["name"]),
            escape(e["stateMachineArn"].split(":")[6]),
            badge(e["status"]),
            escape(moment(e["startDate"])),
            escape(took(e["startDate"], e.get("stopDate"), now)),
        )
        for e in found
    ]
    headers = ("Name", "State machine", "Status", "Started (UTC)", "Duration")
    return table(caption, headers, rows, "No executions yet.")


def home(service: Service) -> str:
    found = machines(service)
    rows = [
        (
            link(url("/machine", arn=m["stateMachineArn"]), m["name"]),
            escape(m["type"]),
            escape(moment(m["creationDate"])),
        )
        for m in found
    ]
    recent = [
        e
        for m in found
        if m["type"] == "STANDARD"
        for e in latest_executions(service, m["stateMachineArn"], RECENT)
    ]
    recent.sort(key=lambda e: (-e["startDate"], e["executionArn"]))
    now = service.clock.now()
    listed = table(
        "State machines in this server's database",
        ("Name", "Type", "Created (UTC)"),
        rows,
        "No state machines yet: create one with boto3, the AWS CLI, "
        "or phalanx serve --functions FILE.py.",
    )
    body = (
        "<h1>State machines</h1>\n"
        f'<section aria-labelledby="machines-title"><h2 id="machines-title">Machines</h2>'
        f"{listed}</section>\n"
        f'<section aria-labelledby="recent-title"><h2 id="recent-title">Recent executions</h2>'
        f"{executions_table(recent[:RECENT], now, caption=f'The latest {RECENT} at most')}"
        "</section>"
    )
    return page("State machines", body)
