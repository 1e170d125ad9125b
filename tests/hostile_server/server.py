"""A server that speaks Gradio's routes and misbehaves: one attack per URL prefix.

``http://127.0.0.1:PORT/<attack>/`` is an app (Gradio 6 routes: ``/config``,
``/gradio_api/upload``, ``/gradio_api/call/{name}``, ``/gradio_api/queue/data``,
``/gradio_api/file=...``, ``/login``, ``/gradio_api/cancel``) that answers as ``ATTACKS`` says.
A second listener, ``elsewhere``, stands for another origin: it logs every request it gets,
so a test can tell whether a secret went there. Both run in threads of the test process
(uvicorn, 127.0.0.1 only); every request is logged with its arrival time.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

CONFIG = json.loads(
    (Path(__file__).parents[2] / "fixtures/openapi/e2e_media/config.json").read_text("utf-8")
)
EVENT = "ev-0001"
SECRETS = ("hf_SECRET_TOKEN", "S3CRET-HEADER", "COOKIE-S3CRET", "pa55word")
# every Unicode character that str.splitlines() splits at but an event stream does not
BREAKERS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
BROKEN = "a" + "|".join(BREAKERS) + "|z"  # what the line-break attacks send as a value
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b31m\x00tail"  # terminal control sequences
MiB = 1024 * 1024


@dataclass
class Hit:
    at: float
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Log:
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def of(self, prefix: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path.startswith(prefix)]


class Logged:
    """ASGI middleware: every request into ``log`` as it arrives."""

    def __init__(self, app: ASGIApp, log: Log) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            query = scope.get("query_string", b"").decode("latin-1")
            path = scope["path"] + (f"?{query}" if query else "")
            self.log.add(Hit(time.time(), scope["method"], path, headers))
        await self.app(scope, receive, send)


def sse(message: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(message, ensure_ascii=False).encode() + b"\n\n"


def msg(kind: str, **fields: Any) -> dict[str, Any]:
    return {"msg": kind, "event_id": EVENT, **fields}


def completed(data: list[Any]) -> dict[str, Any]:
    return msg("process_completed", output={"data": data}, success=True)


async def trickle(text: bytes, every: float = 1.0) -> AsyncIterator[bytes]:
    for i in range(len(text)):
        yield text[i : i + 1]
        await asyncio.sleep(every)


async def forever(chunk: bytes, every: float) -> AsyncIterator[bytes]:
    while True:
        yield chunk
        await asyncio.sleep(every)


def stream(parts: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(parts, media_type="text/event-stream")


class Hostile:
    """The routes; ``self.base`` is the app's URL, ``self.elsewhere`` the other origin's."""

    def __init__(self) -> None:
        self.base = ""
        self.elsewhere = ""

    def file_data(self, attack: str, name: str, path: str = "/tmp/srv/out.txt") -> dict[str, Any]:
        return {
            "path": path,
            "url": f"{self.base}/{attack}/gradio_api/file={path}",
            "orig_name": name,
            "size": None,
            "mime_type": None,
            "is_stream": False,
            "meta": {"_type": "gradio.FileData"},
        }

    # -- the routes ------------------------------------------------------------------------

    async def config(self, request: Request) -> Response:
        return JSONResponse(CONFIG)

    async def login(self, request: Request) -> Response:
        response = JSONResponse({"success": True})
        response.set_cookie("access-token", "COOKIE-S3CRET", httponly=True)
        return response

    async def cancel(self, request: Request) -> Response:
        return JSONResponse({"success": True})

    async def heartbeat(self, request: Request) -> Response:
        return stream(forever(sse({"msg": "heartbeat"}), 15.0))

    async def upload(self, request: Request) -> Response:
        attack = request.path_params["attack"]
        await request.body()
        if attack == "upload_42":
            return JSONResponse(42)
        if attack == "upload_slow":
            return StreamingResponse(trickle(b'["/tmp/srv/in.txt"]'), media_type="application/json")
        return JSONResponse(["/tmp/srv/in.txt"])

    async def call(self, request: Request) -> Response:
        attack = request.path_params["attack"]
        await request.body()
        answer = json.dumps({"event_id": EVENT}).encode()
        if attack == "post_slow":
            return StreamingResponse(trickle(answer), media_type="application/json")
        if attack == "post_nonjson":
            return Response("<html>502 Bad Gateway</html>", media_type="text/html")
        if attack == "post_no_event_id":
            return JSONResponse({"event": "nope"})
        if attack == "post_array":
            return JSONResponse([EVENT])
        return Response(answer, media_type="application/json")

    async def queue_data(self, request: Request) -> Response:
        attack = request.path_params["attack"]
        maker: Callable[[str], AsyncIterator[bytes]] = getattr(
            self, f"stream_{attack}", self.stream_ok
        )
        return stream(maker(attack))

    async def file(self, request: Request) -> Response:
        attack = request.path_params["attack"]
        if attack == "download_slow":
            return StreamingResponse(forever(b"x", 0.5), media_type="text/plain")
        if attack == "download_huge":
            size = 2 * 1024 * MiB  # promised; it sends 256 MiB, then breaks off

            async def blocks() -> AsyncIterator[bytes]:
                block = b"\0" * MiB
                for _ in range(256):
                    yield block

            return StreamingResponse(
                blocks(),
                media_type="application/octet-stream",
                headers={"content-length": str(size)},
            )
        if attack == "download_redirect":
            return RedirectResponse(f"{self.elsewhere}/stolen", status_code=302)
        return Response(b"the server's bytes\n", media_type="text/plain")

    # -- the event streams, one per attack -------------------------------------------------

    async def stream_ok(self, attack: str) -> AsyncIterator[bytes]:
        """A well-behaved stream; the value tells the attack's file or text."""
        yield sse(msg("estimation", rank=0, queue_size=1))
        yield sse(msg("process_starts"))
        yield sse(completed(self.value(attack)))
        yield sse({"msg": "close_stream"})

    def value(self, attack: str) -> list[Any]:
        if attack == "download_overwrite":
            return [self.file_data(attack, "victim.txt")]
        if attack == "download_dotfile":
            return [self.file_data(attack, ".bashrc")]
        if attack == "download_control_name":
            return [self.file_data(attack, "a\x00b\x1b[2Jc\x85.txt")]
        if attack in ("download_slow", "download_huge", "download_redirect"):
            return [self.file_data(attack, "out.bin")]
        if attack == "file_elsewhere":
            elsewhere = self.file_data(attack, "out.txt")
            elsewhere["url"] = f"{self.elsewhere}/file=/tmp/srv/out.txt"
            elsewhere["is_stream"] = True
            return [elsewhere]
        return ["fine"]

    async def stream_line_breaks(self, attack: str) -> AsyncIterator[bytes]:
        """Every character splitlines() breaks at, in an info, a streamed output and the
        result; events end with \\n, \\r\\n and a lone \\r by turns."""
        yield sse(msg("process_starts")).replace(b"\n", b"\r")
        yield sse(msg("log", log=BROKEN, level="info", title=BROKEN)).replace(b"\n", b"\r\n")
        yield sse(msg("process_generating", output={"data": [BROKEN]}, success=True))
        yield sse(completed([BROKEN + "!"])).replace(b"\n", b"\r")
        yield sse({"msg": "close_stream"})

    async def stream_line_breaks_error(self, attack: str) -> AsyncIterator[bytes]:
        yield sse(msg("process_starts")).replace(b"\n", b"\r")
        failed = msg("process_completed", output={"error": BROKEN, "title": BROKEN}, success=False)
        yield sse(failed).replace(b"\n", b"\r")
        yield sse({"msg": "close_stream"})

    async def stream_terminal_escapes(self, attack: str) -> AsyncIterator[bytes]:
        yield sse(msg("process_starts"))
        yield sse(msg("log", log=ESCAPES, level="warning", title=ESCAPES))
        failed = msg(
            "process_completed", output={"error": ESCAPES, "title": ESCAPES}, success=False
        )
        yield sse(failed)
        yield sse({"msg": "close_stream"})

    async def stream_stream_endless(self, attack: str) -> AsyncIterator[bytes]:
        yield sse(msg("process_starts"))
        async for chunk in forever(sse({"msg": "heartbeat"}), 0.2):
            yield chunk

    async def stream_stream_trickle(self, attack: str) -> AsyncIterator[bytes]:
        async for chunk in trickle(sse(completed(["never"])) * 100, 0.3):
            yield chunk

    async def stream_close_only(self, attack: str) -> AsyncIterator[bytes]:
        yield sse({"msg": "close_stream"})

    async def stream_huge_line(self, attack: str) -> AsyncIterator[bytes]:
        """One event-stream line of 160 MiB, no line end in sight."""
        yield b'data: {"msg": "process_completed", "event_id": "' + EVENT.encode() + b'", "x": "'
        block = b"A" * MiB
        for _ in range(160):
            yield block
        yield b'"}\n\n'

    async def stream_orphan_flood(self, attack: str) -> AsyncIterator[bytes]:
        """Messages for event ids nobody asked for, ~1 KiB each, until the client leaves."""
        yield sse(msg("process_starts"))
        filler = "B" * 1000
        batch = b"".join(
            sse({"msg": "progress", "event_id": f"other-{i % 3}", "x": filler}) for i in range(1000)
        )
        while True:
            yield batch
            await asyncio.sleep(0)

    async def stream_deep_json(self, attack: str) -> AsyncIterator[bytes]:
        """A result nested 100,000 deep (200 KB)."""
        deep = "[" * 100_000 + "]" * 100_000
        yield sse(msg("process_starts"))
        text = json.dumps(completed([]))[:-1].replace('"data": []', f'"data": [{deep}]')
        yield b"data: " + text.encode() + b"}\n\n"
        yield sse({"msg": "close_stream"})

    async def stream_stream_nonjson(self, attack: str) -> AsyncIterator[bytes]:
        yield sse(msg("process_starts"))
        yield b"data: {not json\n\n"


