"""What deploy prints: change sets, events, per-resource timings, sizes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from phalanx.deploy import progress

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_change_set_shows_add_modify_replace_remove() -> None:
    changes = [
        {"ResourceChange": {"Action": "Add", "LogicalResourceId": "A", "ResourceType": "T::A"}},
        {
            "ResourceChange": {
                "Action": "Modify",
                "LogicalResourceId": "Machine",
                "ResourceType": "T::M",
                "Replacement": "False",
                "Details": [{"Target": {"Name": "DefinitionString"}}],
            }
        },
        {
            "ResourceChange": {
                "Action": "Modify",
                "LogicalResourceId": "Fn",
                "ResourceType": "T::F",
                "Replacement": "True",
            }
        },
        {"ResourceChange": {"Action": "Remove", "LogicalResourceId": "Old", "ResourceType": "T"}},
    ]
    assert progress.change_set(changes) == (
        "+ add      A        T::A\n"
        "~ modify   Machine  T::M  DefinitionString\n"
        "! replace  Fn       T::F\n"
        "- remove   Old      T"
    )


def test_empty_change_set() -> None:
    assert progress.change_set([]) == "(no changes)"


def test_event_line_has_offset_resource_status_and_reason() -> None:
    event = {
        "LogicalResourceId": "Fn",
        "ResourceType": "AWS::Lambda::Function",
        "ResourceStatus": "CREATE_FAILED",
        "ResourceStatusReason": "no key",
        "Timestamp": T0 + timedelta(seconds=2.5),
    }
    line = progress.event(event, since=T0)
    assert line.startswith("  +2.5s Fn ")
    assert line.endswith("CREATE_FAILED  no key")


def test_timings_per_resource_leave_out_the_stack() -> None:
    def event(lid: str, status: str, seconds: float) -> dict[str, object]:
        kind = "AWS::CloudFormation::Stack" if lid == "s" else "AWS::IAM::Role"
        return {
            "LogicalResourceId": lid,
            "ResourceType": kind,
            "ResourceStatus": status,
            "Timestamp": T0 + timedelta(seconds=seconds),
        }

    events = [
        event("s", "CREATE_IN_PROGRESS", 0),
        event("Role", "CREATE_IN_PROGRESS", 1),
        event("Role", "CREATE_COMPLETE", 13.4),
        event("s", "CREATE_COMPLETE", 14),
    ]
    assert progress.timings(events, "s") == [["Role", "AWS::IAM::Role", "CREATE_COMPLETE", "12.4s"]]


@pytest.mark.parametrize(
    ("count", "text"),
    [(512, "512 B"), (25_118, "24.5 KiB"), (5 * 1024 * 1024, "5.0 MiB")],
)
def test_size(count: int, text: str) -> None:
    assert progress.size(count) == text
