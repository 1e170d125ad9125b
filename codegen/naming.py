"""The only authority for identifiers in generated code.

Steps, in a fixed order: NFKC, ASCII fallback, invalid characters to ``_``, case, a prefix when
nothing usable is left or it starts with a digit, a trailing ``_`` for reserved words, then a
stable numeric suffix for collisions within one scope.
"""

from __future__ import annotations

import builtins
import keyword
import re
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
