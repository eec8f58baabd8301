"""Compare JSON values where a recording masked what varies from run to run.

Recorded histories (the conformance corpus, LocalStack snapshots) replace
volatile strings with tokens before they are stored (tests/data/conformance/README.md):

* any `<...>` token (`<uuid:1>`, `arn:<partition>:...`) stands for any text;
* `values` are tokens that replaced a whole string (`"date"`, `"timestamp"`):
  such a string matches any value;
* `substrings` are tokens that replaced part of a string (`"snf_role_arn"`):
  a wildcard inside that string.

Masking only ever replaced strings, so numbers, booleans, nulls and the
structure compare exactly. A string holding JSON text compares with the value
it encodes (snapshots store event details parsed), and a Lambda error
document (a `Cause`) compares on `errorMessage` and `errorType` only: its
`requestId` is masked and its `stackTrace` names AWS-side files.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

_TOKEN = re.compile(r"<[^<>]*>")


@dataclasses.dataclass(frozen=True, slots=True)
class Masks:
    """What a recording masked: `values`, `substrings`, and whether `<...>` tokens are wildcards.

    `Masks()` compares exactly; `Masks.recorded()` treats `<...>` tokens as
    wildcards; `Masks.of_case(case)` reads a corpus case's `expected_masks`.
    """

    values: frozenset[str] = frozenset()
    substrings: tuple[str, ...] = ()
    placeholders: bool = False

    @classmethod
    def recorded(cls, values: Iterable[str] = (), substrings: Iterable[str] = ()) -> Masks:
        longest_first = sorted(substrings, key=len, reverse=True)
        return cls(frozenset(values), tuple(longest_first), True)

    @classmethod
    def of_case(cls, case: Mapping[str, Any]) -> Masks:
        masks = case.get("expected_masks") or {}
        found = cls.recorded(masks.get("values", []), masks.get("substrings", []))
        return dataclasses.replace(found, placeholders=bool(case.get("expected_has_placeholders")))

    def string(self, expected: str, actual: Any) -> bool:
        """Does `actual` match the recorded string `expected`, masks as wildcards?"""
        if expected == actual:
            return True
        if not self.placeholders:
            return False
        if expected in self.values:
            return True
        if not isinstance(actual, str):
            return False
        wildcards = [(m.start(), m.end()) for m in _TOKEN.finditer(expected)]
        for token in self.substrings:
            for m in re.finditer(re.escape(token), expected):
                if not any(s <= m.start() < e for s, e in wildcards):
                    wildcards.append((m.start(), m.end()))
        if not wildcards:
            return False
        pattern = ""
        position = 0
        for start, end in sorted(wildcards):
            if start < position:
                continue
            pattern += re.escape(expected[position:start]) + ".*"
            position = end
        pattern += re.escape(expected[position:])
        return re.fullmatch(pattern, actual, flags=re.DOTALL) is not None


def same(expected: Any, actual: Any, masks: Masks) -> bool:
    """Does `actual` match the recorded `expected` (module docstring)?"""
    if isinstance(expected, str):
        if masks.string(expected, actual):
            return True
        # A Lambda error document embedded as text (a caught error's Cause):
        # compare on errorMessage/errorType, as the corpus README says for causes.
        expected_lambda = lambda_cause(expected)
        return expected_lambda is not None and same(expected_lambda, lambda_cause(actual), masks)
    if isinstance(expected, dict | list) and isinstance(actual, str):
        try:
            actual = json.loads(actual)
        except ValueError:
            return False
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            return False
        return all(same(expected[k], actual[k], masks) for k in expected)
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return False
        return all(same(e, a, masks) for e, a in zip(expected, actual, strict=True))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return bool(expected == actual)


_ERROR_FIELDS = re.compile(r'^\{"errorMessage": ?"((?:[^"\\]|\\.)*)", ?"errorType": ?"([^"]*)"')


def lambda_cause(value: Any) -> dict[str, Any] | None:
    """`{"errorMessage", "errorType"}` of a Lambda error document (text or value), else None."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            # Masking can break the JSON (`"requestId":<request-id>"`): read the
            # two compared fields from the text itself.
            match = _ERROR_FIELDS.match(value)
            if match is None:
                return None
            message = json.loads(f'"{match.group(1)}"')
            return {"errorMessage": message, "errorType": match.group(2)}
    if isinstance(value, dict) and {"errorMessage", "errorType"} <= set(value):
        return {"errorMessage": value["errorMessage"], "errorType": value["errorType"]}
    return None


def same_cause(expected: Any, actual: Any, masks: Masks) -> bool:
    """Causes compare as values, Lambda error documents on errorMessage/errorType."""
    expected_lambda = lambda_cause(expected)
    if expected_lambda is not None:
        return same(expected_lambda, lambda_cause(actual), masks)
    return same(expected, actual, masks)
