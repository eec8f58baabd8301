"""Catch every mistake in an ASL definition before deploy, in one pass, located precisely.

    >>> from phalanx.validation import validate
    >>> validate({"StartAt": "A", "States": {"A": {"Type": "Pass"}}}).to_dict()["result"]
    'FAIL'

Rule modules, one idea each: `schema` (fields, types, ranges), `handlers`
(Retry/Catch), `choice`, `mapstate`, `names`, `transitions`, `paths` (query
languages), `resources` (Task ARNs), `advice` (Phalanx's own warnings).
"""

from __future__ import annotations

from phalanx.validation.advice import CODES as PHALANX_CODES
from phalanx.validation.core import validate
from phalanx.validation.diagnostics import Diagnostic, ValidationResult

__all__ = ["PHALANX_CODES", "Diagnostic", "ValidationResult", "validate"]
