"""The MCP server of a generated client: every endpoint of the app as a Model Context Protocol tool.

Copied verbatim next to the generated ``server.py`` (as ``_mcp_runtime.py``), which holds the
app's tool table (schemas from gradio-codegen's model of the app) and calls ``main``. The calls
go through the generated Python client, so files, sessions, tokens, logins, retries and every
Gradio version behave as they do there; this module only translates between the two:

- one client per MCP session (the server's lifespan runs once per session), so ``gr.State``
  carries within a conversation and the app's session ends with it;
- inputs are checked against the tool's schema here, so that an error names the input; file
  inputs are local paths (checked before anything is sent) or URLs, uploaded by the client;
- while a job runs, its queue/progress updates and intermediate outputs go out as MCP
  progress notifications, and ``gr.Info``/``gr.Warning``/``gr.Success`` as log messages;
- the outputs come back as structured content (the tool's output schema), plus image and
  audio outputs as MCP image/audio content when small and every other file as a resource link;
- the app's errors are tool errors (``isError``) carrying its title and message.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import mimetypes
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import jsonschema
from mcp import types
from mcp.server.lowlevel import NotificationOptions, Server

# media at most this large travels inside the result; larger files go as links to the app
MAX_INLINE_BYTES = 1 << 20
POLL_SECONDS = 0.05  # how often a running job's status and messages are looked at
PREVIEW_CHARS = 200  # of an intermediate output, in a progress message
CANCEL_SECONDS = 5.0
# stages that say nothing a progress message would not say better (an output, the result)
_QUIET_STAGES = (
    "pending",
    "iterating",
    "finished",
)  # for telling the app to stop a job whose MCP request was cancelled
_LOG_LEVELS: tuple[types.LoggingLevel, ...] = (
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
)
# gr.Info/gr.Warning/gr.Success/(Gradio's own) error as MCP log levels
_APP_LEVELS: dict[str, types.LoggingLevel] = {
    "info": "info",
    "success": "notice",
    "warning": "warning",
    "error": "error",
}


@dataclass(frozen=True)
class ToolSpec:
    """One endpoint as a tool; written by the generator into ``server.py``."""

    name: str
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    method: str  # the client's ``submit_...`` method
    params: Sequence[Sequence[str]]  # [the input's property name, the method's keyword]
    file_inputs: Sequence[str]  # inputs whose values hold files: local paths or URLs
    outputs: Sequence[str]  # structured content keys, in the endpoint's output order


@dataclass
class _Session:
    """What one MCP session keeps: its client (one app session) and its log level."""

    client: Any
    log_level: types.LoggingLevel = "info"


@dataclass
class _Reporter:
    """Sends one request's notifications: progress only when the client asked for it."""

    session: Any  # mcp.server.session.ServerSession
    request_id: types.RequestId
    progress_token: str | int | None
    log_level: types.LoggingLevel
    logger: str
    sent: int = 0
    last: str | None = field(default=None)

    async def progress(self, message: str) -> None:
        if self.progress_token is None or message in (self.last, *_QUIET_STAGES):
            return
        self.sent += 1
        self.last = message
        await self.session.send_progress_notification(
            self.progress_token, float(self.sent), None, message, str(self.request_id)
        )

    async def log(self, level: types.LoggingLevel, text: str) -> None:
        if _LOG_LEVELS.index(level) < _LOG_LEVELS.index(self.log_level):
            return
        await self.session.send_log_message(level, text, self.logger, self.request_id)


class ToolError(Exception):
    """A call that ends as a tool error (``isError``) with this text."""


def describe_status(status: Any) -> str:
    """A job's status as one line for a progress message."""
    stage = str(status.stage)
    if stage == "queued" and status.rank is not None:
        size = f" of {status.queue_size}" if status.queue_size is not None else ""
        return f"queued: {status.rank + 1}{size}"
    parts = []
    for unit in status.progress:
        what = unit.desc or "progress"
        if unit.index is not None and unit.length is not None:
            parts.append(f"{what}: {unit.index:g}/{unit.length:g} {unit.unit or ''}".rstrip())
        elif unit.progress is not None:
            parts.append(f"{what}: {unit.progress:.0%}")
    return "; ".join(parts) if parts else stage


