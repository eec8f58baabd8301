"""The layout as SVG text, written by hand: no library, no script, no external font.

The drawing is accessible: the root has `role="img"` with a `<title>` and a
`<desc>` that says in words what the picture shows (states, transitions and,
for an execution, what happened), and every node and edge carries a
`<title>` (a tooltip) and an `aria-label`. Nodes and edges also carry
`data-*` attributes (state name, type, outcome; source, target, kind) so
tests and scripts can read the drawing back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from phalanx.graph import theme
from phalanx.graph.diagram import Diagram, Edge, Node
from phalanx.graph.layout import (
    Box,
    Layout,
    PlacedEdge,
    PlacedNode,
    PlacedScope,
    TextLine,
    label_text,
    lane_title,
    node_text,
)
from phalanx.graph.metrics import FONT_FAMILY
from phalanx.graph.paths import arrowhead, cubics, trimmed

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RADIUS = 8.0


def escape(text: str) -> str:
    """Text safe in XML content and double-quoted attributes (invalid characters replaced)."""
    text = _NOT_XML.sub("\ufffd", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _n(value: float) -> str:
    """A coordinate with one decimal, without a trailing `.0`."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def svg(placed: Layout, *, element_id: str = "phalanx-graph") -> str:
    """The whole drawing as an SVG document (UTF-8 text, no XML declaration)."""
    diagram = placed.diagram
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    width, height = _n(placed.width), _n(placed.height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="{escape(FONT_FAMILY)}">',
        f'<title id="{title_id}">{escape(_title(diagram))}</title>',
        f'<desc id="{desc_id}">{escape(describe(diagram))}</desc>',
        f'<rect width="100%" height="100%" fill="{theme.BACKGROUND}"/>',
    ]
    parts.extend(_scope(placed.root, diagram.trace is not None))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _title(diagram: Diagram) -> str:
    if diagram.trace is None:
        return f"State machine {diagram.name}"
    return f"State machine {diagram.name}: execution {diagram.trace.status.lower()}"


def describe(diagram: Diagram) -> str:
    """The drawing in words: each state, where it leads, and what happened to it."""
    states = list(diagram.states())
    names = {node.id: node.name for scope in diagram.scopes() for node in scope.nodes}
    sentences = [f"{diagram.name}: {len(states)} states."]
    if diagram.trace is not None:
        sentences.append(f"Execution {diagram.trace.status.lower()}.")
    for scope in diagram.scopes():
        for edge in scope.edges:
            how = f" when {edge.label}" if edge.kind == "choice" else ""
            if edge.kind == "catch":
                how = f" on {edge.label}"
            sentences.append(f"{names[edge.source]} to {names[edge.target]}{how}.")
    for node in states:
        if node.outcome is not None:
            sentences.append(f"{node.name}: {node.lines[-1]}.")
    return " ".join(sentences)


def _scope(scope: PlacedScope, traced: bool) -> Iterator[str]:
    for placed in scope.nodes:
        yield from _node(placed, traced)
    for edge in scope.edges:
        yield from _edge(edge, traced)


def _node(placed: PlacedNode, traced: bool) -> Iterator[str]:
    node, box = placed.node, placed.box
    style = theme.node_colours(node)
    classes = "node marker" if node.marker else ("node group" if node.lanes else "node")
    outcome = f' data-outcome="{escape(node.outcome)}"' if node.outcome else ""
    label = escape(_node_label(node))
    yield (
        f'<g class="{classes}" id="{escape(node.id)}" data-name="{escape(node.name)}" '
        f'data-type="{escape(node.kind)}"{outcome} aria-label="{label}">'
    )
    yield f"<title>{label}</title>"
    if node.marker:
        yield _rect(box, style.fill, style.stroke, radius=box.height / 2)
    else:
        yield _rect(box, style.fill, style.stroke, dashed=style.dashed, width=1.6)
    for line in node_text(placed):
        yield _text(line, style.text if line.bold or node.marker else style.detail)
    for lane in placed.lanes:
        yield f'<g class="lane" data-title="{escape(lane.scope.title)}">'
        yield _rect(lane.box, theme.BACKGROUND, theme.LANE_STROKE, dashed=True, radius=6)
        yield _text(lane_title(lane), theme.MUTED)
        yield from _scope(lane, traced)
        yield "</g>"
    yield "</g>"


def _node_label(node: Node) -> str:
    if node.marker:
        return node.name
    return ", ".join((node.name, *node.lines))


def _edge(placed: PlacedEdge, traced: bool) -> Iterator[str]:
    edge = placed.edge
    style = theme.edge_style(edge.kind, edge.taken, traced)
    label = escape(_edge_label(edge))
    yield (
        f'<g class="edge edge-{edge.kind}" data-source="{escape(edge.source)}" '
        f'data-target="{escape(edge.target)}" data-kind="{edge.kind}" '
        f'data-taken="{edge.taken}" aria-label="{label}">'
    )
    yield f"<title>{label}</title>"
    points = trimmed(placed.points)
    path = [f"M{_n(points[0][0])},{_n(points[0][1])}"]
    for _, c1, c2, end in cubics(points):
        path.append(f"C{_n(c1[0])},{_n(c1[1])} {_n(c2[0])},{_n(c2[1])} {_n(end[0])},{_n(end[1])}")
    dash = ' stroke-dasharray="6 4"' if style.dashed else ""
    yield (
        f'<path d="{" ".join(path)}" fill="none" stroke="{style.stroke}" '
        f'stroke-width="{_n(style.width)}"{dash}/>'
    )
    tip = " ".join(f"{_n(x)},{_n(y)}" for x, y in arrowhead(placed.points))
    yield f'<polygon points="{tip}" fill="{style.stroke}"/>'
    text = label_text(placed)
    if text is not None and placed.label is not None:
        yield _rect(placed.label, theme.LABEL_FILL, style.stroke, radius=4, width=0.8)
        yield _text(text, theme.TEXT, css_class="label")
    yield "</g>"


def _edge_label(edge: Edge) -> str:
    kinds = {"choice": "when", "default": "otherwise", "catch": "on error", "start": "start"}
    what = kinds.get(edge.kind, "then")
    return f"{what} {edge.label}".strip() if edge.kind != "default" else what


def _rect(
    box: Box,
    fill: str,
    stroke: str,
    *,
    radius: float = _RADIUS,
    dashed: bool = False,
    width: float = 1.0,
) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" '
        f'height="{_n(box.height)}" rx="{_n(radius)}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{_n(width)}"{dash}/>'
    )


def _text(line: TextLine, colour: str, css_class: str = "") -> str:
    weight = ' font-weight="bold"' if line.bold else ""
    klass = f' class="{css_class}"' if css_class else ""
    return (
        f'<text{klass} x="{_n(line.x)}" y="{_n(line.baseline)}" font-size="{_n(line.size)}" '
        f'text-anchor="{line.anchor}" fill="{colour}"{weight}>{escape(line.text)}</text>'
    )
