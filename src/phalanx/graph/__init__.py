"""A machine drawn as a graph, like the AWS console's graph view: SVG, PNG, HTML, Mermaid, DOT.

    from phalanx.graph import render
    render(machine, "svg")                        # the definition
    render(machine, "png", history=execution.history)  # an execution on it

The steps are separate, and each is a plain function: `diagram` (what to
draw), `layout` (where: boxes that never overlap), then a renderer.
"""

from phalanx.graph.diagram import Diagram, Edge, Node, Scope, diagram
from phalanx.graph.draw import FORMATS, format_for, notebook_svg, render, save
from phalanx.graph.history import OUTCOMES, StateTrace, Trace, history_events, trace
from phalanx.graph.layout import Box, Layout, layout

__all__ = [
    "FORMATS",
    "OUTCOMES",
    "Box",
    "Diagram",
    "Edge",
    "Layout",
    "Node",
    "Scope",
    "StateTrace",
    "Trace",
    "diagram",
    "format_for",
    "history_events",
    "layout",
    "notebook_svg",
    "render",
    "save",
    "trace",
]
