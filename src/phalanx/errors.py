"""The one exception tree of Phalanx.

    PhalanxError
     ├── DefinitionError (ValueError)   a state machine definition that cannot be read
     │    └── InvalidMachineError       a machine the validator refuses (`phalanx.run`)
     ├── FunctionError (ValueError)     a Lambda function declared with bad options
     ├── MachineOptionError (ValueError) a machine declared with a bad deployment option
     ├── QuerySyntaxError (ValueError)  a JSONPath, intrinsic or JSONata text that does not parse
     ├── LoadError                      a user's file that cannot be loaded, at `path:line:col`
     ├── MockError (LookupError)        a mock naming a state the machine does not have
     ├── ChildRefused                   StartExecution refused a nested machine's child
     ├── DeployError (deploy/errors.py) an AWS call that failed, explained in one line
     ├── ServiceSetupError (RuntimeError) AWS calls asked for without what they need (boto3)
 ├── ReplayError                    a journal that does not match the execution it
     │                                  is replayed into, or an execution nothing can advance
     ├── StoreError (store/errors.py)   a database that cannot be opened: newer schema, held lock
     └── StatesError                    an AWS runtime error (`States.Runtime`, ...) raised while
                                        evaluating; the engine turns it into a failed Outcome,
                                        it never reaches a user as a traceback

Every error says where the problem is: the JSON location (`/States/Foo/Next`)
for definitions, the option for functions and machine options, the file (and
line) for loads.
"""

from __future__ import annotations

from typing import Any


class PhalanxError(Exception):
    """Base of every error Phalanx raises on purpose."""


class DefinitionError(PhalanxError, ValueError):
    """A definition that cannot be read into the model.

    `location` is a JSON pointer into the definition (`""` for the document
    itself), so the message can be shown next to the offending field.
    """

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location or '/'}: {message}")


class FunctionError(PhalanxError, ValueError):
    """A Lambda function declared with an option AWS would refuse."""


class MachineOptionError(PhalanxError, ValueError):
    """A state machine declared with a deployment option AWS would refuse (type, logging, tags)."""


class InvalidMachineError(DefinitionError):
    """A state machine the validator refuses, as CreateStateMachine would.

    `diagnostics` are the validator's (`phalanx.validation.Diagnostic`), errors
    first; `location` and `message` are the first error's.
    """

    def __init__(self, diagnostics: tuple[Any, ...]) -> None:
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        location = str(getattr(first, "location", ""))
        message = str(getattr(first, "message", "the state machine is not valid"))
        more = len(diagnostics) - 1
        if more > 0:
            message += f" (and {more} more)"
        super().__init__(location, message)


class LoadError(PhalanxError):
    """A user's file (module, JSON, YAML, template) that cannot be loaded.

    `file`, `line` and `column` say where, when known; the text reads
    `path:line:col: message` as a compiler's would.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        where = file or ""
        if file is not None and line is not None:
            where += f":{line}:{column or 1}"
        super().__init__(f"{where}: {message}" if where else message)


class MockError(PhalanxError, LookupError):
    """A mock naming a state the machine does not have (or one that runs no task).

    Such a mock would never answer: the real task would run instead, silently.
    """


class QuerySyntaxError(PhalanxError, ValueError):
    """A JSONPath, intrinsic function or JSONata text that does not parse.

    `position` is the 0-based offset of the offending character in `text`.
    """

    def __init__(self, text: str, position: int, message: str) -> None:
        self.text = text
        self.position = position
        self.message = message
        super().__init__(f"{message} at position {position} in {text!r}")


class ServiceSetupError(PhalanxError, RuntimeError):
    """AWS service calls asked for (`--aws`, `run(aws=...)`) but impossible here: no boto3."""


class ReplayError(PhalanxError):
    """A journal entry that does not answer what the interpreter asks, naming the state.

    Also raised when an execution waits on something nothing will answer (a
    task token no one sends) and the caller did not ask to park it.
    """


class StatesError(PhalanxError):
    """An error as Step Functions names it: `error` (e.g. `States.Runtime`) and `cause`.

    Raised inside evaluation (paths, intrinsics, JSONata, payload templates) and
    caught by the engine, which records it in the history like AWS does.
    """

    def __init__(self, error: str, cause: str) -> None:
        self.error = error
        self.cause = cause
        super().__init__(f"{error}: {cause}")


class ChildRefused(PhalanxError):
    """StartExecution refused a child execution: `code` is the API's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
