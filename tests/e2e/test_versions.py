"""The generated client against the same test apps on every Gradio version a Space may run.

``scripts/test`` keeps one venv per version under ``.venvs/gradio-<version>``. Each version's
apps are started once (``serve.py`` under that venv), clients are generated from the live
apps, and every endpoint's result is compared with that version's own ``gradio_client``
(``oracle.py`` under the same venv). gradio_client 0.6 is no oracle for Gradio 3.x (it writes
JSON results to files), so 3.x results are compared with what the same app gives on current
Gradio, except where 3.x does differently; ``ON_3X`` says where and why.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from conftest import APP_NAMES, E2E_DIR, gradio_python, serving
from mcp_session import session
from test_curl_scripts import words
from test_python_client import CASES, with_files

from codegen.cli import main
from codegen.ir import TypeKind
from codegen.naming import js_method_names
from codegen.parse import parse
from codegen.pipeline import from_folder
from codegen.targets.mcp import output_keys, property_names, tool_names
from codegen.targets.python import build as python_view

VERSIONS = ("3.50.2", "4.44.1", "5.49.1", "6.5.1")
PROTOCOLS = {"3.50.2": ("oneshot", ""), "4.44.1": ("queue", "")}
# What Gradio 3.x does differently from later versions: why, and what it gives instead.
ON_3X: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "respond": (
        "3.x Chatbot values are [user, bot] pairs",
        lambda got: got == ("", [["hi", "You said: hi"]]),
    ),
    "image_info": (
        "3.x Image results are base64 data URLs (inputs are files as everywhere)",
        lambda got: got[0].startswith("data:image/png;base64,") and got[1] == "5x3",
    ),
}


# 3.x and 4.x send a gr.Error's message as its Python repr, which escapes this one's quote
HARD_MESSAGE = 'it\'s "boom" é\\n'


@dataclass
class Served:
    version: str
    urls: dict[str, str]
    clients: dict[str, ModuleType]
    expected: list[Any]  # per case of CASES: the oracle's result
    out: Path  # the generated folders, one per app


def _oracle_calls(urls: dict[str, str], files: dict[str, Path]) -> list[dict[str, Any]]:
    return [
        {
            "url": urls[app],
            "api_name": f"/{api}",
            "kwargs": with_files(wire, files, lambda p: {"$file": str(p)}),
        }
        for app, api, wire, _, _ in CASES
    ]


def _own_oracle(python: Path, urls: dict[str, str], files: dict[str, Path]) -> list[Any]:
    done = subprocess.run(
        [str(python), str(E2E_DIR / "oracle.py")],
        input=json.dumps(_oracle_calls(urls, files)),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [r.get("result", r.get("error")) for r in json.loads(done.stdout)]


@pytest.fixture(scope="module", params=VERSIONS)
def served(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    files: dict[str, Path],
) -> Iterator[Served]:
    version: str = request.param
    python = Path(gradio_python(version))
    tag = version.replace(".", "_")
    with serving(APP_NAMES, python=str(python)) as urls:
        out = tmp_path_factory.mktemp(f"gradio_{tag}")
        clients = {}
        for app in APP_NAMES:
            args = [urls[app], "-o", str(out / app), "--name", f"{app}_{tag}"]
            args += ["--targets", "python,js,curl,docs,mcp"]
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, result.output + result.stderr
            sys.path.insert(0, str(out / app / "python"))
            clients[app] = importlib.import_module(f"{app}_{tag}")
        if version.startswith("3."):
            oracle = request.getfixturevalue("oracle")  # the same apps on current Gradio
            expected = [
                oracle.predict(app, api, **with_files(wire, files, _handle_file))
                for app, api, wire, _, _ in CASES
            ]
        else:
            expected = _own_oracle(python, urls, files)
        yield Served(version, urls, clients, expected, out)


def _handle_file(path: Path) -> Any:
    from gradio_client import handle_file

    return handle_file(str(path))


def normalize(value: Any, base: str) -> Any:
    """Files compare by content; 4.x gives broken URLs, so a 404 falls back to the path."""
    if isinstance(value, dict) and isinstance(value.get("path"), str) and "url" in value:
        response = httpx.get(str(value["url"]))
        if response.status_code == 404:
            response = httpx.get(f"{base}file={value['path']}")
        response.raise_for_status()
        return ("file", hashlib.sha256(response.content).hexdigest())
    if isinstance(value, list | tuple):
        return [normalize(v, base) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v, base) for k, v in value.items()}
    return value


@pytest.mark.parametrize("case", range(len(CASES)), ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_every_endpoint_matches_the_oracle(
    served: Served, files: dict[str, Path], live_apps: dict[str, str], case: int
) -> None:
    app, api, _, method, py = CASES[case]
    module, base = served.clients[app], served.urls[app]
    old = served.version.startswith("3.")
    expected, expected_base = served.expected[case], live_apps[app] if old else base

    # 3.x info names inputs by their labels, not the function's parameters: call by position
    def call(target: Any, wrap: Any) -> Any:
        given = with_files(py, files, wrap)
        return getattr(target, method)(*given.values()) if old else getattr(target, method)(**given)

    with module.Client() as client:
        got = call(client, str)

    async def run_async() -> Any:
        async with module.AsyncClient() as aclient:
            return await call(aclient, lambda p: p)

    got_async = asyncio.run(run_async())
    if old and api in ON_3X:
        why, check = ON_3X[api]
        assert check(got) and check(got_async), why
        return
    assert normalize(got, base) == normalize(expected, expected_base)
    assert normalize(got_async, base) == normalize(expected, expected_base)


def test_protocol_and_prefix_are_detected(served: Served) -> None:
    protocol, prefix = PROTOCOLS.get(served.version, ("queue", "/gradio_api"))
    text = Path(served.clients["basics"].__file__ or "").with_name("client.py").read_text()
    assert f'PROTOCOL = "{protocol}"' in text and f'API_PREFIX = "{prefix}"' in text


def test_errors_state_and_streams(served: Served) -> None:
    basics, chat = served.clients["basics"], served.clients["chat"]
    with basics.Client() as client, pytest.raises(basics.GradioError) as error:
        client.fail(HARD_MESSAGE)
    assert error.value.message == HARD_MESSAGE
    with chat.Client() as client:
        # gr.State inputs sit before and after visible ones: the client fills their slots
        assert [client.increment(), client.increment()] == [1, 2]
        assert [client.remember("a"), client.remember("b")] == ["a", "a, b"]
        assert list(client.submit_count_up(4)) == ["0", "1", "2", "3"]
        assert list(client.submit_progress_words("a b")) == [("a", 1), ("a b", 2)]
        client.reset_session()
        assert client.increment() == 1
        job = client.submit_slow_echo("never")
        assert job.cancel()
        with pytest.raises(chat.JobCancelledError):
            job.result(timeout=10)
        assert client.slow_echo("after") == "after"

    async def run_async() -> list[Any]:
        async with chat.AsyncClient() as aclient:
            job = await aclient.submit_count_up(3)
            return [await aclient.increment(), [out async for out in job]]

    assert asyncio.run(run_async()) == [1, ["0", "1", "2"]]


def _wire_names(folder: Path, api: str) -> list[str]:
    """An endpoint's input names as the generated clients know them (3.x: from labels)."""
    raw, _, _ = from_folder(folder)
    endpoint = next(e for e in parse(raw).endpoints if e.api_name == api)
    return [p.wire_name for p in endpoint.parameters]


