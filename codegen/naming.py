"""The only authority for identifiers in generated code.

Steps, in a fixed order: NFKC, ASCII fallback, invalid characters to ``_``, case, a prefix when
nothing usable is left or it starts with a digit, a trailing ``_`` for reserved words, then a
stable numeric suffix for collisions within one scope.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys
import unicodedata
from collections.abc import Iterable

PY_RESERVED = frozenset(
    [*keyword.kwlist, *keyword.softkwlist]
    + [n for n in dir(builtins) if not n.startswith("__")]
    + ["self", "cls", "typing", "httpx", "os", "JsonValue", "FileData", "FileInput"]
)
# Members of the generated Client/AsyncClient: an endpoint must never shadow them.
PY_CLIENT_MEMBERS = frozenset(
    [
        "base_url",
        "close",
        "aclose",
        "download",
        "adownload",
        "reset_session",
        "session_hash",
        "submit",
        "headers",
        "timeout",
        "token",
    ]
)

# ECMAScript reserved and strict-mode words, and globals a generated module must not shadow
JS_RESERVED = frozenset(
    [
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "arguments",
        "eval",
        "undefined",
        "NaN",
        "Infinity",
        "constructor",
        "prototype",
        "Object",
        "Array",
        "Promise",
        "Error",
        "Symbol",
        "JSON",
        "fetch",
        "FormData",
        "Blob",
        "URL",
        "globalThis",
    ]
)
JS_CLIENT_MEMBERS = frozenset(
    ["baseUrl", "close", "download", "resetSession", "sessionHash", "submit", "headers", "token"]
)

# What a method name may not be, in JavaScript: a reserved or strict-mode word (a property
# name may be one, but the .d.ts and the readers are plainer without), a member every object
# has, ``then`` (a client with it would be a thenable that ``await`` unwraps), and the
# client's own members. Globals such as ``fetch`` are fine: a method does not shadow them.
JS_KEYWORDS = frozenset(
    [
        *("await", "break", "case", "catch", "class", "const", "continue", "debugger"),
        *("default", "delete", "do", "else", "enum", "export", "extends", "false", "finally"),
        *("for", "function", "if", "implements", "import", "in", "instanceof", "interface"),
        *("let", "new", "null", "package", "private", "protected", "public", "return"),
        *("static", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void"),
        *("while", "with", "yield", "arguments", "eval", "undefined", "NaN", "Infinity"),
    ]
)
_JS_OBJECT_MEMBERS = frozenset(
    [
        *("constructor", "prototype", "hasOwnProperty", "isPrototypeOf", "toString", "valueOf"),
        *("propertyIsEnumerable", "toLocaleString", "then"),
    ]
)
JS_METHOD_RESERVED = (
    JS_KEYWORDS | _JS_OBJECT_MEMBERS | JS_CLIENT_MEMBERS | {"call", "config", "http", "cancel"}
)
PY_METHOD_RESERVED = PY_RESERVED | PY_CLIENT_MEMBERS | {"call", "config", "http", "cancel"}

# Package names that would shadow what the generated client or its user imports: the standard
# library (public names of Python 3.11 to 3.14, the same on every Python the tool runs on;
# ``test`` is the stdlib's own test package, which ``sys.stdlib_module_names`` leaves out) and
# the client's only dependency, httpx, with its own.
_STDLIB_BEYOND = frozenset(
    [
        # removed in 3.12 and 3.13
        *("asynchat", "asyncore", "distutils", "imp", "smtpd", "aifc", "audioop", "cgi"),
        *("cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap", "msilib", "nis", "nntplib"),
        *("ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib"),
        # added in 3.14
        *("annotationlib", "compression"),
        "test",
    ]
)
PY_PACKAGE_TAKEN = frozenset(
    {n for n in sys.stdlib_module_names | _STDLIB_BEYOND if not n.startswith("_")}
    | {"httpx", "httpcore", "h11", "h2", "anyio", "sniffio", "certifi", "idna"}
)


def _words(raw: str) -> list[str]:
    text = unicodedata.normalize("NFKC", raw)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # split camelCase, then on anything that is not a letter or digit
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", ascii_text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def snake(raw: str, fallback: str) -> str:
    words = _words(raw)
    name = "_".join(w.lower() for w in words) or fallback
    return f"{fallback}_{name}" if name[0].isdigit() else name


def pascal(raw: str, fallback: str) -> str:
    name = "".join(w[:1].upper() + w[1:] for w in _words(raw)) or fallback
    return f"{fallback}{name}" if name[0].isdigit() else name


class NameScope:
    """Hands out unique identifiers within one scope, in the order they are claimed.

    A reserved name gets ``suffix`` (``class`` -> ``class_``); a taken one a number
    (``greet_2``). Class names use ``suffix="Model", joiner=""`` (``ClientModel``,
    ``Label2``), which datamodel-code-generator keeps as they are.
    """

    def __init__(self, reserved: Iterable[str], suffix: str = "_", joiner: str = "_") -> None:
        self._reserved = frozenset(reserved)
        self._taken: set[str] = set()
        self._suffix = suffix
        self._joiner = joiner

    def claim(self, base: str) -> str:
        if base in self._reserved:
            base += self._suffix
        name, n = base, 1
        while name in self._taken or name in self._reserved:
            n += 1
            joiner = "" if base.endswith("_") else self._joiner
            name = f"{base}{joiner}{n}"
        self._taken.add(name)
        return name


# Go's keywords and predeclared identifiers: a generated name never shadows them
GO_RESERVED = frozenset(
    [
        *("break", "case", "chan", "const", "continue", "default", "defer", "else"),
        *("fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map"),
        *("package", "range", "return", "select", "struct", "switch", "type", "var"),
        *("any", "bool", "byte", "comparable", "complex64", "complex128", "error", "float32"),
        *("float64", "int", "int8", "int16", "int32", "int64", "rune", "string", "uint"),
        *("uint8", "uint16", "uint32", "uint64", "uintptr", "true", "false", "iota", "nil"),
        *("append", "cap", "close", "complex", "copy", "delete", "imag", "len", "make"),
        *("new", "panic", "print", "println", "real", "recover", "max", "min", "clear"),
    ]
)


def camel(raw: str, fallback: str) -> str:
    name = pascal(raw, fallback)
    return name[:1].lower() + name[1:]


def _go_package(raw: str, fallback: str) -> str:
    """Go package names are one lower-case word by convention."""
    return snake(raw, fallback).replace("_", "")


# style -> (case, words it must avoid, suffix for a reserved word, joiner before a number)
_STYLES = {
    "py": (snake, PY_RESERVED, "_", "_"),
    "py_class": (pascal, PY_RESERVED, "Model", ""),
    "js": (snake, JS_RESERVED, "_", "_"),
    "js_class": (pascal, JS_RESERVED, "Model", ""),
    "go": (camel, GO_RESERVED, "_", ""),
    "go_exported": (pascal, GO_RESERVED, "_", ""),
    "go_package": (_go_package, GO_RESERVED | {"main", "init"}, "pkg", ""),
    "file": (snake, frozenset(), "_", "_"),
}
STYLES = tuple(_STYLES)


def py_method_names(api_names: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Per endpoint, the Python client's call and submit methods: ``greet``, ``submit_greet``."""
    scope = NameScope(PY_METHOD_RESERVED)
    calls = {a: scope.claim(snake(a, "endpoint")) for a in api_names}  # calls first, then submits
    return {a: (name, scope.claim("submit_" + name)) for a, name in calls.items()}


