"""Drive a generated MCP server (``DIR/mcp/server.py``) with the MCP SDK's own client over stdio.

``session(server, calls)`` starts the server once, lists its tools and makes the calls in order
within that one MCP session (so ``gr.State`` carries), recording for each call what a client
sees: structured content, content block types, ``isError`` and its text, progress messages and
log notifications. The server runs under this interpreter, which has ``mcp`` and ``httpx``.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client


@dataclass
class Outcome:
    structured: dict[str, Any] | None
    blocks: list[types.ContentBlock]
    is_error: bool
    text: str  # the first text block
    progress: list[str] = field(default_factory=list)
    logs: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return [b.type for b in self.blocks]


@dataclass
class Transcript:
    tools: list[types.Tool]
    outcomes: list[Outcome]
    stderr: str

    def tool(self, name: str) -> types.Tool:
        return next(t for t in self.tools if t.name == name)


def session(
    server: Path,
    calls: list[tuple[str, dict[str, Any]]],
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    timeout: float = 120.0,
) -> Transcript:
    return anyio.run(_session, server, calls, env, args, timeout)


async def _session(
    server: Path,
    calls: list[tuple[str, dict[str, Any]]],
    env: dict[str, str] | None,
    args: tuple[str, ...],
    timeout: float,
) -> Transcript:
    params = StdioServerParameters(command=sys.executable, args=[str(server), *args], env=env)
    logs: list[tuple[str, Any]] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logs.append((params.level, params.data))

    outcomes = []
    with anyio.fail_after(timeout), tempfile.TemporaryFile("w+") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write, logging_callback=on_log) as client,
        ):
            await client.initialize()
            tools = (await client.list_tools()).tools
            for name, arguments in calls:
                progress: list[str] = []

                async def on_progress(
                    done: float,
                    total: float | None,
                    message: str | None,
                    progress: list[str] = progress,
                ) -> None:
                    progress.append(message or "")

                logs.clear()
                result = await client.call_tool(name, arguments, progress_callback=on_progress)
                text = next((b.text for b in result.content if b.type == "text"), "")
                outcomes.append(
                    Outcome(
                        result.structuredContent,
                        list(result.content),
                        result.isError,
                        text,
                        progress,
                        list(logs),
                    )
                )
        errlog.seek(0)
        stderr = errlog.read()
    return Transcript(tools, outcomes, stderr)
