"""A machine's graph, inline in a page: `phalanx.graph`'s SVG, coloured by an execution."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from phalanx.asl import StateMachine
from phalanx.console.markup import escape
from phalanx.errors import PhalanxError
from phalanx.graph import diagram, layout, trace
from phalanx.graph.svg import svg

GRAPH_ID = "machine-graph"


@lru_cache(maxsize=64)
def _machine(definition: str) -> StateMachine:
    """The model of a definition; a page polled each second reads the same one again."""
    return StateMachine.from_asl(definition)


def graph(definition: str, name: str, events: Sequence[dict[str, Any]] | None = None) -> str:
    """The SVG of `definition` (with `events`, states coloured by what happened).

    A definition the graph cannot read (it came through an older Phalanx, say)
    is a sentence saying why instead of a picture.
    """
    try:
        machine = _machine(definition)
        drawn = diagram(machine, None if events is None else trace(events), name)
        return svg(layout(drawn), element_id=GRAPH_ID)
    except PhalanxError as error:
        return f'<p class="error">The graph cannot be drawn: {escape(error)}</p>'


def framed(drawing: str, element_id: str = "") -> str:
    """The graph in a box that scrolls, reachable by keyboard so it can be scrolled."""
    given = f' id="{element_id}"' if element_id else ""
    return (
        f'<div class="graph"{given} tabindex="0" role="group" aria-label="Graph (scrolls)">'
        f"{drawing}</div>"
    )
