"""Nothing of the client's follows a redirect off the app's origin: the token, the client's and
the call's headers, the login cookie, the login form. Two real servers on 127.0.0.1: the app,
which sends every request once around its own origin and then to the other server."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from codegen.runtime.gradio_runtime import (
    AsyncRuntime,
    AuthenticationError,
    EndpointSpec,
    SyncRuntime,
    first,
)

SPEC = EndpointSpec("x", outputs=(0,), file_specs=(None,))
TOKEN = "hf_SECRET"
COOKIE = "access-token-unsecure-1=login-cookie"
# what the app alone may see: the token, a client header, a call header, the login cookie
OWN_ONLY = ("x-hf-authorization", "x-client", "x-call", "cookie")


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Origin:
    """One server and every request it received."""

    server: ThreadingHTTPServer
    seen: list[Seen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"


Answer = tuple[int, dict[str, str], bytes]


def _serve(answer: Callable[[Seen], Answer]) -> Origin:
    origin: Origin

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen = Seen(self.command, self.path, headers, body)
            origin.seen.append(seen)
            status, extra, content = answer(seen)
            self.send_response(status)
            for name, value in {**extra, "content-length": str(len(content))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = _handle

        def log_message(self, *args: Any) -> None:
            pass

    origin = Origin(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    threading.Thread(target=origin.server.serve_forever, args=(0.05,), daemon=True).start()
    return origin


def _other(seen: Seen) -> Answer:
    """The other origin answers like a Gradio app, so a leaking client would go on."""
    path = seen.path.split("?", 1)[0]
    if path.endswith("/call/x"):
        return 200, {"content-type": "application/json"}, b'{"event_id": "e"}'
    if path.endswith("/queue/data"):
        done = {"msg": "process_completed", "event_id": "e", "success": True}
        msg = {**done, "output": {"data": ["from the other origin"]}}
        return 200, {"content-type": "text/event-stream"}, b"data: " + json.dumps(msg).encode()
    if path == "/login":
        return 200, {"set-cookie": "other=1; Path=/"}, b'{"success": true}'
    return 200, {}, b"FILE"


@dataclass
class Apps:
    app: Origin
    other: Origin

    def at_other(self) -> list[Seen]:
        return self.other.seen

    def hops(self, suffix: str) -> list[Seen]:
        """The app's requests that came back from its own (same-origin) redirect."""
        return [s for s in self.app.seen if s.path.startswith("/hop") and suffix in s.path]


@pytest.fixture(params=[302, 307])
def apps(request: pytest.FixtureRequest) -> Iterator[Apps]:
    """``/login`` logs in at the app; any other path redirects to ``/hop/path`` on the app,
    which redirects to ``path`` on the other origin."""
    status: int = request.param
    other = _serve(_other)

    def app_answer(seen: Seen) -> Answer:
        if seen.path == "/login":
            return 200, {"set-cookie": f"{COOKIE}; Path=/; HttpOnly"}, b'{"success": true}'
        if seen.path.startswith("/hop/"):
            return status, {"location": other.url + seen.path.removeprefix("/hop")}, b""
        return status, {"location": "/hop" + seen.path}, b""

    app = _serve(app_answer)
    yield Apps(app, other)
    for origin in (app, other):
        origin.server.shutdown()
        origin.server.server_close()


def _sync(url: str, **kwargs: Any) -> SyncRuntime:
    return SyncRuntime(url, default_base_url=url, api_prefix="/gradio_api", timeout=5.0, **kwargs)


def _async(url: str, **kwargs: Any) -> AsyncRuntime:
    return AsyncRuntime(url, default_base_url=url, api_prefix="/gradio_api", timeout=5.0, **kwargs)


OPTIONS: dict[str, Any] = {"token": TOKEN, "headers": {"X-Client": "c"}, "auth": ("u", "pw")}


def _call(apps: Apps, is_async: bool) -> Any:
    if not is_async:
        with _sync(apps.app.url, **OPTIONS) as rt:
            return rt._submit(SPEC, [1], first, {"X-Call": "k"}, 5.0).result()

    async def run() -> Any:
        async with _async(apps.app.url, **OPTIONS) as rt:
            job = await rt._submit(SPEC, [1], first, {"X-Call": "k"}, 5.0)
            return await job.result()

    return asyncio.run(run())


def _assert_own_only(apps: Apps, suffix: str, sent: tuple[str, ...]) -> None:
    """The same-origin hop got every header, the other origin none; and it was reached."""
    hops = apps.hops(suffix)
    assert hops, f"no same-origin redirect to {suffix}"
    for seen in hops:
        assert seen.headers["x-hf-authorization"] == f"Bearer {TOKEN}"
        assert seen.headers["x-client"] == "c"
        assert seen.headers["cookie"] == COOKIE
        assert all(name in seen.headers for name in sent)
    at_other = [s for s in apps.at_other() if suffix in s.path]
    assert at_other, f"the redirect to {suffix} on the other origin was not followed"
    for seen in at_other:
        leaked = {name: seen.headers[name] for name in OWN_ONLY if name in seen.headers}
        assert leaked == {}, f"{seen.method} {seen.path} on the other origin got {leaked}"
        assert "authorization" not in seen.headers


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_call_and_its_stream_keep_everything_on_the_app(apps: Apps, is_async: bool) -> None:
    assert _call(apps, is_async) == "from the other origin"
    _assert_own_only(apps, "/gradio_api/call/x", ("x-call",))
    _assert_own_only(apps, "/gradio_api/queue/data", ())


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_download_keeps_everything_on_the_app(apps: Apps, is_async: bool, tmp_path: Path) -> None:
    url = f"{apps.app.url}/gradio_api/file=out.txt"
    if is_async:

        async def run() -> Path:
            async with _async(apps.app.url, **OPTIONS) as rt:
                return await rt.download(url, tmp_path)

        saved = asyncio.run(run())
    else:
        with _sync(apps.app.url, **OPTIONS) as rt:
            saved = rt.download(url, tmp_path)
    assert saved.read_bytes() == b"FILE"
    _assert_own_only(apps, "/gradio_api/file=out.txt", ())


@pytest.mark.parametrize("status", [302, 307])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_the_login_form_is_never_redirected(status: int, is_async: bool) -> None:
    other = _serve(_other)

    def moved(seen: Seen) -> Answer:
        return status, {"location": f"{other.url}/login"}, b""

    app = _serve(moved)
    try:
        with pytest.raises(AuthenticationError) as exc:
            _call(Apps(app, other), is_async)
    finally:
        for origin in (app, other):
            origin.server.shutdown()
            origin.server.server_close()
    assert [(s.method, s.path) for s in app.seen] == [("POST", "/login")]
    assert other.seen == []
    assert f"redirected it to {other.url}/login" in str(exc.value)


def test_the_login_cookie_stays_off_another_port_of_the_host(apps: Apps, tmp_path: Path) -> None:
    """A cookie is sent to every port of its host: a file on another origin is fetched without."""
    with _sync(apps.app.url, **OPTIONS) as rt:
        rt._login(0)
        rt.download(f"{apps.other.url}/elsewhere.txt", tmp_path)
    assert [s.path for s in apps.other.seen] == ["/elsewhere.txt"]
    assert "cookie" not in apps.other.seen[0].headers
