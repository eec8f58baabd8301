"""The options that let a command call AWS services: `--aws`, `--profile`, `--region`,
`--endpoint-url`, `--http`, shared by `phalanx run` and `phalanx serve`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = (
    click.option(
        "--aws",
        "use_aws",
        is_flag=True,
        help="Call AWS services through boto3 (standard credential chain); "
        "without it only Lambda functions and nested machines run.",
    ),
    click.option("--profile", help="With --aws: the AWS profile to use."),
    click.option("--region", help="With --aws: the AWS region to call."),
    click.option(
        "--endpoint-url",
        metavar="URL",
        help="Send AWS calls to this endpoint (moto, LocalStack); implies --aws. "
        "AWS_ENDPOINT_URL_<SERVICE> variables still win for their service.",
    ),
    click.option(
        "--http",
        "allow_http",
        is_flag=True,
        help="Let http:invoke tasks call their endpoints (credentials: docs/services.md).",
    ),
)


def aws_options(command: F) -> F:
    """Add the AWS options to `command` (parameters use_aws, profile, region,
    endpoint_url, allow_http)."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def aws_connection(
    use_aws: bool, profile: str | None, region: str | None, endpoint_url: str | None
) -> Any:
    """The `phalanx.services.Connection` the options ask for; None when they ask none."""
    if not (use_aws or endpoint_url or profile or region):
        return None
    from phalanx.errors import ServiceSetupError
    from phalanx.services import connect

    try:
        return connect(profile=profile, region=region, endpoint_url=endpoint_url)
    except ServiceSetupError as error:
        raise click.ClickException(str(error)) from None
