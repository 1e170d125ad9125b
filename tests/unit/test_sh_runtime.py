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


@pytest.mark.parametrize(
    ("url", "endpoint", "hf"),
    [
        ("https://abidlabs-whisper.hf.space", "", True),
        ("https://ABIDLABS-WHISPER.HF.SPACE:443/x?y", "", True),
        ("https://huggingface.co/spaces/a/b", "", True),
        ("https://user:pw@huggingface.co", "", True),
        ("https://hf.space.evil.example", "", False),
        ("https://evilhf.space", "", False),
        ("http://127.0.0.1:7860", "", False),
        ("https://hub.huggingface.co", "", False),  # not a Space, not the Hub
        ("http://127.0.0.1:7860", "http://127.0.0.1:7860/hub", True),
        ("http://127.0.0.1:7860", "http://127.0.0.1:9000/hub", False),  # host and port, as hub.py
        ("http://[::1]:7860/", "http://[::1]:7860", True),
        ("http://[::1]:7860/", "http://[::1]:1", False),
        ("https://HUB.example:443/x", "https://hub.example", True),  # the default port is no port
        ("http://hub.example:8080", "http://hub.example", False),
        ("http://localhost:7860", "http://127.0.0.1:9000", False),
    ],
)
def test_hf_host_says_where_hf_token_may_go_unasked(url: str, endpoint: str, hf: bool) -> None:
    program = 'HF_ENDPOINT=$2; if hf_host "$1"; then echo yes; else echo no; fi'
    assert bash(program, url, endpoint) == ("yes\n" if hf else "no\n")


def test_config_string_keeps_a_token_one_quoted_line() -> None:
    out = bash('config_string "$1"; printf "%s" "$value"', 'a"b\\c\r\nd')
    assert out == '"a\\"b\\\\cd"'


def test_messages_print_one_line_each_after_their_level_and_title() -> None:
    lines = [
        {"msg": "log", "log": "loaded 5%", "level": "info", "title": "Info title"},
        {"msg": "log", "log": "careful", "level": "warning", "title": ""},
        {"msg": "log", "log": 'é "ok"', "level": "success"},
    ]
    program = 'for line in "$@"; do json_split "$line"; print_log; done'
    done = subprocess.run(
        ["bash", "-c", f"set -euo pipefail\nsource {SH_RUNTIME_PATH}\n{program}", "bash"]
        + [json.dumps(line) for line in lines],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == ""
    assert done.stderr == 'info: Info title: loaded 5%\nwarning: careful\nsuccess: é "ok"\n'


def test_an_error_keeps_a_title_other_than_the_default() -> None:
    program = 'error_message "$1" "$2"; printf "%s" "$value"'
    settings = {"api_prefix": "/gradio_api"}
    assert bash(program, '"quota: x"', '"Quota exceeded"', **settings) == "Quota exceeded: quota: x"
    assert bash(program, '"boom"', '"Error"', **settings) == "boom"
    assert bash(program, '"boom"', "null", **settings) == "boom"


def test_a_422_names_each_input_that_failed() -> None:
    detail = [
        {
            "__type__": "validate",
            "is_valid": False,
            "message": "must not be empty",
            "parameter_name": "name",
        },
        {"__type__": "validate", "is_valid": True, "message": "", "parameter_name": "age"},
        {"__type__": "validate", "is_valid": False, "message": "too big", "parameter_name": "n"},
    ]
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'source {SH_RUNTIME_PATH}\nprint_invalid "$1"',
            "bash",
            json.dumps({"detail": detail}),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == "error: invalid name: must not be empty\nerror: invalid n: too big\n"


def test_json_split_with_keys_stops_once_each_has_its_value() -> None:
    line = json.dumps({"a": 1, "out": {"data": [1, ","], "x": 2}, "ok": True, "rest": [3]})
    program = 'json_split "$1" out ok; printf "%s\\0" "${JSON_ITEMS[@]}"'
    items = bash(program, line).split("\0")[:-1]
    assert [json.loads(i) for i in items] == ["a", 1, "out", {"data": [1, ","], "x": 2}, "ok", True]
    # a key the object lacks: it reads all of it
    assert (
        len(bash('json_split "$1" absent; printf "%s\\0" "${JSON_ITEMS[@]}"', line).split("\0"))
        == 9
    )


def test_the_saved_token_goes_where_hf_token_goes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """``hf auth login``'s token ($HF_TOKEN_PATH, else $HF_HOME/token) when HF_TOKEN is unset,
    under the same host rule."""
    monkeypatch.delenv("HF_TOKEN", raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "token").write_text(" hf_saved\r\n")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    read = 'ambient_token; printf "%s" "$value"'
    assert bash(read) == "hf_saved"
    secrets = 'base_url=$1 token_file="" send_token=0; prepare_secrets; printf "%s" "$secrets"'
    assert (
        bash(secrets, "https://a-b.hf.space") == 'header = "x-hf-authorization: Bearer hf_saved"\n'
    )
    assert bash(secrets, "http://127.0.0.1:9") == ""
    (tmp_path / "path").write_text("hf_path\n")
    monkeypatch.setenv("HF_TOKEN_PATH", str(tmp_path / "path"))
    assert bash(read) == "hf_path"
    monkeypatch.setenv("HF_TOKEN", "hf_env")
    assert bash(read) == "hf_env"
    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.setenv("HF_TOKEN_PATH", str(tmp_path / "absent"))
    assert bash(read) == ""


def test_printable_escapes_every_control_character() -> None:
    controls = "".join(chr(i) for i in [*range(1, 9), *range(10, 32), 127, *range(0x80, 0xA0)])
    text = f"a\t{controls}\u2028é"
    out = bash('printable "$1"; printf "%s" "$value"', text)
    assert (
        out
        == "a\t\\u0001"
        + "".join(
            "\\n" if c == "\n" else "\\r" if c == "\r" else f"\\u{ord(c):04x}" for c in controls[1:]
        )
        + "\u2028é"
    )


def test_json_split_is_linear_and_bounds_nesting() -> None:
    flat = json.dumps(list(range(20_000)))
    out = bash('json_split "$1"; printf "%s" "${#JSON_ITEMS[@]} ${JSON_ITEMS[19999]}"', flat)
    assert out == "20000 19999"
    deep = "[" * 1500 + "]" * 1500
    done = subprocess.run(
        ["bash", "-c", f'export LC_ALL=C\nsource {SH_RUNTIME_PATH}\njson_split "$1"', "bash", deep],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 3
    assert done.stderr == "error: the server sent JSON nested deeper than 1000 levels\n"