def _preview(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def check_arguments(spec: ToolSpec, arguments: Mapping[str, Any]) -> None:
    """Raises ``ToolError`` naming each input the schema rejects."""
    validator = jsonschema.Draft202012Validator(spec.input_schema)
    problems = []
    for error in sorted(validator.iter_errors(dict(arguments)), key=lambda e: list(e.path)):
        if error.path:
            problems.append(f"invalid input {str(error.path[0])!r}: {error.message}")
        else:
            problems.append(f"invalid input: {error.message}")
    if problems:
        raise ToolError("\n".join(problems))


def local_files(name: str, value: Any) -> Any:
    """A file input's value with every local path checked (and ``~`` expanded): a missing
    file is an error naming the input before anything is sent."""
    if isinstance(value, str):
        if value.startswith(("http://", "https://", "data:")):
            return value
        path = Path(value).expanduser()
        if not path.is_file():
            raise ToolError(f"invalid input {name!r}: {value!r} is no local file (nor a URL)")
        return str(path)
    if isinstance(value, list):
        return [local_files(name, v) for v in value]
    if isinstance(value, dict) and not isinstance(value.get("path"), str):
        return {k: local_files(name, v) for k, v in value.items()}
    return value


def app_error_text(module: ModuleType, exc: BaseException) -> str:
    """The client's error as the tool error's text: the app's title and message as it
    showed them, a validator's message per input, a login or token hint."""
    if isinstance(exc, module.GradioError):
        return f"{exc.title}: {exc.message}" if exc.title else str(exc.message)
    if isinstance(exc, module.ValidationError):
        return "\n".join(f"invalid input {name!r}: {text}" for name, text in exc.errors.items())
    if isinstance(exc, module.AuthenticationError):
        return (
            f"{exc} (an app behind a login needs GRADIO_AUTH=user:password; a private "
            "Space a token: HF_TOKEN, or --token-file)"
        )
    return f"{type(exc).__name__}: {exc}"


def _is_file_data(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("path"), str) and "url" in value


def _files_in(value: Any) -> list[Any]:
    """The file outputs (FileData) and data URLs (a 3.x image) inside an output, in order."""
    if _is_file_data(value):
        return [value]
    if isinstance(value, str) and value.startswith(("data:image/", "data:audio/")):
        return [value]
    if isinstance(value, list | tuple):
        return [f for v in value for f in _files_in(v)]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _files_in(v)]
    return []


def _media(mime: str | None, data: bytes) -> types.ContentBlock | None:
    encoded = base64.b64encode(data).decode("ascii")
    if mime and mime.startswith("image/"):
        return types.ImageContent(type="image", data=encoded, mimeType=mime)
    if mime and mime.startswith("audio/"):
        return types.AudioContent(type="audio", data=encoded, mimeType=mime)
    return None


def _data_url_block(value: str) -> types.ContentBlock | None:
    head, _, payload = value.partition(",")
    if not head.endswith(";base64") or len(payload) * 3 // 4 > MAX_INLINE_BYTES:
        return None
    try:
        data = base64.b64decode(payload, validate=True)
    except ValueError:
        return None
    return _media(head[5:].split(";", 1)[0], data)


