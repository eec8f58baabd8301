"""Catch every mistake in an ASL definition before deploy, in one pass, located precisely.

    >>> from phalanx.validate import validate
    >>> validate({"StartAt": "A", "States": {"A": {"Type": "Pass"}}}).to_dict()["result"]
    'FAIL'

Rule modules, one idea each: `schema` (fields, types, ranges), `handlers`
(Retry/Catch), `choice`, `mapstate`, `names`, `transitions`, `paths` (query
languages), `resources` (Task ARNs), `advice` (Phalanx's own warnings).
"""

from __future__ import annotations

from phalanx.validate.advice import CODES as PHALANX_CODES
from phalanx.validate.core import validate
from phalanx.validate.diagnostics import Diagnostic, ValidationResult

__all__ = ["PHALANX_CODES", "Diagnostic", "ValidationResult", "validate"]