def js_method_names(api_names: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Per endpoint, the JavaScript client's methods, in camelCase: ``greetUser``,
    ``submitGreetUser``; only what JavaScript itself reserves is escaped (``new_``)."""
    scope = NameScope(JS_METHOD_RESERVED, joiner="")
    calls = {a: scope.claim(camel(a, "endpoint")) for a in api_names}
    return {
        a: (c, scope.claim("submit" + c[:1].upper() + c[1:].rstrip("_"))) for a, c in calls.items()
    }


# what the curl scripts' names avoided when they were named like the JavaScript methods, kept
# so that the scripts keep their file names (a script is a file users call by its name)
_CURL_RESERVED = (
    PY_RESERVED
    | PY_CLIENT_MEMBERS
    | JS_RESERVED
    | JS_CLIENT_MEMBERS
    | {"config", "http", "cancel", "toString"}
)


def curl_script_stems(api_names: Iterable[str]) -> dict[str, str]:
    """Per endpoint, its curl script's name without ``.sh``: ``greet_user``, ``new_``."""
    scope = NameScope(_CURL_RESERVED)
    return {a: scope.claim(snake(a, "endpoint")) for a in api_names}


def py_package(raw: str) -> str:
    """A package name that imports as itself: never a keyword, builtin, standard-library
    module or the client's dependency (``json`` -> ``json_client``)."""
    name = snake(raw, "gradio_app")
    return name + "_client" if name in PY_RESERVED or name in PY_PACKAGE_TAKEN else name


def identifiers(raws: Iterable[str], style: str, reserved: Iterable[str] = ()) -> list[str]:
    """Identifiers for ``raws`` in one scope of a language: valid, unreserved and distinct.

    ``reserved`` adds the names the surrounding code defines itself (for custom templates,
    which know their own names).
    """
    case, words, suffix, joiner = _STYLES[style]
    scope = NameScope(words | frozenset(reserved), suffix=suffix, joiner=joiner)
    fallback = "name" if case in (snake, camel, _go_package) else "Name"
    return [scope.claim(case(raw, fallback)) for raw in raws]
