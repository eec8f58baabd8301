"""Edge routes as curves: the one way both renderers turn a route into a drawn line.

Each step between two route points is a cubic Bézier whose two control points
sit at the step's middle height, above the end point and below the start
point: vertical steps stay straight, and a bend leaves and enters its bands
vertically, inside the gap the layout kept free for it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from phalanx.graph.layout import Point

Cubic = tuple[Point, Point, Point, Point]

ARROW_LENGTH = 8.0
ARROW_WIDTH = 7.0
_FLATTEN_STEPS = 12


def cubics(points: Sequence[Point]) -> list[Cubic]:
    """The curve of a route, one cubic per step."""
    curves = []
    for start, end in itertools.pairwise(points):
        middle = (start[1] + end[1]) / 2
        curves.append((start, (start[0], middle), (end[0], middle), end))
    return curves


def flatten(points: Sequence[Point]) -> list[Point]:
    """The curve as a polyline (for a renderer without curves)."""
    line = list(points[:1])
    for p0, p1, p2, p3 in cubics(points):
        if p0[0] == p3[0] or p0[1] == p3[1]:
            line.append(p3)
            continue
        for step in range(1, _FLATTEN_STEPS + 1):
            t = step / _FLATTEN_STEPS
            u = 1 - t
            line.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
                )
            )
    return line


def arrowhead(points: Sequence[Point]) -> tuple[Point, Point, Point]:
    """The triangle at the route's end, pointing the way the last step arrives."""
    (x0, y0), (x1, y1) = points[-2], points[-1]
    if y0 != y1:
        dx, dy = 0.0, (1.0 if y1 > y0 else -1.0)
    else:
        dx, dy = (1.0 if x1 > x0 else -1.0), 0.0
    back = (x1 - dx * ARROW_LENGTH, y1 - dy * ARROW_LENGTH)
    half = ARROW_WIDTH / 2
    return (
        (x1, y1),
        (back[0] - dy * half, back[1] + dx * half),
        (back[0] + dy * half, back[1] - dx * half),
    )


def trimmed(points: Sequence[Point]) -> list[Point]:
    """The route with its end pulled back under the arrowhead, so the line stops at its base."""
    _, left, right = arrowhead(points)
    base = ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2)
    return [*points[:-1], base]