def test_js_client_matches_the_oracle(
    served: Served, files: dict[str, Path], live_apps: dict[str, str], js_tools: Path
) -> None:
    """Every case through the generated JS client under node, against the same oracle."""
    old = served.version.startswith("3.")
    calls = []
    for app, api, wire, _, _ in CASES:
        given = with_files(wire, files, lambda p: {"$file": str(p), "as": "path"})
        if old:  # named by labels on 3.x: the values go by position, as the cases give them
            given = dict(zip(_wire_names(served.out / app, api), given.values(), strict=False))
        calls.append([app, js_method_names([api])[api][0], given])
    calls.append(["basics", "fail", {_wire_names(served.out / "basics", "fail")[0]: HARD_MESSAGE}])
    request = {
        "scenario": "cases",
        "clients": {app: str(served.out / app / "js" / "index.js") for app in APP_NAMES},
        "urls": served.urls,
        "args": {"calls": calls},
    }
    done = subprocess.run(
        ["node", str(js_tools / "scenarios.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=js_tools,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    *outcomes, failed = json.loads(done.stdout)
    assert "GradioError" in failed["kinds"] and failed["message"] == HARD_MESSAGE, failed
    for case, outcome in enumerate(outcomes):
        app, api = CASES[case][0], CASES[case][1]
        assert "ok" in outcome, (api, outcome)
        got, expected = outcome["ok"], served.expected[case]
        if isinstance(expected, tuple) and isinstance(got, list):
            got = tuple(got)
        if old and api in ON_3X:
            why, check = ON_3X[api]
            assert check(got), (why, got)
            continue
        base, expected_base = served.urls[app], live_apps[app] if old else served.urls[app]
        assert normalize(got, base) == normalize(expected, expected_base), api


def _curl(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_curl_scripts_match_the_oracle(
    served: Served, files: dict[str, Path], live_apps: dict[str, str]
) -> None:
    """Every case through the generated curl script under bash, against the same oracle."""
    old = served.version.startswith("3.")
    for case, (app, api, wire, method, _) in enumerate(CASES):
        given = with_files(wire, files, lambda p: p)
        if old:  # named by labels on 3.x: the values go by position, as the cases give them
            given = dict(zip(_wire_names(served.out / app, api), given.values(), strict=False))
        done = _curl(served.out / app / "curl" / f"{method}.sh", *words(given))
        assert done.returncode == 0, (api, done.stderr)
        outputs = json.loads(done.stdout)
        if old and api in ON_3X:
            why, check = ON_3X[api]
            assert check(tuple(outputs)), (why, outputs)
            continue
        got = outputs[0] if len(outputs) == 1 else outputs  # normalize makes tuples lists
        base, expected_base = served.urls[app], live_apps[app] if old else served.urls[app]
        assert normalize(got, base) == normalize(served.expected[case], expected_base), api


def test_curl_errors_state_and_streams(served: Served) -> None:
    """The app's error message, hidden State slots filled, and a generator's steps."""

    def script(app: str, api: str, *values: str) -> subprocess.CompletedProcess[str]:
        names = _wire_names(served.out / app, api)
        args = [a for a in values if a.startswith("--")]
        given = [v for v in values if not v.startswith("--")]
        args += [f"{n}={v}" for n, v in zip(names, given, strict=False)]
        return _curl(served.out / app / "curl" / f"{api}.sh", *args)

    failed = script("basics", "fail", HARD_MESSAGE)
    assert (failed.returncode, failed.stdout, failed.stderr) == (1, "", f"error: {HARD_MESSAGE}\n")
    # gr.State inputs sit before and after visible ones: the script sends null in their slots
    assert json.loads(script("chat", "increment").stdout) == [1]
    assert json.loads(script("chat", "remember", "a").stdout) == ["a"]
    streamed = script("chat", "count_up", "--stream", "3")
    assert [json.loads(line) for line in streamed.stdout.splitlines()] == [
        ["0"],
        ["1"],
        ["2"],
        ["2"],
    ], streamed.stderr


def test_mcp_server_matches_the_oracle(
    served: Served, files: dict[str, Path], live_apps: dict[str, str]
) -> None:
    """Every case as a tool call of the generated MCP server, driven over stdio by the MCP
    SDK's client (one MCP session per app), against the same oracle; the tools it lists
    against the model; an image output as image content, an app error as ``isError``, a
    generator's outputs as progress, ``gr.State`` kept within the session."""
    old = served.version.startswith("3.")
    for app in APP_NAMES:
        raw, options, _ = from_folder(served.out / app)
        model = parse(raw)
        py = python_view(model, options.name)
        names = tool_names(model, py)
        props = {  # each input's property name (3.x's labels may not be valid ones)
            ep.api_name: property_names(ep, [k.name for k in method.params])
            for ep, method in zip(model.endpoints, py.methods, strict=True)
        }
        cases = [(n, c) for n, c in enumerate(CASES) if c[0] == app]
        calls = []
        for _, (_, api, wire, _, _) in cases:
            given = with_files(wire, files, str)
            if old:  # named by labels on 3.x: the values go by position, as the cases give them
                given = dict(zip(props[api], given.values(), strict=False))
            calls.append((names[api], given))
        extra: list[tuple[str, dict[str, Any]]] = []
        if app == "basics":
            extra = [("fail", {props["fail"][0]: HARD_MESSAGE})]
        if app == "chat":
            n = props["count_up"][0]
            extra = [("increment", {}), ("increment", {}), ("count_up", {n: 3})]
        transcript = session(served.out / app / "mcp" / "server.py", calls + extra)

        assert sorted(t.name for t in transcript.tools) == sorted(names.values())
        for ep in model.endpoints:
            tool = transcript.tool(names[ep.api_name])
            schema = tool.inputSchema["properties"]
            named = props[ep.api_name]
            assert list(schema) == named
            assert all(re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", n) for n in named), named
            if not old:  # the app's own names (its functions' parameters)
                assert named == [p.wire_name for p in ep.parameters]
            assert tool.inputSchema["required"] == [
                n for p, n in zip(ep.parameters, named, strict=True) if p.default is None
            ]
            for p, n in zip(ep.parameters, named, strict=True):
                if p.default is not None:
                    assert schema[n]["default"] == p.default.value
                if p.type.kind is TypeKind.LITERAL:
                    assert schema[n]["enum"] == list(p.type.literals)
            assert tool.outputSchema is not None
            assert list(tool.outputSchema["properties"]) == list(output_keys(ep))

        outcomes = transcript.outcomes
        for (case, (_, api, _, _, _)), outcome in zip(cases, outcomes, strict=False):
            assert not outcome.is_error, (api, outcome.text, transcript.stderr[-2000:])
            assert outcome.structured is not None
            values = list(outcome.structured.values())
            got = values[0] if len(values) == 1 else tuple(values)
            if api == "image_info":
                assert "image" in outcome.kinds, outcome.kinds
            if old and api in ON_3X:
                why, check = ON_3X[api]
                assert check(got), (why, got)
                continue
            base, expected_base = served.urls[app], live_apps[app] if old else served.urls[app]
            assert normalize(got, base) == normalize(served.expected[case], expected_base), api
        if app == "basics":
            failed = outcomes[-1]
            assert failed.is_error and HARD_MESSAGE in failed.text, failed.text
        if app == "chat":
            first, second, counted = outcomes[-3:]
            assert [first.structured, second.structured] == [{"Counter": 1}, {"Counter": 2}]
            assert counted.structured == {"Count": "2"}
            if not old:  # 3.x's one POST carries no intermediate outputs
                assert [m for m in counted.progress if m.startswith("output")] == [
                    'output 1: "0"',
                    'output 2: "1"',
                    'output 3: "2"',
                ], counted.progress
