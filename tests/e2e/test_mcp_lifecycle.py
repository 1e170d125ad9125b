"""The generated MCP server's sessions and cancellations, read from the app's own log.

``apps/client_suite.py`` logs ``unload <session_hash>`` from ``demo.unload``, ``state deleted
<value>`` from ``gr.State(delete_callback=...)`` and ``iterate <i>`` from each step of a
generator. One MCP session is one session of the app: it ends (and the app's callbacks run)
when the MCP session does, over stdio (the client disconnects) and over streamable HTTP (the
client deletes its session); a cancelled MCP request (``notifications/cancelled``) stops the
app's job and leaves the server serving.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import McpError

from codegen.pipeline import DEFAULT_TARGETS, Options, generate
from tests.e2e.conftest import SuiteApps


@pytest.fixture(scope="module")
def server(suite_apps: SuiteApps, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mcp_suite")
    options = Options(name="client_suite", targets=(*DEFAULT_TARGETS, "mcp"))
    generate(suite_apps.urls["client_suite"], out, options, token=None)
    return out / "mcp" / "server.py"


def _unloads(lines: list[str]) -> set[str]:
    return {line for line in lines if line.startswith("unload ")}


async def _remember_then_wait(client: ClientSession, text: str, apps: SuiteApps) -> None:
    """One call that puts ``text`` in the app's state; then, while the MCP session lives,
    the app's session does too: no unload and no deletion (Gradio's would take ~1 s)."""
    await client.initialize()
    result = await client.call_tool("remember", {"text": text})
    assert result.structuredContent == {"out": f"{text} (before: None)"}, result
    await anyio.sleep(1.5)
    assert f"state deleted {text}" not in apps.lines()


def test_stdio_session_end_runs_the_apps_unload_and_delete_callback(
    server: Path, suite_apps: SuiteApps
) -> None:
    before = _unloads(suite_apps.lines())

    async def run() -> None:
        params = StdioServerParameters(command=sys.executable, args=[str(server)])
        with tempfile.TemporaryFile("w+") as errlog:
            async with (
                stdio_client(params, errlog=errlog) as (read, write),
                ClientSession(read, write) as client,
            ):
                await _remember_then_wait(client, "mcp stdio", suite_apps)
                assert _unloads(suite_apps.lines()) == before

    anyio.run(run)  # leaving the block closes the server's stdin: the MCP session ends
    lines = suite_apps.wait_for("state deleted mcp stdio")
    (unload,) = _unloads(lines) - before
    assert lines.index(unload) < lines.index("state deleted mcp stdio")


@pytest.fixture(scope="module")
def http_url(server: Path) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    process = subprocess.Popen(
        [sys.executable, str(server), "--http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_http_session_deleted_runs_the_apps_unload_and_delete_callback(
    http_url: str, suite_apps: SuiteApps
) -> None:
    before = _unloads(suite_apps.lines())

    async def run() -> None:
        # leaving the block sends DELETE /mcp with the session's id (terminate_on_close)
        async with (
            streamable_http_client(http_url) as (read, write, _),
            ClientSession(read, write) as client,
        ):
            await _remember_then_wait(client, "mcp http", suite_apps)
            assert _unloads(suite_apps.lines()) == before

    anyio.run(run)
    lines = suite_apps.wait_for("state deleted mcp http")
    (unload,) = _unloads(lines) - before
    assert lines.index(unload) < lines.index("state deleted mcp http")


def _steps(apps: SuiteApps) -> int:
    return sum(line.startswith("iterate ") for line in apps.lines())


async def _cancel_iterate(client: ClientSession, apps: SuiteApps) -> dict[str, Any]:
    """Starts the 20-step generator, cancels the request after its second step, and
    reports how the app's job went on: steps logged at cancel time and 2 s later."""
    await client.initialize()
    start = _steps(apps)
    request_id = client._request_id  # the id the SDK gives the next request
    failure: list[BaseException] = []

    async def call() -> None:
        try:
            await client.call_tool("iterate", {})
        except McpError as exc:  # the server answers a cancelled request with an error
            failure.append(exc)

    async with anyio.create_task_group() as group:
        group.start_soon(call)
        with anyio.fail_after(30):
            while _steps(apps) - start < 2:
                await anyio.sleep(0.05)
        cancelled = types.CancelledNotification(
            params=types.CancelledNotificationParams(requestId=request_id, reason="test")
        )
        await client.send_notification(types.ClientNotification(cancelled))
        at_cancel = _steps(apps) - start
        with anyio.fail_after(10):  # the server gives up the request at once
            while not failure:
                await anyio.sleep(0.05)
    await anyio.sleep(2.0)  # four more steps, had the job gone on
    after = _steps(apps) - start
    again = await client.call_tool("remember", {"text": "after cancel"})
    return {"at_cancel": at_cancel, "after": after, "again": again, "failure": failure}


def test_cancelled_request_stops_the_apps_job(server: Path, suite_apps: SuiteApps) -> None:
    async def run() -> dict[str, Any]:
        params = StdioServerParameters(command=sys.executable, args=[str(server)])
        with tempfile.TemporaryFile("w+") as errlog:
            async with (
                stdio_client(params, errlog=errlog) as (read, write),
                ClientSession(read, write) as client,
            ):
                return await _cancel_iterate(client, suite_apps)

    got = anyio.run(run)
    assert "cancel" in str(got["failure"][0]).lower()
    # at most the step under way when the app got the cancel, never the rest of the 20
    assert got["after"] <= got["at_cancel"] + 1 < 20, got
    assert not got["again"].isError
    assert got["again"].structuredContent == {"out": "after cancel (before: None)"}
