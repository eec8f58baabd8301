"""Read a user's input, for every command: Python modules, ASL JSON/YAML, templates.

`load_sources(path)` finds every state machine in a file with the positions
of its JSON pointers; `machine_of(source)` reads one into the model;
`LoadError` says `path:line:col: message` for anything that cannot be read.
"""

from __future__ import annotations

from phalanx.loading.locations import Location, Position, display_path
from phalanx.loading.positions import json_positions
from phalanx.loading.sources import (
    Loaded,
    Source,
    choose,
    load,
    load_sources,
    machine_of,
    runnable_machine,
)

__all__ = [
    "Loaded",
    "Location",
    "Position",
    "Source",
    "choose",
    "display_path",
    "json_positions",
    "load",
    "load_sources",
    "machine_of",
    "runnable_machine",
]
