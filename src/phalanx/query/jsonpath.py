"""JSONPath as Step Functions evaluates it (Jayway semantics, AWS roots).

    >>> evaluate("$.a.b", {"a": {"b": 1}})
    1
    >>> evaluate("$.items[*].id", {"items": [{"id": 1}, {"id": 2}]})
    [1, 2]

A *definite* path (only single names and single indexes: a Reference Path)
yields its value or raises `PathNotFound`. An *indefinite* path (wildcards,
slices, unions, filters, deep scan) yields the list of matches, possibly empty,
and never raises for missing members: AWS returns `[]` for `$.item.items[1:5]`
on `{}` (corpus `base/test_json_path_array_wildcard_or_slice_with_no_input`).

`PathNotFound` carries Jayway's detail text ("No results for path: $['x']",
"Missing property in path $['no']") because AWS quotes it in causes:
`Invalid path '$.no.such.result.path' : Missing property in path $['no']`.

`InvalidPath` is the failure of a path AWS accepts in a definition but Jayway
cannot compile when it runs: a filter with a bare word (`[?(@.Name==Receipt)]`)
or a script selector (`[(@.length-1)]`); see `_jsonpath_syntax`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from phalanx.asl.fields import is_number
from phalanx.errors import QuerySyntaxError, StatesError
from phalanx.query._json import java_text, to_json
from phalanx.query._jsonpath_syntax import (
    BareWord,
    BoolOp,
    Comparison,
    DeepScan,
    Field,
    Filter,
    Function,
    Index,
    Literal,
    Not,
    Operand,
    Predicate,
    Regex,
    RelativePath,
    Script,
    Slice,
    Step,
    Wildcard,
    parse_steps,
)

__all__ = ["InvalidPath", "JsonPath", "PathNotFound", "evaluate", "parse", "set_result_path"]

MAX_REGEX_LENGTH = 1_000
"""Longest `=~ /.../` pattern a filter may use."""


class PathNotFound(StatesError):
    """A definite path that selects nothing.

    `error` is `States.Runtime` and `cause` is the text AWS gives for InputPath /
    OutputPath / ItemsPath: `Invalid path '<path>' : <detail>`. Payload templates
    and Fail's ErrorPath use their own wording; they read `path` and `detail`.
    """

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__("States.Runtime", f"Invalid path '{path}' : {detail}")


class InvalidPath(StatesError):
    """A path Jayway cannot compile, found when it runs (AWS accepted the definition).

    `error` is `States.Runtime`; `detail` is Jayway's `InvalidPathException`
    message. The cause uses the `Invalid path '<path>' : <detail>` shape AWS
    gives `PathNotFound`; no AWS execution with this failure is recorded, so
    the cause text is unconfirmed.
    """

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__("States.Runtime", f"Invalid path '{path}' : {detail}")


@dataclass(frozen=True, slots=True)
class JsonPath:
    """A parsed path. `root` is `$`, `$$` (context object) or a variable name.

    `jayway_error` is set when Jayway would refuse to compile the path (see
    `InvalidPath`); evaluating it then fails.
    """

    text: str
    root: str
    steps: tuple[Step, ...]
    jayway_error: str | None = None

    @property
    def is_definite(self) -> bool:
        """True for a Reference Path: single names and single indexes only."""
        return all(_is_definite(step) for step in self.steps)


def _is_definite(step: Step) -> bool:
    if isinstance(step, Field):
        return len(step.names) == 1
    if isinstance(step, Index):
        return len(step.indexes) == 1
    return False


@lru_cache(maxsize=4096)
def parse(text: str) -> JsonPath:
    """Parse `text`, raising `QuerySyntaxError` with the position of the problem."""
    if not isinstance(text, str):
        raise QuerySyntaxError(str(text), 0, "a path must be a string")
    root, steps = parse_steps(text)
    return JsonPath(text, root, steps, _jayway_error(steps))


def _jayway_error(steps: tuple[Step, ...]) -> str | None:
    """Jayway's compile error for the first step it cannot compile, in text order."""
    for step in steps:
        problem = _step_error(step)
        if problem is not None:
            return problem
    return None


def _step_error(step: Step) -> str | None:
    if isinstance(step, Script):
        # PathCompiler.readNextToken: no bracket reader takes '(' (json-path/JsonPath).
        return f"Could not parse token starting at position {step.position}. Expected ?, ', 0-9, * "
    if isinstance(step, DeepScan):
        return _step_error(step.step)
    if isinstance(step, Filter):
        return _predicate_error(step.predicate, step.criteria)
    return None


def _predicate_error(predicate: Predicate, criteria: str) -> str | None:
    if isinstance(predicate, Not):
        return _predicate_error(predicate.operand, criteria)
    if isinstance(predicate, BoolOp):
        for operand in predicate.operands:
            problem = _predicate_error(operand, criteria)
            if problem is not None:
                return problem
        return None
    for side in (predicate.left, predicate.right):
        problem = None
        if isinstance(side, RelativePath):
            problem = _jayway_error(side.steps)
        elif isinstance(side, BareWord):
            problem = _bare_word_error(side, criteria)
        if problem is not None:
            return problem
    return None


