"""Measure candidate JSONata libraries for phalanx.query.jsonata.

    /work/venv/bin/python bench/jsonata_libraries.py [/path/to/conformance/cases]

Two measurements per library:

1. Corpus agreement. From the conformance corpus (executions recorded against
   AWS) take every case that is a single JSONata `Pass` state whose outcome is
   decided by evaluating its `Output` (the expressions are the recorded
   ones, `$states.input` is the recorded input). Count outputs equal to AWS's,
   and count the AWS distinctions the library can express: `null` versus
   undefined ("returned nothing (undefined)") and function results
   ("returned an unsupported result type").
2. Speed: compile + evaluate, and evaluate of a compiled expression, for a few
   typical Step Functions expressions, best of 5 runs.

Libraries that are not installed are reported as such. Not a test: numbers
depend on the machine; they are recorded in docs/dependencies-query.md.
"""

from __future__ import annotations

import glob
import json
import os
import sys
import timeit
from collections.abc import Callable
from typing import Any

_CORPORA = os.environ.get("PHALANX_CORPORA") or os.path.join(
    os.path.dirname(__file__), "..", "tests", "data"
)
CASES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(_CORPORA, "conformance", "cases")

TYPICAL = [
    (
        "path",
        "$states.input.order.items[price > 10].name",
        {
            "states": {
                "input": {"order": {"items": [{"name": f"i{n}", "price": n} for n in range(50)]}}
            }
        },
    ),
    (
        "arith",
        "$sum($states.input.values) + $offset",
        {"states": {"input": {"values": list(range(100))}}, "offset": 1},
    ),
    (
        "object",
        "{'id': $states.input.id, 'names': $states.input.people.name,"
        " 'n': $count($states.input.people)}",
        {"states": {"input": {"id": 7, "people": [{"name": "a"}, {"name": "b"}]}}},
    ),
    (
        "string",
        "$uppercase($states.input.a) & '-' & $string($states.input.b)",
        {"states": {"input": {"a": "x", "b": 2}}},
    ),
]


def _jsonata_python() -> tuple[Callable[[str], Any], Callable[[Any, dict[str, Any]], Any]] | None:
    """jsonata-python as phalanx.query.jsonata wraps it (AWS functions included)."""
    try:
        from phalanx.errors import StatesError
        from phalanx.query import jsonata as ours
    except ImportError:
        return None

    def evaluate(text: Any, bindings: dict[str, Any]) -> Any:
        try:
            return ours.evaluate(text, bindings)
        except StatesError as error:
            if "returned nothing (undefined)" in error.cause:
                return UNDEFINED
            if "unsupported result type" in error.cause:
                return FUNCTION
            raise

    def compile_(text: str) -> str:
        ours._compile.cache_clear()  # measure a real compile, not the cache
        return text

    return compile_, evaluate


def _jsonatapy() -> tuple[Callable[[str], Any], Callable[[Any, dict[str, Any]], Any]] | None:
    """jsonatapy with the same AWS functions registered (no sequence support)."""
    try:
        import jsonatapy

        from phalanx.query import _jsonata_functions as aws
        from phalanx.query._intrinsic_functions import Sources
    except ImportError:
        return None
    sources = Sources()
    functions = {
        "partition": aws.partition,
        "range": aws.range_,
        "hash": aws.hash_,
        "random": aws.make_random(sources),
        "uuid": aws.make_uuid(sources),
        "parse": aws.parse,
    }

    def compile_(text: str) -> Any:
        expression = jsonatapy.compile(text)
        for name, function in functions.items():
            if name == "random":  # shadows JSONata's own $random
                expression.register_override(name, function)
            else:
                expression.register(name, function)
        return expression

    def evaluate(expression: Any, bindings: dict[str, Any]) -> Any:
        return expression.evaluate(None, bindings)  # undefined, null, function: all None

    return compile_, evaluate


UNDEFINED = "<undefined>"
FUNCTION = "<function>"

LIBRARIES = {"jsonata-python": _jsonata_python, "jsonatapy": _jsonatapy}


def _corpus_cases() -> list[tuple[str, str, dict[str, Any], Any]]:
    """(case file, expression, bindings, AWS output) for single JSONata Pass states."""
    found = []
    for path in sorted(glob.glob(os.path.join(CASES, "*.json"))):
        with open(path) as handle:
            case = json.load(handle)
        definition = case["definition"]
        states = definition.get("States", {})
        if len(states) != 1 or case["expected"]["status"] != "SUCCEEDED":
            continue
        (state,) = states.values()
        language = state.get("QueryLanguage", definition.get("QueryLanguage"))
        output = state.get("Output")
        if state.get("Type") != "Pass" or language != "JSONata" or "Assign" in state:
            continue
        if not (isinstance(output, str) and output.startswith("{%") and output.endswith("%}")):
            continue
        bindings = {"states": {"input": case["input"]}}
        found.append(
            (os.path.basename(path), output[2:-2].strip(), bindings, case["expected"]["output"])
        )
    return found


DISTINCTIONS = [
    ("undefined", "$doesNotExist", UNDEFINED),
    ("null", "null", None),
    ("function", "function($x){$x}", FUNCTION),
    ("empty-array", "[]", []),
]


def _time(
    compile_: Callable[[str], Any],
    evaluate: Callable[[Any, dict[str, Any]], Any],
    text: str,
    bindings: dict[str, Any],
) -> tuple[float, float]:
    """Seconds per compile+evaluate and per evaluate of a compiled expression."""
    compiled = compile_(text)
    cold = min(timeit.repeat(lambda: evaluate(compile_(text), bindings), number=200, repeat=5))
    warm = min(timeit.repeat(lambda: evaluate(compiled, bindings), number=200, repeat=5))
    return cold / 200, warm / 200


def main() -> None:
    cases = _corpus_cases()
    print(f"corpus: {len(cases)} single-state JSONata Pass cases from {CASES}")
    for name, factory in LIBRARIES.items():
        loaded = factory()
        if loaded is None:
            print(f"\n{name}: not installed")
            continue
        compile_, evaluate = loaded
        agree = 0
        for file, text, bindings, expected in cases:
            try:
                got = evaluate(compile_(text), bindings)
            except Exception as error:
                got = f"<error {error}>"
            if json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True):
                agree += 1
            else:
                print(f"  {name} differs on {file}: {text!r} -> {got!r}, AWS {expected!r}")
        kept = sum(1 for _, text, want in DISTINCTIONS if evaluate(compile_(text), {}) == want)
        total = len(DISTINCTIONS)
        print(f"\n{name}: corpus {agree}/{len(cases)}; AWS distinctions kept {kept}/{total}")
        for label, text, bindings in TYPICAL:
            cold, warm = _time(compile_, evaluate, text, bindings)
            print(f"  {label:7s} compile+eval {cold * 1e6:9.1f} us   eval {warm * 1e6:9.1f} us")


if __name__ == "__main__":
    main()
