"""AWS errors turned into one line that says what happened and what to do.

Every deploy command catches `DeployError` and botocore's exceptions at one
place and prints `explain(error)`: users see the reason, never a traceback.
"""

from __future__ import annotations

from typing import Any

from phalanx.errors import PhalanxError


class DeployError(PhalanxError):
    """A deploy step that cannot go on; the message says why and what to do."""


# AWS error code -> what to do about it. `{message}` is AWS's own text.
_ADVICE: dict[str, str] = {
    "AccessDenied": "missing permission: {message}; grant it to the caller (phalanx names the "
    "caller at the start of provision) or use another --profile",
    "AccessDeniedException": "missing permission: {message}; grant it to the caller or use "
    "another --profile",
    "UnauthorizedOperation": "missing permission: {message}",
    "InvalidClientTokenId": "the credentials are not valid for this account or endpoint: "
    "check --profile, AWS_ACCESS_KEY_ID and --endpoint-url",
    "SignatureDoesNotMatch": "the secret key does not match the access key: check --profile "
    "or AWS_SECRET_ACCESS_KEY",
    "ExpiredToken": "the session token has expired: refresh your credentials (aws sso login)",
    "ExpiredTokenException": "the session token has expired: refresh your credentials",
    "PermanentRedirect": "the bucket is in another region: pass that region with --region",
    "AuthorizationHeaderMalformed": "the bucket is in another region: {message}; pass that "
    "region with --region",
    "InsufficientCapabilitiesException": "{message}: a template hook added something that "
    "needs it; please report which, phalanx passes CAPABILITY_IAM, CAPABILITY_NAMED_IAM and "
    "CAPABILITY_AUTO_EXPAND",
    "LimitExceededException": "an AWS limit was reached: {message}",
    "AlreadyExistsException": "{message}: another stack or change set already uses that name; "
    "pick another --stack-name",
    "ExecutionDoesNotExist": "{message}",
    "StateMachineDoesNotExist": "the state machine is gone: provision the stack again",
    "Throttling": "AWS is throttling the calls: wait a minute and retry",
    "ThrottlingException": "AWS is throttling the calls: wait a minute and retry",
}


def explain(error: BaseException) -> str:
    """One line for `error`: AWS's reason first, then what to do."""
    if isinstance(error, PhalanxError):
        return str(error)
    name = type(error).__name__
    response = getattr(error, "response", None)
    if isinstance(response, dict) and "Error" in response:  # ClientError and its subclasses
        return _client_error(response, str(error))
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return (
            "no AWS credentials found: set AWS_PROFILE or pass --profile, or configure "
            "credentials (aws configure)"
        )
    if name == "ProfileNotFound":
        return f"{error}: check --profile against ~/.aws/config"
    if name == "NoRegionError":
        return "no AWS region: pass --region or set AWS_REGION"
    if name == "InvalidRegionError":
        return f"{error}: check --region (e.g. us-east-1)"
    if name in (
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ConnectionClosedError",
        "SSLError",
        "ProxyConnectionError",
    ):
        return f"cannot reach AWS ({error}): check the network, --region and --endpoint-url"
    if name == "TokenRetrievalError" or name == "SSOTokenLoadError":
        return f"{error}: run aws sso login for this profile"
    if name == "ParamValidationError":
        return f"phalanx sent a request AWS refuses ({error}); please report it"
    return f"{name}: {error}"


def _client_error(response: dict[str, Any], text: str) -> str:
    details = response.get("Error", {}) or {}
    code = str(details.get("Code", ""))
    message = str(details.get("Message", "") or text)
    operation = text.split("when calling the ", 1)[-1].split(" operation", 1)[0]
    where = f" ({operation})" if "when calling the " in text else ""
    if code == "ValidationError" and "does not exist" in message:
        return f"{message}: provision it first, or check --stack-name and --region"
    if code == "ValidationError" and "_COMPLETE state and can not be updated" in message:
        return f"{message}: the stack failed to create; run phalanx delete, then provision again"
    if code == "ValidationError" and "UPDATE_ROLLBACK_FAILED state" in message:
        return (
            f"{message}: run aws cloudformation continue-update-rollback --stack-name STACK "
            "(add --resources-to-skip for resources that cannot roll back), then provision again"
        )
    if code == "ValidationError" and "IN_PROGRESS state" in message:
        return f"{message}: another operation is running on the stack; wait for it to finish"
    if code in ("404", "NotFound", "NoSuchBucket"):
        return _no_such_bucket(details) + where
    if code in ("403", "Forbidden"):
        return f"access denied{where}: the caller may not use this resource; check --profile"
    if code == "PermanentRedirect":
        headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {}) or {}
        region = headers.get("x-amz-bucket-region")
        if region:
            return f"the bucket is in {region}: pass --region {region}{where}"
    advice = _ADVICE.get(code)
    if advice is not None:
        return advice.format(message=message) + where
    return f"{code or 'AWS error'}{where}: {message}"


def _no_such_bucket(details: dict[str, Any]) -> str:
    """S3 names the missing bucket in its error (`BucketName`): the hint names it too."""
    bucket = details.get("BucketName")
    if bucket:
        return (
            f"bucket {bucket} does not exist: create it (aws s3 mb s3://{bucket}) or pass "
            "another --s3-bucket"
        )
    return "the bucket does not exist: create it (aws s3 mb) or pass another --s3-bucket"
