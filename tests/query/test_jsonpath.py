"""JSONPath as AWS evaluates it: Jayway dialect, `$$` and `$var` roots, ResultPath."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phalanx.errors import QuerySyntaxError, StatesError
from phalanx.query._jsonpath_syntax import MAX_FILTER_DEPTH, Field
from phalanx.query.jsonpath import InvalidPath, PathNotFound, evaluate, parse, set_result_path

STORE = {
    "store": {
        "book": [
            {"category": "reference", "author": "Rees", "price": 8.95},
            {"category": "fiction", "author": "Waugh", "price": 12.99, "isbn": "0-553"},
            {"category": "fiction", "author": "Tolkien", "price": 22.99, "isbn": "0-395"},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "a b": 1,
    "items": [1, 2, 3, 4, 5],
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("$", STORE, id="root-is-the-whole-input"),
        pytest.param("$.store.bicycle.color", "red", id="dotted-names"),
        pytest.param("$['a b']", 1, id="bracket-name-with-space"),
        pytest.param('$["a b"]', 1, id="double-quoted-bracket-name"),
        pytest.param("$.items[0]", 1, id="index"),
        pytest.param("$.items[-1]", 5, id="negative-index-counts-from-end"),
        pytest.param("$.store.book[1].author", "Waugh", id="index-then-name"),
        pytest.param("$.items[*]", [1, 2, 3, 4, 5], id="wildcard-on-array"),
        pytest.param("$.store.book[*].author", ["Rees", "Waugh", "Tolkien"], id="wildcard-map"),
        pytest.param("$.store.bicycle.*", ["red", 19.95], id="wildcard-on-object"),
        pytest.param("$.items[1:3]", [2, 3], id="slice"),
        pytest.param("$.items[:2]", [1, 2], id="slice-open-start"),
        pytest.param("$.items[-2:]", [4, 5], id="slice-negative-start"),
        pytest.param("$.items[0,2]", [1, 3], id="index-union"),
        pytest.param("$.store.bicycle['color','price']", ["red", 19.95], id="name-union"),
        pytest.param("$..author", ["Rees", "Waugh", "Tolkien"], id="deep-scan-name"),
        pytest.param(
            "$..price", [8.95, 12.99, 22.99, 19.95], id="deep-scan-is-pre-order-document-order"
        ),
        pytest.param("$.store.book[?(@.price < 10)].author", ["Rees"], id="filter-less-than"),
        pytest.param("$.store.book[?(@.isbn)].author", ["Waugh", "Tolkien"], id="filter-existence"),
        pytest.param(
            "$.store.book[?(@.category == 'fiction' && @.price > 20)].author",
            ["Tolkien"],
            id="filter-and",
        ),
        pytest.param(
            "$.store.book[?(@.price < 9 || @.price > 20)].author",
            ["Rees", "Tolkien"],
            id="filter-or",
        ),
        pytest.param(
            "$.store.book[?(!(@.category == 'fiction'))].author", ["Rees"], id="filter-not"
        ),
        pytest.param(
            "$.store.book[?(@.author =~ /T.*n/)].price", [22.99], id="filter-regex-full-match"
        ),
        pytest.param("$.store.book[?(@.author =~ /T/)].price", [], id="regex-must-match-whole"),
        pytest.param(
            "$.store.book[?(@.price > $.store.bicycle.price)].author",
            ["Tolkien"],
            id="filter-compares-with-absolute-path",
        ),
        pytest.param("$.store.book[?(@.price == '8.95')]", [], id="filter-string-is-not-number"),
        pytest.param("$.items.length()", 5, id="length-of-array"),
        pytest.param("$.store.book[*].author.length()", 3, id="length-of-indefinite-results"),
    ],
)
def test_evaluate_selects(path: str, expected: Any) -> None:
    assert evaluate(path, STORE) == expected


def test_filter_on_status_zero_as_in_corpus() -> None:
    # corpus base/test_state_pass_regex_json_path_base
    data = {"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}
    assert evaluate("$.users[?(@.status == 0)]", data) == [{"year": 1997, "status": 0}]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("$.item.items[1:5].itemValue", id="slice-below-missing-object"),
        pytest.param("$.item.items[*]", id="wildcard-below-missing-object"),
        pytest.param("$.items[:1]", id="slice-of-missing-array"),
        pytest.param("$..nothing", id="deep-scan-without-matches"),
        pytest.param("$.a[?(@.x == 1)]", id="filter-over-missing"),
    ],
)
def test_indefinite_path_on_missing_data_gives_empty_list(path: str) -> None:
    # corpus base/test_json_path_array_wildcard_or_slice_with_no_input: AWS gives []
    assert evaluate(path, {}) == []


@pytest.mark.parametrize(
    ("path", "data", "cause"),
    [
        pytest.param(
            "$.NoSuchInputPath",
            {},
            "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
            id="missing-leaf",
        ),
        pytest.param(
            "$.no.such.result.path",
            {},
            "Invalid path '$.no.such.result.path' : Missing property in path $['no']",
            id="missing-intermediate",
        ),
        pytest.param(
            "$.a[3]",
            {"a": [1]},
            "Invalid path '$.a[3]' : No results for path: $['a'][3]",
            id="index-out-of-range",
        ),
        pytest.param(
            "$.a.b",
            {"a": "text"},
            "Invalid path '$.a.b' : Expected to find an object with property ['b'] in path "
            "$['a'] but found 'java.lang.String'",
            id="name-on-a-string",
        ),
        pytest.param(
            "$.a[0]",
            {"a": {"k": 1}},
            "Invalid path '$.a[0]' : Filter: [0] can only be applied to arrays. "
            "Current context is: {k=1}",
            id="index-on-an-object",
        ),
    ],
)
def test_definite_path_that_selects_nothing_raises_path_not_found(
    path: str, data: Any, cause: str
) -> None:
    with pytest.raises(PathNotFound) as raised:
        evaluate(path, data)
    assert raised.value.error == "States.Runtime"
    assert raised.value.cause == cause
    assert raised.value.path == path


def test_path_not_found_is_a_states_error() -> None:
    assert issubclass(PathNotFound, StatesError)


def test_null_value_is_found_not_missing() -> None:
    assert evaluate("$.a", {"a": None}) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("$$.Execution.Id", "exec-1", id="context-field"),
        pytest.param("$$", {"Execution": {"Id": "exec-1"}}, id="context-root"),
        pytest.param("$answer", 42, id="variable"),
        pytest.param("$order.lines[0].sku", "A1", id="variable-field-path"),
    ],
)
def test_context_and_variable_roots(path: str, expected: Any) -> None:
    result = evaluate(
        path,
        {"ignored": True},
        context={"Execution": {"Id": "exec-1"}},
        variables={"answer": 42, "order": {"lines": [{"sku": "A1"}]}},
    )
    assert result == expected


def test_unknown_variable_raises_path_not_found() -> None:
    with pytest.raises(PathNotFound):
        evaluate("$missing.x", {}, variables={"other": 1})


@pytest.mark.parametrize(
    ("text", "root", "definite"),
    [
        pytest.param("$", "$", True, id="root"),
        pytest.param("$.a.b[0]", "$", True, id="names-and-index"),
        pytest.param("$.a[-1]", "$", True, id="negative-index"),
        pytest.param("$$.Map.Item.Value", "$$", True, id="context"),
        pytest.param("$var.x", "var", True, id="variable"),
        pytest.param("$.a[*]", "$", False, id="wildcard"),
        pytest.param("$.a[1:2]", "$", False, id="slice"),
        pytest.param("$..a", "$", False, id="deep-scan"),
        pytest.param("$.a[?(@.b)]", "$", False, id="filter"),
        pytest.param("$.a[0,1]", "$", False, id="union"),
        pytest.param("$.a.length()", "$", False, id="function"),
    ],
)
def test_parse_reports_root_and_definiteness(text: str, root: str, definite: bool) -> None:
    parsed = parse(text)
    assert (parsed.text, parsed.root, parsed.is_definite) == (text, root, definite)


def test_bracket_name_backslash_escapes_only_the_quote() -> None:
    # corpus scenarios/test_escape_sequence_parsing: $['Test\\""Name"'] reads Test\""Name"
    parsed = parse('$[\'Test\\""Name"\']')
    assert parsed.steps[0] == Field(('Test\\""Name"',))
    assert parse("$['it\\'s']").steps[0] == Field(("it's",))


@pytest.mark.parametrize(
    ("text", "position"),
    [
        pytest.param("", 0, id="empty"),
        pytest.param("a.b", 0, id="no-dollar"),
        pytest.param("$.", 2, id="dangling-dot"),
        pytest.param("$[", 2, id="unclosed-bracket"),
        pytest.param("$['a'", 5, id="unclosed-after-name"),
        pytest.param("$['a", 2, id="unterminated-quote"),
        pytest.param("$.a b", 3, id="space-in-name"),
        pytest.param("$[1:2:3]", 5, id="slice-step"),
        pytest.param("$.a.foo()", 4, id="unknown-function"),
        pytest.param("$.a[?(@.b ==)]", 12, id="filter-missing-operand"),
        pytest.param("$.a[?(@.b in ['x'])]", 10, id="filter-operator-we-do-not-support"),
        pytest.param("$.a.length().b", 12, id="step-after-function"),
        pytest.param("$[\u0661]", 2, id="non-ascii-digit-index"),
    ],
)
def test_parse_rejects_bad_syntax_with_position(text: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(text)
    assert raised.value.position == position
    assert raised.value.text == text


def test_filter_nesting_is_limited() -> None:
    deep = "$.a[?(" + "!" * (MAX_FILTER_DEPTH + 1) + "@.b)]"
    with pytest.raises(QuerySyntaxError, match="deeper than the limit"):
        parse(deep)


@given(st.text(max_size=40))
def test_parse_either_parses_or_raises_query_syntax_error(text: str) -> None:
    with contextlib.suppress(QuerySyntaxError):
        parse(text)


@given(st.text(alphabet="$.[]*?@()'\"=<>!&|:,-0123456789abc ", max_size=30).map(lambda s: "$" + s))
def test_parse_of_path_like_text_parses_or_raises_query_syntax_error(text: str) -> None:
    try:
        parsed = parse(text)
    except QuerySyntaxError:
        return
    with contextlib.suppress(PathNotFound, InvalidPath):
        evaluate(parsed, STORE)


# ------------------------------------------- Jayway readings that AWS samples rely on


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("$.[0]", {"a": 1}, id="dot-before-bracket-at-root"),
        pytest.param("$.list.[1].a", 2, id="dot-before-bracket-after-a-name"),
        pytest.param("$.list.[*].a", [1, 2], id="dot-before-wildcard-bracket"),
        pytest.param("$..[0]", [{"a": 1}], id="deep-scan-then-bracket-unchanged"),
        pytest.param(" $.list[0].a\n", 1, id="surrounding-blanks-ignored"),
    ],
)
def test_jayway_reads_dot_bracket_and_blanks(path: str, expected: Any) -> None:
    data: Any = [{"a": 1}, {"a": 2}]
    if "list" in path:
        data = {"list": data}
    assert evaluate(path, data) == expected


def test_dot_before_bracket_parses_like_the_bracket() -> None:
    assert parse("$.Snapshots.[0].State").steps == parse("$.Snapshots[0].State").steps
    assert parse("$.[0]").is_definite


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        pytest.param(
            "$.Labels[?(@.Name==Receipt)]",
            "Failed to parse filter: [?(@.Name==Receipt)], error on position: 11, char: R",
            id="bare-word-is-read-as-a-number-and-fails",
        ),
        pytest.param(
            "$.a[?(@.x == 'y' && @.code == error)].b",
            "Failed to parse filter: [?(@.x == 'y' && @.code == error)], "
            "error on position: 28, char: r",
            id="leading-e-is-a-number-character",
        ),
        pytest.param(
            "$.a[?(@.b[?(@.c==X)])]",
            "Failed to parse filter: [?(@.c==X)], error on position: 8, char: X",
            id="nested-filter-names-its-own-text",
        ),
        pytest.param(
            "$[(@.length-1)].bar",
            "Could not parse token starting at position 1. Expected ?, ', 0-9, * ",
            id="script-selector",
        ),
        pytest.param(
            "$$.Map.Items[(@.length-1)]",
            "Could not parse token starting at position 11. Expected ?, ', 0-9, * ",
            id="script-selector-on-the-context-object",
        ),
    ],
)
def test_paths_aws_accepts_but_jayway_cannot_compile_fail_when_run(path: str, detail: str) -> None:
    parsed = parse(path)  # accepted in a definition, as AWS does
    assert not parsed.is_definite
    with pytest.raises(InvalidPath) as raised:
        evaluate(parsed, {"Labels": [{"Name": "Receipt"}], "a": []}, context={})
    assert raised.value.error == "States.Runtime"
    assert raised.value.cause == f"Invalid path '{path}' : {detail}"


def test_jayway_compiles_the_whole_path_before_reading() -> None:
    # The missing field would be PathNotFound; the filter fails first.
    with pytest.raises(InvalidPath):
        evaluate("$.missing.x[?(@.a==b)]", {})


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("true", id="true"),
        pytest.param("false", id="false"),
        pytest.param("null", id="null"),
    ],
)
def test_keywords_are_literals_not_bare_words(word: str) -> None:
    assert parse(f"$[?(@.a == {word})]").jayway_error is None


def test_bare_word_needs_an_operator() -> None:
    with pytest.raises(QuerySyntaxError, match="comparison operator"):
        parse("$[?(Receipt)]")


@pytest.mark.parametrize(
    ("text", "position"),
    [
        pytest.param("$[(@.length-1]", 1, id="unclosed-script"),
        pytest.param("$[(@.length-1)", 14, id="script-without-bracket"),
    ],
)
def test_script_selector_must_be_closed(text: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(text)
    assert raised.value.position == position


# ---------------------------------------------------------------- ResultPath


@pytest.mark.parametrize(
    ("data", "result", "path", "expected"),
    [
        pytest.param({"a": 1}, {"r": 2}, None, {"a": 1}, id="null-discards-result"),
        pytest.param({"a": 1}, {"r": 2}, "$", {"r": 2}, id="dollar-replaces-input"),
        pytest.param({"a": 1}, 2, "$.b", {"a": 1, "b": 2}, id="adds-field"),
        pytest.param({"a": 1}, 2, "$.a", {"a": 2}, id="overwrites-field"),
        pytest.param({"a": 1}, 2, "$.x.y.z", {"a": 1, "x": {"y": {"z": 2}}}, id="creates-objects"),
        pytest.param({"a": {"k": 0}}, 2, "$.a.b", {"a": {"k": 0, "b": 2}}, id="merges-into-object"),
        pytest.param({"l": [1, 2]}, 9, "$.l[1]", {"l": [1, 9]}, id="sets-array-element"),
        pytest.param("text", 2, "$", 2, id="dollar-replaces-non-object-input"),
    ],
)
def test_set_result_path(data: Any, result: Any, path: str | None, expected: Any) -> None:
    assert set_result_path(data, result, path) == expected


def test_set_result_path_does_not_modify_its_input() -> None:
    data = {"a": {"k": 0}}
    set_result_path(data, 1, "$.a.b")
    assert data == {"a": {"k": 0}}


@pytest.mark.parametrize(
    ("data", "path", "cause"),
    [
        pytest.param(
            '{"min":1}',
            "$.partitioned",
            'Unable to apply ReferencePath $.partitioned to input "{\\"min\\":1}"',
            id="string-input",
        ),
        pytest.param(
            {"a": 1}, "$.a.b", 'Unable to apply ReferencePath $.a.b to input {"a":1}', id="number"
        ),
        pytest.param([1], "$.a", "Unable to apply ReferencePath $.a to input [1]", id="array"),
    ],
)
def test_set_result_path_into_non_object_is_states_runtime(
    data: Any, path: str, cause: str
) -> None:
    with pytest.raises(StatesError) as raised:
        set_result_path(data, 1, path)
    assert (raised.value.error, raised.value.cause) == ("States.Runtime", cause)


@pytest.mark.parametrize("path", ["$.a[*]", "$$.Execution", "$var.a", "$..a"])
def test_set_result_path_needs_a_reference_path(path: str) -> None:
    with pytest.raises(QuerySyntaxError):
        set_result_path({}, 1, path)
