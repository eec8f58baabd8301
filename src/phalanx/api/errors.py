"""Errors the API answers with, in AWS's JSON 1.0 shape.

    HTTP 400
    x-amzn-ErrorType: StateMachineDoesNotExist
    {"__type": "StateMachineDoesNotExist", "message": "State Machine Does Not Exist: '...'"}

botocore reads the code from `__type` (after any `#`) and the text from
`message`, and raises the modelled class (`client.exceptions.StateMachineDoesNotExist`);
the JavaScript SDK reads `x-amzn-ErrorType` first. Messages follow AWS's
wording ("Invalid Arn: '...'") so that code matching on them keeps working.
"""

from __future__ import annotations

from typing import Any

from phalanx.errors import PhalanxError


class ApiError(PhalanxError):
    """An answer other than success: AWS's error `code`, its `message`, any extra members."""

    def __init__(self, code: str, message: str, *, status: int = 400, **members: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.members = members

    def body(self) -> dict[str, Any]:
        return {"__type": self.code, "message": self.message, **self.members}


def shorten(value: object, limit: int = 128) -> str:
    """A value as AWS quotes it in messages, cut so a 1 MiB definition is not echoed back."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def invalid_arn(detail: str) -> ApiError:
    return ApiError("InvalidArn", f"Invalid Arn: '{detail}'")


def invalid_name(name: str) -> ApiError:
    return ApiError("InvalidName", f"Invalid Name: '{shorten(name)}'")


def invalid_token(token: str) -> ApiError:
    return ApiError("InvalidToken", f"Invalid Token: '{shorten(token)}'")


def validation(message: str) -> ApiError:
    return ApiError("ValidationException", message)


def conflict(message: str) -> ApiError:
    return ApiError("ConflictException", message)


def state_machine_does_not_exist(arn: str) -> ApiError:
    return ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")


def activity_does_not_exist(arn: str) -> ApiError:
    return ApiError("ActivityDoesNotExist", f"Activity Does Not Exist: '{arn}'")


def resource_not_found(arn: str) -> ApiError:
    return ApiError("ResourceNotFound", f"Resource not found: '{arn}'", resourceName=arn)


def serialization(message: str) -> ApiError:
    return ApiError("SerializationException", message)
