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

Boxes within a rank are separated by its order and gaps, and bands do not
share heights, so no two boxes (nodes, labels) overlap and no edge crosses a
node: the tests check this on every real-world definition.
"""

from __future__ import annotations

import dataclasses
import itertools
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from phalanx.graph.diagram import Diagram, Edge, Node, Scope
from phalanx.graph.metrics import NAME_SIZE, TEXT_SIZE, line_height, text_width

Point = tuple[float, float]

MARGIN = 16.0
NODE_PAD_X = 14.0
NODE_PAD_Y = 8.0
MIN_NODE_WIDTH = 110.0
MARKER_SIZE = (64.0, 28.0)
NODE_GAP = 28.0
"""Horizontal space between two boxes of a rank."""
LINE_GAP = 10.0
"""Horizontal space next to an edge's placeholder."""
RANK_GAP = 18.0
"""Vertical space between bands, where edges bend."""
LABEL_PAD = (6.0, 3.0)
GROUP_PAD = 12.0
LANE_PAD = 10.0
LANE_GAP = 16.0
LOOP_REACH = 16.0
LOOP_LABEL_GAP = 3.0
PORT_SPACING = 14.0
ORDER_SWEEPS = 4
TRANSPOSE_PASSES = 4
PLACEMENT_SWEEPS = 4


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


class _Item:
    """A node or an edge placeholder while its scope is laid out."""

    __slots__ = ("dummy", "height", "lower", "pos", "rank", "upper", "width", "x")

    def __init__(self, width: float, height: float, *, dummy: bool) -> None:
        self.width = width
        self.height = height
        self.dummy = dummy
        self.rank = 0
        self.pos = 0
        self.x = 0.0
        self.upper: list[_Item] = []
        self.lower: list[_Item] = []


@dataclasses.dataclass(slots=True)
class _Link:
    """An edge (not a self-loop) as a chain of items, top to bottom."""

    edge: Edge
    chain: list[_Item]
    reversed: bool
    label: _Item | None


def _layout_scope(scope: Scope) -> PlacedScope:
    """The scope laid out with its top-left corner at (0, 0)."""
    index = {node.id: i for i, node in enumerate(scope.nodes)}
    groups = [_group(node) if node.lanes else None for node in scope.nodes]
    sizes = [
        header_size(node) if g is None else g[:2]
        for node, g in zip(scope.nodes, groups, strict=True)
    ]
    items = [_Item(w, h, dummy=False) for w, h in sizes]
    loops: dict[int, list[Edge]] = {}
    pairs: list[tuple[int, int, Edge]] = []
    for edge in scope.edges:
        source, target = index[edge.source], index[edge.target]
        if source == target:
            loops.setdefault(source, []).append(edge)
        else:
            pairs.append((source, target, edge))
    start = index.get(scope.start, 0)
    back = _back_edges(len(items), pairs, start)
    oriented = [(t, s) if b else (s, t) for (s, t, _), b in zip(pairs, back, strict=True)]
    ranks = _longest_path(len(items), oriented)
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
    layers = _order(items, start)
    _place_x(layers)
    tops, heights = _bands(layers)
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


def _back_edges(count: int, pairs: Sequence[tuple[int, int, Edge]], start: int) -> list[bool]:
    """Which edges close a cycle, found by an iterative depth-first search from `start`."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for k, (source, target, _) in enumerate(pairs):
        out[source].append((target, k))
    state = [0] * count  # 0 unseen, 1 on the stack, 2 done
    back = [False] * len(pairs)
    for root in (start, *range(count)):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, successors = stack[-1]
            for target, k in successors:
                if state[target] == 1:
                    back[k] = True
                elif state[target] == 0:
                    state[target] = 1
                    stack.append((target, iter(out[target])))
                    break
            else:
                state[node] = 2
                stack.pop()
    return back


def _longest_path(count: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    """Even ranks: each node two below its lowest predecessor (edges form a DAG)."""
    out: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for source, target in edges:
        out[source].append(target)
        indegree[target] += 1
    ranks = [0] * count
    ready = [i for i in range(count) if indegree[i] == 0]
    while ready:
        node = ready.pop()
        for target in out[node]:
            ranks[target] = max(ranks[target], ranks[node] + 2)
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return ranks


def _chain(top: _Item, bottom: _Item, edge: Edge, reverse: bool) -> _Link:
    """Placeholders on every rank between `top` and `bottom`; the label's next to the source."""
    chain = [top]
    for rank in range(top.rank + 1, bottom.rank):
        dummy = _Item(2.0, 0.0, dummy=True)
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


def _reserve_loops(item: _Item, edges: list[Edge]) -> list[tuple[float, float]]:
    """Widen a node's column for its self-loops and their labels; the labels' sizes."""
    labels = [_label_size(edge.label) for edge in edges if edge.label]
    reach = LOOP_REACH * len(edges) + 4
    item.width += reach + max((w for w, _ in labels), default=0.0)
    item.height = max(item.height, _stack_height(labels))
    return labels


def _stack_height(labels: list[tuple[float, float]]) -> float:
    """Labels stacked with a gap, so no two touch however the sums round."""
    return sum(h for _, h in labels) + LOOP_LABEL_GAP * max(len(labels) - 1, 0)


def _order(items: list[_Item], start: int) -> list[list[_Item]]:
    """Ranks in the order with the fewest crossings found by barycentre sweeps.

    The sweeps start twice, from a depth-first order and from its mirror
    image: a loop's way back is then tried on both sides of the loop.
    """
    best: list[list[_Item]] = []
    fewest = -1
    for mirrored in (False, True):
        layers = _initial_order(items, start, mirrored)
        crossings = _crossings(layers)
        found = [list(layer) for layer in layers]
        for _ in range(ORDER_SWEEPS):
            for downwards in (True, False):
                if crossings == 0:
                    break
                _sweep(layers, downwards)
                _transpose(layers)
                now = _crossings(layers)
                if now < crossings:
                    crossings, found = now, [list(layer) for layer in layers]
        if fewest < 0 or crossings < fewest:
            fewest, best = crossings, found
        if fewest == 0:
            break
    _number(best)
    return best


