"""Validation before a deploy: an invalid machine is never shipped."""

from __future__ import annotations

from phalanx.deploy.progress import StepLog
from phalanx.loading import Source
from phalanx.loading.report import render_text
from phalanx.project import Project
from phalanx.validation import validate


def validate_machines(project: Project, log: StepLog) -> bool:
    """Validate every machine, showing each diagnostic (warnings too) at the
    line that built the state, as `phalanx validate` does; False if any FAILs."""
    ok = True
    for name, machine in project.machines.items():
        result = validate(machine, severity="WARNING")
        log.step("validate", f"{name} {result.result}")
        source = Source(str(project.path), name, machine, locate=machine.locate)
        for line in render_text(source, result.diagnostics):
            log.detail(f"  {line}")
        ok = ok and result.result == "OK"
    return ok
