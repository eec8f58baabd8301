"""Coverage of state machines: which states, Choice rules, Retriers, Catchers and branches ran.

    coverage = Coverage()
    with coverage.recording():
        phalanx.run(machine, {"amount": 5}, fast=True)
    print(coverage.table())
    assert coverage.percent >= 80

Everything is counted by the machine's own structure (state names, and
positions as ASL writes them: `Choices[1]`, `Retry[0]`, `Catch[0]`,
`Branches[1]`), so renaming or reordering tests never changes the numbers.
The items of a machine:

* each state: entered or not;
* each Choice rule and the Default: taken or not;
* each Retrier: used (it retried at least once) or not;
* each Catcher: fired or not;
* each Parallel branch and a Map's item processor: entered or not.

Executions are recorded through `phalanx.runtime.recorder`: every
`phalanx.run()` (so `phalanx run` called in-process) and every `replay()`.
Machines are told apart by name and definition: a machine changed during the
session gets a table of its own.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from phalanx.asl import Choice, Map, Parallel, State, StateMachine, Task
from phalanx.engine.trail import CATCHER, DEFAULT, ENTERED, RETRIER, RULE, Taken
from phalanx.runtime.recorder import Recorded, subscribe

# What an item is, and how the table says it was covered or missed.
_WORDS = {
    ENTERED: ("entered", "not entered"),
    RULE: ("taken", "not taken"),
    DEFAULT: ("taken", "not taken"),
    RETRIER: ("used", "not used"),
    CATCHER: ("fired", "not fired"),
    "branch": ("entered", "not entered"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class Item:
    """One thing a test can reach: `what` of `state` (number `index`), `label` as ASL writes it."""

    state: str
    what: str
    index: int
    label: str
    covered: bool

    @property
    def verdict(self) -> str:
        covered, missed = _WORDS[self.what]
        return covered if self.covered else missed


@dataclasses.dataclass(frozen=True, slots=True)
class MachineCoverage:
    """The items of one machine, in definition order, and how many executions reached them."""

    name: str
    executions: int
    items: tuple[Item, ...]

    @property
    def covered(self) -> int:
        return sum(item.covered for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "machine": self.name,
            "executions": self.executions,
            "covered": self.covered,
            "total": self.total,
            "percent": round(self.percent, 1),
            "items": [
                {"state": i.state, "item": i.label, "kind": i.what, "covered": i.covered}
                for i in self.items
            ],
        }


def _branch_items(state: State) -> list[tuple[str, int, str, str]]:
    """(what, index, label, the state whose entry covers it) for Parallel branches, a Map."""
    if isinstance(state, Parallel):
        return [
            ("branch", i, f"Branches[{i}] {b.start_at}", b.start_at)
            for i, b in enumerate(state.branches)
        ]
    if isinstance(state, Map):
        processor = state.item_processor or state.iterator
        if processor is not None:
            field = "ItemProcessor" if state.item_processor is not None else "Iterator"
            return [("branch", 0, f"{field} {processor.start_at}", processor.start_at)]
    return []


def _errors(names: tuple[str, ...]) -> str:
    return ",".join(names)


def structure(machine: StateMachine) -> list[tuple[str, str, int, str]]:
    """Every item of `machine` as (state, what, index, label), in definition order."""
    items: list[tuple[str, str, int, str]] = []
    for _, state in machine.walk():
        name = state.name
        items.append((name, ENTERED, 0, "state"))
        if isinstance(state, Choice):
            for i, rule in enumerate(state.choices):
                items.append((name, RULE, i, f"Choices[{i}] -> {rule.next_state}"))
            if state.default is not None:
                items.append((name, DEFAULT, 0, f"Default -> {state.default}"))
        if isinstance(state, Task | Parallel | Map):
            for i, retrier in enumerate(state.retry or ()):
                items.append((name, RETRIER, i, f"Retry[{i}] {_errors(retrier.error_equals)}"))
            for i, catcher in enumerate(state.catch or ()):
                label = f"Catch[{i}] {_errors(catcher.error_equals)} -> {catcher.next_state}"
                items.append((name, CATCHER, i, label))
        for what, i, label, _ in _branch_items(state):
            items.append((name, what, i, label))
    return items


def _covered(machine: StateMachine, taken: set[tuple[str, str, int]]) -> set[tuple[str, str, int]]:
    """`taken` plus the branches whose first state was entered."""
    covered = set(taken)
    for _, state in machine.walk():
        for what, i, _, first in _branch_items(state):
            if (first, ENTERED, 0) in taken:
                covered.add((state.name, what, i))
    return covered


def _key(machine: StateMachine) -> str:
    text = json.dumps(machine.to_asl(), sort_keys=True, default=str)
    return f"{machine.name or ''}:{hashlib.sha256(text.encode()).hexdigest()}"


class Coverage:
    """What the recorded executions reached, per machine (module docstring)."""

    def __init__(self) -> None:
        self._machines: dict[str, StateMachine] = {}
        self._taken: dict[str, set[tuple[str, str, int]]] = {}
        self._executions: dict[str, int] = {}

    def include(self, machine: StateMachine) -> None:
        """Count `machine` even if no execution runs it (then all its items are missed)."""
        key = _key(machine)
        self._machines.setdefault(key, machine)
        self._taken.setdefault(key, set())
        self._executions.setdefault(key, 0)

    def add(self, recorded: Recorded) -> None:
        """Count one finished execution."""
        key = _key(recorded.machine)
        self.include(recorded.machine)
        self._executions[key] += 1
        self._taken[key].update(_as_key(taken) for taken in recorded.trail)

    @contextlib.contextmanager
    def recording(self) -> Iterator[Coverage]:
        """Count every execution run in this process inside the `with` block."""
        unsubscribe = subscribe(self.add)
        try:
            yield self
        finally:
            unsubscribe()

    @property
    def machines(self) -> list[MachineCoverage]:
        """Per machine, in the order first seen; names repeat with a number when changed."""
        found = []
        seen: dict[str, int] = {}
        for key, machine in self._machines.items():
            name = machine.name or f"(machine starting at {machine.start_at})"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} ({seen[name]})"
            covered = _covered(machine, self._taken[key])
            items = tuple(
                Item(state, what, i, label, (state, what, i) in covered)
                for state, what, i, label in structure(machine)
            )
            found.append(MachineCoverage(name, self._executions[key], items))
        return found

    @property
    def covered(self) -> int:
        return sum(m.covered for m in self.machines)

    @property
    def total(self) -> int:
        return sum(m.total for m in self.machines)

    @property
    def percent(self) -> float:
        total = self.total
        return 100.0 * self.covered / total if total else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "covered": self.covered,
            "total": self.total,
            "percent": round(self.percent, 1),
            "machines": [m.to_dict() for m in self.machines],
        }

    def table(self) -> str:
        """One table per machine: the states in a line, then each rule, Retrier, Catcher, branch."""
        return "\n\n".join(table(machine) for machine in self.machines)


def _as_key(taken: Taken) -> tuple[str, str, int]:
    return (taken.state, taken.what, taken.index)


def table(machine: MachineCoverage) -> str:
    """The text table of one machine's coverage."""
    states = [i for i in machine.items if i.what == ENTERED]
    entered = sum(i.covered for i in states)
    runs = "execution" if machine.executions == 1 else "executions"
    lines = [
        f"{machine.name}: {machine.covered}/{machine.total} covered "
        f"({machine.percent:.1f}%), {machine.executions} {runs}",
        f"  states entered {entered}/{len(states)}",
    ]
    missed = [i.state for i in states if not i.covered]
    if missed:
        lines[-1] += f"; not entered: {', '.join(missed)}"
    others = [i for i in machine.items if i.what != ENTERED]
    width = max((len(i.state) for i in others), default=0)
    label_width = max((len(i.label) for i in others), default=0)
    for item in others:
        lines.append(f"  {item.state:<{width}}  {item.label:<{label_width}}  {item.verdict}")
    return "\n".join(lines)
