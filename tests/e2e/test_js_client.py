"""The generated JavaScript client under node against live apps, compared with gradio_client.

Node runs ``tests/js/scenarios.mjs`` (one process per scenario, each scenario many calls),
which prints what it observed as JSON; the assertions live here, next to the oracle. The
declarations are checked by ``tsc --strict`` with ``tests/e2e/usage/*.ts``, and every
generated ``.js`` by ``node --check`` and by importing it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from codegen.errors import SchemaError
from codegen.naming import js_method_names
from codegen.parse import parse
from codegen.pipeline import Options, generate, plan_js
from codegen.runtime import JS_RUNTIME_PATH
from codegen.source import read_source
from tests.e2e.test_python_client import CASES, as_oracle_input, normalize, with_files
from tests.paths import SCHEMAS, corpus

USAGE = Path(__file__).parent / "usage"
FIXTURES = SCHEMAS
CORPUS = corpus("6.31.0")
APPS = ("basics", "media", "chat")

Node = Callable[..., Any]


def node_path() -> str:
    found = shutil.which("node")
    assert found is not None, "node (18+) must be on PATH for the JavaScript client tests"
    return found


@pytest.fixture(scope="module")
def js_clients(
    live_apps: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each live app's client generated from its live schema: ``{app: .../js}``."""
    out = tmp_path_factory.mktemp("js_clients")
    for app in APPS:
        generate(live_apps[app], out / app, Options(name=f"{app}_client"), token=None)
    return {app: out / app / "js" for app in APPS}


@pytest.fixture(scope="module")
def run_js(js_tools: Path, js_clients: dict[str, Path], live_apps: dict[str, str]) -> Node:
    """``run_js(scenario, **args)``: the JSON a scenario of ``tests/js/scenarios.mjs`` prints."""
    clients = {app: str(folder / "index.js") for app, folder in js_clients.items()}

    def run(scenario: str, *, extra: dict[str, Path] | None = None, **args: Any) -> Any:
        request = {
            "scenario": scenario,
            "clients": {**clients, **{k: str(v / "index.js") for k, v in (extra or {}).items()}},
            "urls": live_apps,
            "args": args,
        }
        env = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
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
        assert done.returncode == 0, f"node scenario {scenario} failed:\n{done.stderr}"
        return json.loads(done.stdout)

    return run


def js_method(api: str) -> str:
    """The JS client's method for an endpoint of the test apps (none of whose camelCase
    names clash within its app): ``image_info`` -> ``imageInfo``."""
    return js_method_names([api])[api][0]


def js_file(kind: str = "path") -> Callable[[Path], dict[str, str]]:
    """A file input for scenarios.mjs: the file at a path, sent as a path, Blob, bytes, ..."""
    return lambda p: {"$file": str(p), "as": kind}


def error_of(outcome: dict[str, Any]) -> str | None:
    return outcome.get("error")


def sha256_of(url: str) -> str:
    return hashlib.sha256(httpx.get(url).content).hexdigest()


# -- every endpoint of the three apps, as in the Python client's tests ----------------------


@pytest.fixture(scope="module")
def case_results(run_js: Node, files: dict[str, Path]) -> list[dict[str, Any]]:
    """All of CASES in one node process, each call on a fresh client (local paths for files)."""
    calls = [
        [app, js_method(api), with_files(wire, files, js_file())] for app, api, wire, _, _ in CASES
    ]
    results: list[dict[str, Any]] = run_js("cases", calls=calls)
    return results


@pytest.mark.parametrize(
    ("index", "app", "api", "wire", "method"),
    [
        pytest.param(i, app, api, wire, method, id=f"{app}-{api}-{i}")
        for i, (app, api, wire, method, _) in enumerate(CASES)
    ],
)
def test_every_endpoint_matches_gradio_client(
    case_results: list[dict[str, Any]],
    oracle: Any,
    files: dict[str, Path],
    index: int,
    app: str,
    api: str,
    wire: dict[str, Any],
    method: str,
) -> None:
    expected = oracle.predict(app, api, **with_files(wire, files, as_oracle_input))
    got = case_results[index]
    assert error_of(got) is None, f"{method}({wire}) raised {got}"
    assert normalize(got["ok"]) == normalize(expected)


