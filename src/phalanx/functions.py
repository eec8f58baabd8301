"""Lambda functions declared in Python with `@phalanx.function`.

The decorated object stays an ordinary callable, so unit tests call it
directly; Phalanx reads its options to run it locally and to deploy it::

    @phalanx.function(memory_size=128, tags={"myAccounting": "tag"})
    def roll_die(event, context):
        return {"roll": random.randint(1, 5)}
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict, Unpack, overload

from phalanx.errors import FunctionError

Handler = Callable[[Any, Any], Any]

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "111111111111"

# Limits from the AWS Lambda developer guide (CreateFunction).
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MEMORY_MB = (128, 10240)
_TIMEOUT_S = (1, 900)
_EPHEMERAL_MB = (512, 10240)
_DESCRIPTION_MAX = 256
_LAYERS_MAX = 5
_ENV_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]+$")
# Lambda sets these itself and refuses them in a function's configuration
# (Lambda developer guide, "Defined runtime environment variables": reserved).
RESERVED_ENVIRONMENT = frozenset(
    {
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)
RUNTIMES = ("python3.10", "python3.11", "python3.12", "python3.13", "python3.14")
ARCHITECTURES = ("x86_64", "arm64")


@dataclasses.dataclass(frozen=True)
class LambdaFunction:
    """A Python handler with the settings AWS Lambda runs it with.

    Defaults are Lambda's own (128 MB, 3 s); the runtime defaults to
    python3.12, the one the conformance recordings ran on.
    """

    handler: Handler
    name: str
    memory_size: int = 128
    timeout: int = 3
    runtime: str = "python3.12"
    architecture: str = "x86_64"
    description: str | None = None
    tags: Mapping[str, str] = dataclasses.field(default_factory=dict)
    environment: Mapping[str, str] = dataclasses.field(default_factory=dict)
    iam_statements: tuple[Mapping[str, Any], ...] = ()
    ephemeral_storage: int | None = None
    reserved_concurrency: int | None = None
    layers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check(
            _NAME.match(self.name) is not None,
            "name",
            self.name,
            "1-64 letters, digits, hyphens or underscores",
        )
        _check_range("memory_size", self.memory_size, _MEMORY_MB)
        _check_range("timeout", self.timeout, _TIMEOUT_S)
        if self.ephemeral_storage is not None:
            _check_range("ephemeral_storage", self.ephemeral_storage, _EPHEMERAL_MB)
        _check(self.runtime in RUNTIMES, "runtime", self.runtime, f"one of {', '.join(RUNTIMES)}")
        _check(
            self.architecture in ARCHITECTURES, "architecture", self.architecture, "x86_64 or arm64"
        )
        if self.description is not None:
            _check(
                len(self.description) <= _DESCRIPTION_MAX,
                "description",
                self.description,
                f"at most {_DESCRIPTION_MAX} characters",
            )
        _check(
            len(self.layers) <= _LAYERS_MAX,
            "layers",
            self.layers,
            f"at most {_LAYERS_MAX} layer ARNs",
        )
        if self.reserved_concurrency is not None:
            _check(
                isinstance(self.reserved_concurrency, int) and self.reserved_concurrency >= 0,
                "reserved_concurrency",
                self.reserved_concurrency,
                "an integer >= 0",
            )
        for key in self.environment:
            _check(
                isinstance(key, str) and _ENV_KEY.match(key) is not None,
                "environment",
                key,
                "variable names of letters, digits and underscores, starting with a letter",
            )
            _check(
                key not in RESERVED_ENVIRONMENT,
                "environment",
                key,
                "a name Lambda does not reserve for itself",
            )
        for option in ("tags", "environment"):
            for key, value in getattr(self, option).items():
                _check(
                    isinstance(key, str) and isinstance(value, str),
                    option,
                    {key: value},
                    "string keys and values",
                )

    def __call__(self, event: Any, context: Any = None) -> Any:
        return self.handler(event, context)

    @property
    def module(self) -> str:
        """The module that defines the handler, e.g. `examples.roll_die`."""
        return self.handler.__module__

    def arn(self, region: str = DEFAULT_REGION, account: str = DEFAULT_ACCOUNT) -> str:
        """The function's ARN once deployed in `region` under `account`."""
        return f"arn:aws:lambda:{region}:{account}:function:{self.name}"


def _check(ok: bool, option: str, value: Any, expected: str) -> None:
    if not ok:
        raise FunctionError(f"Lambda function option {option}={value!r}: expected {expected}")


def _check_range(option: str, value: Any, bounds: tuple[int, int]) -> None:
    low, high = bounds
    ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    _check(ok, option, value, f"an integer from {low} to {high}")


class FunctionOptions(TypedDict, total=False):
    """The options of `@function(...)`; an option left out takes `LambdaFunction`'s default.

    `name` defaults to the Python function's name and `description` to the
    first line of its docstring; `iam_statements` are IAM policy statements
    added to the function's role when deployed.
    """

    name: str | None
    memory_size: int
    timeout: int
    runtime: str
    architecture: str
    description: str | None
    tags: Mapping[str, str] | None
    environment: Mapping[str, str] | None
    iam_statements: Sequence[Mapping[str, Any]]
    ephemeral_storage: int | None
    reserved_concurrency: int | None
    layers: Sequence[str]


@overload
def function(handler: Handler, /) -> LambdaFunction: ...


@overload
def function(**options: Unpack[FunctionOptions]) -> Callable[[Handler], LambdaFunction]: ...


def function(
    handler: Handler | None = None, /, **options: Unpack[FunctionOptions]
) -> LambdaFunction | Callable[[Handler], LambdaFunction]:
    """Declare `handler(event, context)` as a Lambda function.

    Use bare (`@function`) or with options (`@function(memory_size=256)`);
    the options are those of `FunctionOptions`.
    """
    for option in options:
        if option not in FunctionOptions.__annotations__:
            raise TypeError(f"function() got an unexpected keyword argument {option!r}")

    def declare(target: Handler) -> LambdaFunction:
        settings: dict[str, Any] = {
            **options,
            "name": options.get("name") or str(getattr(target, "__name__", "")),
            "tags": dict(options.get("tags") or {}),
            "environment": dict(options.get("environment") or {}),
            "iam_statements": tuple(options.get("iam_statements", ())),
            "layers": tuple(options.get("layers", ())),
        }
        if settings.get("description") is None:
            settings["description"] = _summary(target)
        return LambdaFunction(handler=target, **settings)

    return declare(handler) if handler is not None else declare


def _summary(handler: Handler) -> str | None:
    doc = getattr(handler, "__doc__", None)
    if not isinstance(doc, str) or not doc.strip():
        return None
    return doc.strip().splitlines()[0][:_DESCRIPTION_MAX]
