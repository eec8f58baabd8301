"""Phalanx checks each request against the same limits as AWS's model (botocore's copy)."""

from __future__ import annotations

from typing import Any

import pytest

from phalanx.api.dispatch import AWS_OPERATIONS, OPERATIONS
from phalanx.api.errors import ApiError
from phalanx.api.shapes import Shape, check, integer, list_of, string, structure


def _model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("stepfunctions")


def test_the_operation_list_is_aws_s() -> None:
    assert set(_model().operation_names) == AWS_OPERATIONS
    assert set(OPERATIONS) <= AWS_OPERATIONS


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_an_operation_input_has_the_model_s_members_and_limits(name: str) -> None:
    _same(OPERATIONS[name].input, _model().operation_model(name).input_shape, name)


def _same(ours: Shape, theirs: Any, where: str) -> None:
    assert ours.kind == theirs.type_name, where
    limits = theirs.metadata
    assert (ours.min, ours.max) == (limits.get("min"), limits.get("max")), where
    if ours.kind == "structure":
        assert set(ours.members) == set(theirs.members), where
        assert ours.required == set(theirs.required_members), where
        for member, shape in ours.members.items():
            _same(shape, theirs.members[member], f"{where}.{member}")
    elif ours.kind == "list":
        assert ours.member is not None
        _same(ours.member, theirs.member, f"{where}[]")
    elif ours.kind == "string":
        assert list(ours.enum) == list(theirs.enum), where
        assert ours.pattern == limits.get("pattern"), where


REQUEST = structure(
    ("name",),
    name=string(1, 3),
    size=integer(0, 10),
    items=list_of(structure(key=string(1, 2)), max=2),
)


@pytest.mark.parametrize(
    ("request_body", "expected"),
    [
        pytest.param({"name": "ab", "size": 3.0}, {"name": "ab", "size": 3}, id="whole-float"),
        pytest.param(
            {"name": "ab", "items": [None, {"key": "k"}], "x": 1},
            {"name": "ab", "items": [{"key": "k"}]},
            id="nulls-and-unknowns-dropped",
        ),
    ],
)
def test_check_keeps_what_the_model_declares(
    request_body: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert check(REQUEST, request_body) == expected


def test_check_lists_every_violation_at_its_path() -> None:
    with pytest.raises(ApiError) as refused:
        check(REQUEST, {"size": 11, "items": [{"key": "long"}, {}, {}]})
    assert refused.value.code == "ValidationException"
    assert refused.value.message == (
        "4 validation errors detected: "
        "Value null at 'name' failed to satisfy constraint: Member must not be null; "
        "Value '11' at 'size' failed to satisfy constraint: "
        "Member must have value less than or equal to 10; "
        "Value '[{key=long}, {}, {}]' at 'items' failed to satisfy constraint: "
        "Member must have length less than or equal to 2; "
        "Value 'long' at 'items.1.member.key' failed to satisfy constraint: "
        "Member must have length less than or equal to 2"
    )