def test_the_official_js_client_gives_the_same_results(run_js: Node, oracle: Any) -> None:
    """@gradio/client 2.5.0 against the same apps, for the endpoints that take no files."""
    plain = [
        (app, api, wire, method)
        for app, api, wire, method, _ in CASES
        if app != "media" or api in ("json_echo", "table_sum")
    ]
    assert len(plain) >= 12
    calls = [[app, api, js_method(api), wire] for app, api, wire, _ in plain]
    calls.append(["basics", "fail", "fail", {"message": "boom"}])
    results = run_js("official", calls=calls)
    for (app, api, wire, _), row in zip(plain, results, strict=False):
        expected = oracle.predict(app, api, **wire)
        theirs = row["theirs"]["ok"]
        ours = row["ours"]["ok"]
        assert normalize(ours) == normalize(expected), (api, wire)
        if isinstance(expected, tuple):
            assert normalize(theirs) == normalize(ours), (api, wire)
        else:
            assert normalize(theirs) == [normalize(ours)], (api, wire)
    failed = results[-1]
    assert failed["ours"]["error"] == "GradioError" and failed["ours"]["message"] == "boom"
    assert failed["theirs"] == {"error": "boom"}


# -- streaming, sessions, errors ------------------------------------------------------------


def test_generator_outputs_arrive_one_by_one_with_for_await(run_js: Node, oracle: Any) -> None:
    expected = list(oracle.fresh("chat").submit(4, api_name="/count_up"))
    expected_words = [
        list(w) for w in oracle.fresh("chat").submit("a b c", api_name="/progress_words")
    ]
    got = run_js("stream", n=4, text="a b c")
    assert got["seen"] == expected == ["0", "1", "2", "3"]
    assert got["result"] == expected[-1] == got["plainCall"]
    assert got["outputs"] == got["seen"]
    assert got["done"] is True
    assert got["status"]["stage"] == "finished" and got["status"]["success"] is True
    assert got["words"] == expected_words == [["a", 1], ["a b", 2], ["a b c", 3]]
    # two generators at once on one client (one session stream, routed by event id)
    assert got["together"] == [expected, expected_words]
    # a plain function's job yields just its result
    assert got["plainJob"] == [oracle.predict("chat", "with_progress", steps=1)]


def test_a_client_is_one_session_like_gradio_client(run_js: Node, oracle: Any) -> None:
    official = oracle.fresh("chat")
    expected = [official.predict(api_name="/increment") for _ in range(3)]
    expected_words = [official.predict(w, api_name="/remember") for w in ("a", "b")]
    got = run_js("state")
    assert got["counts"] == expected == [1, 2, 3]
    assert got["words"] == expected_words
    assert got["afterReset"] == 1  # resetSession() starts a new session
    assert got["hashChanged"] is True
    assert got["other"] == 1  # another client is another session
    assert sorted(got["concurrent"]) == [2, 3, 4]  # concurrent calls share the new session
    # a job pending at resetSession() still finishes; the new session starts over
    assert got["beforePending"] == 1
    assert got["pendingResult"]["ok"] == "hi" and got["pendingResult"]["seconds"] < 5
    assert got["afterPending"] == 1


@pytest.mark.parametrize(
    ("api", "inputs", "message"),
    [
        ("fail", {"message": "boom"}, "boom"),
        ("fail", {"message": 'quote " and é and %s and \\n'}, 'quote " and é and %s and \\n'),
        ("calculate", {"a": 1, "operation": "divide", "b": 0}, "Cannot divide by zero!"),
    ],
)
def test_app_errors_reject_with_gradio_error_and_the_apps_message(
    run_js: Node, oracle: Any, api: str, inputs: dict[str, Any], message: str
) -> None:
    with pytest.raises(Exception) as official:
        oracle.predict("basics", api, **inputs)
    assert message in str(official.value)
    [got] = run_js("errors", calls=[[*js_method_names([api])[api], inputs]])
    for way in ("direct", "viaResult", "viaIteration"):
        assert got[way]["error"] == "GradioError", (way, got[way])
        assert got[way]["name"] == "GradioError"
        assert got[way]["message"] == message, way
        assert "GradioClientError" in got[way]["kinds"], way
    assert got["iterated"] == []
    assert got["status"]["stage"] == "failed" and got["status"]["success"] is False


# -- cancellation, timeouts, status ---------------------------------------------------------


def test_an_abort_signal_cancels_running_queued_and_not_yet_sent_calls(run_js: Node) -> None:
    got = run_js("abort")
    running = got["abortedRunning"]
    assert running["error"] == "JobCancelledError", running
    assert "GradioClientError" in running["kinds"]
    assert running["seconds"] < 1.2  # slow_echo takes 1.5 s; the signal fired at 0.3 s
    before = got["abortedBefore"]
    assert before["error"] == "JobCancelledError", before
    assert got["requestsBefore"] == 0  # an aborted signal sends nothing
    assert got["stageBeforeAbort"] == "queued"
    assert got["abortedQueued"]["error"] == "JobCancelledError", got["abortedQueued"]
    assert got["firstResult"]["ok"] == "first"  # the running job was left alone
    assert got["after"]["ok"] == "after"  # and the client still works


