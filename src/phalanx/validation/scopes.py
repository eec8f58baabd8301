"""The definition as a tree of scopes, walked once and shared by every rule.

A *scope* is one `{"StartAt": ..., "States": {...}}` object: the machine
itself, each Parallel branch, each Map `ItemProcessor` (or legacy
`Iterator`). `Next`, `Default` and Catch targets resolve only inside their
own scope, so transitions are checked per scope; names are unique across
the whole machine (see `names.py`).

The walk tolerates any JSON: a scope or state that is not an object is
skipped here and reported by `schema.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from phalanx.validation.diagnostics import join

JSONPATH = "JSONPath"
JSONATA = "JSONata"

# Walking stops this deep so a pathological document cannot blow the stack.
MAX_DEPTH = 40


@dataclass(frozen=True, slots=True)
class Options:
    """What the caller told us about the machine and the input."""

    machine_type: str = "STANDARD"
    placeholders: bool = False


@dataclass(frozen=True, slots=True)
class Scope:
    pointer: str  # where the scope object is ("" for the machine)
    body: dict[str, Any]
    kind: str  # "machine" | "branch" | "inline-map" | "distributed-map"
    depth: int

    @property
    def states(self) -> dict[str, Any]:
        states = self.body.get("States")
        return states if isinstance(states, dict) else {}


@dataclass(frozen=True, slots=True)
class StateSite:
    """One state object, where it is and which language its fields are in."""

    name: str
    pointer: str
    body: dict[str, Any]
    scope: Scope
    query_language: str
    type: str | None  # the state's Type when it is a string

    def at(self, *tokens: str | int) -> str:
        return join(self.pointer, *tokens)


@dataclass(frozen=True, slots=True)
class Machine:
    definition: dict[str, Any]
    options: Options
    query_language: str
    scopes: tuple[Scope, ...]
    states: tuple[StateSite, ...]


def _language(value: object, default: str) -> str:
    return value if isinstance(value, str) and value in (JSONPATH, JSONATA) else default


def walk(definition: dict[str, Any], options: Options) -> Machine:
    """Collect every scope and state of `definition`, depth first, in document order."""
    top_language = _language(definition.get("QueryLanguage"), JSONPATH)
    scopes: list[Scope] = []
    states: list[StateSite] = []
    stack: list[Scope] = [Scope("", definition, "machine", 0)]
    while stack:
        scope = stack.pop()
        scopes.append(scope)
        children: list[Scope] = []
        for name, body in scope.states.items():
            if not isinstance(body, dict):
                continue
            pointer = join(scope.pointer, "States", name)
            language = _language(body.get("QueryLanguage"), top_language)
            kind = body.get("Type")
            kind = kind if isinstance(kind, str) else None
            states.append(StateSite(name, pointer, body, scope, language, kind))
            if scope.depth + 1 >= MAX_DEPTH:
                continue
            children.extend(_children(pointer, body, scope.depth + 1))
        stack.extend(reversed(children))
    return Machine(definition, options, top_language, tuple(scopes), tuple(states))


def _children(pointer: str, body: dict[str, Any], depth: int) -> list[Scope]:
    kind = body.get("Type")
    found: list[Scope] = []
    if kind == "Parallel":
        branches = body.get("Branches")
        if isinstance(branches, list):
            for i, branch in enumerate(branches):
                if isinstance(branch, dict):
                    found.append(Scope(join(pointer, "Branches", i), branch, "branch", depth))
    elif kind == "Map":
        for key in ("ItemProcessor", "Iterator"):
            processor = body.get(key)
            if isinstance(processor, dict):
                config = processor.get("ProcessorConfig")
                mode = config.get("Mode") if isinstance(config, dict) else None
                scope_kind = "distributed-map" if mode == "DISTRIBUTED" else "inline-map"
                found.append(Scope(join(pointer, key), processor, scope_kind, depth))
    return found
