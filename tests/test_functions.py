"""`@phalanx.function` declares Lambda functions that stay plain callables."""

from __future__ import annotations

from typing import Any

import pytest

import phalanx
from phalanx import FunctionError, LambdaFunction


def test_bare_decorator_uses_lambda_defaults_and_the_python_name() -> None:
    @phalanx.function
    def greet(event: Any, context: Any) -> Any:
        """Say hello."""
        return f"hello {event}"

    assert isinstance(greet, LambdaFunction)
    assert (greet.name, greet.memory_size, greet.timeout) == ("greet", 128, 3)
    assert greet.description == "Say hello."
    assert greet("you", None) == "hello you"
    assert greet("you") == "hello you"


def test_options_are_kept() -> None:
    @phalanx.function(
        name="RollDie",
        memory_size=256,
        timeout=30,
        tags={"a": "b"},
        environment={"LEVEL": "debug"},
        runtime="python3.11",
        architecture="arm64",
        iam_statements=[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    )
    def roll(event: Any, context: Any) -> Any:
        return 4

    assert roll.name == "RollDie"
    assert (roll.memory_size, roll.timeout, roll.runtime, roll.architecture) == (
        256,
        30,
        "python3.11",
        "arm64",
    )
    assert roll.tags == {"a": "b"} and roll.environment == {"LEVEL": "debug"}
    assert roll.iam_statements[0]["Action"] == "s3:GetObject"
    assert roll.arn() == "arn:aws:lambda:us-east-1:111111111111:function:RollDie"
    assert roll.arn("eu-west-1", "222222222222") == (
        "arn:aws:lambda:eu-west-1:222222222222:function:RollDie"
    )


def _handler(event: Any, context: Any) -> Any:
    return event


BAD_OPTIONS = [
    pytest.param({"name": "has space"}, "name", id="name-with-space"),
    pytest.param({"name": "x" * 65}, "name", id="name-too-long"),
    pytest.param({"memory_size": 64}, "memory_size", id="memory-too-small"),
    pytest.param({"memory_size": 10241}, "memory_size", id="memory-too-large"),
    pytest.param({"timeout": 0}, "timeout", id="timeout-zero"),
    pytest.param({"timeout": 901}, "timeout", id="timeout-too-long"),
    pytest.param({"runtime": "python2.7"}, "runtime", id="runtime-unknown"),
    pytest.param({"architecture": "sparc"}, "architecture", id="architecture-unknown"),
    pytest.param({"ephemeral_storage": 100}, "ephemeral_storage", id="storage-too-small"),
    pytest.param({"tags": {"a": 1}}, "tags", id="tag-value-not-string"),
    pytest.param({"runtime": "python3.9"}, "runtime", id="runtime-deprecated"),
    pytest.param({"description": "d" * 257}, "description", id="description-too-long"),
    pytest.param({"layers": ["arn"] * 6}, "layers", id="too-many-layers"),
    pytest.param({"reserved_concurrency": -1}, "reserved_concurrency", id="negative-concurrency"),
    pytest.param({"environment": {"1BAD": "x"}}, "environment", id="env-name-invalid"),
    pytest.param({"environment": {"AWS_REGION": "x"}}, "environment", id="env-name-reserved"),
]


@pytest.mark.parametrize(("options", "option"), BAD_OPTIONS)
def test_bad_option_is_refused_naming_the_option(options: dict[str, Any], option: str) -> None:
    with pytest.raises(FunctionError, match=f"option {option}="):
        phalanx.function(**options)(_handler)


def test_task_built_from_a_function_refers_to_it() -> None:
    @phalanx.function
    def work(event: Any, context: Any) -> Any:
        return event

    task = phalanx.Task("doWork", work)
    assert task.resource is work
    machine = phalanx.StateMachine.of(task)
    assert machine.to_asl()["States"]["doWork"]["Resource"] == work.arn()
    custom = machine.to_asl(lambda fn: "${" + fn.name + "Arn}")
    assert custom["States"]["doWork"]["Resource"] == "${workArn}"
