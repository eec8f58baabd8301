"""The Parallel state: every branch on the same input; the result is their outputs in order.

All branches start when the state starts and run at once (`scheduler.gather`).
The first branch failure fails the state with the branch's error (then
Retry/Catch of the Parallel state apply); the branches still running are
aborted. Each branch gets its own variable scope: it reads the outer
variables, and its assignments stay inside it.

A redrive reruns only the branches that did not succeed; the others keep
their outputs and write no events again (`Interpreter.kept_branches`).
"""

from __future__ import annotations

from typing import Any

from phalanx.asl import Parallel
from phalanx.engine.failures import Failure
from phalanx.engine.history import Thread
from phalanx.engine.run import StateRun, Steps
from phalanx.engine.scheduler import Strand, gather


def run_parallel(run: StateRun, state: Parallel) -> Steps:
    interpreter = run.interpreter
    value = run.effective_parameters()
    started = interpreter.strand_history.add("ParallelStateStarted", run.thread)
    outputs: list[Any] = [None] * len(state.branches)
    kept, succeeded = interpreter.kept_branches(run)
    for index, output in kept.items():
        outputs[index] = output
    rerun = [index for index in range(len(state.branches)) if index not in kept]
    language = run.state.query_language or run.language
    threads = [
        Thread(started, f"{run.thread.label}{run.state.name}[{index}] ")
        for index in range(len(state.branches))
    ]

    def start(position: int, strand: Strand) -> Steps:
        index = rerun[position]
        branch = state.branches[index]
        return interpreter.run_branch(
            branch.states, branch.start_at, value, dict(run.variables), threads[index], language
        )

    def finished(position: int, output: Any, failure: Failure | None) -> None:
        index = rerun[position]
        if failure is not None:
            # ParallelStateFailed follows the failed branch's last event.
            run.thread.last = threads[index].last
            raise failure
        outputs[index] = succeeded[index] = output

    yield from gather(interpreter.current, len(rerun), start, finished)
    # Succeeded and Exited both follow the last branch event (corpus
    # scenarios/test_parallel_state_nested: ParallelStateExited #11 -> #9).
    last = len(interpreter.current.strand.history)
    interpreter.strand_history.add("ParallelStateSucceeded", run.thread, previous=last)
    run.thread.last = last
    return run.finish_result(outputs)
