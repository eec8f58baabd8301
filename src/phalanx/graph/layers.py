"""The layered (Sugiyama) steps, over boxes of given sizes: rank, order, place.

`layout.py` turns a scope into `Item`s (its nodes, and a placeholder on every
rank an edge crosses) and calls these in turn:

* `back_edges`: which edges to reverse so the graph has no cycle (depth-first
  from the start, so a loop's way back is the edge reversed);
* `longest_path`: even ranks, each node two below its lowest predecessor;
* `order`: each rank's order, by barycentre sweeps and transposition from two
  starting orders, keeping the one with the fewest crossings;
* `place_x`: centres pulled towards their neighbours, keeping order and gaps;
* `bands`: each rank's top and height.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Sequence

NODE_GAP = 28.0
"""Horizontal space between two boxes of a rank."""
LINE_GAP = 10.0
"""Horizontal space next to an edge's placeholder."""
RANK_GAP = 18.0
"""Vertical space between bands, where edges bend."""
ORDER_SWEEPS = 4
TRANSPOSE_PASSES = 4
PLACEMENT_SWEEPS = 4


class Item:
    """A node or an edge placeholder while its scope is laid out."""

    __slots__ = ("dummy", "height", "lower", "pos", "rank", "upper", "width", "x")

    def __init__(self, width: float, height: float, *, dummy: bool) -> None:
        self.width = width
        self.height = height
        self.dummy = dummy
        self.rank = 0
        self.pos = 0
        self.x = 0.0
        self.upper: list[Item] = []
        self.lower: list[Item] = []


def back_edges(count: int, pairs: Sequence[tuple[int, int]], start: int) -> list[bool]:
    """Which edges close a cycle, found by an iterative depth-first search from `start`."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for k, (source, target) in enumerate(pairs):
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


def longest_path(count: int, edges: Sequence[tuple[int, int]]) -> list[int]:
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


def order(items: list[Item], start: int) -> list[list[Item]]:
    """Ranks in the order with the fewest crossings found by barycentre sweeps.

    The sweeps start twice, from a depth-first order and from its mirror
    image: a loop's way back is then tried on both sides of the loop.
    """
    best: list[list[Item]] = []
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


def _initial_order(items: list[Item], start: int, mirrored: bool) -> list[list[Item]]:
    """Ranks filled in depth-first order from the start (children mirrored or not)."""
    count = max((item.rank for item in items), default=0) + 1
    layers: list[list[Item]] = [[] for _ in range(count)]
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


def _number(layers: list[list[Item]]) -> None:
    for layer in layers:
        for pos, item in enumerate(layer):
            item.pos = pos


def _sweep(layers: list[list[Item]], downwards: bool) -> None:
    ranks = range(1, len(layers)) if downwards else range(len(layers) - 2, -1, -1)
    for rank in ranks:
        layer = layers[rank]

        def barycentre(item: Item) -> float:
            neighbours = item.upper if downwards else item.lower
            if not neighbours:
                return float(item.pos)
            return sum(n.pos for n in neighbours) / len(neighbours)

        layer.sort(key=barycentre)
        for pos, item in enumerate(layer):
            item.pos = pos


def _transpose(layers: list[list[Item]]) -> None:
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


def _pair_crossings(left: Item, right: Item) -> int:
    """Crossings between the edges of `left` and `right` when `left` is drawn first."""
    count = 0
    for mine, theirs in ((left.upper, right.upper), (left.lower, right.lower)):
        for a in mine:
            for b in theirs:
                if a.pos > b.pos:
                    count += 1
    return count


def _crossings(layers: list[list[Item]]) -> int:
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


def _gap(left: Item, right: Item) -> float:
    spacing = LINE_GAP if left.dummy or right.dummy else NODE_GAP
    return (left.width + right.width) / 2 + spacing


def place_x(layers: list[list[Item]]) -> None:
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


def _align(layer: list[Item], offsets: list[float], *, upwards: bool, downwards: bool) -> None:
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


def bands(layers: list[list[Item]]) -> tuple[list[float], list[float]]:
    """Each rank's top and height: ranks stacked with a gap for edges to bend in."""
    heights = [max((item.height for item in layer), default=0.0) for layer in layers]
    tops: list[float] = []
    y = 0.0
    for height in heights:
        tops.append(y)
        y += height + RANK_GAP
    return tops, heights
