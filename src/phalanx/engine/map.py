"""The Map state: run the item processor once per item; the result is the list of outputs.

Items come from `ItemsPath` (JSONPath, default `$`) or `Items` (JSONata),
or, for a distributed Map, from an `ItemReader` the runtime resolved. Each
item is shaped by `ItemSelector` (or the older `Parameters`), which may read
`$$.Map.Item.Index` / `$$.Map.Item.Value`; `ItemBatcher` groups items into
`{"Items": [...]}` batches. An iteration failure fails the state unless the
failures stay within `ToleratedFailureCount` / `ToleratedFailurePercentage`
(then it fails with `States.ExceedToleratedFailureThreshold` once exceeded).
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from phalanx.asl import Map
from phalanx.engine import expressions, io
from phalanx.engine.effects import CallService, ServiceResponse
from phalanx.engine.failures import Failure
from phalanx.engine.history import History, Thread, to_text
from phalanx.engine.item_reader import ITEM_READER_FAILED, parse_items
from phalanx.engine.run import StateRun, Steps, iso_time
from phalanx.engine.scheduler import BranchAborted, Strand, gather
from phalanx.errors import StatesError


def _items(run: StateRun, state: Map, value: Any) -> list[Any]:
    if run.jsonata:
        items = value
        if state.items is not None:
            items = run.jsonata_value(state.items, "Items")
            if isinstance(state.items, str) and expressions.is_expression(state.items):
                text = expressions.expression_text(state.items)
                expressions.expect_type(items, "array", text, "Items")
    else:
        items = io.select(state.items_path, value, run.scope)
    if not isinstance(items, list):
        error = "States.QueryEvaluationError" if run.jsonata else "States.Runtime"
        raise StatesError(error, f"Map state input must be an array but was: {to_text(items)}")
    if not run.jsonata:
        run.note("afterItemsPath", items)
    return items


def _number(run: StateRun, literal: Any, path: str | None, field: str, value: Any) -> Any:
    if run.jsonata and isinstance(literal, str):
        return run.jsonata_value(literal, field)
    if path is not None:
        return io.select(path, value, run.scope)
    return literal


def _batches(run: StateRun, state: Map, items: list[Any], value: Any) -> list[Any]:
    batcher = state.item_batcher
    if batcher is None:
        return items
    size = batcher.get("MaxItemsPerBatch")
    if "MaxItemsPerBatchPath" in batcher:
        size = io.select(batcher["MaxItemsPerBatchPath"], value, run.scope)
    if not isinstance(size, int) or size <= 0:
        size = len(items) or 1
    batch_input = batcher.get("BatchInput")
    batches = []
    for start in range(0, len(items), size):
        batch: dict[str, Any] = {}
        if batch_input is not None:
            batch["BatchInput"] = (
                run.jsonata_value(batch_input, "BatchInput")
                if run.jsonata
                else io.template(batch_input, value, run.scope, "BatchInput")
            )
        batch["Items"] = items[start : start + size]
        batches.append(batch)
    return batches


def _selector(run: StateRun, state: Map, value: Any, index: int, item: Any) -> Any:
    selector = state.item_selector if state.item_selector is not None else state.parameters
    if selector is None:
        return item
    context = dict(run.context)
    context["Map"] = {"Item": {"Index": index, "Value": item}}
    if run.jsonata:
        bindings = run.bindings()
        bindings["states"] = {**bindings["states"], "context": context}
        from phalanx.engine import expressions

        return expressions.evaluate(selector, bindings, "ItemSelector", run.scope.sources)
    scope = io.Scope(context, run.variables, run.scope.sources)
    field = "ItemSelector" if state.item_selector is not None else "Parameters"
    return io.template(dict(selector), value, scope, field)


def _integer_path(run: StateRun, path: str | None, field: str, value: Any) -> Any:
    """A `...Path` field's value, which must be an integer (AWS's message otherwise)."""
    if path is None:
        return None
    found = io.select(path, value, run.scope)
    if isinstance(found, str):
        # A numeric string is accepted (corpus assign/MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH).
        try:
            return int(found)
        except ValueError:
            pass
    if (
        isinstance(found, bool)
        or not isinstance(found, int | float)
        or (isinstance(found, float) and not found.is_integer())
    ):
        shown = found if isinstance(found, str) else to_text(found)
        raise StatesError(
            "States.Runtime",
            f'The {field}Path field refers to value "{shown}" which is not a valid integer: {path}',
        )
    return found


def _tolerated(run: StateRun, state: Map, value: Any) -> tuple[Any, Any]:
    """ToleratedFailureCount and ToleratedFailurePercentage as evaluated (None: not set)."""
    count = _number(
        run,
        state.tolerated_failure_count,
        None,
        "ToleratedFailureCount",
        value,
    )
    if state.tolerated_failure_count_path is not None:
        count = _integer_path(
            run, state.tolerated_failure_count_path, "ToleratedFailureCount", value
        )
    percentage = _number(
        run,
        state.tolerated_failure_percentage,
        state.tolerated_failure_percentage_path,
        "ToleratedFailurePercentage",
        value,
    )
    if isinstance(count, int | float) and count < 0:
        raise StatesError("States.Runtime", "ToleratedFailureCount cannot be negative.")
    if isinstance(percentage, int | float) and not 0 <= percentage <= 100:
        raise StatesError("States.Runtime", "ToleratedFailurePercentage must be between 0 and 100.")
    if _is_number(count):
        count = int(count) if float(count).is_integer() else count
        run.note("toleratedFailureCount", count)
    if _is_number(percentage):
        percentage = float(percentage)
        run.note("toleratedFailurePercentage", percentage)
    return count, percentage


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _tolerance(run: StateRun, state: Map, value: Any, total: int) -> float:
    count, percentage = _tolerated(run, state, value)
    allowed = 0.0
    if _is_number(count):
        allowed = max(allowed, float(count))
    if _is_number(percentage):
        allowed = max(allowed, math.floor(total * float(percentage) / 100.0))
        if percentage >= 100:
            allowed = float(total)
    return allowed


def _read_items(run: StateRun, state: Map, value: Any) -> Steps:
    """Items from the ItemReader: ask the runtime for the object, parse it here."""
    reader = dict(state.item_reader or {})
    resource = str(reader.get("Resource", ""))
    if run.jsonata:
        parameters = run.jsonata_value(reader.get("Arguments", {}), "ItemReader/Arguments")
    else:
        parameters = io.template(reader.get("Parameters", {}), value, run.scope, "Parameters")
    answer = yield from run.interpreter.ask(
        CallService(run.state.name, resource, parameters, id=run.effect_id())
    )
    yield from run.interpreter.tick()
    assert isinstance(answer, ServiceResponse)
    if answer.error is not None:
        raise Failure(ITEM_READER_FAILED, f"{answer.error}: {answer.cause or ''}")
    try:
        return parse_items(answer.output, reader.get("ReaderConfig") or {})
    except StatesError as error:
        raise Failure(error.error, error.cause) from None


EXCEEDED = "States.ExceedToleratedFailureThreshold"
EXCEEDED_CAUSE = "The specified tolerated failure threshold was exceeded"


def _child_context(
    parent: dict[str, Any], map_run_arn: str, index: int, item: Any, now: float
) -> dict[str, Any]:
    """`$$.Execution` of a distributed Map's child execution for item `index`."""
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{map_run_arn}/{index}"))
    prefix, _, run_part = map_run_arn.partition(":mapRun:")
    label = run_part.rsplit(":", 1)[0]
    context = {
        "Id": f"{prefix}:execution:{label}:{name}",
        "Input": item,
        "StartTime": iso_time(now),
        "Name": name,
        "RoleArn": parent.get("RoleArn"),
    }
    if "RedriveCount" in parent:
        context["RedriveCount"] = 0
    return context


