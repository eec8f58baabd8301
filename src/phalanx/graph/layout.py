"""A layered (Sugiyama) layout of a diagram: boxes that never overlap, edges between them.

Each scope (the machine, a Parallel branch, a Map's processor) is laid out on
its own, innermost first, so a Map or Parallel state is one big box to the
scope around it. Within a scope:

1. cycles are broken by reversing the back edges of a depth-first search from
   the start (a loop like roll-die's is drawn going up);
2. nodes are layered by longest path, on even ranks only: every edge crosses
   at least one odd rank, where a placeholder holds its label (or just its
   line), so a label is a box in the layout like any node;
3. an edge spanning several ranks gets a placeholder on each one it crosses;
4. each rank is ordered by barycentre sweeps, keeping the order with the
   fewest crossings;
5. x positions: each rank is placed as close as possible to the mean of its
   neighbours' positions, keeping its order and the gaps (a weighted isotonic
   regression, exact and linear in the rank's size);
6. ranks are stacked in bands; an edge runs straight down through the band
   of each placeholder and bends only in the empty gaps between bands.

Steps 1, 2, 4, 5 and 6 are in `layers.py`. Boxes within a rank are separated
by its order and gaps, and bands do not share heights, so no two boxes (nodes,
labels) overlap and no edge crosses a node: the tests check this on every
real-world definition.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator

from phalanx.graph.diagram import Diagram, Edge, Node, Scope
from phalanx.graph.layers import (
    Item,
    back_edges,
    bands,
    longest_path,
    order,
    place_x,
)
from phalanx.graph.metrics import NAME_SIZE, TEXT_SIZE, line_height, text_width

Point = tuple[float, float]

MARGIN = 16.0
NODE_PAD_X = 14.0
NODE_PAD_Y = 8.0
MIN_NODE_WIDTH = 110.0
MARKER_SIZE = (64.0, 28.0)
LABEL_PAD = (6.0, 3.0)
GROUP_PAD = 12.0
LANE_PAD = 10.0
LANE_GAP = 16.0
LOOP_REACH = 16.0
LOOP_LABEL_GAP = 3.0
PORT_SPACING = 14.0


@dataclasses.dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle; y grows downwards, as in SVG."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def overlaps(self, other: Box) -> bool:
        """Whether the two share any area (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x + dx, self.y + dy, self.width, self.height)


@dataclasses.dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text: `x` is its centre (or its start when `anchor` is "start")."""

    text: str
    x: float
    baseline: float
    size: float
    bold: bool = False
    anchor: str = "middle"


@dataclasses.dataclass(frozen=True, slots=True)
class PlacedNode:
    node: Node
    box: Box
    lanes: tuple[PlacedScope, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class PlacedEdge:
    """An edge's route, from its source to its target, and its label's box.

    Draw each step between consecutive points as a cubic curve whose control
    points share the middle height: vertical steps stay straight, and bends
    stay inside the gap between bands.
    """

    edge: Edge
    points: tuple[Point, ...]
    label: Box | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class PlacedScope:
    """A scope's box (a lane, for branches) and what is inside it."""

    scope: Scope
    box: Box
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Layout:
    diagram: Diagram
    root: PlacedScope
    width: float
    height: float

    def scopes(self) -> Iterator[PlacedScope]:
        """Every scope, outermost first."""
        pending = [self.root]
        while pending:
            scope = pending.pop()
            yield scope
            for node in reversed(scope.nodes):
                pending.extend(reversed(node.lanes))

    def nodes(self) -> Iterator[PlacedNode]:
        for scope in self.scopes():
            yield from scope.nodes

    def edges(self) -> Iterator[PlacedEdge]:
        for scope in self.scopes():
            yield from scope.edges


def layout(diagram: Diagram) -> Layout:
    """Place every node, label and lane of `diagram`."""
    content = _layout_scope(diagram.root)
    root = _shift_scope(content, MARGIN, MARGIN)
    return Layout(diagram, root, content.box.width + 2 * MARGIN, content.box.height + 2 * MARGIN)


