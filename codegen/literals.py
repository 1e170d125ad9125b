"""Source-safe text for values that come from a schema: the only way such text reaches code.

Everything here either produces a literal that evaluates back to the same value, or prose
that cannot end the construct it sits in (a docstring, a comment).
"""

from __future__ import annotations

import json
import math
import re

from codegen.ir import JsonValue

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def py_literal(value: object) -> str:
    """A Python expression for a JSON value, or for one whose fixed-length arrays are tuples
    (``typemap.shaped``); ``repr`` of str/int/bool/None is already exact."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f'float("{value}")'
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        parts = [py_literal(v) for v in value]
        return f"({parts[0]},)" if len(parts) == 1 else "(" + ", ".join(parts) + ")"
    if isinstance(value, dict):
        items = ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def prose(text: str, limit: int = 2000) -> str:
    """Schema text made printable: control characters dropped, length bounded."""
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    cleaned = _SURROGATE.sub("\ufffd", cleaned)  # JSON allows lone halves; UTF-8 files do not
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def escape_surrogates(source: str) -> str:
    """Python source or JSON text with lone surrogates (which UTF-8 cannot hold) escaped.

    Inside string literals the escape means the same character; elsewhere it is inert text.
    """
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", source)


def py_docstring_body(text: str) -> str:
    """Text that can sit inside a triple-quoted docstring without ending or escaping it."""
    body = prose(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return body + " " if body.endswith('"') else body


def js_literal(value: JsonValue) -> str:
    """A JavaScript expression for a JSON value.

    ASCII-only JSON is valid JavaScript: U+2028/9 and lone surrogates come out as escapes,
    and Python's ``NaN``/``Infinity`` are JavaScript's names too. One key differs: in an object
    literal ``"__proto__"`` sets the prototype, so it is written as a computed key.
    """
    if isinstance(value, list):
        return "[" + ", ".join(js_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            name = json.dumps(key, ensure_ascii=True)
            items.append(f"{f'[{name}]' if key == '__proto__' else name}: {js_literal(item)}")
        return "{" + ", ".join(items) + "}"
    return json.dumps(value, ensure_ascii=True)


def js_doc(text: str) -> str:
    """Text for a ``/** ... */`` comment: it cannot close the comment or start a JSDoc tag."""
    body = prose(text).replace("*/", "*\\/").replace("@", "\\@")
    return body.replace("\n", "\n * ")


def sh_quote(text: str) -> str:
    """A bash word that is exactly ``text``: single quotes expand nothing.

    Lone surrogates, which no UTF-8 file can hold, become U+FFFD; NUL, which bash cannot
    hold, is dropped.
    """
    body = _SURROGATE.sub("\ufffd", text).replace("\0", "")
    return "'" + body.replace("'", "'\\''") + "'"


def comment(text: str) -> str:
    """One line of text for a ``#`` comment."""
    return " ".join(prose(text, 200).split())


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes of ``"``, ``\\`` and ``\\n`` are TOML's too."""
    return json.dumps(prose(text), ensure_ascii=False)


def md_text(text: str) -> str:
    """Prose for Markdown: one paragraph per line kept, HTML and code fences defused."""
    cleaned = prose(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return cleaned.replace("`", "\\`")


def md_cell(text: str) -> str:
    """Table cell text: one line, pipes escaped."""
    return md_text(" ".join(text.split())).replace("|", "\\|")


def md_code(text: str) -> str:
    """An inline code span: its fence is longer than any run of backticks inside."""
    body = " ".join(prose(text).split())
    runs = [len(r) for r in re.findall(r"`+", body)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def md_fence(code: str, lang: str) -> str:
    """A fenced code block whose fence no run of backticks inside can close."""
    runs = [len(r) for r in re.findall(r"`{3,}", code)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{lang}\n{code.rstrip()}\n{fence}"


_GO_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def go_string(text: str) -> str:
    """A Go interpreted string literal that is exactly ``text``, in ASCII.

    Lone surrogates (which Go's ``\\u`` rejects, and no UTF-8 file can hold) become U+FFFD.
    """
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def go_comment(text: str) -> str:
    """One line for a ``//`` comment; Go rejects a byte order mark inside a file."""
    return comment(text).replace("\ufeff", "").replace("\x85", " ")
