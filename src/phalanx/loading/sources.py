"""Every state machine in a user's file, whatever the file is, with its positions.

    .py                       the StateMachine objects the module defines
    .json, .asl.json, .asl    one ASL definition (JSON text, given to the validator as is)
    .yaml, .yml, .asl.yaml    one ASL definition, or a CloudFormation/SAM template
    template (JSON or YAML)   each AWS::StepFunctions::StateMachine and
                              AWS::Serverless::StateMachine, `DefinitionUri` followed

Every command that takes FILE reads it here, so they accept the same files
and place problems at the same `path:line:col`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from phalanx.asl import StateMachine
from phalanx.asl.states import SourceLocation
from phalanx.errors import DefinitionError, InvalidMachineError, LoadError
from phalanx.functions import LambdaFunction
from phalanx.loading import cloudformation
from phalanx.loading.locations import Location, Position, display_path
from phalanx.loading.modules import load_module
from phalanx.loading.positions import json_positions, syntax_error

YAML_SUFFIXES = (".yaml", ".yml")


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    """One state machine found in a file, and how to place a JSON pointer in that file.

    `definition` is JSON text (so the validator sees repeated keys and syntax
    errors as AWS does), a JSON document, or a `StateMachine` built in Python.
    `locate` is a model's `locate(pointer) -> SourceLocation | None`.
    """

    file: str
    name: str | None
    definition: object
    machine_type: str = "STANDARD"
    placeholders: bool = False
    positions: Mapping[str, Position] = dataclasses.field(default_factory=dict)
    locate: Callable[[str], SourceLocation | tuple[str, int] | None] | None = None

    def where(self, pointer: str) -> Location:
        """The file, line and column of `pointer`, or of the nearest enclosing value."""
        if self.locate is not None:
            found = self.locate(pointer)
            if isinstance(found, SourceLocation):
                return Location(found.file, found.line, 1)
            if isinstance(found, tuple):  # a (file, line) pair works too
                return Location(str(found[0]), int(found[1]), 1)
        probe = pointer
        while True:
            if probe in self.positions:
                line, column = self.positions[probe]
                return Location(self.file, line, column)
            if not probe:
                return Location(self.file, 1, 1)
            probe = probe.rsplit("/", 1)[0]


@dataclasses.dataclass(frozen=True, slots=True)
class Loaded:
    """What a file holds: its machines, and the `phalanx.function`s of a module."""

    sources: tuple[Source, ...]
    functions: Mapping[str, LambdaFunction]


def load_sources(
    path: str | Path, machine_type: str = "STANDARD", placeholders: bool = False
) -> list[Source]:
    """Every state machine in one file; `LoadError` when there is none to check.

    `placeholders` says whether `${...}` deploy-time tokens count as valid in
    a plain ASL file; machines from templates always allow them.
    """
    return list(load(path, machine_type, placeholders).sources)


def load(path: str | Path, machine_type: str = "STANDARD", placeholders: bool = False) -> Loaded:
    """`load_sources`, and the functions a `.py` module defines (imported once)."""
    file = str(path)
    if file.endswith(".py"):
        require_file(Path(file))
        machines, functions = load_module(Path(file))
        if not machines:
            raise LoadError("defines no state machine", file=display_path(file))
        sources = tuple(
            Source(
                file,
                name,
                machine,
                str(getattr(machine, "type", None) or machine_type),
                False,
                locate=machine.locate,
            )
            for name, machine in machines.items()
        )
        return Loaded(sources, functions)
    return Loaded(tuple(_file_sources(file, machine_type, placeholders)), {})


def _file_sources(file: str, machine_type: str, placeholders: bool) -> list[Source]:
    content, positions = read_asl(file)
    document: object = content
    if isinstance(content, str):
        try:
            document = json.loads(content)
        except (ValueError, RecursionError):
            document = None
        if not isinstance(document, dict) and not content.lstrip().startswith(("{", "[")):
            # Not JSON: a YAML template under another extension (`template.template`)?
            try:
                yaml_document, yaml_places = cloudformation.read_yaml(file, content)
            except LoadError:
                yaml_document = None
            if isinstance(yaml_document, dict):
                content, positions, document = yaml_document, yaml_places, yaml_document
    if isinstance(document, dict) and "Resources" in document:
        found = cloudformation.template_machines(file, document, positions, machine_type, read_asl)
        sources = [
            Source(where, name, definition, kind, True, places)
            for where, name, definition, kind, places in found
        ]
        if not sources:
            raise LoadError(
                "template holds no AWS::StepFunctions::StateMachine", file=display_path(file)
            )
        return sources
    return [Source(file, None, content, machine_type, placeholders, positions)]


def require_file(file: Path) -> None:
    """`LoadError` unless `file` is an existing file."""
    if file.is_dir():
        raise LoadError("is a directory, not a file", file=display_path(file))
    if not file.is_file():
        raise LoadError("no such file", file=display_path(file))


def read_asl(path: str) -> tuple[object, Mapping[str, Position]]:
    """A file's contents: JSON as text (the validator parses it), YAML as a document."""
    file = Path(path)
    require_file(file)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LoadError(
            f"not UTF-8 text (byte {error.start}: {error.reason})", file=display_path(path)
        ) from None
    except OSError as error:
        raise LoadError(
            f"cannot read: {error.strerror or error}", file=display_path(path)
        ) from None
    if file.suffix in YAML_SUFFIXES:
        document, positions = cloudformation.read_yaml(path, text)
        if not isinstance(document, dict):
            raise LoadError("not a YAML mapping", file=display_path(path))
        return document, positions
    return text, json_positions(text)


