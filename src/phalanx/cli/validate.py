"""`phalanx validate`: check ASL files, Python modules and CloudFormation templates.

    phalanx validate [--format text|json|jsonl] [--type STANDARD|EXPRESS] FILE...

Text output reads like a compiler's, one line per diagnostic::

    flow.asl.json:12:7: error MISSING_TRANSITION_TARGET /States/checkRoll/Default: ...

Exit status: 0 when every machine is OK, 1 when any FAILs, 2 on unusable
input (missing file, unreadable module, a file holding no state machine).

This module does the I/O; `phalanx.validation` does the judging.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from phalanx.validation import ValidationResult, validate

EXIT_OK, EXIT_FAIL, EXIT_UNUSABLE = 0, 1, 2

Position = tuple[int, int]


@dataclass
class Target:
    """One state machine found in a file, with a way to place pointers in the source."""

    file: str
    name: str | None
    definition: object
    machine_type: str
    placeholders: bool
    positions: dict[str, Position] = field(default_factory=dict)
    locate: Any = None  # a model's `locate(pointer) -> (file, line) | None`

    def where(self, pointer: str) -> tuple[str, int, int]:
        if self.locate is not None:
            found = self.locate(pointer)
            if found is not None:
                # `phalanx.asl` answers a SourceLocation(file, line); a (file, line) pair works too.
                file, line = (
                    (found.file, found.line) if hasattr(found, "file") else (found[0], found[1])
                )
                return str(file), int(line), 1
        probe = pointer
        while True:
            if probe in self.positions:
                line, col = self.positions[probe]
                return self.file, line, col
            if not probe:
                return self.file, 1, 1
            probe = probe.rsplit("/", 1)[0]


class Unusable(Exception):
    """Input that cannot be validated at all (exit status 2)."""


# --- reading inputs --------------------------------------------------------------------------


def json_positions(text: str) -> dict[str, Position]:
    """Map every JSON pointer in `text` to the (line, column) where its value starts.

    A small scanner, not a parser: on malformed text it returns what it found
    so far (the validator reports the syntax error itself).
    """
    positions: dict[str, Position] = {}
    line_starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(i + 1)

    def position(offset: int) -> Position:
        import bisect

        line = bisect.bisect_right(line_starts, offset) - 1
        return line + 1, offset - line_starts[line] + 1

    n = len(text)

    def skip(i: int) -> int:
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    def string_end(i: int) -> int:
        i += 1
        while i < n and text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1

    def value(i: int, pointer: str, depth: int) -> int:
        i = skip(i)
        if i >= n or depth > 500:
            raise ValueError
        positions[pointer] = position(i)
        ch = text[i]
        if ch == "{":
            i = skip(i + 1)
            if i < n and text[i] == "}":
                return i + 1
            while True:
                i = skip(i)
                end = string_end(i)
                key = json.loads(text[i:end])
                token = key.replace("~", "~0").replace("/", "~1")
                i = skip(end)
                if i >= n or text[i] != ":":
                    raise ValueError
                i = value(i + 1, f"{pointer}/{token}", depth + 1)
                i = skip(i)
                if i < n and text[i] == ",":
                    i += 1
                    continue
                return i + 1
        if ch == "[":
            i = skip(i + 1)
            if i < n and text[i] == "]":
                return i + 1
            k = 0
            while True:
                i = skip(value(i, f"{pointer}/{k}", depth + 1))
                k += 1
                if i < n and text[i] == ",":
                    i += 1
                    continue
                return i + 1
        if ch == '"':
            return string_end(i)
        while i < n and text[i] not in ",]} \t\r\n":
            i += 1
        return i

    with contextlib.suppress(ValueError, IndexError, json.JSONDecodeError):
        value(0, "", 0)
    return positions


class _CfnLoader:
    """Builds a YAML loader that keeps CloudFormation's short-form tags as `Fn::` objects."""

    @staticmethod
    def make() -> Any:
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


def _yaml_positions(text: str, loader: Any) -> dict[str, Position]:
    import yaml

    positions: dict[str, Position] = {}
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return positions
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        if node is None:
            continue
        positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, item in node.value:
                token = str(key.value).replace("~", "~0").replace("/", "~1")
                stack.append((item, f"{pointer}/{token}"))
        elif isinstance(node, yaml.SequenceNode):
            for k, item in enumerate(node.value):
                stack.append((item, f"{pointer}/{k}"))
    return positions