async def file_blocks(
    client: Any, outputs: Sequence[Any], folder: Path
) -> list[types.ContentBlock]:
    """Image and audio outputs as content when small, every other file as a resource link."""
    blocks: list[types.ContentBlock] = []
    for file in (f for value in outputs for f in _files_in(value)):
        if isinstance(file, str):
            block = _data_url_block(file)
            if block is not None:
                blocks.append(block)
            continue
        url, size = file.get("url"), file.get("size")
        name = str(file.get("orig_name") or Path(file["path"]).name or "file")
        mime = file.get("mime_type") or mimetypes.guess_type(name)[0]
        mime = mime or mimetypes.guess_type(str(file["path"]))[0]
        media = bool(mime) and str(mime).startswith(("image/", "audio/"))
        if media and not (isinstance(size, int) and size > MAX_INLINE_BYTES):
            saved = await client.download(file, folder / str(len(blocks)))
            if saved.stat().st_size <= MAX_INLINE_BYTES:
                block = _media(mime, saved.read_bytes())
                if block is not None:
                    blocks.append(block)
                    continue
            size = saved.stat().st_size
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            blocks.append(
                types.ResourceLink(
                    type="resource_link",
                    uri=url,  # type: ignore[arg-type]  # pydantic turns the str into AnyUrl
                    name=name,
                    mimeType=mime,
                    size=size if isinstance(size, int) else None,
                )
            )
    return blocks


class AppServer:
    """The tools of one app, served through its generated client."""

    def __init__(
        self,
        module: ModuleType,
        tools: Sequence[ToolSpec],
        name: str,
        version: str,
        instructions: str,
        make_client: Callable[[], Any],
    ) -> None:
        self.module = module
        self.tools = {t.name: t for t in tools}
        self.make_client = make_client
        self.server: Server[_Session, Any] = Server(
            name, version, instructions=instructions or None, lifespan=self._lifespan
        )
        # the SDK leaves these two decorators unannotated
        self.server.list_tools()(self._list_tools)  # type: ignore[no-untyped-call]
        self.server.call_tool(validate_input=False)(self._call_tool)
        self.server.set_logging_level()(self._set_logging_level)  # type: ignore[no-untyped-call]

    @asynccontextmanager
    async def _lifespan(self, _: Server[_Session, Any]) -> AsyncIterator[_Session]:
        """Runs once per MCP session: its own client, closed (ending the app's session,
        so the app's unload callbacks run) when the MCP session ends."""
        client = self.make_client()
        try:
            yield _Session(client)
        finally:
            with anyio.CancelScope(shield=True):
                await client.aclose()

    async def _list_tools(self) -> list[types.Tool]:
        return [
            types.Tool(
                name=t.name,
                description=t.description,
                inputSchema=t.input_schema,
                outputSchema=t.output_schema,
            )
            for t in self.tools.values()
        ]

    async def _set_logging_level(self, level: types.LoggingLevel) -> None:
        self.server.request_context.lifespan_context.log_level = level

    async def _call_tool(self, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        spec = self.tools.get(name)
        try:
            if spec is None:
                raise ToolError(f"unknown tool {name!r}")
            return await self._call(spec, arguments)
        except ToolError as exc:
            return _error(str(exc))
        except Exception as exc:
            client_error = (self.module.GradioClientError, OSError, TypeError, ValueError)
            if not isinstance(exc, client_error):
                raise
            return _error(app_error_text(self.module, exc))

    async def _call(self, spec: ToolSpec, arguments: dict[str, Any]) -> types.CallToolResult:
        check_arguments(spec, arguments)
        kwargs = {
            keyword: local_files(wire, arguments[wire])
            if wire in spec.file_inputs
            else arguments[wire]
            for wire, keyword in spec.params
            if wire in arguments
        }
        context = self.server.request_context
        meta = context.meta
        reporter = _Reporter(
            context.session,
            context.request_id,
            None if meta is None else meta.progressToken,
            context.lifespan_context.log_level,
            spec.name,
        )
        client = context.lifespan_context.client
        job = await getattr(client, spec.method)(**kwargs)
        result = await follow(job, reporter)
        values = list(result) if len(spec.outputs) > 1 else [result] if spec.outputs else []
        structured = dict(zip(spec.outputs, values, strict=True))
        with tempfile.TemporaryDirectory(prefix="gradio_mcp_") as folder:
            media = await file_blocks(client, values, Path(folder))
        text = json.dumps(structured, ensure_ascii=False, indent=2, default=str)
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text), *media],
            structuredContent=structured,
        )


