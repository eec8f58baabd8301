"""A machine as nodes and edges: what to draw, before deciding where.

`diagram(machine)` turns the model into the pieces every output format
shares: a start and an end node, one node per state (name, type line,
badges), one edge per transition the definition implies (Next, each Choice
rule, Default, each Catch, End), and Map and Parallel states as groups whose
lanes hold their branches' own nodes and edges. With a `Trace`, nodes carry
the execution's outcome and counts, and edges how often they were taken.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from phalanx.asl import Choice, Fail, Map, Parallel, Pass, State, StateMachine, Succeed, Task, Wait
from phalanx.asl.machine import Branch
from phalanx.graph.history import END, START, Trace
from phalanx.graph.labels import (
    condition_text,
    errors_text,
    retry_badge,
    shorten,
    state_name,
    subtitle,
)

MAX_STEPS_SHOWN = 6
"""Path positions listed on a node before the list is cut short."""


@dataclasses.dataclass(frozen=True, slots=True)
class Scope:
    """States drawn together: the whole machine, one Parallel branch or a Map's processor."""

    id: str
    title: str
    start: str
    """The id of the node drawn first: the start marker, or the branch's `StartAt` state."""
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Node:
    """A box: a state (`kind` is its ASL type) or the "start" and "end" markers."""

    id: str
    name: str
    kind: str
    title: str
    """The name as written on the box (on one line, shortened past 80 characters)."""
    lines: tuple[str, ...] = ()
    """Text under the name: the type line, then badges (retry, what happened)."""
    outcome: str | None = None
    lanes: tuple[Scope, ...] = ()
    """The branches drawn inside a Map or Parallel state."""

    @property
    def marker(self) -> bool:
        """Whether this is the start or end marker rather than a state."""
        return self.kind in ("start", "end")


@dataclasses.dataclass(frozen=True, slots=True)
class Edge:
    """A transition between two nodes of one scope."""

    source: str
    target: str
    kind: str
    """How it was implied: "start", "next", "choice", "default", "catch" or "end"."""
    label: str = ""
    taken: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class Diagram:
    """A machine ready to lay out: its name, its top scope and the execution drawn on it."""

    name: str
    root: Scope
    trace: Trace | None = None

    def scopes(self) -> Iterator[Scope]:
        """Every scope, the top one first, then nested lanes depth first."""
        pending = [self.root]
        while pending:
            scope = pending.pop()
            yield scope
            for node in reversed(scope.nodes):
                pending.extend(reversed(node.lanes))

    def states(self) -> Iterator[Node]:
        """Every state node (not the start and end markers), nested ones included."""
        for scope in self.scopes():
            yield from (node for node in scope.nodes if not node.marker)


def diagram(machine: StateMachine, trace: Trace | None = None, name: str | None = None) -> Diagram:
    """The nodes and edges of `machine`, coloured by `trace` when given."""
    builder = _Builder(trace)
    root = builder.scope("root", "", machine.start_at, machine.states, top=True)
    return Diagram(name or machine.name or "state machine", root, trace)


class _Builder:
    """Numbers nodes in definition order, so ids are stable across formats."""

    def __init__(self, trace: Trace | None) -> None:
        self.trace = trace
        self.count = 0

    def scope(
        self, scope_id: str, title: str, start_at: str, states: Mapping[str, State], *, top: bool
    ) -> Scope:
        ids = {name: self._next_id() for name in states}
        nodes = [self.node(ids[name], state) for name, state in states.items()]
        edges: list[Edge] = []
        if top:
            nodes.insert(0, Node("start", "Start", "start", "Start", outcome=self._marker(START)))
            nodes.append(Node("stop", "End", "end", "End", outcome=self._marker(END)))
            ids[START] = "start"
            ids[END] = "stop"
            edges.append(self.edge(ids, START, start_at, "start"))
        for name, state in states.items():
            edges.extend(
                self.edge(ids, name, target, kind, label)
                for target, kind, label in _transitions(state, top)
            )
        first = "start" if top else ids.get(start_at, nodes[0].id if nodes else "")
        return Scope(scope_id, title, first, tuple(nodes), tuple(e for e in edges if e.target))

    def node(self, node_id: str, state: State) -> Node:
        lines = [subtitle(state)]
        if isinstance(state, Task | Parallel | Map):
            lines.extend(retry_badge(retrier) for retrier in state.retry or ())
        outcome = None
        if self.trace is not None:
            outcome = self.trace.outcome(state.name)
            lines.append(self._history_line(state.name))
        lanes = tuple(
            self.scope(f"{node_id}_{index}", title, branch.start_at, branch.states, top=False)
            for index, (title, branch) in enumerate(_lanes(state))
        )
        return Node(
            node_id,
            state.name,
            state.type_name,
            state_name(state.name),
            tuple(lines),
            outcome,
            lanes,
        )

    def edge(
        self, ids: Mapping[str, str], source: str, target: str, kind: str, label: str = ""
    ) -> Edge:
        """An edge between two names of this scope; target "" when the name is unknown."""
        taken = 0
        if self.trace is not None:
            taken = self.trace.transitions.get((source, target), 0)
            if taken > 1:
                label = f"{label} ×{taken}".strip()
        return Edge(ids[source], ids.get(target, ""), kind, label, taken)

    def _marker(self, name: str) -> str | None:
        if self.trace is None:
            return None
        reached = any(name in pair for pair in self.trace.transitions)
        return "succeeded" if reached else "not reached"

    def _history_line(self, name: str) -> str:
        assert self.trace is not None
        found = self.trace.states.get(name)
        if found is None:
            return "not reached"
        steps = ", ".join(str(step) for step in found.steps[:MAX_STEPS_SHOWN])
        if found.entered > MAX_STEPS_SHOWN:
            steps += ", …"
        step = "steps" if found.entered > 1 else "step"
        retries = f" · {found.retries} retr{'ies' if found.retries > 1 else 'y'}"
        return shorten(
            f"{found.outcome} ×{found.entered} · {step} {steps}{retries if found.retries else ''}"
        )

    def _next_id(self) -> str:
        self.count += 1
        return f"s{self.count}"


def _transitions(state: State, top: bool) -> Iterator[tuple[str, str, str]]:
    """(target, kind, label) of every edge leaving `state`, in the definition's order."""
    if isinstance(state, Choice):
        for rule in state.choices:
            yield rule.next_state, "choice", condition_text(rule.condition)
        if state.default is not None:
            yield state.default, "default", "Default"
    if isinstance(state, Pass | Task | Wait | Parallel | Map):
        if state.next_state is not None:
            yield state.next_state, "next", ""
        elif state.end and top:
            yield END, "end", ""
    if isinstance(state, Succeed | Fail) and top:
        yield END, "end", ""
    if isinstance(state, Task | Parallel | Map):
        for catcher in state.catch or ():
            yield catcher.next_state, "catch", errors_text(catcher.error_equals)


def _lanes(state: State) -> list[tuple[str, Branch]]:
    if isinstance(state, Parallel):
        return [(f"Branch {index + 1}", branch) for index, branch in enumerate(state.branches)]
    if isinstance(state, Map) and state.processor is not None:
        return [("Item processor", state.processor)]
    return []