def test_a_call_made_while_an_abort_is_being_answered_is_not_cancelled(run_js: Node) -> None:
    """Gradio's /cancel stops the calls of the endpoint that run in the session when it gets
    the request; a call that starts afterwards runs to its end on the server, so the client
    must give its result (and keep the session's event stream for the calls after it)."""
    got = run_js("cancelRace")
    assert got["aborted"]["error"] == "JobCancelledError", got["aborted"]
    assert got["nextStage"] == "processing"  # it started before the /cancel answer came back
    assert got["nextResult"].get("ok") == "next", got["nextResult"]
    assert got["later"].get("ok") == "later", got["later"]


def test_status_reports_progress_and_queue_rank_and_cancel_stops_a_queued_job(
    run_js: Node, oracle: Any
) -> None:
    got = run_js("status")
    assert got["result"] == oracle.predict("chat", "with_progress", steps=5)
    steps = [s["progress"][0] for s in got["seen"] if s["progress"]]
    assert steps and all(p["length"] == 5 and p["desc"] == "working" for p in steps)
    assert [p["index"] for p in steps] == sorted(p["index"] for p in steps)
    assert {s["stage"] for s in got["seen"]} <= {"pending", "queued", "processing"}
    queued = got["queued"]
    assert queued["stage"] == "queued" and queued["rank"] is not None and queued["queueSize"]
    assert queued["queueSize"] > queued["rank"] >= 0
    assert got["firstStage"] == "processing"
    assert got["cancelled"] is True
    assert got["secondResult"]["error"] == "JobCancelledError", got["secondResult"]
    assert got["firstResult"] == "a"
    assert got["cancelAfterDone"] is False
    assert got["finalStage"]["stage"] == "finished" and got["finalStage"]["success"] is True
    assert got["runningStage"] == "processing"
    assert got["cancelledRunning"] is True
    assert got["runningResult"]["error"] == "JobCancelledError", got["runningResult"]
    assert got["afterCancel"]["ok"] == "after"


def test_timeouts_per_call_per_client_and_none(run_js: Node) -> None:
    got = run_js("timeouts")
    for key in ("perCall", "jobResult", "perClient"):
        assert got[key]["error"] == "GradioTimeoutError", (key, got[key])
        assert "GradioClientError" in got[key]["kinds"]
        assert got[key]["seconds"] < 1.2, key  # 300 ms asked, slow_echo takes 1.5 s
    assert got["overridden"]["ok"] == "w"  # timeout: null waits past the client's 300 ms
    assert got["generous"]["ok"] == "v"
    assert got["lateResult"]["ok"] == "late"


def test_concurrent_calls_on_one_client(run_js: Node, oracle: Any) -> None:
    got = run_js("concurrent", count=24)
    assert got["greetings"] == [oracle.predict("basics", "greet", name=f"t{i}") for i in range(24)]
    expected = [
        oracle.predict("basics", "calculate", a=6, operation="multiply", b=7),
        list(oracle.predict("basics", "pick", single="bird")),
        oracle.predict("basics", "class", self="xyz"),
        oracle.predict("basics", "submit", text="four"),
    ]
    assert got["mixed"] == expected


# -- files ----------------------------------------------------------------------------------


def test_file_inputs_as_path_blob_file_bytes_and_returned_file_data(
    run_js: Node, oracle: Any, files: dict[str, Path]
) -> None:
    from gradio_client import handle_file

    expected = normalize(oracle.predict("media", "image_info", image=as_oracle_input(files["red"])))
    got = run_js("files", image=str(files["red"]), note=str(files["note"]))
    results = got["results"]
    for kind in ("path", "blob", "file", "bytes", "arraybuffer", "returned"):
        assert error_of(results[kind]) is None, (kind, results[kind])
        assert normalize(results[kind]["ok"]) == expected, kind
    # A URL is passed on for the server to fetch, as gradio_client does; Gradio's SSRF guard
    # refuses loopback hosts, so here both clients get the same refusal.
    with pytest.raises(Exception, match="error"):
        oracle.predict("media", "image_info", image=handle_file(got["returned"]["url"]))
    assert results["url"]["error"] == "GradioError", results["url"]
    assert results["missingPath"]["error"] == "TypeError", results["missingPath"]
    many = oracle.predict(
        "media",
        "files_count",
        files=[handle_file(str(files["note"])), handle_file(str(files["red"]))],
    )
    assert results["many"]["ok"] == many  # a path and a File keep their names
    assert results["manyKinds"]["ok"]["count"] == 3


