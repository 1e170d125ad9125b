"""Hostile names through ``snake``, ``pascal`` and ``NameScope.claim``.

``snake``/``pascal`` only clean and case a name; making it safe against keywords, builtins
and client members is the scope's job, so the full invariant (a usable identifier) is
asserted on what a scope hands out.
"""

from __future__ import annotations

import keyword
import sys

import pytest

from codegen.naming import (
    PY_CLIENT_MEMBERS,
    PY_PACKAGE_TAKEN,
    PY_RESERVED,
    NameScope,
    curl_script_stems,
    js_method_names,
    pascal,
    py_method_names,
    py_package,
    snake,
)

HOSTILE = [
    "class",
    "lambda",
    "match",  # soft keyword
    "case",  # soft keyword
    "_",  # soft keyword, and nothing usable
    "type",
    "list",
    "None",
    "True",
    "self",
    "close",
    "submit",
    "session_hash",
    "2nd_échō",
    "123",
    "日本",
    "π",
    "",
    "   ",
    "../x",
    "a b",
    "it's",
    'say "hi"',
    "`rm -rf`",
    "camelCase",
    "HTTPServer",
    "__init__",
    "a-b",
    "a_b",
    "ﬁle",  # NFKC ligature
    "x\x00y",
    "tab\there",
    "line\nbreak",
    "emoji😀name",
]


def _usable(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name.isascii()


@pytest.mark.parametrize("raw", HOSTILE)
def test_snake_and_pascal_are_ascii_identifiers(raw: str) -> None:
    s = snake(raw, "param")
    p = pascal(raw, "Model")
    assert s.isidentifier() and s.isascii(), s
    assert p.isidentifier() and p.isascii(), p
    assert s == s.lower()
    assert not p[0].isdigit() and not s[0].isdigit()


@pytest.mark.parametrize("raw", HOSTILE)
def test_claimed_snake_name_is_usable(raw: str) -> None:
    scope = NameScope(PY_RESERVED | PY_CLIENT_MEMBERS)
    name = scope.claim(snake(raw, "endpoint"))
    assert _usable(name), name
    assert name not in PY_RESERVED
    assert name not in PY_CLIENT_MEMBERS


@pytest.mark.parametrize("raw", HOSTILE)
def test_claimed_pascal_name_is_usable(raw: str) -> None:
    scope = NameScope(PY_RESERVED)
    name = scope.claim(pascal(raw, "Model"))
    assert _usable(name), name
    assert name not in PY_RESERVED


def test_all_hostile_names_in_one_scope_are_distinct_and_usable() -> None:
    scope = NameScope(PY_RESERVED | PY_CLIENT_MEMBERS)
    names = [scope.claim(snake(raw, "endpoint")) for raw in HOSTILE]
    assert len(set(names)) == len(names)
    assert all(_usable(n) for n in names), names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("class", "class_"),
        ("lambda", "lambda_"),
        ("match", "match_"),
        ("type", "type_"),
        ("list", "list_"),
        ("close", "close_"),
        ("submit", "submit_"),
        ("camelCase", "camel_case"),
        ("2nd_échō", "endpoint_2nd_echo"),
        ("日本", "endpoint"),
        ("", "endpoint"),
        ("../x", "x"),
        ("a b", "a_b"),
        ('say "hi"', "say_hi"),
        ("`rm -rf`", "rm_rf"),
    ],
)
def test_expected_snake_names(raw: str, expected: str) -> None:
    scope = NameScope(PY_RESERVED | PY_CLIENT_MEMBERS)
    assert scope.claim(snake(raw, "endpoint")) == expected


def test_client_members_only_reserved_when_asked() -> None:
    assert NameScope(PY_RESERVED).claim("close") == "close"
    assert NameScope(PY_RESERVED | PY_CLIENT_MEMBERS).claim("close") == "close_"


def test_leading_digit_gets_fallback_prefix() -> None:
    assert snake("2nd_échō", "param") == "param_2nd_echo"
    assert pascal("2nd_échō", "Model") == "Model2ndEcho"
    assert snake("123", "p") == "p_123"


def test_non_ascii_only_uses_fallback() -> None:
    assert snake("日本", "param") == "param"
    assert pascal("日本", "Model") == "Model"
    assert snake("", "fallback") == "fallback"
    assert pascal("", "Fallback") == "Fallback"


