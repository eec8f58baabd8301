"""The one exception tree of Phalanx.

    PhalanxError
     ├── DefinitionError (ValueError)   a state machine definition that cannot be read
     ├── FunctionError (ValueError)     a Lambda function declared with bad options
     ├── QuerySyntaxError (ValueError)  a JSONPath, intrinsic or JSONata text that does not parse
     ├── LoadError                      a user's file that cannot be loaded
     ├── DeployError (deploy/errors.py) an AWS call that failed, explained in one line
 ├── StoreError (store/errors.py)   a database that cannot be opened: newer schema, held lock
     └── StatesError                    an AWS runtime error (`States.Runtime`, ...) raised while
                                        evaluating; the engine turns it into a failed Outcome,
                                        it never reaches a user as a traceback

Every error says where the problem is: the JSON location (`/States/Foo/Next`)
for definitions, the option for functions, the file for loads.
"""

from __future__ import annotations


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


class LoadError(PhalanxError):
    """A user's file (module or JSON) that cannot be loaded."""


class QuerySyntaxError(PhalanxError, ValueError):
    """A JSONPath, intrinsic function or JSONata text that does not parse.

    `position` is the 0-based offset of the offending character in `text`.
    """

    def __init__(self, text: str, position: int, message: str) -> None:
        self.text = text
        self.position = position
        self.message = message
        super().__init__(f"{message} at position {position} in {text!r}")


class StatesError(PhalanxError):
    """An error as Step Functions names it: `error` (e.g. `States.Runtime`) and `cause`.

    Raised inside evaluation (paths, intrinsics, JSONata, payload templates) and
    caught by the engine, which records it in the history like AWS does.
    """

    def __init__(self, error: str, cause: str) -> None:
        self.error = error
        self.cause = cause
        super().__init__(f"{error}: {cause}")
