"""The 18 intrinsic functions: grammar, AWS's argument rules and AWS's failures."""

from __future__ import annotations

import contextlib
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phalanx.errors import QuerySyntaxError, StatesError
from phalanx.query.intrinsics import Sources, evaluate, is_intrinsic, parse
from phalanx.query.jsonpath import PathNotFound

DATA = {
    "name": "Ada",
    "nums": [1, 2, 3, 4, 5, 6, 7, 8, 9],
    "obj": {"Arg1": 1, "Arg2": []},
    "json": '{"Arg1": 1, "Arg2": []}',
    "nested": {"a": {"a1": 1}, "b": 2},
}
CONTEXT = {"StateMachine": {"Name": "orders-prod-v2", "Id": "arn:sm"}, "Execution": {"Name": "e1"}}


def run(text: str, data: Any = None, **kwargs: Any) -> Any:
    return evaluate(text, DATA if data is None else data, context=CONTEXT, **kwargs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # States.Format: strings raw, null as "null", objects as Java toString
        pytest.param("States.Format('Hello {}', $.name)", "Hello Ada", id="format"),
        pytest.param("States.Format('no placeholders')", "no placeholders", id="format-plain"),
        pytest.param("States.Format('{} {}', 1.1, null)", "1.1 null", id="format-number-null"),
        pytest.param("States.Format('{}', $.obj)", "{Arg1=1, Arg2=[]}", id="format-object-java"),
        pytest.param("States.Format('{}', $.nums[0:2])", "[1, 2]", id="format-list-java"),
        pytest.param("States.Format('{}', true)", "true", id="format-boolean"),
        pytest.param(r"States.Format('it\'s \{{}\}', 'x')", "it's {x}", id="format-escapes"),
        pytest.param(r"States.Format('a\\b')", "a\\b", id="format-escaped-backslash"),
        pytest.param("States.Format($.tpl, 'x')", "<x>", id="format-template-from-path"),
        pytest.param("States.Format('{}', 10000000.0)", "1.0E7", id="format-large-double-java"),
        # JSON conversions
        pytest.param("States.StringToJson($.json)", {"Arg1": 1, "Arg2": []}, id="string-to-json"),
        pytest.param("States.StringToJson('')", None, id="string-to-json-empty-is-null"),
        pytest.param("States.StringToJson(' ')", None, id="string-to-json-blank-is-null"),
        pytest.param("States.StringToJson('-0')", 0, id="string-to-json-minus-zero"),
        pytest.param("States.JsonToString($.obj)", '{"Arg1":1,"Arg2":[]}', id="json-to-string"),
        pytest.param("States.JsonToString($.name)", '"Ada"', id="json-to-string-quotes"),
        # arrays
        pytest.param("States.Array()", [], id="array-empty"),
        pytest.param("States.Array($.name, 1, null)", ["Ada", 1, None], id="array"),
        pytest.param(
            "States.ArrayPartition($.nums, 4)", [[1, 2, 3, 4], [5, 6, 7, 8], [9]], id="partition"
        ),
        pytest.param("States.ArrayPartition(States.Array(), 2)", [], id="partition-empty"),
        pytest.param("States.ArrayContains($.nums, 5)", True, id="contains"),
        pytest.param(
            "States.ArrayContains(States.Array(1), true)", False, id="contains-true-is-not-1"
        ),
        pytest.param(
            "States.ArrayContains(States.Array($.obj), $.obj)", True, id="contains-object"
        ),
        pytest.param("States.ArrayRange(1, 9, 2)", [1, 3, 5, 7, 9], id="range"),
        pytest.param("States.ArrayRange(0, 10, 3)", [0, 3, 6, 9], id="range-stops-before-end"),
        pytest.param("States.ArrayRange(5, 1, -2)", [5, 3, 1], id="range-descending"),
        pytest.param("States.ArrayRange(5, 1, 1)", [], id="range-wrong-direction-empty"),
        pytest.param("States.ArrayRange(1.6, 1.4, 1)", [1], id="range-truncates-fractions"),
        pytest.param("States.ArrayGetItem($.nums, 5)", 6, id="get-item"),
        pytest.param("States.ArrayGetItem($.nums, 1.7)", 2, id="get-item-truncates-index"),
        pytest.param("States.ArrayLength($.nums)", 9, id="length"),
        pytest.param(
            "States.ArrayUnique(States.Array(1, 1, 'a', 'a', true, 1.5, 1.5))",
            [1, "a", True, 1.5],
            id="unique-keeps-first-and-types",
        ),
        # encoding and hashing
        pytest.param(
            "States.Base64Encode('Data to encode')", "RGF0YSB0byBlbmNvZGU=", id="b64-encode"
        ),
        pytest.param(
            "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", "Data to encode", id="b64-decode"
        ),
        pytest.param("States.Base64Encode('')", "", id="b64-encode-empty"),
        pytest.param(
            "States.Hash('input data', 'MD5')", "812f45842bc6d66ee14572ce20db8e86", id="md5"
        ),
        pytest.param(
            "States.Hash('input data', 'SHA-1')",
            "aaff4a450a104cd177d28d18d74485e8cae074b7",
            id="sha1",
        ),
        pytest.param(
            "States.Hash('input data', 'SHA-256')",
            "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
            id="sha256",
        ),
        # JSON merge
        pytest.param(
            'States.JsonMerge($.nested, States.StringToJson(\'{"a": {"a3": 1}, "c": 3}\'), false)',
            {"a": {"a3": 1}, "b": 2, "c": 3},
            id="merge-is-shallow",
        ),
        # math: MathAdd rounds half up per operand (corpus test_math_operations)
        pytest.param("States.MathAdd(-9, 3)", -6, id="add"),
        pytest.param("States.MathAdd(1.49, 1.5)", 3, id="add-rounds-each-operand"),
        pytest.param("States.MathAdd(-1.5, 0)", -1, id="add-rounds-half-up-negative"),
        pytest.param("States.MathAdd(-2.5, 0)", -2, id="add-rounds-minus-2-5-to-minus-2"),
        pytest.param("States.MathAdd(2.5, 0)", 3, id="add-rounds-2-5-to-3"),
        pytest.param("States.MathAdd(-0.5, 0.5)", 1, id="add-rounds-before-adding"),
        # strings: StringSplit splits on each delimiter character, drops empties
        pytest.param("States.StringSplit('1,2,3', ',')", ["1", "2", "3"], id="split"),
        pytest.param("States.StringSplit(', , ,', ',')", [" ", " "], id="split-drops-empty"),
        pytest.param("States.StringSplit(',,,,', ',')", [], id="split-only-delimiters"),
        pytest.param(
            "States.StringSplit('This.is+a,test', '.+,')",
            ["This", "is", "a", "test"],
            id="split-char-set",
        ),
        pytest.param(
            "States.StringSplit('Hello\nWorld', '\n')", ["Hello", "World"], id="split-newline"
        ),
        # nesting and context object
        pytest.param(
            "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd("
            "States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
            "v2",
            id="nested-calls-with-context",
        ),
        pytest.param(
            "States.Format('{}', $$.StateMachine)",
            "{Name=orders-prod-v2, Id=arn:sm}",
            id="context-object",
        ),
        pytest.param("States.Format('{}', $v.x)", "1", id="variable-argument"),
    ],
)
def test_evaluate(text: str, expected: Any) -> None:
    data = {**DATA, "tpl": "<{}>"}
    assert evaluate(text, data, context=CONTEXT, variables={"v": {"x": 1}}) == expected