async def follow(job: Any, reporter: _Reporter) -> Any:
    """Waits for the job, reporting what it says meanwhile; a cancelled request (the
    MCP client gave up) cancels the app's job too."""
    waiter = asyncio.ensure_future(job.result())
    seen_messages = seen_outputs = 0
    try:
        while True:
            finished = waiter.done()
            messages = job.messages
            for message in messages[seen_messages:]:
                text = f"{message.title}: {message.text}" if message.title else message.text
                await reporter.log(_APP_LEVELS.get(message.level, "info"), text)
            seen_messages = len(messages)
            outputs = job.outputs()
            for n, output in enumerate(outputs[seen_outputs:], start=seen_outputs + 1):
                await reporter.progress(f"output {n}: {_preview(output)}")
            seen_outputs = len(outputs)
            if not finished:
                await reporter.progress(describe_status(job.status()))
                await asyncio.wait({waiter}, timeout=POLL_SECONDS)
                continue
            return waiter.result()
    finally:
        if not waiter.done():
            waiter.cancel()
            with anyio.move_on_after(CANCEL_SECONDS, shield=True):
                await job.cancel()


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], isError=True)


def _arguments(argv: Sequence[str] | None, title: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=f"Serves {title} as MCP tools: over stdio, or streamable HTTP with --http.",
        epilog="GRADIO_AUTH=user:password logs in to an app launched with auth=; HF_TOKEN "
        "goes to Hugging Face hosts only, --token-file's token to the app whatever its host.",
    )
    parser.add_argument("--base-url", help="the app's URL (default: the one generated from)")
    parser.add_argument("--http", type=int, metavar="PORT", help="serve streamable HTTP at /mcp")
    parser.add_argument("--host", default="127.0.0.1", help="with --http (default 127.0.0.1)")
    parser.add_argument("--token-file", type=Path, help="a file holding the app's token")
    parser.add_argument("--timeout", type=float, help="seconds each call may take")
    return parser.parse_args(argv)


def client_factory(module: ModuleType, args: argparse.Namespace) -> Callable[[], Any]:
    """New clients as the command line and the environment ask; the token and the password
    are read here, once, and never printed."""
    options: dict[str, Any] = {}
    if args.token_file is not None:
        options["token"] = args.token_file.read_text(encoding="utf-8").strip()
    login = os.environ.get("GRADIO_AUTH")
    if login:
        user, _, password = login.partition(":")
        options["auth"] = (user, password)
    if args.timeout is not None:
        options["timeout"] = args.timeout

    def make() -> Any:
        return module.AsyncClient(args.base_url, **options)

    return make


def main(
    module: ModuleType,
    tools: Sequence[ToolSpec],
    name: str,
    title: str,
    version: str,
    instructions: str = "",
    argv: Sequence[str] | None = None,
) -> None:
    """Serves the tools over stdio until the client closes it, or over HTTP with ``--http``;
    ``version`` is the server's: the generator's that wrote it."""
    args = _arguments(argv, title)
    app = AppServer(module, tools, name, version, instructions, client_factory(module, args))
    if args.http is None:
        anyio.run(_stdio, app.server)
    else:
        _http(app.server, args.host, args.http)


async def _stdio(server: Server[_Session, Any]) -> None:
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read, write):
        options = server.create_initialization_options(NotificationOptions())
        await server.run(read, write, options)


def _http(server: Server[_Session, Any], host: str, port: int) -> None:
    """Streamable HTTP at ``/mcp``; each MCP session runs the server (and its client) anew."""
    import uvicorn
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.types import Receive, Scope, Send

    manager = StreamableHTTPSessionManager(app=server)

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        await manager.handle_request(scope, receive, send)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with manager.run():
            yield

    app = Starlette(routes=[Mount("/mcp", app=handle)], lifespan=lifespan)
    print(f"MCP over streamable HTTP at http://{host}:{port}/mcp", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")