def _substitution_text(value: object) -> str | None:
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
            texts = [_substitution_text(p) or _token(p) for p in parts]
            return sep.join(texts)
    return None


def _token(value: object) -> str:
    """A `${...}` placeholder standing for a CloudFormation intrinsic."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref":
            return "${" + str(arg) + "}"
        if key == "Fn::GetAtt":
            parts = arg if isinstance(arg, list) else str(arg).split(".")
            return "${" + ".".join(str(p) for p in parts) + "}"
    return "${Intrinsic}"


def _replace_intrinsics(value: Any) -> Any:
    """Inline `Definition` objects may hold `Ref`/`Fn::GetAtt`/`Fn::Sub`: make them tokens."""
    if isinstance(value, dict):
        if len(value) == 1:
            (key,) = value
            if key in ("Ref", "Fn::GetAtt", "Fn::ImportValue", "Fn::Select", "Fn::If"):
                return _token(value)
            if key in ("Fn::Sub", "Fn::Join"):
                return _substitution_text(value) or "${Intrinsic}"
        return {k: _replace_intrinsics(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_intrinsics(v) for v in value]
    return value


_MACHINE_TYPES = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")


def _template_targets(
    path: str, document: dict[str, Any], positions: dict[str, Position], machine_type: str
) -> Iterator[Target]:
    resources = document.get("Resources")
    if not isinstance(resources, dict):
        return
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") not in _MACHINE_TYPES:
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
            definition = _replace_intrinsics(props["Definition"])
            yield Target(path, logical_id, definition, kind, True, shifted)
        elif "DefinitionString" in props:
            text = _substitution_text(props["DefinitionString"])
            anchor = positions.get(f"{base}/DefinitionString", (1, 1))
            shifted = {"": anchor}
            if text is not None:
                for p, (line, col) in json_positions(text).items():
                    shifted[p] = (anchor[0] + line - 1, col if line > 1 else anchor[1] + col)
            yield Target(path, logical_id, text, kind, True, shifted)
        elif isinstance(props.get("DefinitionUri"), str):
            # SAM: a local ASL file next to the template, with DefinitionSubstitutions.
            asl = Path(path).parent / props["DefinitionUri"]
            try:
                definition, asl_positions = _read_asl(str(asl))
            except Unusable as exc:
                raise Unusable(f"{path}: {logical_id}: DefinitionUri: {exc}") from exc
            yield Target(str(asl), logical_id, definition, kind, True, asl_positions)


def _require_file(file: Path) -> None:
    if file.is_dir():
        raise Unusable(f"{file}: is a directory, not a file")
    if not file.is_file():
        raise Unusable(f"{file}: no such file")


def _read_asl(path: str) -> tuple[object, dict[str, Position]]:
    """A file's contents for `validate`: JSON text as it is, YAML as a document."""
    file = Path(path)
    _require_file(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Unusable(f"{path}: cannot read: {exc}") from exc
    if file.suffix in (".yaml", ".yml"):
        import yaml

        loader = _CfnLoader.make()
        try:
            return yaml.load(text, Loader=loader), _yaml_positions(text, loader)
        except yaml.YAMLError as exc:
            raise Unusable(f"{path}: not YAML: {exc}") from exc
    # JSON goes to the validator as text: it reports syntax errors and repeated keys
    # the way AWS does.
    return text, json_positions(text)


def load_targets(path: str, machine_type: str, placeholders: bool) -> list[Target]:
    """Every state machine in one file; raises `Unusable` when there is none to check."""
    if path.endswith(".py"):
        _require_file(Path(path))
        return _python_targets(path, machine_type)
    content, positions = _read_asl(path)
    document: object = content
    if isinstance(content, str):
        try:
            document = json.loads(content)
        except (json.JSONDecodeError, RecursionError):
            document = None
        if not isinstance(document, dict) and not content.lstrip().startswith(("{", "[")):
            # Not JSON: a YAML template under another extension (`template.template`)?
            try:
                content, positions = _read_asl_yaml(path, content)
                document = content
            except Unusable:
                pass
    if isinstance(document, dict) and "Resources" in document:
        targets = list(_template_targets(path, document, positions, machine_type))
        if not targets:
            raise Unusable(f"{path}: template holds no AWS::StepFunctions::StateMachine")
        return targets
    return [Target(path, None, content, machine_type, placeholders, positions)]


def _read_asl_yaml(path: str, text: str) -> tuple[object, dict[str, Position]]:
    import yaml

    loader = _CfnLoader.make()
    try:
        document = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise Unusable(f"{path}: not YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise Unusable(f"{path}: not a YAML mapping")
    return document, _yaml_positions(text, loader)


def _python_targets(path: str, machine_type: str) -> list[Target]:
    try:
        from phalanx.project import load_file  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise Unusable(f"{path}: Python modules need phalanx.project, not available") from exc
    try:
        project = load_file(path)
    except Exception as exc:  # a user's module: any error means we cannot read it
        raise Unusable(f"{path}: cannot load module: {exc}") from exc
    machines = getattr(project, "machines", {}) or {}
    if not machines:
        raise Unusable(f"{path}: module defines no state machine")
    return [
        Target(
            path,
            name,
            machine,
            str(getattr(machine, "type", None) or machine_type),
            False,
            locate=getattr(machine, "locate", None),
        )
        for name, machine in machines.items()
    ]


# --- output ----------------------------------------------------------------------------------


def render_text(target: Target, result: ValidationResult) -> list[str]:
    """One compiler-style line per diagnostic, in source order (errors before warnings)."""
    placed = [(target.where(d.location), d) for d in result.diagnostics]
    placed.sort(key=lambda item: (item[1].severity != "ERROR", item[0]))
    label = f" [{target.name}]" if target.name else ""
    return [
        f"{file}:{line}:{col}: {d.severity.lower()} {d.code} {d.location or '/'}{label}: "
        f"{d.message}"
        for (file, line, col), d in placed
    ]


def record(target: Target, result: ValidationResult) -> dict[str, Any]:
    data: dict[str, Any] = {"file": target.file}
    if target.name:
        data["machine"] = target.name
    data.update(result.to_dict())
    for item, d in zip(data["diagnostics"], result.diagnostics, strict=True):
        _, line, col = target.where(d.location)
        item["line"], item["column"] = line, col
    return data


@click.command("validate")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: one line per diagnostic; json: the AWS-shaped result; "
    'jsonl: one result per line with a "file" field.',
)
@click.option(
    "--type",
    "machine_type",
    type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
    default="STANDARD",
    show_default=True,
    help="Machine type; EXPRESS forbids .sync and .waitForTaskToken integrations.",
)
@click.option(
    "--ignore", multiple=True, metavar="CODE", help="Silence a warning code (repeatable)."
)
@click.option(
    "--severity",
    type=click.Choice(["ERROR", "WARNING"]),
    default="WARNING",
    show_default=True,
    help="ERROR hides warnings.",
)
@click.option(
    "--placeholders/--no-placeholders",
    default=True,
    show_default=True,
    help="Treat ${...} deploy-time substitutions as valid values.",
)
def validate_command(
    files: tuple[str, ...],
    output: str,
    machine_type: str,
    ignore: tuple[str, ...],
    severity: str,
    placeholders: bool,
) -> None:
    """Check state machine definitions as AWS would, before you deploy them."""
    status = EXIT_OK
    records: list[dict[str, Any]] = []
    counts = {"ERROR": 0, "WARNING": 0}
    for path in files:
        try:
            targets = load_targets(path, machine_type.upper(), placeholders)
        except Unusable as exc:
            click.echo(f"{exc}", err=True)
            status = EXIT_UNUSABLE
            continue
        for target in targets:
            result = validate(
                target.definition,
                machine_type=target.machine_type,
                severity="ERROR" if severity == "ERROR" else "WARNING",
                ignore=ignore,
                placeholders=target.placeholders,
                max_results=10_000,
            )
            if not result.ok and status == EXIT_OK:
                status = EXIT_FAIL
            for d in result.diagnostics:
                counts[d.severity] += 1
            if output == "text":
                for line in render_text(target, result):
                    click.echo(line)
            else:
                records.append(record(target, result))
    if output == "json":
        # One machine: exactly AWS's response. Several: a list, each with its file.
        payload: object = records
        if len(records) == 1:
            single = {k: records[0][k] for k in ("result", "diagnostics", "truncated")}
            for item in single["diagnostics"]:
                del item["line"], item["column"]
            payload = single
        click.echo(json.dumps(payload, indent=2))
    elif output == "jsonl":
        for item in records:
            click.echo(json.dumps(item))
    else:
        click.echo(f"{counts['ERROR']} error(s), {counts['WARNING']} warning(s)", err=True)
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    validate_command()