def node_text(placed: PlacedNode) -> list[TextLine]:
    """The lines written on a node: its name (bold), then its type line and badges."""
    node, box = placed.node, placed.box
    centre = box.x + box.width / 2
    if node.marker:
        return [TextLine(node.title, centre, box.y + box.height / 2 + TEXT_SIZE * 0.35, TEXT_SIZE)]
    lines = [TextLine(node.title, centre, 0, NAME_SIZE, bold=True)]
    lines.extend(TextLine(text, centre, 0, TEXT_SIZE) for text in node.lines)
    top = box.y + NODE_PAD_Y
    placed_lines = []
    for line in lines:
        height = line_height(line.size)
        baseline = top + (height - line.size) / 2 + line.size * 0.8
        placed_lines.append(dataclasses.replace(line, baseline=baseline))
        top += height
    return placed_lines


def label_text(placed: PlacedEdge) -> TextLine | None:
    """An edge's label, centred in its box."""
    if placed.label is None:
        return None
    x, y = placed.label.centre
    return TextLine(placed.edge.label, x, y + TEXT_SIZE * 0.35, TEXT_SIZE)


def lane_title(lane: PlacedScope) -> TextLine:
    """A lane's title ("Branch 1", "Item processor") at its top left."""
    baseline = lane.box.y + LANE_PAD / 2 + TEXT_SIZE * 0.9
    return TextLine(lane.scope.title, lane.box.x + LANE_PAD, baseline, TEXT_SIZE, anchor="start")


def header_size(node: Node) -> tuple[float, float]:
    """A node's box without lanes: its text and padding (a marker's fixed size)."""
    if node.marker:
        return MARKER_SIZE
    widest = max(
        [text_width(node.title, NAME_SIZE, bold=True)]
        + [text_width(line, TEXT_SIZE) for line in node.lines]
    )
    height = line_height(NAME_SIZE) + len(node.lines) * line_height(TEXT_SIZE)
    return max(MIN_NODE_WIDTH, widest + 2 * NODE_PAD_X), height + 2 * NODE_PAD_Y


def _label_size(label: str) -> tuple[float, float]:
    return (
        text_width(label, TEXT_SIZE) + 2 * LABEL_PAD[0],
        line_height(TEXT_SIZE) + 2 * LABEL_PAD[1],
    )


@dataclasses.dataclass(slots=True)
class _Link:
    """An edge (not a self-loop) as a chain of items, top to bottom."""

    edge: Edge
    chain: list[Item]
    reversed: bool
    label: Item | None


def _layout_scope(scope: Scope) -> PlacedScope:
    """The scope laid out with its top-left corner at (0, 0)."""
    index = {node.id: i for i, node in enumerate(scope.nodes)}
    groups = [_group(node) if node.lanes else None for node in scope.nodes]
    sizes = [
        header_size(node) if g is None else g[:2]
        for node, g in zip(scope.nodes, groups, strict=True)
    ]
    items = [Item(w, h, dummy=False) for w, h in sizes]
    loops: dict[int, list[Edge]] = {}
    pairs: list[tuple[int, int, Edge]] = []
    for edge in scope.edges:
        source, target = index[edge.source], index[edge.target]
        if source == target:
            loops.setdefault(source, []).append(edge)
        else:
            pairs.append((source, target, edge))
    start = index.get(scope.start, 0)
    back = back_edges(len(items), [(s, t) for s, t, _ in pairs], start)
    oriented = [(t, s) if b else (s, t) for (s, t, _), b in zip(pairs, back, strict=True)]
    ranks = longest_path(len(items), oriented)
    ends = [i for i, node in enumerate(scope.nodes) if node.kind == "end"]
    for i in ends:
        ranks[i] = max((r for j, r in enumerate(ranks) if j not in ends), default=-2) + 2
    for item, rank in zip(items, ranks, strict=True):
        item.rank = rank
    links = [
        _chain(items[a], items[b], edge, reverse)
        for (a, b), (_, _, edge), reverse in zip(oriented, pairs, back, strict=True)
    ]
    loop_labels = {i: _reserve_loops(items[i], edges) for i, edges in loops.items()}
    layers = order(items, start)
    place_x(layers)
    tops, heights = bands(layers)
    everything = [item for layer in layers for item in layer]
    left = min((item.x - item.width / 2 for item in everything), default=0.0)
    for item in everything:
        item.x -= left
    boxes = [
        Box(
            item.x - item.width / 2,
            tops[item.rank] + (heights[item.rank] - h) / 2,
            w,
            h,
        )
        for item, (w, h) in zip(items, sizes, strict=True)
    ]
    nodes = tuple(
        PlacedNode(node, box, _lanes_at(group, box))
        for node, box, group in zip(scope.nodes, boxes, groups, strict=True)
    )
    item_boxes = {id(item): box for item, box in zip(items, boxes, strict=True)}
    ports = _ports(links, item_boxes)
    edges = [_route(link, item_boxes, ports, tops, heights) for link in links]
    for i, edges_here in loops.items():
        edges.extend(_loop_routes(boxes[i], edges_here, loop_labels[i]))
    width = max((item.x + item.width / 2 for item in everything), default=0.0)
    height = tops[-1] + heights[-1] if tops else 0.0
    return PlacedScope(scope, Box(0, 0, width, height), nodes, tuple(edges))


