"""The generated curl scripts against live apps, compared call by call with gradio_client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from codegen.pipeline import Options, generate
from tests.e2e.test_python_client import CASES, as_oracle_input, normalize, with_files


@pytest.fixture(scope="module")
def scripts(live_apps: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("curl")
    for app, url in live_apps.items():
        generate(url, out / app, Options(), token=None)
    return {app: out / app / "curl" for app in live_apps}


def run(
    script: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
    return subprocess.run(
        ["bash", str(script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment, **(env or {})},
    )


def words(wire: dict[str, Any]) -> list[str]:
    """``name=value`` arguments: strings as they are, files as ``@path``, the rest as JSON."""
    out = []
    for key, value in wire.items():
        items = (
            value if isinstance(value, list) and value and isinstance(value[0], Path) else [value]
        )
        for item in items:
            if isinstance(item, Path):
                out.append(f"{key}=@{item}")
            elif isinstance(item, str):
                out.append(f"{key}={item}")
            else:
                out.append(f"{key}={json.dumps(item)}")
    return out


def test_every_script_passes_bash_n_and_shellcheck(scripts: dict[str, Path]) -> None:
    paths = sorted(p for folder in scripts.values() for p in folder.glob("*.sh"))
    assert len(paths) == 7 + 6 + 7
    for path in paths:
        assert os.access(path, os.X_OK), path
        assert subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode == 0
    checked = subprocess.run(["shellcheck", *map(str, paths)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize(("app", "api", "wire", "method", "py"), CASES)
def test_scripts_match_gradio_client(
    scripts: dict[str, Path],
    oracle: Any,
    files: dict[str, Path],
    app: str,
    api: str,
    wire: dict[str, Any],
    method: str,
    py: dict[str, Any],
) -> None:
    expected = oracle.predict(app, api, **with_files(wire, files, as_oracle_input))
    result = run(scripts[app] / f"{method}.sh", *words(with_files(wire, files, lambda p: p)))
    assert result.returncode == 0, result.stderr
    outputs = json.loads(result.stdout)
    if isinstance(expected, tuple):
        got: Any = outputs
    else:
        assert len(outputs) == 1
        got = outputs[0]
    assert normalize(got) == normalize(expected)


def test_stream_prints_each_output_then_the_result(scripts: dict[str, Path], oracle: Any) -> None:
    expected = [list(o) for o in oracle.submit("chat", "count_up", n=3)]
    result = run(scripts["chat"] / "count_up.sh", "--stream", "n=3")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[:-1] == [[str(i)] for i in range(3)] == [[e[0]] for e in expected[:3]]
    assert lines[-1] == ["2"]
    plain = run(scripts["chat"] / "count_up.sh", "n=3")
    assert plain.stdout.splitlines() == ['["2"]']


@pytest.mark.parametrize(("message"), ["boom", 'quote " and é and %s and \\n'])
def test_an_app_error_exits_1_with_the_apps_message(scripts: dict[str, Path], message: str) -> None:
    result = run(scripts["basics"] / "fail.sh", f"message={message}")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_hostile_arguments_pass_through_as_data(
    scripts: dict[str, Path], oracle: Any, tmp_path: Path
) -> None:
    canary = tmp_path / "canary"
    text = f'it\'s "$(touch {canary})" `touch {canary}` ${{HOME}}\nline\ttab \\ \x01 end'
    expected = oracle.predict("basics", "greet", name=text)
    result = run(scripts["basics"] / "greet.sh", f"name={text}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [expected]
    assert not canary.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["name=Ada", "intensity=lots"], "error: intensity takes a number, not 'lots'"),
        (["name=Ada", "shout=yes"], "error: shout takes true or false, not 'yes'"),
        ([], "error: missing required input 'name' (run with --help for the inputs)"),
        (
            ["name=Ada", "volume=3"],
            "error: unknown input 'volume' (run with --help for the inputs)",
        ),
        (["Ada"], "error: expected name=value, not 'Ada' (run with --help for the inputs)"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    scripts: dict[str, Path], args: list[str], message: str
) -> None:
    result = run(scripts["basics"] / "greet.sh", *args)
    assert (result.returncode, result.stderr, result.stdout) == (2, message + "\n", "")


def test_choices_are_checked(scripts: dict[str, Path]) -> None:
    result = run(scripts["basics"] / "calculate.sh", "operation=pow")
    assert result.returncode == 2
    assert result.stderr == "error: operation must be one of: add subtract multiply divide\n"


def test_help_lists_the_inputs(scripts: dict[str, Path]) -> None:
    result = run(scripts["basics"] / "greet.sh", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(
        "Usage: ./greet.sh [--stream] name=STRING [intensity=NUMBER] [shout=BOOLEAN]\n"
    )


def test_a_missing_file_is_a_usage_error(scripts: dict[str, Path], tmp_path: Path) -> None:
    result = run(scripts["media"] / "file_upper.sh", f"file=@{tmp_path / 'absent.txt'}")
    assert result.returncode == 2
    assert result.stderr == f"error: {tmp_path / 'absent.txt'} is not a file\n"


class _Recorder(BaseHTTPRequestHandler):
    """Answers the two steps of a call and keeps the headers and session hashes it was sent."""

    seen: ClassVar[list[dict[str, str]]] = []
    sessions: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.seen.append(dict(self.headers))
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.sessions.append(body["session_hash"])
        self._send("application/json", b'{"event_id": "e1"}')

    def do_GET(self) -> None:
        self.seen.append(dict(self.headers))
        self.sessions.append(self.path.rsplit("session_hash=", 1)[-1])
        message = {"msg": "process_completed", "event_id": "e1", "success": True}
        line = json.dumps({**message, "output": {"data": ["ok"], "is_generating": False}})
        self._send("text/event-stream", f"data: {line}\n\n".encode())

    def _send(self, kind: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.seen, _Recorder.sessions = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_hf_token_goes_to_a_non_hf_host_only_with_send_token(
    scripts: dict[str, Path], recorder: str
) -> None:
    env = {"GRADIO_URL": recorder, "HF_TOKEN": 'hf_se"cret'}
    result = run(scripts["basics"] / "greet.sh", "name=Ada", env=env)
    assert (result.returncode, result.stdout) == (0, '["ok"]\n'), result.stderr
    assert len(_Recorder.seen) == 2
    assert not [h for h in _Recorder.seen if "hf_se" in str(h)]
    sent = run(scripts["basics"] / "greet.sh", "--send-token", "name=Ada", env=env)
    assert sent.returncode == 0, sent.stderr
    # as x-hf-authorization, which Hugging Face's proxy strips; never as Authorization
    assert [h.get("x-hf-authorization") for h in _Recorder.seen[2:]] == ['Bearer hf_se"cret'] * 2
    assert not [h for h in _Recorder.seen if "Authorization" in h]
    post, get = _Recorder.sessions[2:]
    assert post == get and len(post) >= 8  # the stream read is the session the call was made in


def test_hf_token_goes_to_the_host_of_hf_endpoint(scripts: dict[str, Path], recorder: str) -> None:
    env = {"GRADIO_URL": recorder, "HF_TOKEN": "hf_x", "HF_ENDPOINT": recorder + "/hub"}
    result = run(scripts["basics"] / "greet.sh", "name=Ada", env=env)
    assert result.returncode == 0, result.stderr
    assert [h.get("x-hf-authorization") for h in _Recorder.seen] == ["Bearer hf_x"] * 2
    other = {**env, "HF_ENDPOINT": "http://hub.example"}
    assert run(scripts["basics"] / "greet.sh", "name=Ada", env=other).returncode == 0
    assert "x-hf-authorization" not in _Recorder.seen[-1]


def test_a_token_file_goes_to_any_host_and_never_into_argv(
    scripts: dict[str, Path], recorder: str, tmp_path: Path
) -> None:
    """The token reaches curl through a file descriptor: a curl that logs its argv sees none."""
    token = tmp_path / "token"
    token.write_text("hf_from_file\n")
    log = tmp_path / "argv.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "curl").write_text(
        f'#!/usr/bin/env bash\nprintf "%s\\n" "$*" >>{log}\nexec {shutil.which("curl")} "$@"\n'
    )
    (bin_dir / "curl").chmod(0o755)
    env = {
        "GRADIO_URL": recorder,
        "HF_TOKEN": "hf_from_env",
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
    }
    result = run(scripts["basics"] / "greet.sh", f"--token-file={token}", "name=Ada", env=env)
    assert result.returncode == 0, result.stderr
    assert [h.get("x-hf-authorization") for h in _Recorder.seen] == ["Bearer hf_from_file"] * 2
    assert log.read_text().count("\n") == 1  # one curl run: the POST and its stream
    result = run(scripts["basics"] / "greet.sh", "--send-token", "name=Ada", env=env)
    assert result.returncode == 0, result.stderr
    assert _Recorder.seen[-1].get("x-hf-authorization") == "Bearer hf_from_env"
    assert "hf_from" not in log.read_text()
    missing = run(scripts["basics"] / "greet.sh", f"--token-file={tmp_path / 'no'}", "name=A")
    assert missing.returncode == 2
    assert missing.stderr == f"error: cannot read the token file {tmp_path / 'no'}\n"


def test_scripts_need_only_bash_and_curl(scripts: dict[str, Path], tmp_path: Path) -> None:
    """With nothing but bash and curl on PATH, a call still works."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "curl"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    result = subprocess.run(
        [str(bin_dir / "bash"), str(scripts["basics"] / "greet.sh"), "name=Ada"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": str(bin_dir)},
    )
    assert (result.returncode, result.stdout) == (0, '["Hello, Ada!!"]\n'), result.stderr
