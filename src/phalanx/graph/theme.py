"""Colours and line styles, shared by the SVG and PNG renderers.

Outcome colours follow the AWS console's execution view (green succeeded,
red failed, orange caught); every text colour keeps a contrast of at least
4.5:1 on its fill (WCAG AA), and the outcome is also written on the node, so
colour is never the only cue.
"""

from __future__ import annotations

import dataclasses

from phalanx.graph.diagram import Node

TEXT = "#16191f"
MUTED = "#545b64"
BACKGROUND = "#ffffff"
LANE_STROKE = "#8d99a8"
GROUP_FILL = "#f2f8fd"
MARKER_FILL = "#232f3e"
MARKER_TEXT = "#ffffff"
LABEL_FILL = "#ffffff"


@dataclasses.dataclass(frozen=True, slots=True)
class NodeStyle:
    fill: str
    stroke: str
    text: str = TEXT
    dashed: bool = False

    @property
    def detail(self) -> str:
        """The colour of the lines under the name (type, badges): softer than the name."""
        return MUTED if self.text == TEXT else self.text


@dataclasses.dataclass(frozen=True, slots=True)
class EdgeStyle:
    stroke: str
    width: float = 1.4
    dashed: bool = False


STATE = NodeStyle("#ffffff", "#687078")
CHOICE = NodeStyle("#fdf7e8", "#8a6d00")
TERMINAL = NodeStyle("#ffffff", "#232f3e")

OUTCOME_STYLES: dict[str, NodeStyle] = {
    "succeeded": NodeStyle("#e9f6ec", "#1d8102"),
    "retried": NodeStyle("#fdf6d8", "#8a6d00"),
    "caught": NodeStyle("#fff1e0", "#c45500"),
    "failed": NodeStyle("#fdecea", "#d13212"),
    "running": NodeStyle("#e6f2fd", "#0972d3"),
    "not reached": NodeStyle("#f4f5f6", "#9ba7b6", MUTED, dashed=True),
}
"""Node colours by what happened to the state in the execution drawn."""

EDGE_STYLES: dict[str, EdgeStyle] = {
    "catch": EdgeStyle("#c45500", dashed=True),
    "default": EdgeStyle("#545b64"),
}
PLAIN_EDGE = EdgeStyle("#545b64")
TAKEN_EDGE = EdgeStyle("#1d8102", width=2.6)
UNTAKEN_EDGE = EdgeStyle("#aab4be")


def node_style(kind: str, outcome: str | None) -> NodeStyle:
    """How to fill and stroke a node of type `kind` (and outcome, for an execution)."""
    if outcome is not None:
        return OUTCOME_STYLES[outcome]
    if kind == "Choice":
        return CHOICE
    if kind in ("Succeed", "Fail"):
        return TERMINAL
    return STATE


def node_colours(node: Node) -> NodeStyle:
    """A node's colours as drawn: markers dark unless the execution never got there,
    Map and Parallel boxes tinted so their lanes stand out."""
    style = node_style(node.kind, node.outcome)
    if node.marker:
        if node.outcome in (None, "succeeded"):
            return NodeStyle(MARKER_FILL, MARKER_FILL, MARKER_TEXT)
        return NodeStyle(style.fill, style.fill, style.text)
    if node.lanes and node.outcome is None:
        return dataclasses.replace(style, fill=GROUP_FILL)
    return style


def edge_style(kind: str, taken: int, traced: bool) -> EdgeStyle:
    """How to draw an edge; with an execution drawn, taken edges stand out."""
    style = EDGE_STYLES.get(kind, PLAIN_EDGE)
    if not traced:
        return style
    chosen = TAKEN_EDGE if taken else UNTAKEN_EDGE
    return dataclasses.replace(chosen, dashed=style.dashed)
