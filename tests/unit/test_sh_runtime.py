"""The curl scripts' shared bash (``gradio_runtime.bash``): its JSON reading and decoding."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from codegen.runtime import SH_RUNTIME_PATH


def bash(program: str, *args: str, **settings: str) -> str:
    """Runs ``program`` with the runtime sourced and the given script settings set."""
    preset = "".join(f"{k}={v}\n" for k, v in settings.items())
    done = subprocess.run(
        [
            "bash",
            "-c",
            f"set -euo pipefail\nexport LC_ALL=C\n{preset}source {SH_RUNTIME_PATH}\n{program}",
            "bash",
            *args,
        ],
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def test_the_runtime_parses_and_passes_shellcheck() -> None:
    assert subprocess.run(["bash", "-n", str(SH_RUNTIME_PATH)]).returncode == 0
    checked = subprocess.run(["shellcheck", str(SH_RUNTIME_PATH)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


SPLIT_CASES: list[Any] = [
    [],
    [""],
    [1, -2.5e3, None, True, False, {}, [], [[[]]], {"a": {}}],
    ["a\\\\", '"', "\\", "é\n\t\u0001 😀", "]}[{,:", 'x\\"y'],
    {"msg": "process_completed", "output": {"data": ["Hello", {"a": [1, {"b": ']}\\"[{'}]}]}},
    {"k:,": "v,:", "": 0},
]


@pytest.mark.parametrize("value", SPLIT_CASES)
@pytest.mark.parametrize("compact", [True, False])
def test_json_split_gives_each_member_as_json(value: Any, compact: bool) -> None:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None)
    out = bash('json_split "$1"; for x in "${JSON_ITEMS[@]}"; do printf "%s\\0" "$x"; done', text)
    members = [json.loads(m) for m in out.split("\0")[:-1]]
    expected = value if isinstance(value, list) else [x for kv in value.items() for x in kv]
    assert members == expected


def test_member_finds_a_key_of_the_object_split_last() -> None:
    line = json.dumps({"msg": "x", "output": {"data": [1], "error": None}, "success": True})
    program = 'json_split "$1"; member output; json_split "$value"; member data; echo "$value"'
    assert bash(program, line) == "[1]\n"
    assert bash('json_split "$1"; member absent; echo "[$value]"', line) == "[]\n"


@pytest.mark.parametrize(
    "text", ["plain", 'q"b\\s', "é\u00e9\n\t", "%s %d \\n", "😀", "\\u00e9 \\\\"]
)
def test_json_text_decodes_a_json_string(text: str) -> None:
    assert bash('json_text "$1"; printf "%s" "$value"', json.dumps(text)) == text


@pytest.mark.parametrize(
    "message", ["boom", "it's", 'say "hi"', 'it\'s "both"', "a\\b\nc\x01 é 😀\t", "'", ""]
)
def test_repr_text_gives_back_a_gradio_4_error_message(message: str) -> None:
    assert bash('repr_text "$1"; printf "%s" "$value"', repr(message)) == message


@pytest.mark.parametrize("text", ["boom", "'unclosed", '"', "%s"])
def test_text_that_is_no_repr_stays_as_it_is(text: str) -> None:
    assert bash('repr_text "$1"; printf "%s" "$value"', text) == text


def test_gradio_3_file_results_become_file_data_with_a_url() -> None:
    legacy = {"name": "/tmp/g/a b é.txt", "data": None, "is_file": True, "orig_name": "a.txt"}
    video = [{**legacy, "orig_name": None, "size": 3}, None]
    data = json.dumps([legacy, "text", video, {"nested": legacy}])
    out = bash('from_legacy "$1"; printf "%s" "$value"', data, base_url="http://h:1")
    url = "http://h:1/file=/tmp/g/a%20b%20%C3%A9.txt"
    meta = {"_type": "gradio.FileData"}
    file = {"path": legacy["name"], "url": url, "orig_name": "a.txt", "size": None, "meta": meta}
    assert json.loads(out) == [
        file,
        "text",
        [{**file, "orig_name": "a b é.txt", "size": 3}, None],
        {"nested": file},
    ]


def test_gradio_4_file_urls_are_rebuilt_and_text_is_left_alone() -> None:
    data = json.dumps(
        [{"path": "/tmp/x", "url": "http://h/call/file=/tmp/x"}, "see /call/file= here"],
        separators=(",", ":"),
    )
    out = json.loads(bash('repair_urls "$1"; printf "%s" "$value"', data))
    assert out == [{"path": "/tmp/x", "url": "http://h/file=/tmp/x"}, "see /call/file= here"]


def test_print_outputs_leaves_out_hidden_state_slots() -> None:
    settings = {"protocol": "queue", "api_prefix": "/gradio_api", "pick": "1"}
    program = 'output_positions=(2 0); print_outputs "$1"'
    out = bash(program, json.dumps([{"a": [1, ","]}, None, "x, y"]), **settings)
    assert json.loads(out) == ["x, y", {"a": [1, ","]}]