@pytest.mark.parametrize("kind", ["path", "file", "bytes", "arraybuffer", "blob", "typedblob"])
def test_audio_file_inputs_of_every_kind(
    run_js: Node, oracle: Any, files: dict[str, Path], kind: str
) -> None:
    """A WAV sent as a Blob must reach the app as a WAV, as the same bytes do as a Uint8Array."""
    expected = normalize(
        oracle.predict("media", "audio_reverse", audio=as_oracle_input(files["tone"]))
    )
    [got] = run_js(
        "cases", calls=[["media", "audioReverse", {"audio": js_file(kind)(files["tone"])}]]
    )
    assert error_of(got) is None, got
    assert normalize(got["ok"]) == expected


def test_a_file_inside_the_chat_history_is_uploaded(
    run_js: Node, oracle: Any, files: dict[str, Path]
) -> None:
    """Files nested in an input (a Chatbot message's content) are uploaded too."""
    from gradio_client import handle_file

    def history(file: Any) -> list[dict[str, Any]]:
        return [{"role": "user", "content": [{"file": file}]}]

    expected = oracle.predict(
        "chat", "respond", message="hi", history=history(handle_file(str(files["red"])))
    )
    calls = [
        ["chat", "respond", {"message": "hi", "history": history(js_file(kind)(files["red"]))}]
        for kind in ("path", "bytes")
    ]
    for got in run_js("cases", calls=calls):
        assert error_of(got) is None, got
        assert normalize(got["ok"]) == normalize(expected)


def test_download_fetches_returned_files(run_js: Node, oracle: Any, files: dict[str, Path]) -> None:
    upper = oracle.predict("media", "file_upper", file=as_oracle_input(files["note"]))
    audio = oracle.predict("media", "audio_reverse", audio=as_oracle_input(files["tone"]))
    got = run_js("download", note=str(files["note"]), audio=str(files["tone"]))
    expected_text = httpx.get(upper["url"]).text
    for way in ("byFileData", "byUrl"):
        assert got[way]["isBlob"] is True
        assert got[way]["text"] == expected_text == "HELLO UPLOAD\n"
        assert got[way]["sha256"] == sha256_of(upper["url"])
    assert got["audio"]["sha256"] == sha256_of(audio["url"])
    assert got["audio"]["size"] == len(httpx.get(audio["url"]).content)
    assert "HTTPStatusError" in got["missing"]["kinds"], got["missing"]


# -- headers, token, construction, input names ----------------------------------------------


def test_headers_and_token_reach_the_server(
    run_js: Node, oracle: Any, files: dict[str, Path]
) -> None:
    foreign = oracle.predict("media", "file_upper", file=as_oracle_input(files["note"]))
    got = run_js("headers", image=str(files["red"]), foreignFile=foreign["url"])
    assert got["greetings"] == [oracle.predict("basics", "greet", name=n) for n in ("Ada", "Bo")]
    seen = got["seen"]
    posts = [r for r in seen if r["method"] == "POST"]
    assert len(posts) == 2
    # to the app a token goes as x-hf-authorization (HF's proxy strips it), never Authorization
    assert posts[0]["headers"]["x-hf-authorization"] == "Bearer hf_secret"
    assert all("authorization" not in r["headers"] for r in seen)
    assert posts[0]["headers"]["x-ip-token"] == "zero" and posts[0]["headers"]["x-a"] == "1"
    assert "x-ip-token" not in posts[1]["headers"]
    streams = [r for r in seen if r["method"] == "GET" and "/queue/data" in r["url"]]
    assert streams and all(
        r["headers"]["x-hf-authorization"] == "Bearer hf_secret" for r in streams
    )
    # a file on another origin is fetched without the client's token or headers
    [outside] = [r for r in seen if r["url"] == foreign["url"]]
    assert "x-hf-authorization" not in outside["headers"] and "x-a" not in outside["headers"]
    assert got["foreign"]["text"] == httpx.get(foreign["url"]).text
    # the upload of a file input carries the token and the call's headers too
    assert got["size"] == "5x3"
    [upload] = [r for r in got["mseen"] if r["url"].endswith("/upload")]
    assert upload["headers"]["x-hf-authorization"] == "Bearer hf_secret"
    assert upload["headers"]["x-call"] == "2"
    # HF_TOKEN goes to 127.0.0.1 (not a Hugging Face host) only with sendEnvToken;
    # token: null sends none even then
    assert got["eseen"] and all("x-hf-authorization" not in r["headers"] for r in got["eseen"])
    assert got["sseen"] and all(
        r["headers"]["x-hf-authorization"] == "Bearer hf_from_env" for r in got["sseen"]
    )
    assert got["nseen"] and all("x-hf-authorization" not in r["headers"] for r in got["nseen"])
    assert "hf_secret" not in got["text"]


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_construction_makes_no_request_and_shows_no_token(
    run_js: Node, live_apps: dict[str, str]
) -> None:
    closed = closed_port_url()
    got = run_js("construction", closedUrl=closed)
    assert got["requestsAfterConstruction"] == 0
    assert got["baseUrl"] == closed
    assert got["defaultBaseUrl"] == live_apps["basics"].rstrip("/")
    assert re.fullmatch(r"[0-9a-z]+", got["hash"])
    assert got["call"]["error"] == "GradioConnectionError", got["call"]
    # a refused connection is a call the server did not take: posted again, 3 times by default
    assert got["requestsAfterCall"] == [f"{closed}/gradio_api/call/greet"] * 4
    # like the Python client's repr: printing or serialising a client does not show the token
    assert "hf_hidden" not in got["text"]
    assert "hf_hidden" not in got["inspected"]
    assert "hf_hidden" not in (got["json"] or "")