def _max_concurrency(run: StateRun, state: Map, value: Any) -> int:
    """How many iterations may run at once; 0 is no limit (AWS: "0 places no limit")."""
    limit = _evaluated_max_concurrency(run, state, value)
    run.note("maxConcurrency", limit)
    return limit


def _evaluated_max_concurrency(run: StateRun, state: Map, value: Any) -> int:
    if run.jsonata and isinstance(state.max_concurrency, str):
        limit = run.jsonata_value(state.max_concurrency, "MaxConcurrency")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise StatesError(
                "States.QueryEvaluationError",
                f"The MaxConcurrency field must evaluate to a non-negative integer, "
                f"got {to_text(limit)[:60]}",
            )
        return limit
    if not run.jsonata and state.max_concurrency_path is not None:
        return max(0, int(_integer_path(run, state.max_concurrency_path, "MaxConcurrency", value)))
    literal = state.max_concurrency
    return int(literal) if isinstance(literal, int | float) and literal > 0 else 0


def run_map(run: StateRun, state: Map) -> Steps:
    interpreter = run.interpreter
    value = run.raw_input if run.jsonata else run.effective_input()
    if state.item_reader is not None:
        items = yield from _read_items(run, state, value)
    else:
        items = _items(run, state, value)
    processor = state.processor
    assert processor is not None
    distributed = (processor.processor_config or {}).get("Mode") == "DISTRIBUTED"
    limit = _max_concurrency(run, state, value)
    batches = _batches(run, state, items, value)
    interpreter.strand_history.add("MapStateStarted", run.thread, {"length": len(batches)})
    tolerated = _tolerance(run, state, value, len(batches))
    map_run_arn = ""
    if distributed:
        map_run_arn = (
            f"{interpreter.info.state_machine_arn.replace(':stateMachine:', ':mapRun:')}"
            f"/{state.label or run.state.name}:{interpreter.info.name}"
        )
        interpreter.strand_history.add("MapRunStarted", run.thread, {"mapRunArn": map_run_arn})
    language = run.state.query_language or run.language
    outputs: list[Any] = [None] * len(batches)
    # A redrive reruns only the iterations of an inline Map that did not succeed
    # (`Interpreter.kept_branches`); a distributed Map's Map Run runs again whole.
    kept, succeeded = ({}, {}) if distributed else interpreter.kept_branches(run)
    for index, output in kept.items():
        outputs[index] = output
    rerun = [index for index in range(len(batches)) if index not in kept]
    failures = [0]
    name = run.state.name
    selections: list[Any] = [None] * len(batches)

    def iteration(position: int, strand: Strand) -> Steps:
        index = rerun[position]
        item = batches[index]
        selected = selections[index] = _selector(run, state, value, index, item)
        if selected is not item:
            # An item as it comes is part of the state's input, already measured.
            run.check_input_size(selected)
        thread = Thread(run.thread.last, f"{run.thread.label}{name}[{index}] ")
        variables = dict(run.variables)
        if distributed:
            # Each item runs as a child execution, whose events are not in this
            # history, with its own context (Execution.Id, Input: the item) and
            # no access to the outer variables (AWS "Passing data between states
            # with variables": Distributed Map children cannot reference them).
            strand.history = History(
                strand.history.include_data, interpreter.history, interpreter.max_events
            )
            strand.execution = _child_context(
                strand.execution, map_run_arn, index, selected, interpreter.history.now
            )
            variables = {}
        else:
            interpreter.strand_history.add(
                "MapIterationStarted", thread, {"index": index, "name": name}
            )
        try:
            output = yield from interpreter.run_branch(
                processor.states, processor.start_at, selected, variables, thread, language
            )
        except Failure:
            _end_iteration(run, thread, distributed, "MapIterationFailed", index)
            raise
        except BranchAborted:
            _end_iteration(run, thread, distributed, "MapIterationAborted", index)
            raise
        _end_iteration(run, thread, distributed, "MapIterationSucceeded", index)
        return output

    def finished(position: int, output: Any, failure: Failure | None) -> None:
        if failure is None:
            index = rerun[position]
            outputs[index] = succeeded[index] = output
            return
        failures[0] += 1
        if failures[0] <= tolerated:
            return
        if distributed:
            # A failed child fails the Map Run once the tolerated failures (0 by
            # default) are exceeded; the Map state fails with
            # States.ExceedToleratedFailureThreshold, not with the child's error
            # (AWS error-handling docs; MapRunFailed carries error and cause).
            interpreter.strand_history.add(
                "MapRunFailed", run.thread, {"error": EXCEEDED, "cause": EXCEEDED_CAUSE}
            )
            raise Failure(EXCEEDED, EXCEEDED_CAUSE)
        if tolerated > 0:
            raise Failure(EXCEEDED, EXCEEDED_CAUSE)
        raise failure

    yield from gather(interpreter.current, len(rerun), iteration, finished, limit)
    if _has_selector(state):
        run.note("afterItemSelector", selections)
    if distributed:
        # MapStateSucceeded and MapStateExited both follow MapRunSucceeded (as
        # most recordings show; AWS sometimes links the exit to MapRunStarted).
        run_succeeded = interpreter.strand_history.add("MapRunSucceeded", run.thread)
        interpreter.strand_history.add("MapStateSucceeded", run.thread, previous=run_succeeded)
        run.thread.last = run_succeeded
    else:
        last = len(interpreter.current.strand.history)
        interpreter.strand_history.add("MapStateSucceeded", run.thread, previous=last)
        run.thread.last = last
    return run.finish_result(outputs)


