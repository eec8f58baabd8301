"""A machine's logging, tracing and encryption settings: AWS's defaults and refusals.

Phalanx keeps and returns these settings; it writes no CloudWatch logs, no
X-Ray traces and encrypts nothing (the database is local).
"""

from __future__ import annotations

from typing import Any

from phalanx.api.errors import ApiError

DEFAULT_LOGGING = {"level": "OFF", "includeExecutionData": False}
DEFAULT_TRACING = {"enabled": False}
DEFAULT_ENCRYPTION = {"type": "AWS_OWNED_KEY"}


def logging_configuration(given: dict[str, Any] | None) -> dict[str, Any]:
    """The logging settings to keep; a level other than OFF needs exactly one destination."""
    if given is None:
        return dict(DEFAULT_LOGGING)
    settings = {**DEFAULT_LOGGING, **given}
    destinations = settings.get("destinations") or []
    if settings["level"] != "OFF" and len(destinations) != 1:
        raise ApiError(
            "InvalidLoggingConfiguration",
            "Invalid Logging Configuration: Must specify exactly one Log Destination.",
        )
    if len(destinations) > 1:
        raise ApiError(
            "InvalidLoggingConfiguration",
            "Invalid Logging Configuration: Must specify at most one Log Destination.",
        )
    return settings


def tracing_configuration(given: dict[str, Any] | None) -> dict[str, Any]:
    return {**DEFAULT_TRACING, **(given or {})}


def encryption_configuration(given: dict[str, Any] | None) -> dict[str, Any]:
    """A customer managed key needs its id; AWS's own key takes none."""
    if given is None:
        return dict(DEFAULT_ENCRYPTION)
    customer = given["type"] == "CUSTOMER_MANAGED_KMS_KEY"
    if customer and "kmsKeyId" not in given:
        raise ApiError(
            "InvalidEncryptionConfiguration",
            "kmsKeyId is required when the encryption type is CUSTOMER_MANAGED_KMS_KEY",
        )
    if not customer and ("kmsKeyId" in given or "kmsDataKeyReusePeriodSeconds" in given):
        raise ApiError(
            "InvalidEncryptionConfiguration",
            "kmsKeyId and kmsDataKeyReusePeriodSeconds are only valid with "
            "CUSTOMER_MANAGED_KMS_KEY",
        )
    return dict(given)