@dataclass
class Servers:
    app: str  # http://127.0.0.1:PORT
    elsewhere: str
    log: Log
    other_log: Log

    def hits(self, attack: str) -> list[Hit]:
        return self.log.of(f"/{attack}/")


def app(hostile: Hostile, log: Log) -> ASGIApp:
    p = "/{attack}"
    routes = [
        Route(f"{p}/config", hostile.config),
        Route(f"{p}/login", hostile.login, methods=["POST"]),
        Route(f"{p}/gradio_api/upload", hostile.upload, methods=["POST"]),
        Route(f"{p}/gradio_api/call/{{name}}", hostile.call, methods=["POST"]),
        Route(f"{p}/gradio_api/queue/data", hostile.queue_data),
        Route(f"{p}/gradio_api/file={{path:path}}", hostile.file),
        Route(f"{p}/gradio_api/cancel", hostile.cancel, methods=["POST"]),
        Route(f"{p}/gradio_api/heartbeat/{{session}}", hostile.heartbeat),
    ]
    return Logged(Starlette(routes=routes), log)


async def _anything(scope: Scope, receive: Receive, send: Send) -> None:
    """The other origin: answers every request with a small text."""
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"elsewhere\n"})


@contextmanager
def _serve(asgi: ASGIApp) -> Iterator[str]:
    config = uvicorn.Config(
        asgi, host="127.0.0.1", port=0, log_level="critical", lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the hostile server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def serving() -> Iterator[Servers]:
    """The hostile app and the other origin, until the block ends."""
    hostile = Hostile()
    log, other_log = Log(), Log()
    with _serve(app(hostile, log)) as base, _serve(Logged(_anything, other_log)) as elsewhere:
        hostile.base, hostile.elsewhere = base, elsewhere
        yield Servers(base, elsewhere, log, other_log)
