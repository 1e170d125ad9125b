"""Issue 13 in the generated Python and JavaScript clients, against the live space app.

The app (``tests/e2e/apps/space.py``) runs twice per Gradio version, once plain and once behind
a login (``SERVE_AUTH``); the clients are generated from the plain one. Each rule is checked
where the version has the feature: messages need the queue (4.x and later; a 3.x ``/run`` call
gets none), ``gr.Success``, message titles and error titles come with 5.x, ``validator=`` with
5.49. On the current Gradio the results are compared with gradio_client, and the login app
also serves media and chat, for uploads, downloads and cancel behind a login.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import gradio_python, serving
from mcp_session import session

from codegen.pipeline import DEFAULT_TARGETS, Options, generate

CURRENT = "6.31"
VERSIONS = (CURRENT, "3.50.2", "4.44.1", "5.49.1", "6.5.1")
AUTH = {"SERVE_AUTH": "u:p"}
EXPLICIT, ENV = "hf_canary_explicit", "hf_canary_env"
LOGIN = ("u", "p")
# gradio_client of older versions is compared in test_versions.py; media and chat run behind
# a login on the current version only
CURRENT_ONLY = pytest.mark.parametrize("site", [CURRENT], indirect=True)


@dataclass
class Site:
    version: str
    url: str
    auth_urls: dict[str, str]
    client: ModuleType  # the generated Python package of the space app
    js: dict[str, Path]  # app -> generated js/index.js
    extra: dict[str, ModuleType]  # media, chat on the current version (for files and cancel)

    def at_least(self, *version: int) -> bool:
        return tuple(int(p) for p in self.version.split(".")) >= version

    @property
    def queue(self) -> bool:
        return self.at_least(4)

    @property
    def levels(self) -> list[str]:
        if not self.queue:
            return []
        return ["info", "warning", "success"] if self.at_least(5) else ["info", "warning"]

    @property
    def titles(self) -> bool:
        return self.at_least(5)

    @property
    def validator(self) -> bool:
        return self.at_least(5, 49)


def _generate(url: str, out: Path, name: str) -> ModuleType:
    generate(url, out, Options(name=name, targets=(*DEFAULT_TARGETS, "mcp")), token=None)
    sys.path.insert(0, str(out / "python"))
    return importlib.import_module(name)


@pytest.fixture(scope="module", params=VERSIONS)
def site(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch_module: pytest.MonkeyPatch,
) -> Iterator[Site]:
    version: str = request.param
    tag = version.replace(".", "_")
    python = gradio_python(None if version == CURRENT else version)
    # no token of the test runner's may reach the apps or change what they see
    monkeypatch_module.delenv("HF_TOKEN", raising=False)
    monkeypatch_module.delenv("HF_ENDPOINT", raising=False)
    behind_login = ("space", "media", "chat") if version == CURRENT else ("space",)
    with (
        serving(("space",), python=python) as urls,
        serving(behind_login, extra_env=AUTH, python=python) as auth_urls,
    ):
        out = tmp_path_factory.mktemp(f"space_{tag}")
        client = _generate(urls["space"], out / "space", f"space_{tag}")
        js = {"space": out / "space" / "js" / "index.js"}
        extra = {}
        if version == CURRENT:
            live = request.getfixturevalue("live_apps")  # media and chat, without a login
            for app in ("media", "chat"):
                extra[app] = _generate(live[app], out / app, f"{app}_{tag}_login")
                js[app] = out / app / "js" / "index.js"
        yield Site(version, urls["space"], auth_urls, client, js, extra)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _messages(job: Any) -> list[tuple[str, str, str | None]]:
    return [(m.level, m.text, m.title) for m in job.messages]


def _expected_messages(site: Site, text: str) -> list[tuple[str, str, str | None]]:
    return [
        (level, f"{level}: {text}", f"{level.title()} title" if site.titles else None)
        for level in site.levels
    ]


# -- 1. tokens ----------------------------------------------------------------------------------


def test_tokens_go_only_where_they_belong(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    space = site.client

    def heard(**kwargs: Any) -> str:
        with space.Client(site.url, **kwargs) as client:
            return str(client.token_headers())

    # an explicit token goes to any host, as x-hf-authorization only (never Authorization)
    assert heard(token=EXPLICIT) == "x-hf-authorization"
    monkeypatch.setenv("HF_TOKEN", ENV)
    # HF_TOKEN does not go to 127.0.0.1, which is no Hugging Face host, unless asked
    assert heard() == ""
    assert heard(send_env_token=True) == "x-hf-authorization"
    assert heard(token="", send_env_token=True) == ""
    assert heard(token=EXPLICIT) == "x-hf-authorization"
    # the host of HF_ENDPOINT is Hugging Face's
    monkeypatch.setenv("HF_ENDPOINT", site.url.rstrip("/"))
    assert heard() == "x-hf-authorization"
    monkeypatch.delenv("HF_ENDPOINT")

    async def heard_async(**kwargs: Any) -> list[str]:
        async with space.AsyncClient(site.url, **kwargs) as client:
            return [str(await client.token_headers()) for _ in range(2)]

    assert asyncio.run(heard_async(token=EXPLICIT)) == ["x-hf-authorization"] * 2
    assert asyncio.run(heard_async()) == ["", ""]
    assert asyncio.run(heard_async(send_env_token=True)) == ["x-hf-authorization"] * 2


@CURRENT_ONLY
def test_gradio_client_sends_the_token_the_same_way(site: Site) -> None:
    from gradio_client import Client

    theirs = Client(site.url, token=EXPLICIT, verbose=False).predict(api_name="/token_headers")
    with site.client.Client(site.url, token=EXPLICIT) as ours:
        assert ours.token_headers() == theirs == "x-hf-authorization"


# -- 4. validation ------------------------------------------------------------------------------


def test_validation_errors_are_typed(site: Site) -> None:
    space = site.client
    with space.Client(site.url) as client:
        if not site.validator:
            # before 5.49 there is no validator=: the call runs
            assert client.signup("", -1) == " is -1"
            return
        with pytest.raises(space.ValidationError) as both:
            client.signup("", -1)
        with pytest.raises(space.ValidationError) as one:
            client.signup("bob", -1)
        assert client.signup("bob", 3) == "bob is 3"
    assert both.value.errors == {
        "name": "name must not be empty",
        "age": "age must not be negative",
    }
    assert one.value.errors == {"age": "age must not be negative"}  # only the failing ones
    assert isinstance(one.value, space.GradioClientError)
    assert "age: age must not be negative" in str(one.value) and "name" not in str(one.value)

    async def run() -> dict[str, str]:
        async with space.AsyncClient(site.url) as client:
            try:
                await client.signup("", 2)
            except space.ValidationError as exc:
                return dict(exc.errors)
        raise AssertionError("no ValidationError")

    assert asyncio.run(run()) == {"name": "name must not be empty"}


@CURRENT_ONLY
def test_validation_matches_gradio_client(site: Site) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import ValidationError

    with pytest.raises(ValidationError) as theirs:
        Client(site.url, verbose=False).predict("", -1, api_name="/signup")
    with site.client.Client(site.url) as client, pytest.raises(site.client.ValidationError) as ours:
        client.signup("", -1)
    for name, text in ours.value.errors.items():
        assert f"- {name}: {text}" in str(theirs.value)
    assert str(theirs.value).count("\n- ") == len(ours.value.errors)


# -- 3. messages and titles ---------------------------------------------------------------------


def test_messages_reach_the_caller(site: Site) -> None:
    space = site.client
    heard: list[Any] = []
    with space.Client(site.url) as client:
        job = client.submit_notify("hi", on_message=heard.append)
        assert job.result() == "hi"
        called: list[Any] = []
        assert client.notify("call", on_message=called.append) == "call"
        # a callback that raises fails its job, with the cause kept
        if site.queue:

            def boom(message: Any) -> None:
                raise RuntimeError("mine")

            with pytest.raises(space.GradioClientError, match="on_message raised") as failed:
                client.notify("t", on_message=boom)
            assert isinstance(failed.value.__cause__, RuntimeError)
    assert _messages(job) == _expected_messages(site, "hi")
    assert [(m.level, m.text, m.title) for m in heard] == _messages(job)
    assert [(m.level, m.text, m.title) for m in called] == _expected_messages(site, "call")
    assert all(isinstance(m, space.AppMessage) for m in heard)

    async def run() -> tuple[list[Any], list[Any]]:
        got: list[Any] = []
        async with space.AsyncClient(site.url) as client:
            job = await client.submit_notify("async", on_message=got.append)
            assert await job.result() == "async"
            return job.messages, got

    messages, got = asyncio.run(run())
    assert [(m.level, m.text, m.title) for m in messages] == _expected_messages(site, "async")
    assert got == messages


def test_an_app_error_keeps_its_title(site: Site) -> None:
    space = site.client
    with space.Client(site.url) as client, pytest.raises(space.GradioError) as exc:
        client.fail_titled("x")
    assert exc.value.message == "quota: x"
    assert exc.value.title == ("Quota exceeded" if site.titles else None)


# -- 2. login -----------------------------------------------------------------------------------


def test_a_login_app(site: Site) -> None:
    space, url = site.client, site.auth_urls["space"]
    with space.Client(url) as client, pytest.raises(space.AuthenticationError) as needs:
        client.notify("x")
    assert "needs a login" in str(needs.value) and "auth=" in str(needs.value)
    assert "HF_TOKEN" not in str(needs.value)
    with (
        space.Client(url, auth=("u", "wrong")) as client,
        pytest.raises(space.AuthenticationError) as wrong,
    ):
        client.notify("x")
    assert "login as 'u' failed" in str(wrong.value) and "wrong" not in str(wrong.value)

    logins: list[httpx.Request] = []
    http = httpx.Client(
        follow_redirects=True,
        event_hooks={"request": [lambda r: logins.append(r) if r.url.path == "/login" else None]},
    )
    heard: list[Any] = []
    with space.Client(url, auth=LOGIN, http_client=http) as client:
        assert logins == []  # lazily: no request before the first call
        assert client.notify("in", on_message=heard.append) == "in"
        assert len(logins) == 1
        assert client.token_headers() == ""
        # the cookie expires (here: the server no longer knows it): one login again
        for cookie in http.cookies.jar:
            cookie.value = "expired"
        assert client.notify("again") == "again"
        assert len(logins) == 2
        assert "p" not in repr(client).replace("http", "")
    assert [(m.level, m.text, m.title) for m in heard] == _expected_messages(site, "in")
    body = logins[0].content.decode()
    assert "username=u" in body and "password=p" in body

    async def run() -> str:
        async with space.AsyncClient(url, auth=LOGIN) as client:
            first = await client.notify("async")
            cookies = client.http.cookies.jar
            for cookie in cookies:
                cookie.value = "expired"
            return f"{first},{await client.notify('again')}"

    assert asyncio.run(run()) == "async,again"


@CURRENT_ONLY
def test_login_keeps_the_cookie_for_uploads_downloads_and_cancel(
    site: Site, tmp_path: Path, files: dict[str, Path]
) -> None:
    media, chat = site.extra["media"], site.extra["chat"]
    with media.Client(site.auth_urls["media"], auth=LOGIN) as client:
        upper = client.file_upper(files["note"])
        assert httpx.get(upper["url"]).status_code == 401  # the file needs the login too
        saved = client.download(upper, tmp_path / "")
    assert saved.read_text() == files["note"].read_text().upper()
    with chat.Client(site.auth_urls["chat"], auth=LOGIN) as client:
        job = client.submit_slow_echo("slow")
        while job.status().stage != "processing" and not job.done():
            pass
        assert job.cancel()
        with pytest.raises(chat.JobCancelledError):
            job.result()

    async def run() -> str:
        async with media.AsyncClient(site.auth_urls["media"], auth=LOGIN) as client:
            upper = await client.file_upper(files["note"])
            return (await client.download(upper, tmp_path / "async" / "")).read_text()

    assert asyncio.run(run()) == files["note"].read_text().upper()


@CURRENT_ONLY
def test_login_matches_gradio_client(site: Site) -> None:
    from gradio_client import Client

    url = site.auth_urls["space"]
    theirs = Client(url, auth=LOGIN, verbose=False).predict("both", api_name="/notify")
    with site.client.Client(url, auth=LOGIN) as ours:
        assert ours.notify("both") == theirs == "both"


# -- 5. the packages' READMEs --------------------------------------------------------------------


@CURRENT_ONLY
def test_each_package_readme_says_which_header_carries_which_token(site: Site) -> None:
    root = Path(site.client.__file__).parents[2]
    for readme in (root / "python" / "README.md", root / "js" / "README.md"):
        text = " ".join(readme.read_text().split())
        assert "goes to the app as `x-hf-authorization: Bearer`, never as `Authorization`" in text
        assert "strips it, so the Space's own code never sees your token" in text
        assert "`Authorization: Bearer` is what the Hub API" in text
        assert "HF_ENDPOINT" in text and "auth" in text


# -- the JavaScript client, every rule in one node process per version ---------------------------


def _input_names(index_js: Path) -> dict[str, list[str]]:
    """Each endpoint's input names in the generated JS (3.x names inputs by their labels)."""
    specs = re.findall(r'apiName: "(\w+)", inputs: (\[[^\]]*\])', index_js.read_text())
    return {api: json.loads(inputs) for api, inputs in specs}


