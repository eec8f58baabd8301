"""The diagram as Mermaid or Graphviz DOT text, for docs and code review.

Both keep what the drawing shows: node ids as in the SVG, each state's name
and type line, Choice rules, Default and Catch edges (dashed), Map and
Parallel states as nested subgraphs (clusters), and an execution's outcomes
as classes (Mermaid) or fill colours (DOT). Neither needs the layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from phalanx.graph import theme
from phalanx.graph.diagram import Diagram, Edge, Node, Scope

_OUTCOME_CLASS = {outcome: outcome.replace(" ", "_") for outcome in theme.OUTCOME_STYLES}


def mermaid(diagram: Diagram) -> str:
    """A Mermaid `flowchart TD`; Map and Parallel states are subgraphs."""
    lines = ["flowchart TD"]
    emitted: list[Edge] = []
    lines.extend(_mermaid_scope(diagram.root, "    ", emitted))
    if diagram.trace is not None:
        taken = ",".join(str(i) for i, edge in enumerate(emitted) if edge.taken)
        if taken:
            lines.append(f"    linkStyle {taken} stroke:{theme.TAKEN_EDGE.stroke},stroke-width:3px")
        for outcome, style in theme.OUTCOME_STYLES.items():
            dash = ",stroke-dasharray:5 3" if style.dashed else ""
            lines.append(
                f"    classDef {_OUTCOME_CLASS[outcome]} "
                f"fill:{style.fill},stroke:{style.stroke},color:{style.text}{dash}"
            )
        for node in _all_nodes(diagram):
            if node.outcome is not None and not node.marker:
                lines.append(f"    class {node.id} {_OUTCOME_CLASS[node.outcome]}")
    return "\n".join(lines) + "\n"


def _mermaid_scope(scope: Scope, indent: str, emitted: list[Edge]) -> Iterator[str]:
    """The lines of a scope; `emitted` gets its edges in order (linkStyle counts them)."""
    for node in scope.nodes:
        if node.marker:
            yield f'{indent}{node.id}(["{_mermaid_text(node.title)}"])'
        elif node.lanes:
            yield f'{indent}subgraph {node.id}["{_mermaid_text(_node_text(node, " · "))}"]'
            yield f"{indent}    direction TB"
            for lane in node.lanes:
                yield f'{indent}    subgraph {lane.id}["{_mermaid_text(lane.title)}"]'
                yield f"{indent}        direction TB"
                yield from _mermaid_scope(lane, indent + "        ", emitted)
                yield f"{indent}    end"
            yield f"{indent}end"
        else:
            text = "<br/>".join(_mermaid_text(part) for part in (node.title, *node.lines))
            shape = ("{", "}") if node.kind == "Choice" else ("[", "]")
            yield f'{indent}{node.id}{shape[0]}"{text}"{shape[1]}'
    for edge in scope.edges:
        arrow = "-.->" if edge.kind == "catch" else "-->"
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        emitted.append(edge)
        yield f"{indent}{edge.source} {arrow}{label} {edge.target}"


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for what Mermaid would parse."""
    codes = {
        "#": "#35;",
        '"': "#quot;",
        "<": "#lt;",
        ">": "#gt;",
        "|": "#124;",
        ";": "#59;",
        "`": "#96;",
    }
    return "".join(codes.get(char, " " if char.isspace() else char) for char in text)


def dot(diagram: Diagram) -> str:
    """A Graphviz `digraph`; Map and Parallel states are clusters.

    An edge to or from a cluster is drawn to its anchor, an invisible node
    inside it (`lhead`/`ltail` clip it at the cluster's border).
    """
    lines = [
        f"digraph {_dot_id(diagram.name)} {{",
        "    compound=true;",
        "    rankdir=TB;",
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    groups = {node.id for node in _all_nodes(diagram) if node.lanes}
    lines.extend(_dot_scope(diagram.root, groups, "    "))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_scope(scope: Scope, groups: set[str], indent: str) -> Iterator[str]:
    for node in scope.nodes:
        if node.lanes:
            yield f"{indent}subgraph {_dot_id('cluster_' + node.id)} {{"
            yield f"{indent}    label={_dot_id(_node_text(node, chr(10)))};"
            yield f"{indent}    style=rounded;"
            yield f"{indent}    {node.id} [shape=point, style=invis];"
            for lane in node.lanes:
                yield f"{indent}    subgraph {_dot_id('cluster_' + lane.id)} {{"
                yield f"{indent}        label={_dot_id(lane.title)};"
                yield f"{indent}        style=dashed;"
                yield from _dot_scope(lane, groups, indent + "        ")
                yield f"{indent}    }}"
            yield f"{indent}}}"
            continue
        yield f"{indent}{node.id} [{', '.join(_dot_node_attributes(node))}];"
    for edge in scope.edges:
        attributes = ", ".join(_dot_edge_attributes(edge, groups))
        yield f"{indent}{edge.source} -> {edge.target} [{attributes}];"


def _dot_node_attributes(node: Node) -> list[str]:
    if node.marker:
        return [
            f"label={_dot_id(node.title)}",
            "shape=oval",
            f'fillcolor="{theme.MARKER_FILL}"',
            f'fontcolor="{theme.MARKER_TEXT}"',
        ]
    attributes = [f"label={_dot_id(_node_text(node, chr(10)))}"]
    if node.kind == "Choice":
        attributes.append("shape=diamond")
    style = theme.node_style(node.kind, node.outcome)
    attributes.append(f'fillcolor="{style.fill}"')
    attributes.append(f'color="{style.stroke}"')
    return attributes


def _dot_edge_attributes(edge: Edge, groups: set[str]) -> list[str]:
    attributes = []
    if edge.label:
        attributes.append(f"label={_dot_id(edge.label)}")
    if edge.kind == "catch":
        attributes.append("style=dashed")
    if edge.taken:
        attributes.append("penwidth=2.5")
    if edge.target in groups:
        attributes.append(f"lhead={_dot_id('cluster_' + edge.target)}")
    if edge.source in groups:
        attributes.append(f"ltail={_dot_id('cluster_' + edge.source)}")
    return attributes or ['label=""']


def _dot_id(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, line breaks as `\\n`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"\r\n|\r|\n", r"\\n", escaped) + '"'


def _node_text(node: Node, separator: str) -> str:
    return separator.join((node.title, *node.lines))


def _all_nodes(diagram: Diagram) -> Iterator[Node]:
    for scope in diagram.scopes():
        yield from scope.nodes