def _has_selector(state: Map) -> bool:
    return state.item_selector is not None or state.parameters is not None


def mocked_map_stages(run: StateRun, state: Map) -> tuple[Any, Any]:
    """What a Map evaluates before its iterations, each noted as a stage (TestState, mocked).

    The input, the items (not those an ItemReader would read: TestState's
    `mapItemReaderData` is not used) and their selection, MaxConcurrency and
    the tolerated failures, in that order (recorded AWS answers show the
    items path but no MaxConcurrency when the items are not an array).
    Returns ToleratedFailureCount and ToleratedFailurePercentage as
    evaluated, None when not set.
    """
    value = run.raw_input if run.jsonata else run.effective_input()
    if state.item_reader is None:
        batches = _batches(run, state, _items(run, state, value), value)
        if _has_selector(state):
            selections = [_selector(run, state, value, i, item) for i, item in enumerate(batches)]
            run.note("afterItemSelector", selections)
    _max_concurrency(run, state, value)
    return _tolerated(run, state, value)


def _end_iteration(
    run: StateRun, thread: Thread, distributed: bool, event: str, index: int
) -> None:
    """Write an iteration's end marker; what follows links to its last state event.

    The marker does not advance the iteration's thread (corpus
    scenarios/test_map_state_break_condition, test_map_state_retry). A
    distributed Map's child events are not in this history: the Map's
    thread goes on from where it was.
    """
    if distributed:
        return
    last = thread.last
    run.interpreter.strand_history.add(event, thread, {"index": index, "name": run.state.name})
    if event != "MapIterationAborted":
        # MapStateFailed follows the failed iteration, not those it aborted.
        run.thread.last = last
