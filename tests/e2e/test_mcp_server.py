"""The generated MCP server on the current Gradio, and side by side with Gradio's own.

Every case of ``test_python_client.CASES`` goes through the generated server (the MCP SDK's
stdio client, one session per app) and is compared with gradio_client. Then the same apps,
launched with ``mcp_server=True``, list their tools through Gradio's MCP server and ours:
ours must be at least as precise on every tool (each choice, each default, an output schema).
``test_versions.py`` runs the server against Gradio 3.50.2 to 6.5.1.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from conftest import APP_NAMES, serving
from mcp import ClientSession, types
from mcp.client.streamable_http import streamable_http_client
from mcp_session import session
from test_python_client import CASES, as_oracle_input, normalize, with_files

from codegen.parse import parse
from codegen.pipeline import DEFAULT_TARGETS, Options, from_folder, generate
from codegen.targets.mcp import tool_names
from codegen.targets.python import build as python_view

SIDE_BY_SIDE = ("basics", "media")


def _generate(url: str, out: Path) -> dict[str, str]:
    """Generates with the mcp target; returns each endpoint's tool name."""
    generate(url, out, Options(targets=(*DEFAULT_TARGETS, "mcp")), token=None)
    raw, options, _ = from_folder(out)
    model = parse(raw)
    return tool_names(model, python_view(model, options.name))


def test_every_endpoint_matches_gradio_client(
    live_apps: dict[str, str], oracle: Any, files: dict[str, Path], tmp_path: Path
) -> None:
    for app in APP_NAMES:
        names = _generate(live_apps[app], tmp_path / app)
        cases = [c for c in CASES if c[0] == app]
        calls = [(names[api], with_files(wire, files, str)) for _, api, wire, _, _ in cases]
        transcript = session(tmp_path / app / "mcp" / "server.py", calls)
        for (_, api, wire, _, _), outcome in zip(cases, transcript.outcomes, strict=True):
            assert not outcome.is_error and outcome.structured is not None, outcome.text
            values = list(outcome.structured.values())
            got = values[0] if len(values) == 1 else tuple(values)
            expected = oracle.predict(app, api, **with_files(wire, files, as_oracle_input))
            assert normalize(got) == normalize(expected), api
            if api in ("image_info", "audio_reverse"):
                assert outcome.kinds == ["text", api.split("_")[0]], outcome.kinds
            if api == "file_upper":
                assert outcome.kinds == ["text", "resource_link"]


@pytest.fixture(scope="module")
def with_gradio_mcp() -> Iterator[dict[str, str]]:
    with serving(SIDE_BY_SIDE, {"SERVE_MCP": "1"}) as urls:
        yield urls


async def _gradio_tools(url: str) -> list[types.Tool]:
    async with (
        streamable_http_client(f"{url}gradio_api/mcp/") as (read, write, _),
        ClientSession(read, write) as client,
    ):
        await client.initialize()
        return (await client.list_tools()).tools


def _theirs_for(api: str, theirs: dict[str, types.Tool]) -> types.Tool:
    """Gradio names a tool by its function where that differs (``class`` is ``class_fn``)."""
    return theirs.get(api) or next(t for n, t in theirs.items() if n.startswith(f"{api}_"))


def _choices(schema: dict[str, Any]) -> list[Any] | None:
    items = schema.get("items")
    inner = items.get("enum") if isinstance(items, dict) else None
    return schema.get("enum") or inner


def _row(prop: str, ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    def facts(schema: dict[str, Any]) -> str:
        parts = [str(schema.get("type", "any"))]
        if _choices(schema):
            parts.append(f"enum {_choices(schema)}")
        if "default" in schema:
            parts.append(f"default {schema['default']!r}")
        if schema.get("description"):
            parts.append(f"desc {schema['description']!r}")
        return ", ".join(parts)

    return [prop, facts(ours), facts(theirs)]


def test_side_by_side_with_gradios_own_mcp_server(
    with_gradio_mcp: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ours lists every tool Gradio's does, each at least as precise: every choice and every
    default Gradio gives, and an output schema where Gradio gives none."""
    table = ["| tool | input | ours | Gradio's mcp_server=True |", "|---|---|---|---|"]
    for app in SIDE_BY_SIDE:
        url = with_gradio_mcp[app]
        names = _generate(url, tmp_path / app)
        ours = {t.name: t for t in session(tmp_path / app / "mcp" / "server.py", []).tools}
        theirs = {t.name: t for t in anyio.run(_gradio_tools, url)}
        assert len(ours) == len(theirs)
        for api, name in names.items():
            mine, gradios = ours[name], _theirs_for(api, theirs)
            assert mine.outputSchema is not None and mine.outputSchema["properties"]
            props, their_props = mine.inputSchema["properties"], gradios.inputSchema["properties"]
            assert list(props) == list(their_props), api
            assert mine.inputSchema.get("required", []) == gradios.inputSchema.get("required", [])
            for prop, their_schema in their_props.items():
                schema = props[prop]
                if _choices(their_schema):
                    assert _choices(schema) == _choices(their_schema), (api, prop)
                if "default" in their_schema:
                    assert schema["default"] == their_schema["default"], (api, prop)
                table.append("| " + " | ".join([name, *_row(prop, schema, their_schema)]) + " |")
            out = ", ".join(mine.outputSchema["properties"])
            their_out = "none" if gradios.outputSchema is None else "yes"
            table.append(f"| {name} | (output schema) | {out} | {their_out} |")
    with capsys.disabled():
        print("\n" + "\n".join(table))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _count_twice(url: str) -> list[Any]:
    async with (
        streamable_http_client(url) as (read, write, _),
        ClientSession(read, write) as client,
    ):
        await client.initialize()
        return [(await client.call_tool("increment", {})).structuredContent for _ in range(2)]


def test_streamable_http_gives_each_mcp_session_its_own_app_session(
    live_apps: dict[str, str], tmp_path: Path
) -> None:
    """--http serves at /mcp; gr.State carries within one MCP session and not into the next."""
    _generate(live_apps["chat"], tmp_path / "chat")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(tmp_path / "chat" / "mcp" / "server.py"), "--http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/mcp"
        first, second = anyio.run(_count_twice, url), anyio.run(_count_twice, url)
        assert first == second == [{"Counter": 1}, {"Counter": 2}]
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=20)
    # the SDK (1.30) logs a ClosedResourceError of its own when a client ends a session;
    # nothing may come from our code
    assert str(tmp_path) not in stderr, stderr