def _group(node: Node) -> tuple[float, float, list[PlacedScope]]:
    """A Map or Parallel state's size, and its lanes relative to its top-left corner."""
    header_width, header_height = header_size(node)
    contents = [_layout_scope(lane) for lane in node.lanes]
    title_height = line_height(TEXT_SIZE)
    lane_sizes = [
        (
            max(c.box.width, text_width(c.scope.title, TEXT_SIZE)) + 2 * LANE_PAD,
            title_height + c.box.height + 2 * LANE_PAD,
        )
        for c in contents
    ]
    lanes_width = sum(w for w, _ in lane_sizes) + LANE_GAP * (len(lane_sizes) - 1)
    lane_height = max(h for _, h in lane_sizes)
    width = max(header_width, lanes_width + 2 * GROUP_PAD)
    x = (width - lanes_width) / 2
    lanes = []
    for content, (lane_width, _) in zip(contents, lane_sizes, strict=True):
        inner_x = x + (lane_width - content.box.width) / 2
        inner = _shift_scope(content, inner_x, header_height + title_height + LANE_PAD)
        lanes.append(dataclasses.replace(inner, box=Box(x, header_height, lane_width, lane_height)))
        x += lane_width + LANE_GAP
    return width, header_height + lane_height + GROUP_PAD, lanes


def _lanes_at(
    group: tuple[float, float, list[PlacedScope]] | None, box: Box
) -> tuple[PlacedScope, ...]:
    if group is None:
        return ()
    return tuple(_shift_scope(lane, box.x, box.y) for lane in group[2])


def _shift_scope(scope: PlacedScope, dx: float, dy: float) -> PlacedScope:
    nodes = tuple(
        PlacedNode(
            n.node, n.box.shifted(dx, dy), tuple(_shift_scope(lane, dx, dy) for lane in n.lanes)
        )
        for n in scope.nodes
    )
    edges = tuple(
        PlacedEdge(
            e.edge,
            tuple((x + dx, y + dy) for x, y in e.points),
            None if e.label is None else e.label.shifted(dx, dy),
        )
        for e in scope.edges
    )
    return PlacedScope(scope.scope, scope.box.shifted(dx, dy), nodes, edges)


def _chain(top: Item, bottom: Item, edge: Edge, reverse: bool) -> _Link:
    """Placeholders on every rank between `top` and `bottom`; the label's next to the source."""
    chain = [top]
    for rank in range(top.rank + 1, bottom.rank):
        dummy = Item(2.0, 0.0, dummy=True)
        dummy.rank = rank
        chain.append(dummy)
    chain.append(bottom)
    label = None
    if edge.label:
        label = chain[-2] if reverse else chain[1]
        label.width, label.height = _label_size(edge.label)
    for upper, lower in itertools.pairwise(chain):
        upper.lower.append(lower)
        lower.upper.append(upper)
    return _Link(edge, chain, reverse, label)