def test_camel_case_split() -> None:
    assert snake("camelCase", "p") == "camel_case"
    assert snake("someHTTPThing2Go", "p").startswith("some_")
    assert pascal("hello world", "M") == "HelloWorld"
    assert pascal("snake_case_name", "M") == "SnakeCaseName"


def test_duplicates_after_cleaning_get_distinct_stable_names() -> None:
    def run() -> list[str]:
        scope = NameScope(PY_RESERVED)
        return [scope.claim(snake(raw, "p")) for raw in ("a-b", "a_b", "a b", "A_B")]

    first = run()
    assert first[0] == "a_b"
    assert len(set(first)) == 4
    assert first == run()  # same claims in the same order -> same names
    assert all(_usable(n) for n in first)


def test_suffix_never_collides_with_an_existing_name() -> None:
    scope = NameScope(PY_RESERVED)
    a = scope.claim("x_2")
    b = scope.claim("x")
    c = scope.claim("x")
    assert (a, b) == ("x_2", "x")
    assert c not in {a, b}


def test_reserved_suffix_collision() -> None:
    scope = NameScope(PY_RESERVED)
    names = [scope.claim("list"), scope.claim("list_"), scope.claim("list")]
    assert names[0] == "list_"
    assert len(set(names)) == 3
    assert all(_usable(n) and n not in PY_RESERVED for n in names)


def test_reserved_contains_keywords_soft_keywords_and_builtins() -> None:
    for word in ("class", "lambda", "match", "case", "type", "list", "print", "None"):
        assert word in PY_RESERVED
    assert "close" in PY_CLIENT_MEMBERS and "submit" in PY_CLIENT_MEMBERS


# -- names that fit each language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "package"),
    [
        ("json", "json_client"),
        ("test", "test_client"),
        ("code", "code_client"),
        ("types", "types_client"),
        ("httpx", "httpx_client"),
        ("anyio", "anyio_client"),
        ("distutils", "distutils_client"),  # gone from 3.12, still taken on 3.11
        ("annotationlib", "annotationlib_client"),  # new in 3.14, taken on 3.11 too
        ("list", "list_client"),
        ("Whisper", "whisper"),
        ("json tools", "json_tools"),
    ],
)
def test_a_package_name_never_shadows_a_module(title: str, package: str) -> None:
    assert py_package(title) == package


def test_every_standard_library_module_is_taken() -> None:
    public = {n for n in sys.stdlib_module_names if not n.startswith("_")}
    assert public <= PY_PACKAGE_TAKEN
    assert not {py_package(n) for n in public} & PY_PACKAGE_TAKEN


def test_js_methods_are_camel_case_and_escape_only_what_javascript_needs() -> None:
    names = js_method_names(
        ["greet_user", "filter", "export", "then", "call", "constructor", "fetch", "2nd échō"]
    )
    assert names == {
        "greet_user": ("greetUser", "submitGreetUser"),
        "filter": ("filter", "submitFilter"),
        "export": ("export_", "submitExport"),
        "then": ("then_", "submitThen"),  # a client with then() would be awaited away
        "call": ("call_", "submitCall"),
        "constructor": ("constructor_", "submitConstructor"),
        "fetch": ("fetch", "submitFetch"),  # a method shadows no global
        "2nd échō": ("endpoint2ndEcho", "submitEndpoint2ndEcho"),
    }


def test_js_method_names_are_distinct_calls_first() -> None:
    names = js_method_names(["greet", "submit_greet", "Greet", "greet-"])
    calls = [c for c, _ in names.values()]
    assert calls == ["greet", "submitGreet", "greet2", "greet3"]
    everything = [n for pair in names.values() for n in pair]
    assert len(set(everything)) == len(everything)


def test_python_methods_leave_room_for_call_and_curl_scripts_keep_their_names() -> None:
    assert py_method_names(["call", "greet"]) == {
        "call": ("call_", "submit_call_"),
        "greet": ("greet", "submit_greet"),
    }
    stems = curl_script_stems(["greet_user", "filter", "new", "toString", "call"])
    assert stems == {
        "greet_user": "greet_user",
        "filter": "filter_",
        "new": "new_",
        "toString": "to_string",
        "call": "call",
    }
