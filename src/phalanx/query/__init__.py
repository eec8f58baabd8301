"""Queries over JSON as Step Functions runs them.

Four public modules, each `parse`/`check` -> tree -> `evaluate`:

* `phalanx.query.jsonpath`   JSONPath (Jayway dialect, `$$` and `$var` roots), ResultPath
* `phalanx.query.intrinsics` the 18 `States.*` intrinsic functions
* `phalanx.query.payload`    payload templates (`Parameters`, `ResultSelector`, ...)
* `phalanx.query.jsonata`    JSONata with AWS's `$states` and added functions

Failures while evaluating raise `phalanx.errors.StatesError` whose `cause` is
the part of AWS's cause after "An error occurred while executing the state
'X' (entered at the event id #N). ": the engine adds that prefix. Text that
does not parse raises `phalanx.errors.QuerySyntaxError` (the validator's job
to report before anything runs).

Randomness (`States.MathRandom`, `States.UUID`, `$random`, `$uuid`) and the
time JSONata's `$now()` / `$millis()` read come from an injectable
`intrinsics.Sources`; without `Sources.now` those two read the machine's clock.
"""

from __future__ import annotations

from phalanx.query._json import json_type

__all__ = ["json_type"]
