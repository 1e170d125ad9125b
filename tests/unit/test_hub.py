"""Space ids through the Hub, end to end through the command line, against the stand-in Hub
on 127.0.0.1 (``tests/hub.py``): stages, waking, errors, the fallback, which header carries
which token, and ``search``."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner, Result

from codegen import hub
from codegen.cli import main
from tests.folders import snapshot
from tests.hub import StandInHub, stand_in_hub
from tests.paths import SCHEMAS

__all__ = ["stand_in_hub"]  # the fixture, used by name

SECRET = "hf_canary_SECRET_123"
ID = "owner/app"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def other_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInHub]:
    """An app on a host that is neither the Hub nor a Hugging Face host."""
    with StandInHub() as other:
        yield other


def _error_line(result: Result) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


@pytest.fixture
def existing(runner: CliRunner, tmp_path: Path) -> Path:
    """A folder generated before, with a file of the user's beside it."""
    out = tmp_path / "out"
    made = runner.invoke(main, [str(SCHEMAS / "hello_world" / "openapi.json"), "-o", str(out)])
    assert made.exit_code == 0, made.output
    (out / "mine.txt").write_text("the user's own file")
    return out


# -- resolving -----------------------------------------------------------------------------------


def test_running_space_is_read_from_the_host_the_hub_names(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    host = stand_in_hub.app_url("custom-domain")
    stand_in_hub.add(ID, host=host)
    out = tmp_path / "out"
    result = runner.invoke(main, [ID, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # a running Space needs no progress line
    assert [s.path for s in stand_in_hub.requests_to("/api/")] == [f"/api/spaces/{ID}"]
    assert stand_in_hub.requests_to("/apps/custom-domain/gradio_api/openapi.json")
    lock = json.loads((out / "gradio-codegen.lock").read_text())
    assert lock["source"]["space_id"] == ID and lock["source"]["origin"] == host
    client = (out / "python" / "app" / "client.py").read_text()
    assert f'BASE_URL = "{host}"' in client


def test_sleeping_space_is_woken_and_polled_then_generated(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    space = stand_in_hub.add(ID, stages=["SLEEPING", "SLEEPING", "SLEEPING", "RUNNING"])
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    progress = result.stderr.splitlines()
    assert len(progress) == 1, result.stderr
    assert ID in progress[0] and "SLEEPING" in progress[0] and "--wait" in progress[0]
    assert space.polls == 3  # sleeping twice, then running
    woken = [s for s in stand_in_hub.seen if s.path == "/apps/owner-app/"]
    assert len(woken) == 1
    assert (tmp_path / "out" / "gradio-codegen.lock").is_file()


@pytest.mark.parametrize("stage", ["BUILDING", "APP_STARTING", "RUNNING_BUILDING"])
def test_starting_stages_are_waited_for(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path, stage: str
) -> None:
    space = stand_in_hub.add(ID, stages=[stage, "RUNNING"])
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert stage in result.stderr and space.polls == 1


def test_wait_is_bounded_and_leaves_the_folder(
    stand_in_hub: StandInHub, runner: CliRunner, existing: Path
) -> None:
    space = stand_in_hub.add(ID, stages=["BUILDING"])
    before = snapshot(existing)
    started = time.monotonic()
    result = runner.invoke(main, [ID, "-o", str(existing), "--wait", "0.3"])
    took = time.monotonic() - started
    assert result.exit_code == 4, result.stderr
    line = _error_line(result)
    assert "still BUILDING after 0.3s" in line and "--wait" in line
    assert 0.3 <= took < 5
    assert space.polls >= 2
    assert snapshot(existing) == before
    assert not stand_in_hub.requests_to("/apps/owner-app/gradio_api")


@pytest.mark.parametrize(
    ("stage", "words"),
    [
        ("PAUSED", "paused"),
        ("STOPPED", "restart"),
        ("RUNTIME_ERROR", "logs"),
        ("BUILD_ERROR", "build logs"),
        ("NO_APP_FILE", "app file"),
    ],
)
def test_stopped_stages_fail_at_once_and_leave_the_folder(
    stand_in_hub: StandInHub, runner: CliRunner, existing: Path, stage: str, words: str
) -> None:
    stand_in_hub.add(ID, stages=[stage])
    before = snapshot(existing)
    result = runner.invoke(main, [ID, "-o", str(existing)])
    assert result.exit_code == 4, result.stderr
    line = _error_line(result)
    assert f"{ID} is {stage}" in line and words in line
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(existing) == before
    assert not stand_in_hub.requests_to("/apps/")  # neither woken nor read


def test_a_stage_met_while_waiting_fails_too(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    stand_in_hub.add(ID, stages=["BUILDING", "BUILD_ERROR"])
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out")])
    assert result.exit_code == 4
    assert "is BUILD_ERROR" in _error_line(result)
    assert not (tmp_path / "out").exists()


def test_docker_space_is_no_gradio_app(
    stand_in_hub: StandInHub, runner: CliRunner, existing: Path
) -> None:
    stand_in_hub.add(ID, sdk="docker")
    before = snapshot(existing)
    result = runner.invoke(main, [ID, "-o", str(existing)])
    assert result.exit_code == 4
    assert "is a docker Space, not a Gradio app" in _error_line(result)
    assert snapshot(existing) == before


def test_private_space_without_token_says_what_to_do(
    stand_in_hub: StandInHub, runner: CliRunner, existing: Path
) -> None:
    stand_in_hub.add(ID, private=True)
    before = snapshot(existing)
    result = runner.invoke(main, [ID, "-o", str(existing)])
    assert result.exit_code == 4
    line = _error_line(result)
    assert "401" in line and "private and no token was given" in line
    assert "--token" in line and "HF_TOKEN" in line
    assert snapshot(existing) == before


def test_private_space_with_a_token_is_read(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    stand_in_hub.add(ID, private=True)
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out"), "--token", SECRET])
    assert result.exit_code == 0, result.stderr


def test_missing_space(stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["nobody/nothing", "-o", str(tmp_path / "out")])
    assert result.exit_code == 4
    assert "does not show Space nobody/nothing (HTTP 404)" in _error_line(result)
    assert not (tmp_path / "out").exists()


def test_renamed_space_records_its_new_id(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    stand_in_hub.add("owner/new-name")
    stand_in_hub.add("owner/old-name", renamed_to="owner/new-name")
    out = tmp_path / "out"
    result = runner.invoke(main, ["owner/old-name", "-o", str(out), "-v"])
    assert result.exit_code == 0, result.stderr
    assert "owner/old-name is now owner/new-name" in result.stderr
    lock = json.loads((out / "gradio-codegen.lock").read_text())
    assert lock["source"]["given"] == "owner/old-name"
    assert lock["source"]["space_id"] == "owner/new-name"
    assert lock["source"]["origin"] == stand_in_hub.app_url("owner-new-name")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("why", ["refused", "HF_HUB_OFFLINE"])
def test_without_a_hub_the_url_rule_is_used_and_said_under_v(
    monkeypatch: pytest.MonkeyPatch, runner: CliRunner, tmp_path: Path, why: str
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    if why == "HF_HUB_OFFLINE":
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    else:
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    host = "https://owner-app.hf.space"
    schema = SCHEMAS / "hello_world"
    docs = {n: json.loads((schema / f"{n}.json").read_text()) for n in ("openapi", "info")}
    with respx.mock(assert_all_called=False) as mock:
        mock.route(host="127.0.0.1").pass_through()
        for name, doc in docs.items():
            mock.get(f"{host}/gradio_api/{name}" + (".json" if name == "openapi" else "")).mock(
                return_value=httpx.Response(200, json=doc)
            )
        mock.get(f"{host}/config").mock(return_value=httpx.Response(404))
        quiet = runner.invoke(main, [ID, "-o", str(tmp_path / "a")])
        told = runner.invoke(main, [ID, "-o", str(tmp_path / "b"), "-v"])
    assert quiet.exit_code == 0 and told.exit_code == 0, quiet.stderr + told.stderr
    assert quiet.stderr == ""
    assert f"reading {ID} from {host}" in told.stderr
    assert ("HF_HUB_OFFLINE" if why == "HF_HUB_OFFLINE" else "cannot reach the Hub") in told.stderr
    lock = json.loads((tmp_path / "b" / "gradio-codegen.lock").read_text())
    assert (lock["source"]["space_id"], lock["source"]["origin"]) == (ID, host)


# -- which header carries which token ---------------------------------------------------------


def _app_requests(hub: StandInHub, name: str) -> list[dict[str, str]]:
    return [s.headers for s in hub.requests_to(f"/apps/{name}/gradio_api/")]


@pytest.mark.parametrize("given", ["--token", "HF_TOKEN"])
def test_space_token_goes_to_the_hub_as_authorization_and_to_the_app_as_x_hf(
    stand_in_hub: StandInHub,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    given: str,
) -> None:
    stand_in_hub.add(ID, stages=["SLEEPING", "RUNNING"])
    args = [ID, "-o", str(tmp_path / "out"), "-v"]
    if given == "--token":
        args += ["--token", SECRET]
    else:
        monkeypatch.setenv("HF_TOKEN", SECRET)
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.stderr
    hub_calls = stand_in_hub.requests_to("/api/")
    assert len(hub_calls) == 2
    assert all(s.headers["authorization"] == f"Bearer {SECRET}" for s in hub_calls)
    app_calls = [s.headers for s in stand_in_hub.requests_to("/apps/owner-app/")]
    assert len(app_calls) >= 3  # the wake-up and the schemas
    for headers in app_calls:
        assert headers["x-hf-authorization"] == f"Bearer {SECRET}"
        assert "authorization" not in headers
    _never_written(tmp_path / "out", result)


def test_env_token_stays_off_other_hosts_and_an_explicit_one_goes_as_x_hf(
    stand_in_hub: StandInHub,
    other_host: StandInHub,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_TOKEN", SECRET)
    url = other_host.app_url("plain")
    result = runner.invoke(main, [url, "-o", str(tmp_path / "env"), "-v"])
    assert result.exit_code == 0, result.stderr
    for headers in _app_requests(other_host, "plain"):
        assert SECRET not in json.dumps(headers)
    explicit = "hf_canary_explicit"
    result = runner.invoke(main, [url, "-o", str(tmp_path / "given"), "--token", explicit])
    assert result.exit_code == 0, result.stderr
    sent = _app_requests(other_host, "plain")[-1]
    assert sent["x-hf-authorization"] == f"Bearer {explicit}" and "authorization" not in sent
    _never_written(tmp_path / "given", result, explicit)


def test_env_token_goes_to_the_hf_endpoint_host_as_x_hf(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", SECRET)
    result = runner.invoke(main, [stand_in_hub.app_url("direct"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    sent = _app_requests(stand_in_hub, "direct")
    assert sent and all(h["x-hf-authorization"] == f"Bearer {SECRET}" for h in sent)
    assert not any("authorization" in h for h in sent)
    assert not stand_in_hub.requests_to("/api/")  # a URL asks no Hub


def test_token_does_not_follow_a_redirect_to_another_host(
    stand_in_hub: StandInHub, other_host: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    stand_in_hub.add(ID)
    stand_in_hub.redirects["owner-app"] = other_host.app_url("elsewhere")
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out"), "--token", SECRET])
    assert result.exit_code == 0, result.stderr
    assert all(s.headers.get("x-hf-authorization") for s in stand_in_hub.requests_to("/apps/"))
    followed = _app_requests(other_host, "elsewhere")
    assert followed and not any(SECRET in json.dumps(h) for h in followed)


def _never_written(out: Path, result: Result, secret: str = SECRET) -> None:
    assert secret not in result.stdout + result.stderr
    for path in out.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_token_is_in_no_error_line(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    stand_in_hub.add(ID, stages=["PAUSED"])
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out"), "--token", SECRET, "-v"])
    assert result.exit_code == 4
    assert SECRET not in result.stderr and "PAUSED" in result.stderr


# -- search ------------------------------------------------------------------------------------

FOUND = [
    {
        "id": "first/tts",
        "likes": 1200,
        "runtime": {"stage": "RUNNING"},
        "ai_short_description": "Turn text into natural speech",
        "title": "TTS",
    },
    {"id": "second/voice", "likes": 7, "runtime": {"stage": "SLEEPING"}, "title": "Voice"},
    {"id": "third/say", "likes": 0, "ai_short_description": "Say it\x1b[31m loud\nnow"},
]


def test_search_lists_spaces_best_first(stand_in_hub: StandInHub, runner: CliRunner) -> None:
    stand_in_hub.search_results = FOUND
    result = runner.invoke(main, ["search", "text to speech"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["first/tts", "second/voice", "third/say"]
    assert lines[0].split()[1:4] == ["1200", "likes", "RUNNING"]
    assert lines[0].endswith("  Turn text into natural speech")
    assert "SLEEPING" in lines[1] and lines[1].endswith("Voice")
    assert "\x1b" not in result.stdout and lines[2].endswith("Say it [31m loud now")
    asked = stand_in_hub.requests_to("/api/spaces/semantic-search")
    assert len(asked) == 1


def test_search_limit_and_json(
    stand_in_hub: StandInHub, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in_hub.search_results = FOUND
    monkeypatch.setenv("HF_TOKEN", SECRET)
    limited = runner.invoke(main, ["search", "speech", "--limit", "2"])
    assert limited.exit_code == 0 and len(limited.stdout.splitlines()) == 2
    raw = runner.invoke(main, ["search", "speech", "--json", "--limit", "1"])
    assert raw.exit_code == 0
    assert json.loads(raw.stdout) == FOUND[:1]
    asked = stand_in_hub.requests_to("/api/spaces/semantic-search")
    assert [s.headers["authorization"] for s in asked] == [f"Bearer {SECRET}"] * 2


def test_search_with_no_match_says_so(stand_in_hub: StandInHub, runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "nothing at all"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "no Gradio Space matches 'nothing at all'" in result.stderr


def test_search_errors_are_one_line(
    monkeypatch: pytest.MonkeyPatch, runner: CliRunner, stand_in_hub: StandInHub
) -> None:
    stand_in_hub.search_results = {"not": "a list"}  # type: ignore[assignment]
    bad = runner.invoke(main, ["search", "speech"])
    assert bad.exit_code == 4 and "not a JSON list" in _error_line(bad)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    gone = runner.invoke(main, ["search", "speech"])
    assert gone.exit_code == 4 and "cannot reach the Hub" in _error_line(gone)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    off = runner.invoke(main, ["search", "speech"])
    assert off.exit_code == 4 and "HF_HUB_OFFLINE" in _error_line(off)


def test_config_token_env_is_the_apps_own_and_hf_token_stays_ambient(
    stand_in_hub: StandInHub,
    other_host: StandInHub,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A config's ``token_env`` names a token for that app (explicit); the default HF_TOKEN
    keeps the environment's rule: Hugging Face hosts only."""
    monkeypatch.setenv("HF_TOKEN", SECRET)
    monkeypatch.setenv("MY_APP_TOKEN", "hf_canary_named")
    config = tmp_path / "gradio-codegen.toml"
    config.write_text(
        f'[[apps]]\nsrc = "{other_host.app_url("named")}"\noutput = "named"\n'
        'token_env = "MY_APP_TOKEN"\n\n'
        f'[[apps]]\nsrc = "{other_host.app_url("ambient")}"\noutput = "ambient"\n'
    )
    result = runner.invoke(main, ["--config", str(config)])
    assert result.exit_code == 0, result.stderr
    named = _app_requests(other_host, "named")
    assert named and all(h["x-hf-authorization"] == "Bearer hf_canary_named" for h in named)
    ambient = _app_requests(other_host, "ambient")
    assert ambient and not any("x-hf-authorization" in h or "authorization" in h for h in ambient)


def test_a_config_run_wakes_its_spaces_within_wait(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    """Without SRC, every app of the config is reached as SRC would be: woken with the
    progress line, and --wait bounds each."""
    stand_in_hub.add(ID, stages=["SLEEPING", "RUNNING"])
    stand_in_hub.add("owner/stuck", stages=["BUILDING"])
    config = tmp_path / "gradio-codegen.toml"
    config.write_text(
        f'[[apps]]\nsrc = "{ID}"\noutput = "woken"\n\n'
        '[[apps]]\nsrc = "owner/stuck"\noutput = "stuck"\n'
    )
    result = runner.invoke(main, ["--config", str(config), "--wait", "0.3"])
    assert result.exit_code == 4, result.stderr
    assert f"{ID} is SLEEPING: waking it" in result.stderr
    assert "owner/stuck is still BUILDING after 0.3s" in result.stderr
    assert (tmp_path / "woken" / "gradio-codegen.lock").is_file()
    assert not (tmp_path / "stuck").exists()


@pytest.mark.parametrize(
    ("doc", "host"),
    [
        ({"host": "https://custom.example.com/"}, "https://custom.example.com"),
        ({"subdomain": "a-b-x1"}, "https://a-b-x1.hf.space"),
        ({}, "https://a-b.hf.space"),  # an older Hub: the URL rule
    ],
)
def test_the_host_the_hub_names(
    monkeypatch: pytest.MonkeyPatch, doc: dict[str, str], host: str
) -> None:

    monkeypatch.setenv("HF_ENDPOINT", "https://hub.test")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with respx.mock() as mock:
        mock.get("https://hub.test/api/spaces/a/b").mock(
            return_value=httpx.Response(200, json={"id": "a/b", "sdk": "gradio", **doc})
        )
        assert hub.resolve("a/b", None, 5.0).host == host


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "https://user:pw@evil.test", "file:///etc/passwd", "http://"]
)
def test_a_host_that_is_no_web_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:

    from codegen.errors import SourceError

    monkeypatch.setenv("HF_ENDPOINT", "https://hub.test")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with respx.mock() as mock:
        mock.get("https://hub.test/api/spaces/a/b").mock(
            return_value=httpx.Response(200, json={"id": "a/b", "sdk": "gradio", "host": bad})
        )
        with pytest.raises(SourceError, match="as a/b's host"):
            hub.resolve("a/b", None, 5.0)


@pytest.mark.parametrize(
    ("answered", "recorded"),
    [("owner/new-name", "owner/new-name"), ("no-owner", ID), ("a/b/c", ID), (None, ID), (7, ID)],
)
def test_an_id_the_hub_answers_is_kept_only_when_it_is_a_space_id(
    monkeypatch: pytest.MonkeyPatch, answered: object, recorded: str
) -> None:
    """A hostile or broken Hub cannot make the run crash on the id it names."""
    doc = {"id": answered, "sdk": "gradio", "runtime": {"stage": "RUNNING"}}
    monkeypatch.setattr(hub, "_get", lambda *args, **kwargs: doc)
    assert hub.resolve(ID, None, 1.0).id == recorded


# -- the token `hf auth login` saved, the User-Agent, a bounded wake-up ---------------------------


def _save_token(folder: Path, token: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "token").write_text(f"{token}\n")  # as huggingface_hub writes it
    return folder / "token"


def test_the_saved_token_reads_a_private_space_as_hf_token_would(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    _save_token(tmp_path / "home", SECRET)
    stand_in_hub.add(ID, private=True, stages=["SLEEPING", "RUNNING"])
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    hub_calls = stand_in_hub.requests_to("/api/")
    assert hub_calls and all(s.headers["authorization"] == f"Bearer {SECRET}" for s in hub_calls)
    app_calls = [s.headers for s in stand_in_hub.requests_to("/apps/owner-app/")]
    assert app_calls and all(h["x-hf-authorization"] == f"Bearer {SECRET}" for h in app_calls)
    assert not any("authorization" in h for h in app_calls)
    _never_written(tmp_path / "out", result)


def test_hf_token_path_wins_over_hf_home_and_hf_token_over_both(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    _save_token(tmp_path / "home", "hf_canary_home")
    assert hub.ambient_token() == "hf_canary_home"
    monkeypatch.setenv("HF_TOKEN_PATH", str(_save_token(tmp_path / "elsewhere", "hf_canary_path")))
    assert hub.ambient_token() == "hf_canary_path"
    monkeypatch.setenv("HF_TOKEN", " hf_canary_env ")
    assert hub.ambient_token() == "hf_canary_env"
    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.delenv("HF_HOME")
    monkeypatch.delenv("HF_TOKEN_PATH")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _save_token(tmp_path / "xdg" / "huggingface", "hf_canary_xdg")
    assert hub.ambient_token() == "hf_canary_xdg"
    stand_in_hub.add(ID, private=True)
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert stand_in_hub.requests_to("/api/")[0].headers["authorization"] == "Bearer hf_canary_xdg"


def test_the_saved_token_stays_off_other_hosts(
    stand_in_hub: StandInHub,
    other_host: StandInHub,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    _save_token(tmp_path / "home", SECRET)
    result = runner.invoke(main, [other_host.app_url("plain"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    sent = _app_requests(other_host, "plain")
    assert sent and not any(SECRET in json.dumps(h) for h in sent)


def test_every_request_names_the_generator(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path
) -> None:
    from codegen import __version__

    stand_in_hub.add(ID, stages=["SLEEPING", "RUNNING"])
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    agents = {s.headers.get("user-agent") for s in stand_in_hub.seen}
    assert agents == {f"gradio-codegen/{__version__}"}
    assert len(stand_in_hub.requests_to("/apps/")) >= 3  # the wake-up and the schemas


def test_wait_bounds_a_wake_up_whose_request_hangs_and_says_what_it_waits_for(
    stand_in_hub: StandInHub, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wake-up request must not take the whole --timeout before the wait starts; while
    waiting a line says, every PROGRESS_EVERY seconds, what for."""
    monkeypatch.setattr(hub, "PROGRESS_EVERY", 0.4)
    stand_in_hub.wake_delay = 20.0
    stand_in_hub.add(ID, stages=["BUILDING"])
    started = time.monotonic()
    result = runner.invoke(main, [ID, "-o", str(tmp_path / "out"), "--wait", "1.5"])
    took = time.monotonic() - started
    assert result.exit_code == 4, result.stderr
    assert "still BUILDING after 1.5s" in _error_line(result)
    assert 1.5 <= took < 4, took  # not the 30 s of --timeout, nor the 20 s of the wake-up
    waiting = [line for line in result.stderr.splitlines() if line.startswith("still waiting")]
    assert waiting and all(f"for {ID} to run: it is BUILDING (" in line for line in waiting)
