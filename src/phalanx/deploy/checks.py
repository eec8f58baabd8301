"""Validation before a deploy: an invalid machine is never shipped.

`phalanx.validate` is a sibling layer that may be missing from a build; then
deploys go on with a visible note instead of failing.
"""

from __future__ import annotations

from typing import Any

from phalanx.deploy.progress import StepLog
from phalanx.project import Project


def validate_machines(project: Project, log: StepLog) -> bool:
    """Validate every machine, showing each diagnostic; False if any is invalid."""
    validate = _validator()
    if validate is None:
        log.step("validate", "skipped: phalanx.validate is not available in this installation")
        return True
    ok = True
    for name, machine in project.machines.items():
        result = validate(machine)
        verdict = str(result.result)
        log.step("validate", f"{name} {verdict}")
        for diagnostic in result.diagnostics:
            severity = getattr(diagnostic, "severity", "")
            log.detail(
                f"  {severity} {diagnostic.code} {diagnostic.location or '/'}: {diagnostic.message}"
            )
        ok = ok and verdict == "OK"
    return ok


def _validator() -> Any:
    try:
        from phalanx.validate import validate
    except ModuleNotFoundError as error:
        if error.name in ("phalanx.validate", "phalanx"):
            return None
        raise
    return validate