def choose(sources: Sequence[Source], name: str | None) -> Source:
    """The machine called `name`, or the only one when `name` is None."""
    file = display_path(sources[0].file) if sources else None
    known = {source.name or "": source for source in sources}
    if name is not None:
        if name not in known:
            found = ", ".join(n for n in known if n) or "none"
            raise LoadError(f"no state machine named {name!r} (found: {found})", file=file)
        return known[name]
    if len(sources) == 1:
        return sources[0]
    found = ", ".join(known)
    raise LoadError(f"defines several state machines ({found}); choose one", file=file)


def machine_of(source: Source) -> tuple[str, StateMachine]:
    """The name and model of `source`; `LoadError` at the position of what cannot be read.

    A file's only machine without a name is named after the file (`flow.asl.json`: `flow`).
    """
    definition = source.definition
    if isinstance(definition, StateMachine):
        machine = definition
    else:
        if isinstance(definition, str):
            error = syntax_error(definition)
            if error is not None:
                where = source.where("")
                raise LoadError(
                    f"not valid JSON: {error.msg}",
                    file=display_path(where.file),
                    line=where.line,
                    column=where.column,
                )
        try:
            machine = StateMachine.from_asl(definition)  # type: ignore[arg-type]
        except DefinitionError as error:
            where = source.where(error.location)
            raise LoadError(
                str(error), file=display_path(where.file), line=where.line, column=where.column
            ) from None
    return source.name or machine.name or Path(source.file).stem.removesuffix(".asl"), machine


def runnable_machine(source: Source, machine_type: str) -> StateMachine:
    """The model of `source`, named, once the validator passes it.

    Raises `InvalidMachineError` (the validator's errors, to be shown with
    `source.where`) as CreateStateMachine would refuse it, and `LoadError`
    when the definition cannot be read into the model.
    """
    # Imported here: a deployed zip holds `loading` (for `project`), not the validator.
    from phalanx.validation import validate

    result = validate(
        source.definition, machine_type=machine_type, placeholders=source.placeholders
    )
    if not result.ok:
        raise InvalidMachineError(result.errors)
    name, machine = machine_of(source)
    return machine if machine.name is not None else dataclasses.replace(machine, name=name)
