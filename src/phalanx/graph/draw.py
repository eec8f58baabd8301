"""One call from a machine (and an execution's history) to a finished drawing."""

from __future__ import annotations

import uuid
from pathlib import Path, PurePath
from typing import Any

from phalanx.asl import StateMachine
from phalanx.errors import LoadError
from phalanx.graph.diagram import diagram
from phalanx.graph.history import Trace, history_events, trace
from phalanx.graph.html import page
from phalanx.graph.layout import layout
from phalanx.graph.png import png
from phalanx.graph.svg import svg
from phalanx.graph.textual import dot, mermaid

FORMATS = ("svg", "png", "html", "mermaid", "dot")
"""What `render` writes: PNG as bytes, the others as text."""

_SUFFIXES = {".svg": "svg", ".png": "png", ".html": "html", ".htm": "html",
             ".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot"}  # fmt: skip


def render(
    machine: StateMachine,
    format: str = "svg",
    *,
    history: Any = None,
    name: str | None = None,
) -> str | bytes:
    """`machine` drawn in `format` (one of `FORMATS`).

    `history` is an execution to draw on it: a `Trace`, a list of history
    events, a GetExecutionHistory response (`{"events": [...]}`) or
    `phalanx run --format json` output (`{"history": [...]}`).
    """
    if format not in FORMATS:
        raise ValueError(f"format {format!r} is not one of {', '.join(FORMATS)}")
    drawn = diagram(machine, _trace(history), name)
    if format == "mermaid":
        return mermaid(drawn)
    if format == "dot":
        return dot(drawn)
    placed = layout(drawn)
    if format == "png":
        return png(placed)
    if format == "html":
        return page(placed)
    return svg(placed)


def _trace(history: Any) -> Trace | None:
    if history is None or isinstance(history, Trace):
        return history
    return trace(history_events(history))


def format_for(path: str | PurePath) -> str:
    """The format a file name asks for by its suffix (`out.png` -> png); `LoadError` if none."""
    suffix = PurePath(path).suffix.lower()
    if suffix not in _SUFFIXES:
        known = ", ".join(sorted(_SUFFIXES))
        raise LoadError(
            f"{path}: cannot tell the graph format from {suffix or 'no suffix'} "
            f"(use one of {known})"
        )
    return _SUFFIXES[suffix]


def save(
    machine: StateMachine, path: str | Path, *, history: Any = None, name: str | None = None
) -> None:
    """Draw `machine` into the file `path`, in the format its suffix names."""
    drawing = render(machine, format_for(path), history=history, name=name)
    target = Path(path)
    if isinstance(drawing, bytes):
        target.write_bytes(drawing)
    else:
        target.write_text(drawing, encoding="utf-8")


def notebook_svg(machine: StateMachine, history: Any = None) -> str:
    """The SVG for Jupyter: a fresh element id, so several graphs share a page."""
    drawn = diagram(machine, _trace(history))
    return svg(layout(drawn), element_id=f"phalanx-graph-{uuid.uuid4().hex[:8]}")
