"""The validator and the model's codec agree on every state type's fields.

Both read the model's `asl_field`s; these tests show the agreement from the
outside: a field the codec writes for a state type is one the validator
accepts in its query language and refuses (by name) in the other, and a
value the codec refuses for its JSON kind is an error the validator reports
at that field.
"""

from __future__ import annotations

from typing import Any

import pytest

from phalanx.asl import STATE_TYPES, StateMachine
from phalanx.asl.fields import Kind, field_specs
from phalanx.errors import DefinitionError
from phalanx.validation import validate

LANGUAGES = ("JSONPath", "JSONata")

_BRANCH = {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}
# The least each state type needs besides the field under test.
_BASE: dict[str, dict[str, Any]] = {
    "Pass": {"End": True},
    "Task": {"Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": True},
    "Choice": {"Default": "Done"},
    "Wait": {"Seconds": 1, "End": True},
    "Succeed": {},
    "Fail": {},
    "Parallel": {"Branches": [_BRANCH], "End": True},
    "Map": {"ItemProcessor": _BRANCH, "End": True},
}
_CHOICES = {
    "JSONPath": [{"Variable": "$.x", "IsPresent": True, "Next": "Done"}],
    "JSONata": [{"Condition": "{% true %}", "Next": "Done"}],
}
# A value of the wrong JSON kind for each checked kind.
_WRONG: dict[Kind, Any] = {
    Kind.STRING: 5,
    Kind.PATH: 5,
    Kind.NUMBER: [1],
    Kind.BOOLEAN: "yes",
    Kind.OBJECT: 5,
    Kind.OBJECT_OR_STRING: 5,
    Kind.STRING_LIST: "x",
}


def _definition(state_type: str, language: str, fields: dict[str, Any]) -> dict[str, Any]:
    state = {"Type": state_type, **_BASE[state_type], **fields}
    if state_type == "Choice":
        state.setdefault("Choices", _CHOICES[language])
    return {
        "QueryLanguage": language,
        "StartAt": "S",
        "States": {"S": state, "Done": {"Type": "Succeed"}},
    }


def _messages(definition: dict[str, Any]) -> list[str]:
    return [d.message for d in validate(definition).diagnostics]


FIELDS = [
    pytest.param(state_type, spec.key, spec.only, id=f"{state_type}-{spec.key}")
    for state_type, cls in STATE_TYPES.items()
    for spec in field_specs(cls)
]


@pytest.mark.parametrize(("state_type", "key", "only"), FIELDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_model_field_is_accepted_in_its_languages_and_refused_by_name_elsewhere(
    state_type: str, key: str, only: str | None, language: str
) -> None:
    value = _BASE[state_type].get(key, _CHOICES[language] if key == "Choices" else {})
    messages = _messages(_definition(state_type, language, {key: value}))
    unsupported = [m for m in messages if f"the field '{key}' is not supported" in m]
    if only in (None, language):
        assert unsupported == []
    else:
        assert unsupported == [
            f"State \"S\": the field '{key}' is not supported when QueryLanguage is {language}"
        ]


def test_a_field_no_model_class_has_is_refused_naming_the_state_type() -> None:
    messages = _messages(_definition("Pass", "JSONPath", {"Seconds": 1}))
    assert "State \"S\": the field 'Seconds' is not supported in a Pass state" in messages


KINDS = [
    pytest.param(
        state_type, spec.key, spec.kind, language, id=f"{state_type}-{spec.key}-{language}"
    )
    for state_type, cls in STATE_TYPES.items()
    for spec in field_specs(cls)
    if spec.kind in _WRONG
    for language in LANGUAGES
    if spec.only in (None, language)
]


@pytest.mark.parametrize(("state_type", "key", "kind", "language"), KINDS)
def test_a_value_the_codec_refuses_for_its_kind_is_an_error_at_that_field(
    state_type: str, key: str, kind: Kind, language: str
) -> None:
    definition = _definition(state_type, language, {key: _WRONG[kind]})
    with pytest.raises(DefinitionError):
        StateMachine.from_asl(definition)
    errors = validate(definition).diagnostics
    assert any(d.location.startswith(f"/States/S/{key}") for d in errors), errors