def test_unknown_and_missing_input_names_are_type_errors_before_any_request(
    run_js: Node, oracle: Any
) -> None:
    got = run_js("inputs")
    for key in (
        "unknown",
        "missing",
        "none",
        "undefinedValue",
        "submitUnknown",
        "pythonName",
        "noInputsGiven",
    ):
        assert got[key]["error"] == "TypeError", (key, got[key])
    assert '"colour"' in got["unknown"]["message"]
    assert '"name"' in got["missing"]["message"] and '"name"' in got["none"]["message"]
    assert '"self_"' in got["pythonName"]["message"]
    assert got["requests"] == 0
    assert got["defaultsStillWork"]["ok"] == oracle.predict("basics", "calculate")


def test_client_from_saved_schema_without_config_finds_state_slots(
    run_js: Node, live_apps: dict[str, str], tmp_path: Path
) -> None:
    """Saved openapi.json + info.json only: the client reads /config once to skip State."""
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("openapi.json", "info.json"):
        (saved / name).write_bytes((FIXTURES / "e2e_chat" / name).read_bytes())
    out = tmp_path / "out"
    generate(
        str(saved / "openapi.json"),
        out,
        Options(name="chat_offline", base_url=live_apps["chat"]),
        token=None,
    )
    assert "outputs: null" in (out / "js" / "index.js").read_text()
    got = run_js("offline", extra={"offline": out / "js"})
    assert got == {"counts": [1, 2], "word": "x"}


# -- input names that mean something to JavaScript -----------------------------------------

# Gradio takes input names from Python parameters, so any Python identifier can be one.
HOSTILE_NAMES = {
    "/greet": {"name": "new", "intensity": "default", "shout": "delete"},
    "/pick": {
        "single": "constructor",
        "many": "__proto__",
        "boxes": "hasOwnProperty",
        "count": "toString",
    },
}