def test_js_client(site: Site, js_tools: Path, files: dict[str, Path]) -> None:
    from test_js_client import node_path

    names = _input_names(site.js["space"])
    request = {
        "scenario": "space",
        "clients": {app: str(path) for app, path in site.js.items()},
        "urls": {"space": site.url},
        "args": {
            "authUrls": site.auth_urls,
            "validator": site.validator,
            "names": names,
            "files": {"note": str(files["note"])} if site.version == CURRENT else None,
        },
    }
    env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HF_ENDPOINT")}
    done = subprocess.run(
        [node_path(), str(js_tools / "scenarios.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=180,
        cwd=js_tools,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    sent = "x-hf-authorization"
    assert got["tokens"] == {
        "explicit": sent,
        "env": "",
        "sendEnv": sent,
        "noneWithSendEnv": "",
        "explicitWithEnv": sent,
        "hubHost": sent,
    }
    as_tuples = lambda ms: [(m["level"], m["text"], m["title"]) for m in ms]  # noqa: E731
    assert got["notify"]["result"] == "hi"
    assert as_tuples(got["notify"]["messages"]) == _expected_messages(site, "hi")
    assert as_tuples(got["notify"]["heard"]) == _expected_messages(site, "hi")
    assert as_tuples(got["callMessages"]) == _expected_messages(site, "call")
    if site.queue:
        assert "onMessage threw" in got["throwing"]["message"]
    assert got["titled"]["message"] == "quota: x" and "GradioError" in got["titled"]["kinds"]
    assert got["titled"]["title"] == ("Quota exceeded" if site.titles else None)
    if site.validator:
        both, age = got["validation"]["both"], got["validation"]["age"]
        assert "ValidationError" in both["kinds"] and "GradioClientError" in both["kinds"]
        assert both["errors"] == {
            "name": "name must not be empty",
            "age": "age must not be negative",
        }
        assert age["errors"] == {"age": "age must not be negative"}
        assert "age: age must not be negative" in age["message"]
        assert got["validation"]["good"]["ok"] == "bob is 3"
    no_login = got["noLogin"]
    assert "AuthenticationError" in no_login["kinds"] and "auth" in no_login["message"]
    assert "needs a login" in no_login["message"] and "HF_TOKEN" not in no_login["message"]
    assert 'login as "u" failed' in got["badLogin"]["message"]
    assert "wrong" not in got["badLogin"]["message"]
    login = got["login"]
    assert (login["first"], login["again"]) == ("in", "again")
    assert login["loginsBefore"] == 1 and login["logins"] == 2  # once more after it expired
    assert as_tuples(login["messages"]) == _expected_messages(site, "in")
    assert "p" not in login["text"].replace("http", "")
    if site.version == CURRENT:
        with_files = got["withFiles"]
        assert with_files["anonymous"] == 401
        assert with_files["downloaded"]["text"] == files["note"].read_text().upper()
        assert with_files["cancelled"] is True
        assert "JobCancelledError" in with_files["after"]["kinds"]


# -- the MCP server (the mcp target) --------------------------------------------------------------


@CURRENT_ONLY
def test_mcp_server_sends_messages_errors_logins_and_tokens(site: Site, tmp_path: Path) -> None:
    """gr.Info/Warning/Success as log notifications, a titled app error and the validator's
    verdicts as tool errors naming title and inputs, a login from GRADIO_AUTH, and the
    clients' token rules, through the generated MCP server over stdio."""
    server = Path(site.client.__file__ or "").parents[2] / "mcp" / "server.py"
    env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HF_ENDPOINT")}
    calls: list[tuple[str, dict[str, Any]]] = [
        ("notify", {"text": "hi"}),
        ("fail_titled", {"text": "none left"}),
        ("signup", {"name": " ", "age": -1}),
        ("signup", {"name": "Ada", "age": "old"}),
        ("token_headers", {}),
    ]
    notified, failed, rejected, invalid, heard = session(
        server, calls, env={**env, "HF_TOKEN": ENV}
    ).outcomes
    assert notified.structured == {"Echo": "hi"}
    assert notified.logs == [
        ("info", "Info title: info: hi"),
        ("warning", "Warning title: warning: hi"),
        ("notice", "Success title: success: hi"),
    ]
    assert failed.is_error and failed.text == "Quota exceeded: quota: none left"
    assert rejected.is_error and rejected.text == (
        "invalid input 'name': name must not be empty\n"
        "invalid input 'age': age must not be negative"
    )
    assert invalid.is_error and invalid.text.startswith("invalid input 'age': 'old' is not"), (
        invalid.text
    )
    assert heard.structured == {"Headers with a token": ""}  # HF_TOKEN: no HF host
    token = tmp_path / "token"
    token.write_text(EXPLICIT + "\n")
    (heard,) = session(
        server, [("token_headers", {})], env=env, args=("--token-file", str(token))
    ).outcomes
    assert heard.structured == {"Headers with a token": "x-hf-authorization"}

    behind_login = ("--base-url", site.auth_urls["space"])
    (refused,) = session(server, [("notify", {"text": "x"})], env=env, args=behind_login).outcomes
    assert refused.is_error and "GRADIO_AUTH" in refused.text, refused.text
    (let_in,) = session(
        server, [("notify", {"text": "x"})], env={**env, "GRADIO_AUTH": "u:p"}, args=behind_login
    ).outcomes
    assert let_in.structured == {"Echo": "x"}
