"""Service integrations: AWS calls through boto3, shaped as Step Functions returns them.

Nested machines run in-process (`nested.py`, `children.py`); everything else
goes through boto3 when the user opts in (`--aws`, `run(aws=...)`), to AWS
or an emulator (`clients.py`). See docs/services.md.
"""

from __future__ import annotations

from phalanx.services.callbacks import TaskTokens
from phalanx.services.calls import CallRecord, Services
from phalanx.services.clients import Connection, connect
from phalanx.services.nested import ChildExecution, ChildStart, StartChild
from phalanx.services.plan import PlannedCall, plan_text, planned_calls

__all__ = [
    "CallRecord",
    "ChildExecution",
    "ChildStart",
    "Connection",
    "PlannedCall",
    "Services",
    "StartChild",
    "TaskTokens",
    "connect",
    "plan_text",
    "planned_calls",
]
