"""Validation before a deploy: an invalid machine is never shipped."""

from __future__ import annotations

from phalanx.deploy.progress import StepLog
from phalanx.project import Project
from phalanx.validation import validate


def validate_machines(project: Project, log: StepLog) -> bool:
    """Validate every machine, showing each diagnostic (warnings too); False if any FAILs."""
    ok = True
    for name, machine in project.machines.items():
        result = validate(machine, severity="WARNING")
        log.step("validate", f"{name} {result.result}")
        for diagnostic in result.diagnostics:
            log.detail(
                f"  {diagnostic.severity} {diagnostic.code} {diagnostic.location or '/'}: "
                f"{diagnostic.message}"
            )
        ok = ok and result.result == "OK"
    return ok