def test_math_random_uses_injected_generator() -> None:
    sources = Sources(rng=random.Random(7))
    first = run("States.MathRandom(1, 1000)", sources=sources)
    again = run("States.MathRandom(1, 1000)", sources=Sources(rng=random.Random(7)))
    assert first == again
    assert 1 <= first < 1000


def test_math_random_with_seed_is_repeatable() -> None:
    values = {run("States.MathRandom(0, 999, 3)") for _ in range(5)}
    assert len(values) == 1


def test_math_random_end_is_exclusive() -> None:
    assert {run("States.MathRandom(4, 5)") for _ in range(20)} == {4}


def test_uuid_uses_injected_factory() -> None:
    sources = Sources(new_uuid=lambda: "00000000-0000-4000-8000-000000000000")
    assert run("States.UUID()", sources=sources) == "00000000-0000-4000-8000-000000000000"


def test_uuid_is_version_4() -> None:
    value = run("States.UUID()")
    assert len(value) == 36 and value[14] == "4"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("States.Format('{} {}', 'x')", id="format-too-few-arguments"),
        pytest.param("States.Format('{}', 'x', 'y')", id="format-too-many-arguments"),
        pytest.param("States.Format('Hello {', 'x')", id="format-unmatched-brace"),
        pytest.param("States.Format('}')", id="format-lone-closing-brace"),
        pytest.param("States.Format($.nums, 'x')", id="format-non-string-template"),
        pytest.param("States.StringToJson('{bad')", id="string-to-json-bad-json"),
        pytest.param("States.StringToJson(1)", id="string-to-json-not-string"),
        pytest.param("States.ArrayPartition($.nums, 0)", id="partition-zero"),
        pytest.param("States.ArrayPartition($.nums, 0.49)", id="partition-rounds-to-zero"),
        pytest.param("States.ArrayPartition($.name, 2)", id="partition-not-array"),
        pytest.param("States.ArrayContains($.name, 'A')", id="contains-not-array"),
        pytest.param("States.ArrayRange(1, 10, 0)", id="range-zero-step"),
        pytest.param("States.ArrayRange(1, 1001, 1)", id="range-over-1000-items"),
        pytest.param("States.ArrayRange(1001, 1, -1)", id="range-over-1000-descending"),
        pytest.param("States.ArrayRange('a', 5, 1)", id="range-not-number"),
        pytest.param("States.ArrayGetItem($.nums, 9)", id="get-item-past-end"),
        pytest.param("States.ArrayGetItem($.nums, -1)", id="get-item-negative"),
        pytest.param("States.ArrayGetItem($.nums, '1')", id="get-item-string-index"),
        pytest.param("States.ArrayLength($.obj)", id="length-not-array"),
        pytest.param("States.ArrayUnique('x')", id="unique-not-array"),
        pytest.param("States.Base64Encode(1)", id="b64-encode-not-string"),
        pytest.param("States.Base64Decode('not base64!')", id="b64-decode-invalid"),
        pytest.param("States.Hash('data', 'sha-256')", id="hash-algorithm-is-case-sensitive"),
        pytest.param("States.Hash('data', 'SHA256')", id="hash-unknown-algorithm"),
        pytest.param("States.Hash('data', 1)", id="hash-algorithm-not-string"),
        pytest.param("States.JsonMerge($.nested, $.nested, true)", id="merge-deep-unsupported"),
        pytest.param("States.JsonMerge($.nums, $.nested, false)", id="merge-not-object"),
        pytest.param("States.MathRandom(5, 5)", id="random-empty-range"),
        pytest.param("States.MathRandom(1.4, 1.6)", id="random-truncated-range-empty"),
        pytest.param("States.MathAdd(1, 'x')", id="add-not-number"),
        pytest.param("States.MathAdd(2147483647, 1)", id="add-overflows-int32"),
        pytest.param("States.MathAdd(true, 1)", id="add-boolean"),
        pytest.param("States.StringSplit(1, ',')", id="split-not-string"),
    ],
)
def test_rejected_arguments_fail_with_states_runtime(text: str) -> None:
    name = text.split("(")[0]
    with pytest.raises(StatesError) as raised:
        run(text)
    assert raised.value.error == "States.Runtime"
    assert raised.value.cause == f"Invalid arguments in {name}"


