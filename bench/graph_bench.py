"""Benchmark `phalanx.graph`'s layout on generated machines, with grandalf as a peer.

    python bench/graph_bench.py [--states 100 250 500 1000] [--repeat 3]

Prints a table: machine size, the time to build the diagram and lay it out
(best of `--repeat`), then to write the SVG and (when Pillow is installed) the
PNG, and, when grandalf is installed in the same environment, the time its
Sugiyama layout takes on the same graph (the same nodes with the same box
sizes and the same edges, flattened: grandalf has no nested groups), measured
in the same run, and the ratio.

The machines are bench/validate_bench.py's: every type of state, nested
Parallel and Map, Retry, and a Catch from every eighth state to the last one,
so long edges run the whole height of the drawing, the layout's hardest case.

The target: a 500-state machine is laid out in under a second.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from validate_bench import generate

from phalanx import StateMachine
from phalanx.graph import Diagram, diagram, layout
from phalanx.graph.layout import header_size
from phalanx.graph.png import png
from phalanx.graph.svg import svg

TARGET_S = 1.0


def best_seconds(work: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def grandalf_runner(drawn: Diagram) -> Callable[[], Any] | None:
    """grandalf's Sugiyama layout of the same nodes and edges, if grandalf is installed."""
    try:
        from grandalf.graphs import Edge, Graph, Vertex
        from grandalf.layouts import SugiyamaLayout
    except ImportError:
        return None

    class View:
        def __init__(self, width: float, height: float) -> None:
            self.w, self.h = width, height
            self.xy = (0.0, 0.0)

    def run() -> None:
        vertices = {}
        for scope in drawn.scopes():
            for node in scope.nodes:
                vertex = Vertex(node.id)
                vertex.view = View(*header_size(node))
                vertices[node.id] = vertex
        edges = [
            Edge(vertices[e.source], vertices[e.target])
            for scope in drawn.scopes()
            for e in scope.edges
            if e.source != e.target
        ]
        graph = Graph(list(vertices.values()), edges)
        for component in graph.C:
            sugiyama = SugiyamaLayout(component)
            sugiyama.init_all()
            sugiyama.draw()

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--states", type=int, nargs="*", default=[100, 250, 500, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        import PIL  # noqa: F401

        has_pillow = True
    except ImportError:
        has_pillow = False
    print(
        f"{'states':>7} {'layout':>9} {'svg':>8} {'png':>9} {'grandalf':>10} {'ratio':>7}"
        f" {'boxes':>7}"
    )
    status = 0
    for count in args.states:
        machine = StateMachine.from_asl(generate(count))
        laid = best_seconds(lambda m=machine: layout(diagram(m)), args.repeat)
        placed = layout(diagram(machine))
        written = best_seconds(lambda p=placed: svg(p), args.repeat)
        drawn_png = best_seconds(lambda p=placed: png(p), 1) if has_pillow else None
        peer = grandalf_runner(placed.diagram)
        peer_s = best_seconds(peer, 1) if peer is not None else None
        boxes = sum(1 for _ in placed.nodes()) + sum(1 for e in placed.edges() if e.label)
        if count == 500 and laid >= TARGET_S:
            status = 1
        png_cell = f"{drawn_png:7.3f} s" if drawn_png is not None else f"{'no Pillow':>9}"
        peer_cells = (
            f"{peer_s:8.3f} s {peer_s / laid:6.1f}x"
            if peer_s is not None
            else f"{'not installed':>10} {'-':>7}"
        )
        print(
            f"{count:>7} {laid:7.3f} s {written:6.3f} s {png_cell} {peer_cells} {boxes:>7}",
            flush=True,
        )
    print(
        f"target: 500 states laid out in under {TARGET_S:.0f} s -> "
        f"{'met' if status == 0 else 'MISSED'}"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
