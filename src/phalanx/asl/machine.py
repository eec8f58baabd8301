"""A state machine, and the branches nested in Parallel and Map states.

`StateMachine(...)` takes the fields as they are (that is what `from_asl`
does). `StateMachine.of(*states)` is the builder's entry: it names the start,
finds every state reachable from the given ones, ends every state left without
a transition, and refuses duplicate names (see `assembly.py`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from phalanx.asl.assembly import assemble
from phalanx.asl.deployment import Logging, check_options
from phalanx.asl.fields import JSON, Kind, asl_field, extra_field, pointer
from phalanx.asl.states import Map, Parallel, SourceLocation, State, _Chainable
from phalanx.errors import DefinitionError

if TYPE_CHECKING:
    from phalanx.functions import LambdaFunction

ResourceArn = Callable[["LambdaFunction"], str]
"""How a `phalanx.function` used as a Task resource is written as ASL."""


@dataclasses.dataclass(frozen=True, slots=True)
class Branch:
    """A Parallel branch or a Map's item processor: states with their own start."""

    start_at: str = asl_field("StartAt", Kind.STRING, default="", kw_only=False, required=True)
    states: Mapping[str, State] = asl_field(
        "States", Kind.NESTED, default={}, nested="states", kw_only=False, required=True
    )
    comment: str | None = asl_field("Comment", Kind.STRING)
    processor_config: Mapping[str, JSON] | None = asl_field("ProcessorConfig", Kind.OBJECT)
    extra: Mapping[str, JSON] = extra_field()

    @classmethod
    def of(
        cls,
        *states: State,
        start_at: str | State | None = None,
        comment: str | None = None,
        processor_config: Mapping[str, JSON] | None = None,
    ) -> Branch:
        """Build a branch from its states, the start first unless `start_at` says.

        As in `StateMachine.of`, the first state alone is enough: the states
        reachable from it through the builder's methods are found.
        """
        start, table = assemble(states, start_at, "Branch.of")
        return cls(start, table, comment=comment, processor_config=processor_config)


