"""A failed AWS call as the Step Functions error and cause AWS would report.

    except Exception as error:
        return failure(error, "DynamoDB", sdk=False, service="AmazonDynamoDBv2")

* an API error (`ClientError`): `<prefix>.<Code>Exception`
  (`DynamoDB.ConditionalCheckFailedException`, `S3.NoSuchKeyException`,
  `DynamoDb.ThrottlingException`, `Sqs.AccessDeniedException`), its message
  and the request id in the cause as the Java SDK writes it;
* the service not reached (no such host, connection refused, timeout) or no
  credentials: `<prefix>.SdkClientException`, the Java SDK's own exception for
  a call that never got an answer;
* parameters boto3 refuses before sending: `<prefix>.ValidationException`,
  the error the service itself gives for a malformed request.

All are task failures: `States.TaskFailed` and `States.ALL` catch them.
"""

from __future__ import annotations

from typing import Any

from phalanx.engine.effects import ServiceResponse
from phalanx.services.naming import error_name


def failure(error: Exception, prefix: str, *, sdk: bool, service: str) -> ServiceResponse:
    """The `ServiceResponse` for `error` raised by boto3 while calling `service`."""
    from botocore import exceptions

    if isinstance(error, exceptions.ClientError):
        body = error.response.get("Error", {})
        code = str(body.get("Code") or "Unknown")
        modeled = type(error).__name__
        if modeled != "ClientError":
            code = modeled  # the API's modeled error (SQS QueueDoesNotExist for its legacy code)
        message = str(body.get("Message") or code)
        meta = error.response.get("ResponseMetadata", {})
        status = meta.get("HTTPStatusCode", 400)
        request_id = meta.get("RequestId", "")
        if sdk:
            cause = (
                f"{message} (Service: {service}, Status Code: {status}, Request ID: {request_id})"
            )
        else:
            cause = (
                f"{message} (Service: {service}; Status Code: {status}; Error Code: "
                f"{body.get('Code') or code}; Request ID: {request_id}; Proxy: null)"
            )
        return ServiceResponse(error=error_name(prefix, code), cause=cause)
    if isinstance(error, exceptions.NoCredentialsError):
        return ServiceResponse(
            error=f"{prefix}.SdkClientException",
            cause="Unable to load credentials from any of the providers in the chain",
        )
    if isinstance(error, exceptions.ParamValidationError):
        return ServiceResponse(error=f"{prefix}.ValidationException", cause=str(error))
    if isinstance(error, exceptions.BotoCoreError):
        return ServiceResponse(
            error=f"{prefix}.SdkClientException", cause=f"Unable to execute HTTP request: {error}"
        )
    raise error


def runtime(message: str) -> ServiceResponse:
    """A request Step Functions cannot make at all: `States.Runtime`, never caught."""
    return ServiceResponse(error="States.Runtime", cause=message)


def describe(value: Any) -> str:
    """A short quote of a value for a cause."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
