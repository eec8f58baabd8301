"""The public names of each query module, pinned: other packages import exactly these."""

from __future__ import annotations

from types import ModuleType

import pytest

from phalanx.query import intrinsics, jsonata, jsonpath, payload


@pytest.mark.parametrize(
    ("module", "names"),
    [
        pytest.param(
            jsonpath,
            ["InvalidPath", "JsonPath", "PathNotFound", "evaluate", "parse", "set_result_path"],
            id="jsonpath",
        ),
        pytest.param(
            intrinsics,
            ["Intrinsic", "Sources", "evaluate", "is_intrinsic", "parse"],
            id="intrinsics",
        ),
        pytest.param(
            payload, ["evaluate_path", "evaluate_template", "not_found_cause"], id="payload"
        ),
        pytest.param(
            jsonata,
            [
                "check_syntax",
                "evaluate",
                "evaluate_template",
                "is_expression",
                "strip",
                "unexpected_type",
            ],
            id="jsonata",
        ),
    ],
)
def test_all_is_sorted_and_complete(module: ModuleType, names: list[str]) -> None:
    exported = module.__all__
    assert exported == names == sorted(names)
    for name in names:
        assert hasattr(module, name)
