"""Issue 13's rules through the generated curl scripts, against the Space-like app
(``apps/space.py``) on every Gradio version: where a token goes, apps behind a login, the
app's messages, its titled errors and its validator.

Each version's app runs twice, once open and once behind a login (``SERVE_AUTH``); the scripts
are generated from the open one and pointed at either with ``GRADIO_URL``.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import gradio_python, serving

from codegen.pipeline import Options, generate

CURRENT = "6.31"
VERSIONS = (CURRENT, "6.5.1", "5.49.1", "4.44.1", "3.50.2")
USER, PASSWORD = "ada", "s3cret:with colon"
# the app reports which request headers hold this text
ENV_TOKEN = "hf_canary_from_env"
FILE_TOKEN = "hf_canary_from_file"


@dataclass
class Space:
    version: str
    scripts: Path
    open_url: str
    login_url: str

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def at_least(self, version: str) -> bool:
        def key(v: str) -> tuple[int, ...]:
            return tuple(int(x) for x in v.split("."))

        return key(self.version) >= key(version)

    def arg(self, name: str, value: str) -> str:
        """``name=value``: Gradio 3 names inputs by their labels (``Text``), later versions by
        the function's parameters (``text``)."""
        return f"{name.title() if self.major < 4 else name}={value}"

    def run(
        self, script: str, *args: str, login: bool = False, **env: str
    ) -> subprocess.CompletedProcess[str]:
        environment = {
            k: v
            for k, v in os.environ.items()
            if k not in ("HF_TOKEN", "HF_ENDPOINT", "GRADIO_AUTH", "GRADIO_URL")
        }
        environment["GRADIO_URL"] = self.login_url if login else self.open_url
        return subprocess.run(
            ["bash", str(self.scripts / script), *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={**environment, **env},
        )


@pytest.fixture(scope="module", params=VERSIONS)
def space(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Space]:
    version: str = request.param
    python = gradio_python(None if version == CURRENT else version)
    with (
        serving(("space",), python=python) as open_urls,
        serving(("space",), {"SERVE_AUTH": f"{USER}:{PASSWORD}"}, python) as login_urls,
    ):
        out = tmp_path_factory.mktemp(f"space_{version.replace('.', '_')}")
        generate(open_urls["space"], out, Options(), token=None)
        yield Space(
            version, out / "curl", open_urls["space"].rstrip("/"), login_urls["space"].rstrip("/")
        )


def test_hf_token_goes_to_a_non_hf_host_only_when_asked(space: Space) -> None:
    """The app is on 127.0.0.1: HF_TOKEN stays home unless --send-token or HF_ENDPOINT's origin."""
    unasked = space.run("token_headers.sh", HF_TOKEN=ENV_TOKEN)
    assert (unasked.returncode, unasked.stdout) == (0, '[""]\n'), unasked.stderr
    asked = space.run("token_headers.sh", "--send-token", HF_TOKEN=ENV_TOKEN)
    # as x-hf-authorization, which Hugging Face's proxy strips; never as Authorization
    assert (asked.returncode, asked.stdout) == (0, '["x-hf-authorization"]\n'), asked.stderr
    endpoint = space.run("token_headers.sh", HF_TOKEN=ENV_TOKEN, HF_ENDPOINT=space.open_url)
    assert endpoint.stdout == '["x-hf-authorization"]\n', endpoint.stderr
    # the same host on another port is another server: host and port count, as hub.py has it
    other_port = space.run(
        "token_headers.sh", HF_TOKEN=ENV_TOKEN, HF_ENDPOINT="http://127.0.0.1:1/hub"
    )
    assert (other_port.returncode, other_port.stdout) == (0, '[""]\n'), other_port.stderr


def test_a_token_file_goes_to_the_app_whatever_its_host(space: Space, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text(FILE_TOKEN + "\n")
    result = space.run("token_headers.sh", "--token-file", str(token))
    assert (result.returncode, result.stdout) == (0, '["x-hf-authorization"]\n'), result.stderr
    assert FILE_TOKEN not in result.stdout + result.stderr


def test_a_login_app_without_gradio_auth_says_how_to_log_in(space: Space) -> None:
    result = space.run("notify.sh", space.arg("text", "hi"), login=True, HF_TOKEN=ENV_TOKEN)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "needs a login" in lines[0] and "GRADIO_AUTH=user:password" in lines[0]
    assert "HF_TOKEN" not in lines[0]


def test_gradio_auth_logs_in_and_keeps_the_cookie_for_the_call(space: Space) -> None:
    auth = f"{USER}:{PASSWORD}"
    result = space.run("notify.sh", space.arg("text", "hi"), login=True, GRADIO_AUTH=auth)
    assert (result.returncode, result.stdout) == (0, '["hi"]\n'), result.stderr
    # the token still goes as asked, beside the session cookie
    sent = space.run(
        "token_headers.sh", "--send-token", login=True, GRADIO_AUTH=auth, HF_TOKEN=ENV_TOKEN
    )
    assert (sent.returncode, sent.stdout) == (0, '["x-hf-authorization"]\n'), sent.stderr
    wrong = space.run("notify.sh", space.arg("text", "hi"), login=True, GRADIO_AUTH=f"{USER}:nope")
    assert wrong.returncode == 1
    assert wrong.stderr.startswith(f"error: logging in to {space.login_url} as {USER} failed")
    assert "nope" not in wrong.stderr


def _upload(space: Space, path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The runtime's upload of one file to the login app, with the script's own settings."""
    script = (space.scripts / "notify.sh").read_text()
    settings = "\n".join(
        line for line in script.splitlines() if re.match(r"(api_prefix|protocol)=", line)
    )
    program = (
        f"set -euo pipefail\n{settings}\nbase_url=$1\nsend_token=0 token_file=''\n"
        f'source {space.scripts / "_runtime.bash"}\nupload "$2"\nprintf \'%s\' "$value"'
    )
    environment = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "GRADIO_AUTH")}
    return subprocess.run(
        ["bash", "-c", program, "bash", space.login_url, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment, **env},
    )


def test_uploads_carry_the_login(space: Space, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("hello")
    done = _upload(space, path, GRADIO_AUTH=f"{USER}:{PASSWORD}")
    assert done.returncode == 0, done.stderr
    assert '"orig_name": "note.txt"' in done.stdout
    refused = _upload(space, path)
    assert refused.returncode == 1
    assert "needs a login" in refused.stderr and "HF_TOKEN" not in refused.stderr


def test_info_warning_and_success_print_on_stderr_in_order(space: Space) -> None:
    result = space.run("notify.sh", space.arg("text", "hi"))
    assert (result.returncode, result.stdout) == (0, '["hi"]\n'), result.stderr
    # gr.Success and message titles exist from Gradio 5; Gradio 3's curl protocol (one POST
    # per call, no event stream) carries no messages
    if space.major < 4:
        expected = []
    elif space.major >= 5:
        expected = [f"{lv}: {lv.title()} title: {lv}: hi" for lv in ("info", "warning", "success")]
    else:
        expected = ["info: info: hi", "warning: warning: hi"]
    assert result.stderr.splitlines() == expected


def test_an_app_error_keeps_its_title(space: Space) -> None:
    result = space.run("fail_titled.sh", space.arg("text", "x"))
    assert (result.returncode, result.stdout) == (1, "")
    # gr.Error takes a title, and Gradio sends it, from 5.0
    title = "Quota exceeded: " if space.major >= 5 else ""
    assert result.stderr == f"error: {title}quota: x\n"


def test_a_call_the_validator_rejects_names_each_failing_input(space: Space) -> None:
    if not space.at_least("5.49"):  # no validator= before 5.49: the call runs
        ran = space.run("signup.sh", space.arg("name", ""), space.arg("age", "-1"))
        assert (ran.returncode, ran.stdout) == (0, '[" is -1"]\n'), ran.stderr
        return
    both = space.run("signup.sh", "name=", "age=-1")
    assert (both.returncode, both.stdout) == (1, "")
    lines = both.stderr.splitlines()
    assert lines[:2] == [
        "error: invalid name: name must not be empty",
        "error: invalid age: age must not be negative",
    ]
    assert len(lines) == 3, both.stderr
    one = space.run("signup.sh", "name=", "age=3")
    assert one.returncode == 1
    assert one.stderr.splitlines()[0] == "error: invalid name: name must not be empty"
    assert "age" not in one.stderr
    fine = space.run("signup.sh", "name=Ada", "age=3")
    assert (fine.returncode, fine.stdout) == (0, '["Ada is 3"]\n'), fine.stderr
