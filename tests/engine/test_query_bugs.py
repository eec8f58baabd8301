"""Bugs found in `phalanx.query` while wiring it into the engine (not worked around)."""

from __future__ import annotations

import pytest

from phalanx.query import jsonpath


@pytest.mark.xfail(
    strict=True,
    reason="query: a backslash before a quote in a bracketed name is literal in AWS's JSONPath "
    "(corpus scenarios/test_escape_sequence_parsing ESCAPE_SEQUENCES_JSONPATH)",
)
def test_bracket_name_keeps_backslash_before_double_quote() -> None:
    data = {'Test\\""Name"': 'Value"\\'}
    assert jsonpath.evaluate('$[\'Test\\""Name"\']', data) == 'Value"\\'
