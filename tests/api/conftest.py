"""A real `phalanx serve` per test module, and boto3 clients aimed at it.

Every response boto3 receives is also checked against botocore's model of the
operation: no member the model lacks, every required member present.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.server import RunningServer, start

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/phalanx"
PASS = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start(tmp_path_factory.mktemp("serve") / "phalanx.db")
    try:
        yield running
    finally:
        running.stop()


def client(url: str, region: str = REGION) -> Any:
    import boto3
    from botocore.config import Config

    sfn = boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="anything",
        aws_secret_access_key="anything",
        config=Config(retries={"max_attempts": 1}, inject_host_prefix=False),
    )
    sfn.meta.events.register("after-call.sfn", _check_response_shape)  # events use the service id
    return sfn


@pytest.fixture(scope="module")
def sfn(server: RunningServer) -> Any:
    return client(server.url)


@pytest.fixture
def machine_name(request: pytest.FixtureRequest) -> str:
    """A machine name unique to the test (the module's server is shared)."""
    return request.node.name.replace("[", "-").replace("]", "")[:80]


def _check_response_shape(http_response: Any, model: Any, **_: Any) -> None:
    if http_response.status_code != 200 or model.output_shape is None:
        return
    _conforms(json.loads(http_response.content or b"{}"), model.output_shape, model.name)


def _conforms(value: Any, shape: Any, where: str) -> None:
    if shape.type_name == "structure":
        assert isinstance(value, dict), where
        unknown = set(value) - set(shape.members)
        assert not unknown, f"{where}: members the model lacks: {sorted(unknown)}"
        missing = set(shape.required_members) - set(value)
        assert not missing, f"{where}: required members missing: {sorted(missing)}"
        for name, member in value.items():
            _conforms(member, shape.members[name], f"{where}.{name}")
    elif shape.type_name == "list":
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            _conforms(item, shape.member, f"{where}[{index}]")
    elif shape.type_name == "timestamp":
        assert isinstance(value, int | float) and not isinstance(value, bool), where
    elif shape.type_name == "string":
        assert isinstance(value, str), where
        assert not shape.enum or value in shape.enum, f"{where}: {value!r} not in {shape.enum}"
    elif shape.type_name == "boolean":
        assert isinstance(value, bool), where
    elif shape.type_name in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), where
