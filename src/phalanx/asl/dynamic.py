"""Dynamic values in payload templates, written without the `.$` ceremony.

In ASL a key of `Parameters`, `ResultSelector` or `ItemSelector` whose value
is a path or an intrinsic call must end in `.$`. In Python the value says it
is dynamic, so the key needn't::

    Task("greet", greet, parameters={"name": path("$.user.name"),
                                     "msg": States.Format("Hi {}", path("$.user.name"))})
    # -> "Parameters": {"name.$": "$.user.name", "msg.$": "States.Format('Hi {}', $.user.name)"}
"""

from __future__ import annotations

from typing import Any


class Expression(str):
    """A string that is evaluated at run time: a JSONPath or an intrinsic call."""

    __slots__ = ()


def path(text: str) -> Expression:
    """A JSONPath (`$.a`), context path (`$$.Execution.Id`) or variable (`$name`)."""
    if not text.startswith("$"):
        raise ValueError(f"a path starts with '$', got {text!r}")
    return Expression(text)


def jsonata(expression: str) -> str:
    """Wrap a JSONata expression in the `{% %}` delimiters ASL requires."""
    return "{% " + expression + " %}"


def is_jsonata(text: str) -> bool:
    """Whether `text` is a whole `{% ... %}` JSONata expression."""
    stripped = text.strip()
    return stripped.startswith("{%") and stripped.endswith("%}")


def resolve_template(value: Any) -> Any:
    """Return `value` with `.$` added to every key whose value is an `Expression`.

    Plain JSON comes back equal (and unchanged in identity where nothing moved),
    so a template read from ASL is never altered.
    """
    if isinstance(value, dict):
        if not any(isinstance(v, Expression | dict | list) for v in value.values()):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(item, Expression) and not key.endswith(".$"):
                out[key + ".$"] = str(item)
            else:
                out[key] = resolve_template(item)
        return out
    if isinstance(value, list):
        if any(isinstance(item, Expression) for item in value):
            raise TypeError(
                f"a path or intrinsic inside an array is not evaluated by AWS: {value!r}; "
                "use States.Array(...) as the value instead"
            )
        return [resolve_template(item) for item in value]
    return value