def _bare_word_error(word: BareWord, criteria: str) -> str:
    """FilterCompiler reads a number there: `new BigDecimal("")` fails.

    Its message names the first character that is not a number character
    (digits, '-', '.', 'e', 'E'). Words starting with t, f or n are first
    tried as true/false/null and fail with other wording, not reproduced here.
    """
    offset = 0
    while offset < len(word.text) and word.text[offset] in "0123456789-.eE":
        offset += 1
    position = word.position + offset
    char = criteria[position] if position < len(criteria) else ""
    return f"Failed to parse filter: {criteria}, error on position: {position}, char: {char}"


def evaluate(
    path: JsonPath | str,
    data: Any,
    *,
    context: Any = None,
    variables: Mapping[str, Any] | None = None,
) -> Any:
    """The value a definite path selects, or the list an indefinite path selects.

    `$$...` reads `context`, `$name...` reads `variables[name]`. A definite path
    that selects nothing raises `PathNotFound`; so does an unknown variable.
    """
    parsed = parse(path) if isinstance(path, str) else path
    if parsed.jayway_error is not None:
        # Jayway compiles the whole path before reading anything.
        raise InvalidPath(parsed.text, parsed.jayway_error)
    if parsed.root == "$":
        start = data
    elif parsed.root == "$$":
        start = context
    else:
        if variables is None or parsed.root not in variables:
            raise PathNotFound(parsed.text, f"The variable '${parsed.root}' is not defined")
        start = variables[parsed.root]
    steps = parsed.steps
    function = steps[-1] if steps and isinstance(steps[-1], Function) else None
    if function is not None:
        steps = steps[:-1]
    if all(_is_definite(step) for step in steps):
        value = _definite(parsed, steps, start)
    else:
        value = [match for match in _select(steps, start, data)]
    if function is not None:
        return _apply_function(parsed, function, value)
    return value


def _normalized(root: str, steps: tuple[Step, ...]) -> str:
    """Jayway's normalized form: `$['a'][0]`, used in its messages."""
    parts = ["$" if root in ("$", "$$") else f"${root}"]
    for step in steps:
        if isinstance(step, Field):
            parts.append("[" + ",".join(f"'{name}'" for name in step.names) + "]")
        elif isinstance(step, Index):
            parts.append("[" + ",".join(str(index) for index in step.indexes) + "]")
    return "".join(parts)


def _java_class(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        return "java.lang.Integer"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    return "java.util.ArrayList" if isinstance(value, list) else type(value).__name__


def _definite(parsed: JsonPath, steps: tuple[Step, ...], node: Any) -> Any:
    """Walk single steps with Jayway's errors (AWS runs Jayway with REQUIRE_PROPERTIES)."""
    for position, step in enumerate(steps):
        if isinstance(step, Field):
            name = step.names[0]
            if isinstance(node, dict) and name in node:
                node = node[name]
                continue
            done = _normalized(parsed.root, steps[:position])
            if not isinstance(node, dict):
                raise PathNotFound(
                    parsed.text,
                    f"Expected to find an object with property ['{name}'] in path {done} "
                    f"but found '{_java_class(node)}'",
                )
            if position == len(steps) - 1:
                raise PathNotFound(
                    parsed.text, f"No results for path: {_normalized(parsed.root, steps)}"
                )
            raise PathNotFound(parsed.text, f"Missing property in path {done}['{name}']")
        assert isinstance(step, Index)
        index = step.indexes[0]
        if not isinstance(node, list):
            raise PathNotFound(
                parsed.text,
                f"Filter: [{index}] can only be applied to arrays. "
                f"Current context is: {java_text(node)}",
            )
        effective = index + len(node) if index < 0 else index
        if not 0 <= effective < len(node):
            raise PathNotFound(
                parsed.text, f"No results for path: {_normalized(parsed.root, steps)}"
            )
        node = node[effective]
    return node


def _select(steps: tuple[Step, ...], node: Any, document: Any) -> Iterator[Any]:
    """Every match of `steps` from `node`; missing members are skipped silently."""
    if not steps:
        yield node
        return
    step, rest = steps[0], steps[1:]
    for child in _apply(step, node, document):
        yield from _select(rest, child, document)


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node.values())
    if isinstance(node, list):
        return list(node)
    return []


def _apply(step: Step, node: Any, document: Any) -> Iterator[Any]:
    if isinstance(step, Field):
        if isinstance(node, dict):
            for name in step.names:
                if name in node:
                    yield node[name]
    elif isinstance(step, Index):
        if isinstance(node, list):
            for index in step.indexes:
                effective = index + len(node) if index < 0 else index
                if 0 <= effective < len(node):
                    yield node[effective]
    elif isinstance(step, Slice):
        if isinstance(node, list):
            yield from node[step.start : step.end]
    elif isinstance(step, Wildcard):
        yield from _children(node)
    elif isinstance(step, Filter):
        members = node if isinstance(node, list) else [node] if isinstance(node, dict) else []
        for member in members:
            if _holds(step.predicate, member, document):
                yield member
    elif isinstance(step, DeepScan):
        yield from _deep(step.step, node, document)