def _reserve_loops(item: Item, edges: list[Edge]) -> list[tuple[float, float]]:
    """Widen a node's column for its self-loops and their labels; the labels' sizes."""
    labels = [_label_size(edge.label) for edge in edges if edge.label]
    reach = LOOP_REACH * len(edges) + 4
    item.width += reach + max((w for w, _ in labels), default=0.0)
    item.height = max(item.height, _stack_height(labels))
    return labels


def _stack_height(labels: list[tuple[float, float]]) -> float:
    """Labels stacked with a gap, so no two touch however the sums round."""
    return sum(h for _, h in labels) + LOOP_LABEL_GAP * max(len(labels) - 1, 0)


def _ports(links: list[_Link], boxes: dict[int, Box]) -> dict[tuple[int, int], float]:
    """Where each edge leaves its top node (key 0) and enters its bottom node (key -1).

    The edges at one side of a node are spread along it, ordered by the x of
    their next placeholder, so they fan out without crossing.
    """
    sides: dict[tuple[int, int], list[_Link]] = {}
    for link in links:
        sides.setdefault((id(link.chain[0]), 0), []).append(link)
        sides.setdefault((id(link.chain[-1]), -1), []).append(link)
    ports: dict[tuple[int, int], float] = {}
    for (key, end), group in sides.items():
        box = boxes[key]
        neighbour = 1 if end == 0 else -2
        group.sort(key=lambda link: link.chain[neighbour].x)
        spacing = min(PORT_SPACING, (box.width - 2 * NODE_PAD_X) / max(len(group) - 1, 1))
        first = box.x + box.width / 2 - spacing * (len(group) - 1) / 2
        for n, link in enumerate(group):
            ports[(id(link), end)] = first + n * spacing
    return ports


def _route(
    link: _Link,
    boxes: dict[int, Box],
    ports: dict[tuple[int, int], float],
    tops: list[float],
    heights: list[float],
) -> PlacedEdge:
    top, bottom = link.chain[0], link.chain[-1]
    top_box, bottom_box = boxes[id(top)], boxes[id(bottom)]
    out_x, in_x = ports[(id(link), 0)], ports[(id(link), -1)]
    points: list[Point] = [(out_x, top_box.bottom), (out_x, tops[top.rank] + heights[top.rank])]
    for item in link.chain[1:-1]:
        points.append((item.x, tops[item.rank]))
        points.append((item.x, tops[item.rank] + heights[item.rank]))
    points.append((in_x, tops[bottom.rank]))
    points.append((in_x, bottom_box.y))
    route = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    if link.reversed:
        route.reverse()
    label = None
    if link.label is not None:
        item = link.label
        middle = tops[item.rank] + heights[item.rank] / 2
        label = Box(item.x - item.width / 2, middle - item.height / 2, item.width, item.height)
    return PlacedEdge(link.edge, tuple(route), label)


def _loop_routes(
    box: Box, edges: list[Edge], labels: list[tuple[float, float]]
) -> list[PlacedEdge]:
    """Self-loops on a node's right side; their labels stacked to the right of them."""
    placed = []
    label_x = box.right + LOOP_REACH * len(edges) + 4
    label_y = box.y + box.height / 2 - _stack_height(labels) / 2
    sizes = iter(labels)
    for n, edge in enumerate(edges):
        reach = box.right + LOOP_REACH * (n + 1)
        upper, lower = box.y + box.height * 0.3, box.y + box.height * 0.7
        points = ((box.right, upper), (reach, upper), (reach, lower), (box.right, lower))
        label = None
        if edge.label:
            width, height = next(sizes)
            label = Box(label_x, label_y, width, height)
            label_y += height + LOOP_LABEL_GAP
        placed.append(PlacedEdge(edge, points, label))
    return placed