def _initial_order(items: list[_Item], start: int, mirrored: bool) -> list[list[_Item]]:
    """Ranks filled in depth-first order from the start (children mirrored or not)."""
    count = max((item.rank for item in items), default=0) + 1
    layers: list[list[_Item]] = [[] for _ in range(count)]
    seen: set[int] = set()
    for root in (items[start], *items) if items else ():
        if id(root) in seen:
            continue
        seen.add(id(root))
        stack = [root]
        while stack:
            item = stack.pop()
            layers[item.rank].append(item)
            for lower in item.lower if mirrored else reversed(item.lower):
                if id(lower) not in seen:
                    seen.add(id(lower))
                    stack.append(lower)
    _number(layers)
    return layers


def _number(layers: list[list[_Item]]) -> None:
    for layer in layers:
        for pos, item in enumerate(layer):
            item.pos = pos


def _sweep(layers: list[list[_Item]], downwards: bool) -> None:
    ranks = range(1, len(layers)) if downwards else range(len(layers) - 2, -1, -1)
    for rank in ranks:
        layer = layers[rank]

        def barycentre(item: _Item) -> float:
            neighbours = item.upper if downwards else item.lower
            if not neighbours:
                return float(item.pos)
            return sum(n.pos for n in neighbours) / len(neighbours)

        layer.sort(key=barycentre)
        for pos, item in enumerate(layer):
            item.pos = pos


def _transpose(layers: list[list[_Item]]) -> None:
    """Swap neighbours in a rank while that removes crossings (Gansner et al., 1993)."""
    for _ in range(TRANSPOSE_PASSES):
        improved = False
        for layer in layers:
            for i in range(len(layer) - 1):
                left, right = layer[i], layer[i + 1]
                if _pair_crossings(right, left) < _pair_crossings(left, right):
                    layer[i], layer[i + 1] = right, left
                    left.pos, right.pos = i + 1, i
                    improved = True
        if not improved:
            return


def _pair_crossings(left: _Item, right: _Item) -> int:
    """Crossings between the edges of `left` and `right` when `left` is drawn first."""
    count = 0
    for mine, theirs in ((left.upper, right.upper), (left.lower, right.lower)):
        for a in mine:
            for b in theirs:
                if a.pos > b.pos:
                    count += 1
    return count


def _crossings(layers: list[list[_Item]]) -> int:
    """Edge crossings between consecutive ranks (inversions, counted with bisection)."""
    total = 0
    for layer in layers[:-1]:
        ends = sorted((item.pos, lower.pos) for item in layer for lower in item.lower)
        seen: list[int] = []
        for _, position in ends:
            at = bisect_right(seen, position)
            total += len(seen) - at
            seen.insert(at, position)
    return total


def _gap(left: _Item, right: _Item) -> float:
    spacing = LINE_GAP if left.dummy or right.dummy else NODE_GAP
    return (left.width + right.width) / 2 + spacing


def _place_x(layers: list[list[_Item]]) -> None:
    """Centres: each rank pulled towards its neighbours, keeping order and gaps."""
    offsets = []
    for layer in layers:
        # Centre of each item when the rank is packed from 0: the gaps to keep.
        packed = [0.0] if layer else []
        for left, right in itertools.pairwise(layer):
            packed.append(packed[-1] + _gap(left, right))
        for item, x in zip(layer, packed, strict=True):
            item.x = x
        offsets.append(packed)
    down = range(1, len(layers))
    up = range(len(layers) - 2, -1, -1)
    for _ in range(PLACEMENT_SWEEPS):
        for rank in down:
            _align(layers[rank], offsets[rank], upwards=True, downwards=False)
        for rank in up:
            _align(layers[rank], offsets[rank], upwards=False, downwards=True)
    for layer, packed in zip(layers, offsets, strict=True):
        _align(layer, packed, upwards=True, downwards=True)


def _align(layer: list[_Item], offsets: list[float], *, upwards: bool, downwards: bool) -> None:
    """Move a rank as close as it can to its neighbours' mean positions (weighted).

    With the packed offsets subtracted, keeping the gaps means keeping the
    order, which pooling adjacent violators solves exactly in linear time.
    """
    blocks: list[list[float]] = []  # [weight, weighted sum, count]
    for item, offset in zip(layer, offsets, strict=True):
        neighbours = (item.upper if upwards else []) + (item.lower if downwards else [])
        if neighbours:
            target = sum(n.x for n in neighbours) / len(neighbours)
            weight = 2.0 if item.dummy else 1.0
        else:
            target, weight = item.x, 0.1
        blocks.append([weight, weight * (target - offset), 1])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][0] > blocks[-1][1] / blocks[-1][0]:
            weight_sum, total, count = blocks.pop()
            blocks[-1][0] += weight_sum
            blocks[-1][1] += total
            blocks[-1][2] += count
    at = 0
    for weight_sum, total, count in blocks:
        position = total / weight_sum
        for _ in range(int(count)):
            layer[at].x = position + offsets[at]
            at += 1


def _bands(layers: list[list[_Item]]) -> tuple[list[float], list[float]]:
    """Each rank's top and height: ranks stacked with a gap for edges to bend in."""
    heights = [max((item.height for item in layer), default=0.0) for layer in layers]
    tops: list[float] = []
    y = 0.0
    for height in heights:
        tops.append(y)
        y += height + RANK_GAP
    return tops, heights


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