def _deep(step: Step, node: Any, document: Any) -> Iterator[Any]:
    """Pre-order walk as Jayway's scan token: the node itself, then each child."""
    if isinstance(step, Wildcard):
        for child in _children(node):
            yield child
            yield from _deep(step, child, document)
        return
    if isinstance(step, Filter) and isinstance(node, dict):
        # Jayway tests objects one level below for filters, not the object itself.
        for child in _children(node):
            yield from _deep(step, child, document)
        return
    yield from _apply(step, node, document)
    for child in _children(node):
        yield from _deep(step, child, document)


_MISSING = object()


def _operand_value(operand: Operand, member: Any, document: Any) -> Any:
    if isinstance(operand, Literal):
        return operand.value
    if isinstance(operand, Regex):
        return operand
    if isinstance(operand, BareWord):
        return _MISSING  # not reached: `evaluate` refuses such a path before reading
    start = document if operand.absolute else member
    if all(_is_definite(step) for step in operand.steps):
        node = start
        for step in operand.steps:
            found = list(_apply(step, node, document))
            if not found:
                return _MISSING
            node = found[0]
        return node
    return list(_select(operand.steps, start, document))


def _holds(predicate: Predicate, member: Any, document: Any) -> bool:
    if isinstance(predicate, Not):
        return not _holds(predicate.operand, member, document)
    if isinstance(predicate, BoolOp):
        results = (_holds(operand, member, document) for operand in predicate.operands)
        return all(results) if predicate.op == "&&" else any(results)
    return _compare(predicate, member, document)


def _compare(comparison: Comparison, member: Any, document: Any) -> bool:
    left = _operand_value(comparison.left, member, document)
    if comparison.op is None:
        return left is not _MISSING
    assert comparison.right is not None
    right = _operand_value(comparison.right, member, document)
    if left is _MISSING or right is _MISSING:
        return comparison.op == "!=" and not (left is _MISSING and right is _MISSING)
    op = comparison.op
    if op == "=~":
        if not isinstance(right, Regex) or not isinstance(left, str):
            return False
        return _regex_matches(right, left)
    if op in ("==", "!="):
        equal = _same_type(left, right) and left == right
        return equal if op == "==" else not equal
    both_numbers = is_number(left) and is_number(right)
    if not (both_numbers or (isinstance(left, str) and isinstance(right, str))):
        return False
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def _same_type(left: Any, right: Any) -> bool:
    if is_number(left) and is_number(right):
        return True
    return type(left) is type(right)


@lru_cache(maxsize=256)
def _compiled(pattern: str, flags: str) -> re.Pattern[str] | None:
    if len(pattern) > MAX_REGEX_LENGTH:
        return None
    value = 0
    for flag in flags:
        value |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}.get(flag, 0)
    try:
        return re.compile(pattern, value)
    except re.error:
        return None


def _regex_matches(regex: Regex, text: str) -> bool:
    compiled = _compiled(regex.pattern, regex.flags)
    # Jayway uses Java's Matcher.matches(): the whole string must match.
    return compiled is not None and compiled.fullmatch(text) is not None


def _apply_function(parsed: JsonPath, function: Function, value: Any) -> Any:
    if isinstance(value, list | str | dict):
        return len(value)
    raise PathNotFound(
        parsed.text,
        f"Function {function.name}() can not be applied to {java_text(value)}",
    )


def set_result_path(input: Any, result: Any, path: str | None) -> Any:
    """Place `result` into `input` as ResultPath does; `input` is not modified.

    `None` keeps the input and discards the result; `$` replaces the input;
    `$.a.b` sets `b` inside `a`, creating missing objects on the way. When the
    path runs into something that is not an object AWS fails with
    `States.Runtime` and `Unable to apply ReferencePath $.x to input "..."`
    (input as JSON text; reported in aws/aws-cdk#29473).
    """
    if path is None:
        return input
    parsed = parse(path)
    if parsed.root != "$" or not parsed.is_definite:
        raise QuerySyntaxError(path, 0, "ResultPath must be a reference path rooted at '$'")
    if not parsed.steps:
        return result
    output = copy.deepcopy(input)
    node = output
    for position, step in enumerate(parsed.steps):
        leaf = position == len(parsed.steps) - 1
        if isinstance(step, Field) and isinstance(node, dict):
            name = step.names[0]
            if leaf:
                node[name] = result
            else:
                if name not in node:
                    node[name] = {}
                node = node[name]
            continue
        if isinstance(step, Index) and isinstance(node, list):
            index = step.indexes[0]
            effective = index + len(node) if index < 0 else index
            if 0 <= effective < len(node):
                if leaf:
                    node[effective] = result
                else:
                    node = node[effective]
                continue
        raise StatesError(
            "States.Runtime", f"Unable to apply ReferencePath {path} to input {to_json(input)}"
        )
    return output
