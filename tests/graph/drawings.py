"""Real-world machines, loaded and laid out once for all the graph tests."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from phalanx import StateMachine
from phalanx.graph import Layout, diagram, layout
from tests.corpora import shared


def realworld() -> list[Any]:
    """One param per real-world definition the model loads (suspects cannot be: see
    tests/asl/test_roundtrip.py), its id the case file's name."""
    params = []
    for path in sorted(shared("realworld").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if not case.get("suspect"):
            params.append(pytest.param(path.stem, id=path.stem))
    return params


@functools.cache
def definition(stem: str) -> dict[str, Any]:
    path = shared("realworld") / f"{stem}.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["definition"]
    return loaded


@functools.cache
def machine(stem: str) -> StateMachine:
    return StateMachine.from_asl(definition(stem))


@functools.cache
def laid_out(stem: str) -> Layout:
    return layout(diagram(machine(stem)))
