"""JSON and YAML pointers placed at the line and column where their values start."""

from __future__ import annotations

import pytest

from phalanx.loading.cloudformation import yaml_loader
from phalanx.loading.positions import json_positions, yaml_positions

TEXT = """{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "B"},
    "a/b~c": [1, {"x": true}]
  }
}
"""


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        pytest.param("", (1, 1), id="document"),
        pytest.param("/StartAt", (2, 14), id="string"),
        pytest.param("/States/A/Next", (4, 35), id="nested"),
        pytest.param("/States/a~1b~0c", (5, 14), id="escaped-key"),
        pytest.param("/States/a~1b~0c/1/x", (5, 24), id="array-item"),
    ],
)
def test_json_pointers_point_at_values(pointer: str, position: tuple[int, int]) -> None:
    assert json_positions(TEXT)[pointer] == position


def test_malformed_json_places_the_document_where_json_stops_reading() -> None:
    positions = json_positions('{"StartAt": "A",\n "States": {"A": 1,}}')
    assert positions[""] == (2, 20)
    assert positions["/StartAt"] == (1, 13)  # what was read before the error stays


def test_yaml_pointers_point_at_values_with_cloudformation_tags() -> None:
    text = "Resources:\n  Flow:\n    Properties:\n      Role: !GetAtt Role.Arn\n"
    positions = yaml_positions(text, yaml_loader())
    assert positions["/Resources/Flow/Properties/Role"] == (4, 13)
