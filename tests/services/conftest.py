"""Fixtures for service tests: one moto server per module, a boto3 session aimed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.aws_emulator import REGION, moto_server


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture(scope="module")
def session(moto_url: str) -> Any:
    import boto3

    return boto3.Session(region_name=REGION)


@pytest.fixture(scope="module")
def aws(session: Any, moto_url: str) -> Any:
    """A client factory for the emulator: `aws("dynamodb").create_table(...)`."""
    return lambda name: session.client(name, endpoint_url=moto_url)