@dataclasses.dataclass(frozen=True, slots=True)
class StateMachine:
    """A whole ASL definition.

    `name`, `type`, `logging`, `tracing` and `tags` are not part of ASL: they
    name and configure the deployed machine (see `phalanx.asl.deployment`).
    """

    comment: str | None = asl_field("Comment", Kind.STRING)
    query_language: str | None = asl_field("QueryLanguage", Kind.STRING)
    start_at: str = asl_field("StartAt", Kind.STRING, default="", required=True)
    timeout_seconds: int | float | str | None = asl_field("TimeoutSeconds", Kind.NUMBER)
    version: str | None = asl_field("Version", Kind.STRING)
    states: Mapping[str, State] = asl_field(
        "States", Kind.NESTED, default={}, nested="states", required=True
    )
    extra: Mapping[str, JSON] = extra_field()
    name: str | None = dataclasses.field(default=None, kw_only=True)
    type: str | None = dataclasses.field(default=None, kw_only=True)
    logging: Logging | None = dataclasses.field(default=None, kw_only=True)
    tracing: bool = dataclasses.field(default=False, kw_only=True)
    tags: Mapping[str, str] = dataclasses.field(default_factory=dict, kw_only=True)

    def __post_init__(self) -> None:
        check_options(self.type, self.logging, self.tracing, self.tags)

    @classmethod
    def of(
        cls,
        *states: State,
        start_at: str | State | None = None,
        name: str | None = None,
        comment: str | None = None,
        timeout_seconds: int | None = None,
        query_language: str | None = None,
        type: str | None = None,
        logging: Logging | None = None,
        tracing: bool = False,
        tags: Mapping[str, str] | None = None,
    ) -> StateMachine:
        """Build a machine from its states, the start first unless `start_at` says.

        The first state alone is enough: every state reachable from it through
        the State objects given to `.next()`, `.when()`, `.otherwise()` and
        `.catching()` is found. States may also be listed (a state named only
        by a string must be). A state that neither names a `Next` nor ends
        gets `"End": true`: the order of `states` never implies transitions
        (use `chain(...)` for a sequence). State names must be unique across the machine, nested
        branches included. `type` (STANDARD, the default, or EXPRESS),
        `logging`, `tracing` (X-Ray) and `tags` configure the deployed machine;
        `phalanx.run` and `phalanx.validate` follow its `type`.
        """
        start, table = assemble(states, start_at, "StateMachine.of")
        machine = cls(
            comment=comment,
            query_language=query_language,
            start_at=start,
            timeout_seconds=timeout_seconds,
            states=table,
            name=name,
            type=type,
            logging=logging,
            tracing=tracing,
            tags={} if tags is None else tags,
        )
        _require_unique_names(machine)
        return machine

    @classmethod
    def from_asl(cls, definition: Mapping[str, JSON] | str | bytes) -> StateMachine:
        """Read an ASL definition (a dict or JSON text), keeping every field.

        Raises `DefinitionError` naming the JSON location of what cannot be read.
        """
        from phalanx.asl.codec import decode_machine

        try:
            if isinstance(definition, str | bytes):
                try:
                    definition = json.loads(definition)
                except json.JSONDecodeError as error:
                    raise DefinitionError("", f"not valid JSON: {error}") from None
            return decode_machine(definition)
        except RecursionError:
            raise DefinitionError("", "the definition is nested too deeply to read") from None

    def to_asl(self, resource_arn: ResourceArn | None = None) -> dict[str, JSON]:
        """The definition as a JSON-ready dict.

        `resource_arn` writes a `phalanx.function` Task resource; by default its
        ARN in us-east-1 under account 111111111111.
        """
        from phalanx.asl.codec import encode_machine

        return encode_machine(self, resource_arn)

    def to_json(self, resource_arn: ResourceArn | None = None, *, indent: int | None = 2) -> str:
        """The definition as JSON text."""
        return json.dumps(self.to_asl(resource_arn), indent=indent, ensure_ascii=False)

    def walk(self) -> Iterator[tuple[str, State]]:
        """Every state with its JSON pointer, nested branches included, in order."""
        return _walk(self.states, "/States")

    def locate(self, location: str) -> SourceLocation | None:
        """Where in Python the state owning JSON pointer `location` was built."""
        best: tuple[int, SourceLocation | None] = (-1, None)
        for state_pointer, state in self.walk():
            inside = location == state_pointer or location.startswith(state_pointer + "/")
            if inside and len(state_pointer) > best[0]:
                best = (len(state_pointer), state.defined_at)
        return best[1]

    def _repr_svg_(self) -> str:
        """The machine's graph, shown by Jupyter (drawing is imported only when asked for)."""
        from phalanx.graph import notebook_svg

        return notebook_svg(self)

    def _repr_html_(self) -> str:
        """The graph inline in HTML, for front ends that prefer HTML to SVG."""
        return f"<div>{self._repr_svg_()}</div>"

    def validate(self, **options: Any) -> Any:
        """Validate this machine; see `phalanx.validation`.

        The one upward reference from `asl`: imported when called, so the model
        itself never depends on the validator (the builder API asks for this
        method; `phalanx.validate(machine)` is the same call).
        """
        from phalanx.validation import validate

        return validate(self, **options)


def chain(*states: State) -> tuple[State, ...]:
    """Link states in sequence: each one without a transition goes on to the next.

    `StateMachine.of(*chain(a, b, c))` runs a, then b, then c. States that
    already name a `Next` or `End` keep it; Choice, Succeed and Fail have no
    `Next` and are left as they are.
    """
    linked: list[State] = []
    for state, following in zip(states, (*states[1:], None), strict=True):
        if (
            isinstance(state, _Chainable)
            and state.next_state is None
            and not state.end
            and following is not None
        ):
            state = state.next(following)
        linked.append(state)
    return tuple(linked)


def branches_of(state: State) -> list[tuple[str, Branch]]:
    """The nested branches of a state with their pointer suffixes (empty for most types)."""
    if isinstance(state, Parallel):
        return [(f"/Branches/{i}", branch) for i, branch in enumerate(state.branches)]
    if isinstance(state, Map):
        found = []
        if state.item_processor is not None:
            found.append(("/ItemProcessor", state.item_processor))
        if state.iterator is not None:
            found.append(("/Iterator", state.iterator))
        return found
    return []


def _walk(states: Mapping[str, State], prefix: str) -> Iterator[tuple[str, State]]:
    for name, state in states.items():
        here = pointer(prefix, name)
        yield here, state
        for suffix, branch in branches_of(state):
            yield from _walk(branch.states, f"{here}{suffix}/States")


def _require_unique_names(machine: StateMachine) -> None:
    seen: dict[str, str] = {}
    for location, state in machine.walk():
        if state.name in seen:
            raise DefinitionError(
                location,
                f"state name {state.name!r} is already used at {seen[state.name]}; "
                "state names must be unique across the machine",
            )
        seen[state.name] = location
