"""The one exception tree of Phalanx.

    PhalanxError
     ├── DefinitionError (ValueError)   a state machine definition that cannot be read
     ├── FunctionError (ValueError)     a Lambda function declared with bad options
     └── LoadError                      a user's file that cannot be loaded

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
