"""Read a drawing back, independently of `phalanx.graph`: the tests' own parsers.

`implied_edges` reads transitions straight from the ASL JSON; `svg_graph`,
`dot_graph` and `mermaid_graph` parse each output format into the same shape,
(state names, edges as (source name, target name, kind)), so the tests compare
what was drawn with what the definition says.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

SVG = "{http://www.w3.org/2000/svg}"
START, END = "(start)", "(end)"

Edges = Counter[tuple[str, str, str]]


def all_states(states: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every (name, state) of a States object, nested branches included."""
    for name, state in states.items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from all_states(branch["States"])
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                yield from all_states(state[key]["States"])


def implied_edges(definition: Mapping[str, Any]) -> Edges:
    """Each transition the definition implies: Next, Choices, Default, Catch, and End."""
    edges: Edges = Counter({(START, definition["StartAt"], "start"): 1})
    top = set(definition["States"])
    for name, state in all_states(definition["States"]):
        for rule in state.get("Choices", []):
            edges[(name, rule["Next"], "choice")] += 1
        if "Default" in state:
            edges[(name, state["Default"], "default")] += 1
        if "Next" in state:
            edges[(name, state["Next"], "next")] += 1
        ends = state.get("End") is True or state["Type"] in ("Succeed", "Fail")
        if ends and name in top:
            edges[(name, END, "end")] += 1
        for catcher in state.get("Catch", []):
            edges[(name, catcher["Next"], "catch")] += 1
    return edges


def svg_graph(text: str) -> tuple[Counter[str], Edges, list[str]]:
    """State names (with multiplicity), edges and edge labels of an SVG drawing."""
    root = ElementTree.fromstring(text)
    assert root.tag == f"{SVG}svg"
    names: dict[str, str] = {}
    states: Counter[str] = Counter()
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "node" in classes:
            node_id, name = group.get("id", ""), group.get("data-name", "")
            names[node_id] = {"start": START, "end": END}.get(group.get("data-type", ""), name)
            if "marker" not in classes:
                states[name] += 1
    edges: Edges = Counter()
    labels = []
    for group in root.iter(f"{SVG}g"):
        if "edge" in group.get("class", "").split():
            source, target = (
                names[group.get("data-source", "")],
                names[group.get("data-target", "")],
            )
            edges[(source, target, group.get("data-kind", ""))] += 1
            labels.extend(t.text or "" for t in group.iter(f"{SVG}text"))
    return states, edges, labels


# --- DOT: a tokenizer and a recursive-descent parser for the subset of the grammar ---

_DOT_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<arrow>->)|(?P<punct>[{}\[\];,=])'
    r"|(?P<id>[A-Za-z_][A-Za-z_0-9]*|-?\d+(?:\.\d+)?))",
    re.DOTALL,
)


def _dot_tokens(text: str) -> list[str]:
    tokens, at = [], 0
    text = text.rstrip()
    while at < len(text):
        match = _DOT_TOKEN.match(text, at)
        assert match is not None and match.end() > at, f"bad DOT at {at}: {text[at : at + 40]!r}"
        tokens.append(match.group().strip())
        at = match.end()
    return tokens


def _unquote(token: str) -> str:
    if token.startswith('"'):
        return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), token[1:-1])
    return token


class _DotParser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.at = tokens, 0
        self.nodes: dict[str, dict[str, str]] = {}
        self.edges: list[tuple[str, str, dict[str, str]]] = []
        self.clusters: list[str] = []

    def take(self, expected: str | None = None) -> str:
        token = self.tokens[self.at]
        assert expected is None or token == expected, f"expected {expected}, got {token}"
        self.at += 1
        return token

    def peek(self) -> str:
        return self.tokens[self.at]

    def graph(self) -> None:
        self.take("digraph")
        if self.peek() != "{":
            self.take()
        self.body()
        assert self.at == len(self.tokens), "text after the graph"

    def body(self) -> None:
        self.take("{")
        while self.peek() != "}":
            self.statement()
            if self.peek() == ";":
                self.take()
        self.take("}")

    def attributes(self) -> dict[str, str]:
        found: dict[str, str] = {}
        self.take("[")
        while self.peek() != "]":
            key = self.take()
            self.take("=")
            found[key] = _unquote(self.take())
            if self.peek() in (",", ";"):
                self.take()
        self.take("]")
        return found

    def statement(self) -> None:
        first = self.take()
        if first == "subgraph":
            self.clusters.append(_unquote(self.take()))
            self.body()
        elif first in ("node", "edge", "graph"):
            self.attributes()
        elif self.peek() == "=":
            self.take()
            self.take()
        elif self.peek() == "->":
            self.take()
            target = _unquote(self.take())
            attributes = self.attributes() if self.peek() == "[" else {}
            self.edges.append((_unquote(first), target, attributes))
        else:
            self.nodes[_unquote(first)] = self.attributes() if self.peek() == "[" else {}


def dot_graph(text: str) -> tuple[Counter[str], list[tuple[str, str, dict[str, str]]], list[str]]:
    """State names (first label line), edges by node id with attributes, and cluster labels."""
    parser = _DotParser(_dot_tokens(text))
    parser.graph()
    declared = set(parser.nodes)
    for source, target, _ in parser.edges:
        assert source in declared and target in declared, (source, target)
    states = Counter(
        attributes["label"].split("\n")[0]
        for attributes in parser.nodes.values()
        if attributes.get("shape") not in ("oval", "point")
    )
    return states, parser.edges, parser.clusters


# --- Mermaid: every line must be one of the statements we write ---

_MERMAID_LINES = {
    "node": re.compile(r'^(\w+)(\(\[|\[|\{)"([^"]*)"(\]\)|\]|\})$'),
    "subgraph": re.compile(r'^subgraph (\w+)\["([^"]*)"\]$'),
    "edge": re.compile(r'^(\w+) (-->|-\.->)(?:\|"([^"]*)"\|)? (\w+)$'),
    "end": re.compile(r"^end$"),
    "direction": re.compile(r"^direction TB$"),
    "class": re.compile(r"^(classDef \w+ .+|class \w+ \w+|linkStyle [\d,]+ \S+)$"),
}


def mermaid_graph(text: str) -> tuple[list[str], list[tuple[str, str, str]], int]:
    """Node labels, edges (source id, arrow, target id) and subgraph count of a flowchart."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    depth, subgraphs, declared = 0, 0, set()
    labels, edges = [], []
    for line in lines[1:]:
        kind, match = next(
            ((k, m) for k, pattern in _MERMAID_LINES.items() if (m := pattern.match(line.strip()))),
            (None, None),
        )
        assert match is not None, f"not a Mermaid statement: {line!r}"
        if kind == "node":
            declared.add(match.group(1))
            labels.append(match.group(3))
        elif kind == "subgraph":
            depth, subgraphs = depth + 1, subgraphs + 1
            declared.add(match.group(1))
        elif kind == "end":
            depth -= 1
            assert depth >= 0, "end without subgraph"
        elif kind == "edge":
            edges.append((match.group(1), match.group(2), match.group(4)))
    assert depth == 0, "subgraph without end"
    for source, _, target in edges:
        assert source in declared and target in declared, (source, target)
    return labels, edges, subgraphs