@pytest.mark.parametrize(
    ("function", "size_ok", "size_too_big"),
    [
        pytest.param("Base64Encode", 10_000, 10_001, id="base64-encode"),
        pytest.param("Hash", 10_000, 10_001, id="hash"),
    ],
)
def test_encoding_input_limit_is_10000_characters(
    function: str, size_ok: int, size_too_big: int
) -> None:
    call = f"States.{function}($.s, 'SHA-256')" if function == "Hash" else f"States.{function}($.s)"
    evaluate(call, {"s": "a" * size_ok})
    with pytest.raises(StatesError):
        evaluate(call, {"s": "a" * size_too_big})


def test_json_merge_non_boolean_flag_is_shallow() -> None:
    assert run("States.JsonMerge($.nested, $.nested, 'false')") == DATA["nested"]


def test_hash_of_a_number_hashes_its_text() -> None:
    assert run("States.Hash(123, 'MD5')") == run("States.Hash('123', 'MD5')")


def test_missing_path_argument_raises_path_not_found() -> None:
    with pytest.raises(PathNotFound) as raised:
        run("States.Hash($.missing, 'SHA-256')")
    assert raised.value.path == "$.missing"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("States.Format('x')", True, id="call"),
        pytest.param("States.Anything", True, id="prefix-only"),
        pytest.param("$.a", False, id="path"),
        pytest.param(" States.Format('x')", False, id="leading-space"),
        pytest.param("states.Format('x')", False, id="lowercase"),
    ],
)
def test_is_intrinsic(text: str, expected: bool) -> None:
    assert is_intrinsic(text) is expected


