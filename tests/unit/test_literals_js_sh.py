"""The JavaScript, shell and Markdown-fence layers: hostile text round-trips through each."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from codegen.literals import js_doc, js_literal, md_fence, sh_quote
from tests.unit.test_literals import HOSTILE_VALUES

HOSTILE_TEXT = [v for v in HOSTILE_VALUES if isinstance(v, str)] + [
    "*/ alert(1) /*",
    "`${process.exit(1)}`",
    "</script><script>",
    "$(touch /tmp/x) `id` ${HOME} $HOME !! \\$",
    "@param x evil",
    "\u2028 line separator",
]


def node_eval(sources: list[str]) -> list[Any]:
    """Evaluates each source as a JavaScript expression and gives back its JSON."""
    program = "console.log(JSON.stringify([" + ",".join(sources) + "]))"
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_js_literal_evaluates_to_the_same_value_in_node() -> None:
    values: list[Any] = [
        *HOSTILE_TEXT,
        {"new": [1, 2.5, None, True], 'a"b': {"": "x"}},
        {"__proto__": {"__proto__": [1]}, "constructor": "c"},  # keys, not the prototype
        -0.0,
        10**20,
    ]
    evaluated = node_eval([js_literal(v) for v in values])
    # node's JSON turns a lone surrogate into an escape that Python reads back as the same
    assert evaluated == values


def test_js_literal_is_ascii_and_one_line() -> None:
    for value in HOSTILE_TEXT:
        text = js_literal(value)
        assert text.isascii() and "\n" not in text and "\u2028" not in text


def test_js_literal_non_finite_floats_are_javascript_names() -> None:
    assert [js_literal(float("nan")), js_literal(float("inf")), js_literal(-float("inf"))] == [
        "NaN",
        "Infinity",
        "-Infinity",
    ]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_js_doc_cannot_close_its_comment_or_start_a_tag(text: str) -> None:
    body = js_doc(text)
    assert "*/" not in body
    assert not re.search(r"(^|\s)@", body)
    # the comment parses: node --check of a module holding it succeeds
    source = f"/**\n * {body}\n */\nexport const x = 1;\n"
    result = subprocess.run(["node", "--input-type=module", "--check"], input=source, text=True)
    assert result.returncode == 0


def test_sh_quote_is_the_exact_word_in_bash() -> None:
    texts = [t.replace("\x00", "") for t in HOSTILE_TEXT if "\ud800" not in t]
    script = "for w in " + " ".join(sh_quote(t) for t in texts) + "; do printf '%s\\0' \"$w\"; done"
    out = subprocess.run(["bash", "-c", script], capture_output=True, check=True).stdout
    assert out.decode("utf-8").split("\0")[:-1] == texts


def test_sh_quote_replaces_what_no_script_can_hold() -> None:
    assert sh_quote("a\x00b\ud800") == "'ab\ufffd'"


@pytest.mark.parametrize("code", ["plain", "```\nfenced\n```", "````` five", "a ``` b"])
def test_md_fence_is_never_closed_by_its_content(code: str) -> None:
    block = md_fence(code, "python")
    fence = block.split("python", 1)[0]
    assert block.endswith("\n" + fence)
    inner = block[len(fence) + len("python\n") : -len(fence) - 1]
    assert inner == code
    assert not re.search(rf"^{fence}", inner, re.M)
