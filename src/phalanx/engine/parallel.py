"""The Parallel state: every branch on the same input; the result is their outputs in order.

A branch failure fails the state with the branch's error (then Retry/Catch of
the Parallel state apply). Each branch gets its own variable scope: it reads
the outer variables, and its assignments stay inside it.
"""

from __future__ import annotations

from typing import Any

from phalanx.asl import Parallel
from phalanx.engine.failures import Failure
from phalanx.engine.history import Thread
from phalanx.engine.run import StateRun, Steps


def run_parallel(run: StateRun, state: Parallel) -> Steps:
    interpreter = run.interpreter
    if run.jsonata:
        arguments = state.arguments
        value = run.raw_input if arguments is None else run.jsonata_value(arguments, "Arguments")
    else:
        value = run.parameters(run.effective_input())
    run.check_input_size(value)
    interpreter.add("ParallelStateStarted", run.thread)
    outputs: list[Any] = []
    language = run.state.query_language or run.language
    for branch in state.branches:
        thread = Thread(run.thread.last)
        try:
            output = yield from interpreter.run_branch(
                branch.states, branch.start_at, value, dict(run.variables), thread, language
            )
        except Failure:
            run.thread.last = thread.last
            raise
        run.thread.last = thread.last
        outputs.append(output)
    interpreter.add("ParallelStateSucceeded", run.thread)
    if run.jsonata:
        output, assigned = run.jsonata_output(outputs, has_result=True, default=outputs)
    else:
        output, assigned = run.jsonpath_output(outputs)
    return run.finish(run.next_of(), output, assigned)
