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


def _tolerance(run: StateRun, state: Map, value: Any, total: int) -> float:
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
    allowed = 0.0
    if isinstance(count, int | float) and not isinstance(count, bool):
        allowed = max(allowed, float(count))
    if isinstance(percentage, int | float) and not isinstance(percentage, bool):
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
    answer = yield CallService(run.state.name, resource, parameters)
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
    if not run.jsonata:
        _integer_path(run, state.max_concurrency_path, "MaxConcurrency", value)
    batches = _batches(run, state, items, value)
    interpreter.add("MapStateStarted", run.thread, {"length": len(batches)})
    tolerated = _tolerance(run, state, value, len(batches))
    if distributed:
        map_run_arn = (
            f"{interpreter.info.state_machine_arn.replace(':stateMachine:', ':mapRun:')}"
            f"/{state.label or run.state.name}:{interpreter.info.name}"
        )
        interpreter.add("MapRunStarted", run.thread, {"mapRunArn": map_run_arn})
    language = run.state.query_language or run.language
    outputs: list[Any] = []
    failures = 0
    for index, item in enumerate(batches):
        selected = _selector(run, state, value, index, item)
        if selected is not item:
            # An item as it comes is part of the state's input, already measured.
            run.check_input_size(selected)
        thread = Thread(run.thread.last)
        if not distributed:
            interpreter.add("MapIterationStarted", thread, {"index": index, "name": run.state.name})
        saved = interpreter.history
        saved_context = interpreter._execution_context
        variables = dict(run.variables)
        if distributed:
            # Each item runs as a child execution, whose events are not in this
            # history, with its own context (Execution.Id, Input: the item) and
            # no access to the outer variables (AWS "Passing data between states
            # with variables": Distributed Map children cannot reference them).
            interpreter.history = History(saved.include_data)
            interpreter.history.now = saved.now
            interpreter._execution_context = _child_context(
                saved_context, map_run_arn, index, selected, saved.now
            )
            variables = {}
        try:
            output = yield from interpreter.run_branch(
                processor.states, processor.start_at, selected, variables, thread, language
            )
            failure: Failure | None = None
        except Failure as failed:
            failure = failed
        finally:
            if distributed:
                # Back to the parent's history and context, also when the
                # execution times out or hits the event limit inside a child.
                saved.now = interpreter.history.now
                interpreter.history = saved
                interpreter._execution_context = saved_context
                # The child's events are not ours: the thread goes on from here.
                thread.last = run.thread.last
        if failure is not None:
            failures += 1
            last = thread.last
            if not distributed:
                # The iteration's end markers do not advance its thread: what
                # follows links to the iteration's last state event (corpus
                # scenarios/test_map_state_break_condition, test_map_state_retry).
                interpreter.add(
                    "MapIterationFailed", thread, {"index": index, "name": run.state.name}
                )
            run.thread.last = last
            if failures > tolerated:
                if distributed:
                    # A failed child fails the Map Run once the tolerated
                    # failures (0 by default) are exceeded; the Map state fails
                    # with States.ExceedToleratedFailureThreshold, not with the
                    # child's error (AWS error-handling docs; MapRunFailed
                    # carries error and cause).
                    interpreter.add(
                        "MapRunFailed",
                        run.thread,
                        {"error": EXCEEDED, "cause": EXCEEDED_CAUSE},
                    )
                    raise Failure(EXCEEDED, EXCEEDED_CAUSE)
                if tolerated > 0:
                    raise Failure(EXCEEDED, EXCEEDED_CAUSE)
                raise failure
            outputs.append(None)
            continue
        last = thread.last
        if not distributed:
            interpreter.add(
                "MapIterationSucceeded", thread, {"index": index, "name": run.state.name}
            )
        run.thread.last = last
        outputs.append(output)
    if distributed:
        # MapStateSucceeded and MapStateExited both follow MapRunSucceeded (as
        # most recordings show; AWS sometimes links the exit to MapRunStarted).
        run_succeeded = interpreter.add("MapRunSucceeded", run.thread)
        interpreter.add("MapStateSucceeded", run.thread, previous=run_succeeded)
        run.thread.last = run_succeeded
    else:
        last = len(interpreter.history)
        interpreter.add("MapStateSucceeded", run.thread, previous=last)
        run.thread.last = last
    if run.jsonata:
        output, assigned = run.jsonata_output(outputs, has_result=True, default=outputs)
    else:
        output, assigned = run.jsonpath_output(outputs)
    return run.finish(run.next_of(), output, assigned)
