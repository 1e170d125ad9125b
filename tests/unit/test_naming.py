"""Hostile names through ``snake``, ``pascal`` and ``NameScope.claim``.

``snake``/``pascal`` only clean and case a name; making it safe against keywords, builtins
and client members is the scope's job, so the full invariant (a usable identifier) is
asserted on what a scope hands out.
"""

from __future__ import annotations

import keyword

import pytest

from codegen.naming import PY_CLIENT_MEMBERS, PY_RESERVED, NameScope, pascal, snake

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
