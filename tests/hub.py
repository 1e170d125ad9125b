"""A stand-in Hugging Face Hub on 127.0.0.1, so that no test reaches the real one.

It answers the Space API (``/api/spaces/{id}`` and ``/api/spaces/{id}/runtime``) from
scripted Spaces whose runtime stage moves one poll at a time, and the semantic search
(``/api/spaces/semantic-search``). Under ``/apps/{name}`` it also plays a Space's host: it
serves a saved schema (``tests/paths.SCHEMAS``) and records every request's headers, so tests
see which header carried which token. The ``stand_in_hub`` fixture starts it in a thread and
points ``HF_ENDPOINT`` at it for the test.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.paths import SCHEMAS

APP_SCHEMA = SCHEMAS / "hello_world"


@dataclass
class Scripted:
    """A Space as the Hub describes it; ``stages`` are what successive runtime polls answer
    (the first also in the Space's info), the last one repeating."""

    host: str
    stages: list[str] = field(default_factory=lambda: ["RUNNING"])
    sdk: str = "gradio"
    private: bool = False  # answers 401 to a request without a token
    renamed_to: str | None = None  # answers with a redirect to the new id
    polls: int = 0

    def stage(self) -> str:
        return self.stages[min(self.polls, len(self.stages) - 1)]


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]  # lower-cased names


class StandInHub:
    def __init__(self) -> None:
        self.spaces: dict[str, Scripted] = {}
        self.search_results: list[dict[str, Any]] = []
        self.seen: list[Seen] = []
        self.redirects: dict[str, str] = {}  # app name -> the URL its requests are sent on to
        self.wake_delay = 0.0  # seconds the host's root takes to answer, as a sleeping Space's
        self._closed = threading.Event()  # ends a delayed answer when the test ends
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def app_url(self, name: str) -> str:
        """A host serving a saved Gradio schema, as a running Space would."""
        return f"{self.url}/apps/{name}"

    def add(self, space_id: str, **script: Any) -> Scripted:
        space = Scripted(**{"host": self.app_url(space_id.replace("/", "-")), **script})
        self.spaces[space_id] = space
        return space

    def requests_to(self, prefix: str) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith(prefix)]

    def __enter__(self) -> StandInHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        self._server.shutdown()
        self._server.server_close()


def _handler(hub: StandInHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            hub.seen.append(Seen(url.path, {k.lower(): v for k, v in self.headers.items()}))
            if url.path.startswith("/apps/"):
                _, _, name, route = [*url.path.split("/", 3), ""][:4]
                if name in hub.redirects:
                    self.send_response(307)
                    self.send_header("Location", f"{hub.redirects[name]}/{route}")
                    self.end_headers()
                    return
                self._app(route)
            elif url.path == "/api/spaces/semantic-search":
                query = parse_qs(url.query)
                if query.get("sdk") != ["gradio"] or not query.get("q"):
                    self._send(400, {"error": "q and sdk=gradio expected"})
                else:
                    self._send(200, hub.search_results)
            elif url.path.startswith("/api/spaces/"):
                self._space(url.path.removeprefix("/api/spaces/"))
            else:
                self._send(404, {"error": "not found"})

        def _space(self, rest: str) -> None:
            runtime = rest.endswith("/runtime")
            space_id = rest.removesuffix("/runtime")
            space = hub.spaces.get(space_id)
            if space is None:
                self._send(404, {"error": "Repository not found"})
                return
            if space.private and "authorization" not in {k.lower() for k in self.headers}:
                self._send(401, {"error": "Invalid credentials in Authorization header"})
                return
            if space.renamed_to:
                suffix = "/runtime" if runtime else ""
                self.send_response(307)
                self.send_header("Location", f"/api/spaces/{space.renamed_to}{suffix}")
                self.end_headers()
                return
            if runtime:
                space.polls += 1
                self._send(200, {"stage": space.stage(), "hardware": {"current": None}})
                return
            self._send(
                200,
                {
                    "id": space_id,
                    "author": space_id.split("/")[0],
                    "sdk": space.sdk,
                    "private": space.private,
                    "host": space.host,
                    "subdomain": space_id.replace("/", "-"),
                    "runtime": {"stage": space.stage()},
                    "likes": 3,
                },
            )

        def _app(self, route: str) -> None:
            files = {
                "gradio_api/openapi.json": "openapi.json",
                "gradio_api/info": "info.json",
                "config": "config.json",
            }
            path = APP_SCHEMA / files.get(route, "-")
            if route in files and path.is_file():
                self._send(200, json.loads(path.read_text(encoding="utf-8")))
            elif route == "":
                if hub._closed.wait(hub.wake_delay):
                    return  # the test is over; its client gave up long ago
                self._send(200, {"woken": True})
            else:
                self._send(404, {"detail": "Not Found"})

        def _send(self, status: int, doc: Any) -> None:
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def stand_in_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInHub]:
    """The Hub for this test: ``HF_ENDPOINT`` points at it, no ambient token, not offline,
    and runtime polls a few milliseconds apart."""
    from codegen import hub as hub_api

    with StandInHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.delenv("HF_TOKEN", raising=False)
        monkeypatch.delenv("GRADIO_PASSWORD", raising=False)
        monkeypatch.setattr(hub_api, "POLL_INTERVAL", 0.02)
        yield hub