@pytest.fixture(scope="module")
def hostile_client(live_apps: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basics app's saved schema with its inputs renamed: the wire data is positional, so
    the live app answers the renamed client as it answers the real one."""
    saved = tmp_path_factory.mktemp("hostile_schema")
    openapi = json.loads((FIXTURES / "e2e_basics" / "openapi.json").read_text())
    info = json.loads((FIXTURES / "e2e_basics" / "info.json").read_text())
    for api, names in HOSTILE_NAMES.items():
        body = openapi["paths"][f"/gradio_api/call/v2{api}"]["post"]["requestBody"]
        schema = body["content"]["application/json"]["schema"]
        schema["properties"] = {names[k]: v for k, v in schema["properties"].items()}
        for param in info["named_endpoints"][api]["parameters"]:
            param["parameter_name"] = names[param["parameter_name"]]
    (saved / "openapi.json").write_text(json.dumps(openapi))
    (saved / "info.json").write_text(json.dumps(info))
    (saved / "config.json").write_bytes((FIXTURES / "e2e_basics" / "config.json").read_bytes())
    out = tmp_path_factory.mktemp("hostile")
    options = Options(name="hostile_client", base_url=live_apps["basics"])
    generate(str(saved / "openapi.json"), out, options, token=None)
    return out / "js"


@pytest.mark.parametrize(
    ("method", "inputs", "wire"),
    [
        (
            "greet",
            {"new": "Ada", "default": 3, "delete": True},
            {"name": "Ada", "intensity": 3, "shout": True},
        ),
        ("greet", {"new": "Ada"}, {"name": "Ada"}),
        (
            "pick",
            {"constructor": "dog", "__proto__": ["green"], "hasOwnProperty": ["b"], "toString": 5},
            {"single": "dog", "many": ["green"], "boxes": ["b"], "count": 5},
        ),
        ("pick", {"constructor": "bird"}, {"single": "bird"}),
        ("pick", {}, {}),
    ],
)
def test_inputs_named_new_default_delete_constructor_or_proto_work(
    run_js: Node,
    hostile_client: Path,
    oracle: Any,
    method: str,
    inputs: dict[str, Any],
    wire: dict[str, Any],
) -> None:
    """JSON.parse gives the inputs own keys, "__proto__" too, as a computed key would."""
    expected = oracle.predict("basics", method, **wire)
    [got] = run_js("cases", calls=[["hostile", method, inputs]], extra={"hostile": hostile_client})
    assert error_of(got) is None, got
    assert normalize(got["ok"]) == normalize(expected)


# -- the generated files themselves: node --check, imports, tsc --strict --------------------


@pytest.fixture(scope="module")
def all_packages(
    js_clients: dict[str, Path], hostile_client: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The live apps' js/ packages, the renamed one, then every fixture's and corpus app's."""
    out = tmp_path_factory.mktemp("js_fixtures")
    packages = {f"live_{app}": folder for app, folder in js_clients.items()}
    packages["hostile"] = hostile_client
    schemas = sorted(FIXTURES.glob("*/openapi.json"))
    corpus = sorted(CORPUS.glob("*/openapi.json"))
    assert len(schemas) >= 10 and len(corpus) >= 30, f"fixtures or corpus missing ({CORPUS})"
    for kind, schema in [("fixture", s) for s in schemas] + [("corpus", s) for s in corpus]:
        name = f"{kind}_{schema.parent.name}"
        try:
            app = parse(read_source(str(schema), None))
        except SchemaError as exc:  # calculator_blocks hides its only endpoint: no package
            assert kind == "corpus" and "no public API endpoints" in str(exc), (name, exc)
            continue
        for f in plan_js(app, Options(name=schema.parent.name)):
            (out / name / f.relpath).parent.mkdir(parents=True, exist_ok=True)
            (out / name / f.relpath).write_text(f.text, encoding="utf-8")
        packages[name] = out / name / "js"
    return packages


def test_every_generated_js_file_passes_node_check(all_packages: dict[str, Path]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    runtime = JS_RUNTIME_PATH.read_bytes()
    paths = sorted(p for folder in all_packages.values() for p in folder.glob("*.js"))
    assert len(paths) == 2 * len(all_packages)
    for folder in all_packages.values():
        assert (folder / "_runtime.js").read_bytes() == runtime, folder  # copied verbatim
    unique = {p.read_bytes(): p for p in paths}  # so the runtime is checked once

    def check(path: Path) -> str | None:
        done = subprocess.run([node_path(), "--check", str(path)], capture_output=True, text=True)
        return None if done.returncode == 0 else f"{path}:\n{done.stderr}"

    with ThreadPoolExecutor(4) as pool:
        failed = [f for f in pool.map(check, sorted(unique.values())) if f]
    assert not failed, "\n".join(failed)


def test_every_package_imports_and_matches_its_declarations(
    js_tools: Path, all_packages: dict[str, Path]
) -> None:
    """index.js links, exports what index.d.ts declares, and every declared method exists."""
    done = subprocess.run(
        [node_path(), str(js_tools / "surface.mjs"), *map(str, all_packages.values())],
        capture_output=True,
        text=True,
        cwd=js_tools,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    surface = json.loads(done.stdout)
    for name, folder in all_packages.items():
        modules = surface[str(folder)]
        runtime_dts = modules["_runtime"]["dts"]["classes"]
        for module, sides in modules.items():
            js, dts = sides["js"], sides["dts"]
            assert js["exports"] == dts["exports"], (name, module)
            for cls, methods in dts["classes"].items():
                missing = set(methods) - set(js["classes"].get(cls, []))
                assert not missing, f"{name} {module}.js: {cls} lacks {sorted(missing)}"
        client_js = set(modules["index"]["js"]["classes"]["Client"])
        declared = set(modules["index"]["dts"]["classes"]["Client"]) | set(runtime_dts["Runtime"])
        undeclared = client_js - declared - {"toString"}
        assert not undeclared, f"{name}: Client methods without declarations: {sorted(undeclared)}"


TSC_ERROR = re.compile(
    r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<text>.*)$"
)


@pytest.fixture(scope="module")
def tsc_errors(
    js_tools: Path, all_packages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> list[dict[str, str]]:
    """One ``tsc --strict --noEmit`` over every generated declaration file and both usage files.

    The usage files import the live apps' packages by name (``basics-client``...), linked
    into a ``node_modules`` beside them, so resolution goes through each package.json.
    """
    work = tmp_path_factory.mktemp("tsc")
    modules = work / "node_modules"
    modules.mkdir()
    for app in (*APPS, "hostile"):
        folder = all_packages["hostile" if app == "hostile" else f"live_{app}"]
        name = json.loads((folder / "package.json").read_text())["name"]
        assert name == f"{app}-client"
        (modules / name).symlink_to(folder, target_is_directory=True)
    for usage in ("typed_usage.ts", "wrong_usage.ts"):
        shutil.copyfile(USAGE / usage, work / usage)
    declarations = sorted(str(p) for folder in all_packages.values() for p in folder.glob("*.d.ts"))
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "skipLibCheck": False,
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "lib": ["ES2022", "DOM"],
            "types": ["node"],
            "typeRoots": [str(js_tools / "node_modules" / "@types")],
        },
        "files": ["typed_usage.ts", "wrong_usage.ts", *declarations],
    }
    (work / "tsconfig.json").write_text(json.dumps(config, indent=2))
    done = subprocess.run(
        [
            node_path(),
            str(js_tools / "node_modules" / "typescript" / "bin" / "tsc"),
            "-p",
            str(work),
            "--pretty",
            "false",
        ],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=300,
        check=False,
    )
    errors = [m.groupdict() for m in map(TSC_ERROR.match, done.stdout.splitlines()) if m]
    assert done.returncode in (0, 2) and (done.returncode == 0) == (not errors), (
        done.stdout + done.stderr
    )
    for error in errors:
        error["file"] = str((work / error["file"]).resolve())
    return errors


def test_every_generated_declaration_passes_tsc_strict(
    tsc_errors: list[dict[str, str]], all_packages: dict[str, Path]
) -> None:
    assert len(all_packages) >= 3 + 1 + 10 + 30
    in_declarations = [e for e in tsc_errors if e["file"].endswith(".d.ts")]
    assert not in_declarations, "\n".join(
        f"{e['file']}:{e['line']}: {e['text']}" for e in in_declarations
    )


def test_typed_usage_compiles(tsc_errors: list[dict[str, str]]) -> None:
    errors = [e for e in tsc_errors if e["file"].endswith("typed_usage.ts")]
    assert not errors, "\n".join(f"typed_usage.ts:{e['line']}: {e['text']}" for e in errors)


def test_each_marked_line_of_wrong_usage_is_a_type_error(tsc_errors: list[dict[str, str]]) -> None:
    lines = (USAGE / "wrong_usage.ts").read_text().splitlines()
    marked = {i for i, line in enumerate(lines, 1) if line.rstrip().endswith("// wrong")}
    reported = {int(e["line"]) for e in tsc_errors if e["file"].endswith("wrong_usage.ts")}
    missed = sorted(marked - reported)
    assert marked and not missed, "no tsc error on:\n" + "\n".join(
        f"{i}: {lines[i - 1].strip()}" for i in missed
    )
    unmarked = sorted(reported - marked)
    assert not unmarked, "tsc errors on unmarked lines: " + ", ".join(map(str, unmarked))


# -- tokens, 422 and 401 (issue 13), faults from a fake fetch ---------------------------------


def test_host_rule_and_error_mapping(run_js: Node, tmp_path: Path) -> None:
    (tmp_path / "token").write_text("hf_saved\n")  # as `hf auth login` saves it
    got = run_js("faults", hfHome=str(tmp_path))
    assert got["hosts"] == {
        "https://a-b.hf.space": True,
        "https://A-B.HF.SPACE./x": True,
        "https://huggingface.co/spaces/a/b": True,
        "https://hf.space": False,
        "https://evilhf.space": False,
        "https://hf.space.evil.com": False,
        "https://huggingface.co.evil.com": False,
        "http://127.0.0.1:7860": False,
    }
    # the host and port of HF_ENDPOINT count (as hub.is_hf_host), no other; 443 is https's
    assert got["hub"] == [True, False, False, True, False]
    assert got["tokens"] == {
        "local": None,
        "localSent": "hf_env",
        "space": "hf_env",
        "none": None,
        "empty": None,
        "explicit": "hf_x",
    }
    assert got["saved"] == {  # the saved token goes where HF_TOKEN goes; HF_TOKEN wins
        "saved": "hf_saved",
        "space": "hf_saved",
        "local": None,
        "localSent": "hf_saved",
        "envWins": "hf_env",
    }
    [validation] = got["validation"]["results"]
    assert "ValidationError" in validation["kinds"] and validation["status"] == 422
    assert validation["errors"] == {"age": "too young", "parameter_2": "no"}
    assert "2 input(s) failed validation" in validation["message"]
    [other] = got["other422"]["results"]
    assert "ValidationError" not in other["kinds"] and "HTTPStatusError" in other["kinds"]
    [no_login] = got["noLogin"]["results"]
    assert "needs a login" in no_login["message"] and "auth" in no_login["message"]
    assert "HF_TOKEN" not in no_login["message"] and "hf_secret" not in no_login["message"]
    [private] = got["privateSpace"]["results"]
    assert "HF_TOKEN" in private["message"] and "login" not in private["message"]
    # lazily, once; a 401 after it: one login again, the call posted again with the new cookie
    login = got["login"]
    assert [r.get("ok") for r in login["results"]] == ["ok", "ok"]
    logins = [r for r in login["seen"] if r["url"].endswith("/login")]
    assert len(logins) == 2 and logins[0]["body"] == "username=u&password=pw"
    assert login["seen"][0]["url"].endswith("/login")
    posts = [r for r in login["seen"] if "/call/" in r["url"]]
    assert [p["headers"].get("cookie") for p in posts] == [
        "access-token-unsecure-1=t1",
        "access-token-unsecure-1=t1",
        "access-token-unsecure-1=t2",
    ]
    [refused] = got["refused"]["results"]
    assert "refused the login session" in refused["message"]
    assert len([r for r in got["refused"]["seen"] if r["url"].endswith("/login")]) == 2
    [wrong] = got["wrong"]["results"]
    assert 'login as "u" failed' in wrong["message"] and "secret-pw" not in wrong["message"]


# -- redirects: nothing of the client's leaves the app's origin ------------------------------


def test_a_redirect_to_another_origin_gets_no_token_headers_cookie_or_login(run_js: Node) -> None:
    got = run_js("redirects")
    secrets = ("x-hf-authorization", "x-mine", "cookie", "authorization")
    for mode in ("away", "same"):  # the call, its event stream and a download all work
        assert got[mode]["call"].get("ok") == "ok", got[mode]["call"]
        assert got[mode]["file"].get("ok", {}).get("text") == "hello", got[mode]["file"]
    away = [r for r in got["other"] if r["phase"] == "away"]
    paths = {r["path"].split("?")[0] for r in away}
    assert {"/gradio_api/call/greet", "/gradio_api/queue/data", "/gradio_api/file=x.txt"} <= paths
    for request in away:
        assert not [h for h in secrets if h in request["headers"]], request
        assert "hf_canary" not in json.dumps(request) and "pw" not in request["body"]
    [post] = [r for r in away if "/call/" in r["path"]]  # a 307 keeps the method and body
    assert post["method"] == "POST" and '"session_hash"' in post["body"]
    assert post["headers"]["content-type"] == "application/json"
    # to its own origin, before the redirect and after a same-origin one, all of them go
    mine = [r for r in got["own"] if r["phase"] in ("away", "same") and r["path"] != "/away/login"]
    moved = [r for r in mine if "/moved/" in r["path"]]
    assert len(moved) >= 3
    for request in mine:
        assert request["headers"].get("x-hf-authorization") == "Bearer hf_canary", request
        assert request["headers"].get("x-mine") == "1"
        assert request["path"].endswith("/login") or "access-token-unsecure-1=c1" in request[
            "headers"
        ].get("cookie", "")
    # a login answered with a redirect is not posted again anywhere: an error says why
    assert not [r for r in got["other"] if r["phase"] == "login307"]
    assert "AuthenticationError" in got["login307"]["kinds"]
    assert "redirect" in got["login307"]["message"]
    # a browser hides where a redirect goes: the client lets it follow, without its headers
    browser = got["browser"]
    assert browser["call"].get("ok") == "ok", browser["call"]
    calls = [r for r in browser["seen"] if "/login" not in r["url"]]
    assert {r["redirect"] for r in calls} == {"manual", "follow"}
    for request in calls:
        sent = "x-hf-authorization" in request["headers"] or "x-mine" in request["headers"]
        assert sent == (request["redirect"] == "manual"), request
    assert [r["redirect"] for r in browser["seen"] if "/login" in r["url"]] == ["manual"]
    assert "AuthenticationError" in browser["login"]["kinds"]


def test_call_reaches_an_endpoint_by_name_and_checks_what_it_is_given(
    run_js: Node, oracle: Any
) -> None:
    got = run_js("dynamic")
    assert (
        got["call"]["ok"]
        == got["typed"]["ok"]
        == oracle.predict("basics", "greet", name="Ada", intensity=3)
    )
    assert got["noSlash"]["ok"] == oracle.predict("basics", "greet", name="Bo")
    assert got["several"]["ok"] == got["severalTyped"]["ok"]
    assert isinstance(got["several"]["ok"], list) and len(got["several"]["ok"]) == 2
    for case, words in [
        ("unknown", 'the app has no endpoint "/nope"; it has "/calculate", '),
        ("badInput", 'has no input "nosuch"'),
        ("missing", 'needs input "name"'),
    ]:
        assert got[case]["error"] == "TypeError", got[case]
        assert words in got[case]["message"], got[case]
