"""Every text colour on every fill it is drawn on reads at WCAG AA contrast (4.5:1)."""

from __future__ import annotations

import pytest

from phalanx.graph import theme
from phalanx.graph.diagram import Node, Scope


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


OUTCOMES = [None, *theme.OUTCOME_STYLES]
KINDS = ["start", "end", "Task", "Choice", "Succeed", "Fail", "Map"]


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[str(o) for o in OUTCOMES])
@pytest.mark.parametrize("kind", KINDS)
def test_node_text_is_readable_on_its_fill(kind: str, outcome: str | None) -> None:
    lanes = (Scope("lane", "Item processor", "", (), ()),) if kind == "Map" else ()
    style = theme.node_colours(Node("n", "n", kind, "n", (), outcome, lanes))
    assert contrast(style.text, style.fill) >= 4.5
    assert contrast(style.detail, style.fill) >= 4.5


def test_labels_and_lane_titles_are_readable() -> None:
    assert contrast(theme.TEXT, theme.LABEL_FILL) >= 4.5
    assert contrast(theme.MUTED, theme.BACKGROUND) >= 4.5
