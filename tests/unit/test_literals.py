"""Schema text and values reaching generated source: literals, docstrings, comments, TOML, MD."""

from __future__ import annotations

import ast
import math
import re
import tomllib
from typing import Any

import pytest

from codegen.literals import (
    comment,
    md_code,
    md_text,
    prose,
    py_docstring_body,
    py_literal,
    toml_string,
)

HOSTILE_VALUES: list[Any] = [
    "",
    "'",
    '"',
    "'''",
    '"""',
    "'\"'\"",
    "\\",
    "\\'",
    "a\\nb",
    "line1\nline2\r\nline3\rline4",
    "\u2028\u2029",
    "\x00",
    "\x7f\x1b[31m",
    "😀 emoji",
    "\\N{BULLET}",
    "{__import__('os')}",
    "\ud800",  # a lone surrogate is valid JSON ("\ud800")
    0,
    -1,
    2**100,
    -(2**70),
    1.5,
    -0.0,
    1e300,
    5e-324,
    True,
    False,
    None,
    [],
    {},
    [1, [2, [3, ["'\"\n"]]]],
    {"k'\"\n": {"nested": [None, True, 1.25, "\\"]}},
    {"": ""},
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_py_literal_round_trips(value: Any) -> None:
    src = py_literal(value)
    back = ast.literal_eval(src)
    assert back == value
    assert type(back) is type(value)
    assert "\n" not in src  # one logical line, safe to paste anywhere


def test_py_literal_keeps_negative_zero_sign() -> None:
    assert math.copysign(1.0, ast.literal_eval(py_literal(-0.0))) == -1.0


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_py_literal_non_finite_floats(value: float) -> None:
    src = py_literal(value)
    result = eval(src, {"__builtins__": {}}, {"float": float})
    assert isinstance(result, float)
    if math.isnan(value):
        assert math.isnan(result)
    else:
        assert result == value


def test_py_literal_non_finite_inside_containers() -> None:
    src = py_literal({"a": [math.inf, 1.0]})
    assert eval(src, {"__builtins__": {}}, {"float": float}) == {"a": [math.inf, 1.0]}


def test_py_literal_rejects_non_json() -> None:
    with pytest.raises(TypeError):
        py_literal(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        py_literal({"a": {1, 2}})


def test_py_literal_writes_tuples_that_evaluate_back() -> None:
    for value in [(1, 2.5), ("a",), ((1, None), [(2, "x")])]:
        assert eval(py_literal(value), {"__builtins__": {}}) == value


DOC_TEXTS = [
    'contains """ triple quotes',
    'ends with a quote"',
    'ends with two quotes""',
    '""""""',
    "'''single triple'''",
    "trailing backslash\\",
    '\\"""',
    "\\N{BULLET} and \\u00e9 and \\x00 and \\0",
    "a\\\nb",
    "tab\there",
    "CR\r\nLF",
    "ctrl\x00\x1b\x7f\u2028end",
    "",
    '"',
    "x" * 5000,
]


def _docstring(body: str) -> str:
    tree = ast.parse('def f():\n    """' + body + '"""\n')
    fn = tree.body[0]
    assert isinstance(fn, ast.FunctionDef) and len(fn.body) == 1
    value = ast.get_docstring(fn, clean=False)
    assert isinstance(value, str)
    return value


@pytest.mark.parametrize("text", DOC_TEXTS)
def test_docstring_body_stays_inside_the_docstring(text: str) -> None:
    body = py_docstring_body(text)
    value = _docstring(body)
    expected = prose(text)
    # a trailing quote gets one space so it cannot merge with the closing quotes
    assert value in (expected, expected + " ")


@pytest.mark.parametrize("text", DOC_TEXTS)
def test_docstring_body_as_module_docstring_evaluates_to_a_string(text: str) -> None:
    src = '"""' + py_docstring_body(text) + '"""'
    ast.parse(src)
    assert isinstance(ast.literal_eval(src), str)


def test_docstring_body_is_bounded() -> None:
    assert len(py_docstring_body("y" * 100_000)) <= 2000


@pytest.mark.parametrize("func", [py_docstring_body, comment, toml_string, md_text])
def test_prose_outputs_are_utf8_encodable(func: Any) -> None:
    func("bad \ud800 text").encode("utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "one\ntwo\r\nthree\rfour",
        "para\u2028sep\u2029x",
        "form\x0cfeed\x0bvt",
        "nel\x85x",
        "  spaced   out  ",
        "z" * 1000,
    ],
)
def test_comment_is_one_line(text: str) -> None:
    out = comment(text)
    assert len(out.splitlines()) <= 1
    assert "\n" not in out and "\r" not in out
    assert len(out) <= 200
    # a comment line parses as nothing but a comment
    tree = ast.parse("# " + out + "\nx = 1\n")
    assert len(tree.body) == 1


def test_comment_collapses_whitespace() -> None:
    assert comment("a\n\n  b\tc") == "a b c"


@pytest.mark.parametrize(
    "text",
    [
        'he said "hi"',
        "back\\slash",
        "multi\nline",
        "tab\tx",
        "\x7fdel",
        "😀",
        "\u2028",
        "'''\"\"\"",
        "key = 'value'",
        "\\u0000",
    ],
)
def test_toml_string_round_trips(text: str) -> None:
    doc = tomllib.loads("k = " + toml_string(text) + "\nother = 1\n")
    assert doc == {"k": prose(text), "other": 1}


def test_md_text_defuses_html_and_code() -> None:
    out = md_text("<script>alert('x')</script> `code` ```fence``` & <b>")
    assert "<script>" not in out and "<" not in out and ">" not in out
    assert "&lt;script&gt;" in out
    assert "`" not in out.replace("\\`", "")
    assert "&amp;" in out


def test_prose_drops_controls_and_normalises_newlines() -> None:
    assert prose("a\r\nb\rc\x00d\u2028") == "a\nb\ncd"
    assert prose("  x  ") == "x"
    long = prose("w" * 50, limit=10)
    assert len(long) == 10 and long.endswith("…")


@pytest.mark.parametrize("text", ["plain", "a `tick`", "``double``", "`edge", "x -> y <b>"])
def test_md_code_is_one_code_span_holding_the_text(text: str) -> None:
    span = md_code(text)
    fence = re.match(r"`+", span)
    assert fence is not None and span.endswith(fence.group())
    inner = span[len(fence.group()) : -len(fence.group())]
    assert fence.group() not in inner
    assert inner.strip() == text.strip() or inner[1:-1] == text
