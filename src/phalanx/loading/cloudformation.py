"""State machines inside CloudFormation and SAM templates, JSON or YAML.

A template holds machines as an inline `Definition` object, a
`DefinitionString` (often `!Sub` or `Fn::Join`), or SAM's `DefinitionUri`
naming a local ASL file. Intrinsics (`!Ref`, `!GetAtt`, `!Sub`) become
`${...}` placeholders, which the validator accepts as deploy-time values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from phalanx.errors import LoadError
from phalanx.loading.locations import Position, display_path
from phalanx.loading.positions import json_positions, yaml_positions

MACHINE_TYPES = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")

# (path, logical id, definition, machine type, positions) of one machine in a template.
TemplateMachine = tuple[str, str, object, str, Mapping[str, Position]]
ReadAsl = Callable[[str], tuple[object, Mapping[str, Position]]]


def yaml_loader() -> Any:
    """A YAML loader that keeps CloudFormation's short-form tags as `Fn::` objects."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # YAML 1.2 booleans: only true/false, so states named `Yes` or `No` stay strings.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )

    def construct(loader: Any, suffix: str, node: Any) -> Any:
        name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if suffix == "GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    Loader.add_multi_constructor("!", construct)
    return Loader


def read_yaml(path: str, text: str) -> tuple[object, dict[str, Position]]:
    """A YAML document and its positions; `LoadError` at the line YAML stopped at."""
    import yaml

    loader = yaml_loader()
    try:
        document = yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        if mark is None:
            raise LoadError(f"not YAML: {problem}", file=display_path(path)) from None
        raise LoadError(
            f"not YAML: {problem}",
            file=display_path(path),
            line=mark.line + 1,
            column=mark.column + 1,
        ) from None
    return document, yaml_positions(text, loader)


def substitution_text(value: object) -> str | None:
    """The text of a DefinitionString: a string, `Fn::Sub` or `Fn::Join` of strings and refs."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Fn::Sub":
            template = arg[0] if isinstance(arg, list) and arg else arg
            return template if isinstance(template, str) else None
        if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            sep, parts = arg
            if not isinstance(sep, str) or not isinstance(parts, list):
                return None
            return sep.join(substitution_text(p) or _placeholder(p) for p in parts)
    return None


def _placeholder(value: object) -> str:
    """A `${...}` placeholder standing for a CloudFormation intrinsic."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref":
            return "${" + str(arg) + "}"
        if key == "Fn::GetAtt":
            parts = arg if isinstance(arg, list) else str(arg).split(".")
            return "${" + ".".join(str(p) for p in parts) + "}"
    return "${Intrinsic}"


def replace_intrinsics(value: Any) -> Any:
    """Inline `Definition` objects may hold `Ref`/`Fn::GetAtt`/`Fn::Sub`: make them tokens."""
    if isinstance(value, dict):
        if len(value) == 1:
            (key,) = value
            if key in ("Ref", "Fn::GetAtt", "Fn::ImportValue", "Fn::Select", "Fn::If"):
                return _placeholder(value)
            if key in ("Fn::Sub", "Fn::Join"):
                return substitution_text(value) or "${Intrinsic}"
        return {k: replace_intrinsics(v) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_intrinsics(v) for v in value]
    return value


def template_machines(
    path: str,
    document: Mapping[str, Any],
    positions: Mapping[str, Position],
    machine_type: str,
    read_asl: ReadAsl,
) -> Iterator[TemplateMachine]:
    """Every state machine resource of a template; `read_asl` reads a `DefinitionUri`."""
    from pathlib import Path

    resources = document.get("Resources")
    if not isinstance(resources, dict):
        return
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") not in MACHINE_TYPES:
            continue
        props = resource.get("Properties")
        if not isinstance(props, dict):
            continue
        kind = props.get("StateMachineType", props.get("Type", machine_type))
        kind = kind if kind in ("STANDARD", "EXPRESS") else machine_type
        base = f"/Resources/{logical_id}/Properties"
        if "Definition" in props:
            offset = f"{base}/Definition"
            shifted = {
                p[len(offset) :]: pos
                for p, pos in positions.items()
                if p == offset or p.startswith(offset + "/")
            }
            definition = replace_intrinsics(props["Definition"])
            yield path, logical_id, definition, kind, shifted
        elif "DefinitionString" in props:
            text = substitution_text(props["DefinitionString"])
            yield (
                path,
                logical_id,
                text,
                kind,
                _embedded(text, positions, f"{base}/DefinitionString"),
            )
        elif isinstance(props.get("DefinitionUri"), str):
            # SAM: a local ASL file next to the template, with DefinitionSubstitutions.
            asl = str(Path(path).parent / props["DefinitionUri"])
            try:
                definition, asl_positions = read_asl(asl)
            except LoadError as error:
                where = positions.get(f"{base}/DefinitionUri", (None, None))
                raise LoadError(
                    f"{logical_id}: DefinitionUri: {error}",
                    file=display_path(path),
                    line=where[0],
                    column=where[1],
                ) from None
            yield asl, logical_id, definition, kind, asl_positions


def _embedded(
    text: str | None, positions: Mapping[str, Position], pointer: str
) -> dict[str, Position]:
    """Positions of a JSON text embedded in a template's string at `pointer`."""
    anchor = positions.get(pointer, (1, 1))
    shifted = {"": anchor}
    if text is not None:
        for p, (line, col) in json_positions(text).items():
            shifted[p] = (anchor[0] + line - 1, col if line > 1 else anchor[1] + col)
    return shifted