def test_parse_keeps_structure() -> None:
    call = parse("States.Format('{}', States.ArrayLength($.a))")
    assert call.name == "Format"
    assert len(call.args) == 2
    assert call.text == "States.Format('{}', States.ArrayLength($.a))"


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        pytest.param("States.Nope()", 0, "unknown intrinsic function", id="unknown-name"),
        pytest.param("States.Hash('a')", 0, "takes 2", id="too-few-arguments"),
        pytest.param("States.UUID(1)", 0, "takes 0", id="too-many-arguments"),
        pytest.param("States.MathRandom(1)", 0, "takes 2 to 3", id="optional-argument-range"),
        pytest.param("States.Format()", 0, "at least 1", id="format-needs-template"),
        pytest.param("States.Format('a", 14, "unterminated", id="unterminated-string"),
        pytest.param(r"States.Format('a\n')", 16, "open escape", id="open-escape"),
        pytest.param("States.Array(1,)", 15, "expected an argument", id="empty-argument"),
        pytest.param("States.Array(1 2)", 15, "expected ','", id="missing-comma"),
        pytest.param("States.Array(1))", 15, "unexpected text", id="trailing-text"),
        pytest.param("States.Array($.a[)", 17, "after '['", id="bad-path-argument-position"),
        pytest.param("States.Array(foo)", 13, "expected an argument", id="bare-word"),
        pytest.param("Format('x')", 0, "expected an intrinsic", id="missing-prefix"),
        pytest.param("States.Array(1e999)", 13, "out of range", id="number-overflow"),
    ],
)
def test_parse_rejects(text: str, position: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(text)
    assert raised.value.position == position
    assert message in raised.value.message


def test_parse_limits_the_number_of_calls() -> None:
    text = "States.Array(" * 11 + ")" * 11
    with pytest.raises(QuerySyntaxError, match="more than 10"):
        parse(text)
    parse("States.Array(" * 10 + ")" * 10)


def test_path_arguments_may_contain_commas_and_parentheses() -> None:
    data = {"a": [{"b": 1, "c": 2}, {"b": 3, "c": 4}]}
    assert evaluate("States.Array($.a[?(@.b > 2)].c, $.a[0,1].b)", data) == [[4], [1, 3]]


@given(st.text(max_size=40))
def test_parse_random_text_parses_or_raises_query_syntax_error(text: str) -> None:
    with contextlib.suppress(QuerySyntaxError):
        parse(text)


@given(
    st.text(alphabet="States.Format(ArrayLength)'{}\\$., 0123-", max_size=40).map(
        lambda s: "States." + s
    )
)
def test_parse_call_like_text_parses_or_raises_query_syntax_error(text: str) -> None:
    with contextlib.suppress(QuerySyntaxError):
        parse(text)
