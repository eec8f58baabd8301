"""The layout drawn as a PNG with Pillow: the same boxes and curves as the SVG.

Pillow is a wheel on every platform (no system library, no browser): install
`phalanx[graph]`. The text uses DejaVu Sans when the system has it, else the
font Pillow ships; a line wider than its box (fonts differ from the layout's
estimate) is drawn smaller rather than spilling out.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Sequence
from typing import Any

from phalanx.errors import PhalanxError
from phalanx.graph import theme
from phalanx.graph.layout import (
    Box,
    Layout,
    PlacedEdge,
    PlacedNode,
    PlacedScope,
    Point,
    TextLine,
    label_text,
    lane_title,
    node_text,
)
from phalanx.graph.paths import arrowhead, flatten, trimmed

DEFAULT_SCALE = 2.0
"""Pixels per layout unit: 2 gives a sharp picture on high-density screens."""

MAX_SIDE = 32_000
MAX_PIXELS = 40_000_000
"""A huge machine is drawn smaller rather than as an image viewers refuse to open."""

_FONTS = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


def png(placed: Layout, *, scale: float = DEFAULT_SCALE) -> bytes:
    """The drawing as PNG bytes, `scale` pixels per layout unit (less for a huge machine).

    `PhalanxError` when Pillow is not installed.
    """
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        raise PhalanxError(
            "PNG output needs Pillow: pip install 'phalanx[graph]' (or pip install pillow)"
        ) from None
    scale = min(
        scale,
        MAX_SIDE / max(placed.width, placed.height),
        (MAX_PIXELS / (placed.width * placed.height)) ** 0.5,
    )
    size = (max(1, round(placed.width * scale)), max(1, round(placed.height * scale)))
    image = Image.new("RGB", size, theme.BACKGROUND)
    canvas = _Canvas(ImageDraw.Draw(image), scale, placed.diagram.trace is not None)
    canvas.scope(placed.root)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class _Canvas:
    """Draws in layout units, scaled to pixels."""

    def __init__(self, draw: Any, scale: float, traced: bool) -> None:
        self.draw = draw
        self.scale = scale
        self.traced = traced
        self.fonts: dict[tuple[float, bool], Any] = {}

    def scope(self, scope: PlacedScope) -> None:
        for node in scope.nodes:
            self.node(node)
        for edge in scope.edges:
            self.edge(edge)

    def node(self, placed: PlacedNode) -> None:
        node, box = placed.node, placed.box
        style = theme.node_colours(node)
        if node.marker:
            self.rect(box, style.fill, style.stroke, radius=box.height / 2)
        else:
            self.rect(box, style.fill, style.stroke, width=1.6, dashed=style.dashed)
        for line in node_text(placed):
            colour = style.text if line.bold or node.marker else style.detail
            self.text(line, colour, box.width - 8)
        for lane in placed.lanes:
            self.rect(lane.box, theme.BACKGROUND, theme.LANE_STROKE, radius=6, dashed=True)
            self.text(lane_title(lane), theme.MUTED, lane.box.width - 12)
            self.scope(lane)

    def edge(self, placed: PlacedEdge) -> None:
        edge = placed.edge
        style = theme.edge_style(edge.kind, edge.taken, self.traced)
        line = flatten(trimmed(placed.points))
        self.polyline(line, style.stroke, style.width, dashed=style.dashed)
        self.draw.polygon([self.px(p) for p in arrowhead(placed.points)], fill=style.stroke)
        text = label_text(placed)
        if text is not None and placed.label is not None:
            self.rect(placed.label, theme.LABEL_FILL, style.stroke, radius=4, width=0.8)
            self.text(text, theme.TEXT, placed.label.width - 4)

    def px(self, point: Point) -> tuple[float, float]:
        return (point[0] * self.scale, point[1] * self.scale)

    def rect(
        self,
        box: Box,
        fill: str,
        stroke: str,
        *,
        radius: float = 8.0,
        width: float = 1.0,
        dashed: bool = False,
    ) -> None:
        corners = [self.px((box.x, box.y)), self.px((box.right, box.bottom))]
        pixels = max(1, round(width * self.scale))
        if not dashed:
            self.draw.rounded_rectangle(
                corners, radius * self.scale, fill=fill, outline=stroke, width=pixels
            )
            return
        self.draw.rounded_rectangle(corners, radius * self.scale, fill=fill)
        r = min(radius, box.width / 2, box.height / 2)
        corners_at = (
            (box.right - r, box.y + r, -90),
            (box.right - r, box.bottom - r, 0),
            (box.x + r, box.bottom - r, 90),
            (box.x + r, box.y + r, 180),
        )
        outline = [
            (
                cx + r * math.cos(math.radians(start + step * 15)),
                cy + r * math.sin(math.radians(start + step * 15)),
            )
            for cx, cy, start in corners_at
            for step in range(7)
        ]
        outline.append(outline[0])
        self.polyline(outline, stroke, width, dashed=True)

    def polyline(
        self, points: Sequence[Point], colour: str, width: float, *, dashed: bool = False
    ) -> None:
        pixels = max(1, round(width * self.scale))
        if not dashed:
            self.draw.line([self.px(p) for p in points], fill=colour, width=pixels, joint="curve")
            return
        for segment in _dashes(points, on=6.0, off=4.0):
            self.draw.line([self.px(p) for p in segment], fill=colour, width=pixels)

    def text(self, line: TextLine, colour: str, room: float) -> None:
        size = line.size
        font = self.font(size, line.bold)
        width = font.getlength(line.text) / self.scale
        if width > room > 0:
            size = size * room / width
            font = self.font(size, line.bold)
        anchor = "ls" if line.anchor == "start" else "ms"
        self.draw.text(
            self.px((line.x, line.baseline)), line.text, fill=colour, font=font, anchor=anchor
        )

    def font(self, size: float, bold: bool) -> Any:
        key = (round(size * self.scale, 1), bold)
        if key not in self.fonts:
            from PIL import ImageFont

            try:
                self.fonts[key] = ImageFont.truetype(_FONTS[bold], key[0])
            except OSError:
                self.fonts[key] = ImageFont.load_default(key[0])
        return self.fonts[key]


def _dashes(points: Sequence[Point], on: float, off: float) -> list[list[Point]]:
    """The pieces of a polyline that a dash pattern draws."""
    pieces: list[list[Point]] = []
    drawing, left = True, on
    current: list[Point] = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        done = 0.0
        while length - done > left:
            done += left
            t = done / length
            point = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            if drawing:
                current.append(point)
                pieces.append(current)
            current = [point]
            drawing, left = not drawing, (off if drawing else on)
        left -= length - done
        if drawing:
            current.append((x1, y1))
        else:
            current = [(x1, y1)]
    if drawing and len(current) > 1:
        pieces.append(current)
    return pieces
