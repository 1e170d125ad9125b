"""gradio_client's own test suite, its apps re-expressed in ``apps/client_suite.py``,
``apps/client_calls.py``, ``apps/many_endpoints.py`` and ``apps/queue_full.py`` (served by
one process), run against the generated Python and JavaScript clients.

Each test names the ``test_client.py`` test whose assertion it carries over. Where our
documented behaviour differs on purpose, the test asserts ours (the README says why): a
503 is posted again before it is an error, and iterating over a job that failed raises.

The session lifecycle is read from the app's own log: ``demo.unload`` writes
``unload <session_hash>`` and ``gr.State(delete_callback=...)`` writes ``state deleted
<value>``; neither line can appear before the client lets its session go.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from codegen.pipeline import Options, generate
from tests.e2e.conftest import SuiteApps, gradio_python, serving
from tests.e2e.test_js_client import node_path


@pytest.fixture(scope="module")
def suite_out(suite_apps: SuiteApps, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both apps' clients, generated from the live apps; the Python packages importable."""
    out = tmp_path_factory.mktemp("suite_clients")
    for app in ("client_suite", "queue_full", "client_calls"):
        generate(suite_apps.urls[app], out / app, Options(name=app), token=None)
        sys.path.insert(0, str(out / app / "python"))
    return out


@pytest.fixture(scope="module")
def suite(suite_out: Path) -> Any:
    return importlib.import_module("client_suite")


@pytest.fixture(scope="module")
def calls(suite_out: Path) -> Any:
    return importlib.import_module("client_calls")


def run_js(suite_out: Path, js_tools: Path, scenario: str, **paths: Path) -> Any:
    request = {
        "client": str(suite_out / "client_suite" / "js" / "index.js"),
        "queue": str(suite_out / "queue_full" / "js" / "index.js"),
        "calls": str(suite_out / "client_calls" / "js" / "index.js"),
        "scenario": scenario,
        **{key: str(path) for key, path in paths.items()},
    }
    done = subprocess.run(
        [node_path(), str(js_tools / "suite.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=js_tools,
        check=False,
    )
    assert done.returncode == 0, f"node {scenario} failed:\n{done.stderr}"
    return json.loads(done.stdout)


def heartbeats() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "gradio-heartbeat"]


def sockets() -> int:
    """Open sockets of this process (Linux: /proc/self/fd)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor, closed by now
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return count


# -- the session lifecycle ---------------------------------------------------------------------


def test_close_ends_the_session_then_the_app_deletes_its_state(
    suite: Any, suite_apps: SuiteApps
) -> None:
    """test_state_reset_when_session_changes: STATE DELETED once the session is let go."""
    threads, open_sockets = heartbeats(), sockets()
    client = suite.Client()
    assert heartbeats() == threads  # construction makes no request and starts no thread
    with client:
        assert client.remember(text="py first") == "py first (before: None)"
        hash_ = client.session_hash
        assert len(heartbeats()) == len(threads) + 1
        time.sleep(1.5)  # long enough for the app to have deleted state it should not have
        assert f"unload {hash_}" not in suite_apps.lines()
        assert "state deleted py first" not in suite_apps.lines()
    lines = suite_apps.wait_for("state deleted py first")
    assert lines.index(f"unload {hash_}") < lines.index("state deleted py first")
    assert heartbeats() == threads  # no thread outlives the client
    assert sockets() <= open_sockets  # nor a socket


def test_async_close_ends_the_session(suite: Any, suite_apps: SuiteApps) -> None:
    async def run() -> str:
        before = len(asyncio.all_tasks())
        async with suite.AsyncClient() as client:
            assert await client.remember(text="py async") == "py async (before: None)"
            hash_: str = client.session_hash
        assert len(asyncio.all_tasks()) == before  # no task outlives the client
        return hash_

    hash_ = asyncio.run(run())
    lines = suite_apps.wait_for("state deleted py async")
    assert f"unload {hash_}" in lines


def test_reset_session_ends_the_old_session(suite: Any, suite_apps: SuiteApps) -> None:
    """test_state: the counter starts over in the new session; the old one ends."""
    with suite.Client() as client:
        assert client.increment_with_queue() == 1
        assert client.increment_with_queue() == 2
        assert client.increment_without_queue() == 3
        old = client.session_hash
        client.reset_session()
        suite_apps.wait_for(f"unload {old}")
        assert client.increment_with_queue() == 1


def test_the_process_exit_ends_the_session(suite_out: Path, suite_apps: SuiteApps) -> None:
    """A script that never calls close(): its exit ends its session all the same."""
    script = textwrap.dedent(
        """
        import client_suite
        client = client_suite.Client()
        client.remember(text="py exit")
        print(client.session_hash)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(suite_out / "client_suite" / "python")}
    # an open heartbeat holding the process would end in TimeoutExpired
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    suite_apps.wait_for(f"unload {done.stdout.strip()}")


def test_js_close_and_exit_end_the_session(
    suite_out: Path, js_tools: Path, suite_apps: SuiteApps
) -> None:
    closed = run_js(suite_out, js_tools, "close")
    assert closed["said"] == "js first (before: None)"
    lines = suite_apps.wait_for("state deleted js first")
    assert f"unload {closed['hash']}" in lines
    exited = run_js(suite_out, js_tools, "exit")  # never calls close(); else a timeout
    suite_apps.wait_for(f"unload {exited['hash']}")
    state = run_js(suite_out, js_tools, "state")
    assert state["counts"] == [1, 2, 3, 1]
    suite_apps.wait_for(f"unload {state['old']}")


def test_sessions_end_the_same_on_gradio_4(tmp_path: Path, js_tools: Path) -> None:
    """4.44.1, the oldest Gradio we run that has the heartbeat route (4.25+), ends a
    session as 6.x does, for the Python and the JavaScript client."""
    log = tmp_path / "lifecycle.log"
    env = {"SUITE_LOG": str(log), "GRADIO_IS_E2E_TEST": "1"}
    with serving(("client_suite",), extra_env=env, python=gradio_python("4.44.1")) as urls:
        old = SuiteApps(urls, log)
        out = tmp_path / "client_suite"
        generate(urls["client_suite"], out, Options(name="suite4"), token=None)
        sys.path.insert(0, str(out / "python"))
        suite4 = importlib.import_module("suite4")
        with suite4.Client() as client:
            assert client.remember(text="py on 4") == "py on 4 (before: None)"
            hash_ = client.session_hash
        lines = old.wait_for("state deleted py on 4")
        assert lines.index(f"unload {hash_}") < lines.index("state deleted py on 4")
        closed = run_js(tmp_path, js_tools, "close")
        old.wait_for(f"unload {closed['hash']}")
        old.wait_for("state deleted js first")


# -- headers, a full queue ---------------------------------------------------------------------


def test_x_gradio_user_is_api_whatever_a_call_says(
    suite: Any, suite_out: Path, js_tools: Path
) -> None:
    """test_x_gradio_user_header; the client's own headers may set it, as Gradio's MCP does."""
    api = "Hello, {}! Your x-gradio-user is api"
    with suite.Client() as client:
        assert client.who(name="py") == api.format("py")
        assert client.who(name="py", headers={"X-Gradio-User": "app"}) == api.format("py")
    with suite.Client(headers={"x-gradio-user": "mcp"}) as client:
        assert client.who(name="py") == "Hello, py! Your x-gradio-user is mcp"
    seen = run_js(suite_out, js_tools, "users")
    assert seen == {
        "plain": api.format("js"),
        "call": api.format("js"),
        "client": "Hello, js! Your x-gradio-user is mcp",
    }


def test_a_full_queue_is_a_queue_full_error_after_the_retries(
    suite_out: Path, js_tools: Path
) -> None:
    """test_queue_full_raises_error: ours posts a 503 again first (3 retries, 3.5 s) and
    only then raises; the job the queue took runs on."""
    queue_full = importlib.import_module("queue_full")
    with queue_full.Client() as client:
        first = client.submit_predict(name="Freddy")
        second = client.submit_predict(name="Abubakar")
        started = time.monotonic()
        with pytest.raises(queue_full.QueueFullError, match="Queue is full") as raised:
            client.predict(name="Pete")
        assert time.monotonic() - started > 3  # retried first
        assert raised.value.status_code == 503
        assert isinstance(raised.value, queue_full.HTTPStatusError)
        assert first.result() == "Hello Freddy"
        assert second.result() == "Hello Abubakar"
    seen = run_js(suite_out, js_tools, "queue_full")
    errors = [d for d in seen["done"] if "error" in d]
    assert [e["error"] for e in errors] == ["QueueFullError"]
    served = [d["value"] for d in seen["done"] if "value" in d]  # any two: all post at once
    assert len(served) == 2 and set(served) <= {"Hello Freddy", "Hello Abubakar", "Hello Pete"}


def test_curl_exits_75_on_a_full_queue(suite_out: Path, suite_apps: SuiteApps) -> None:
    script = suite_out / "queue_full" / "curl" / "predict.sh"
    runs = [
        subprocess.Popen(
            [str(script), "name=curl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outcomes = [(run.wait(timeout=60), run.stderr.read() if run.stderr else "") for run in runs]
    full = [(code, err) for code, err in outcomes if code != 0]
    assert len(full) == 1, outcomes
    code, err = full[0]
    assert code == 75
    assert err.startswith("error: POST ") and "the app's queue is full" in err
    assert "try again later" in err and len(err.strip().splitlines()) == 1


# -- test_client.py's calls ----------------------------------------------------------------------


def test_progress_updates(suite: Any) -> None:
    """test_progress_updates: the job's status carries the progress units as they come."""
    with suite.Client() as client:
        job = client.submit_progress(text="hello")
        seen: list[Any] = []
        while not job.done():
            progress = job.status().progress
            if progress:
                seen.append(progress[0])
            time.sleep(0.05)
        assert job.result() == "hello"
    assert seen, "no progress was reported"
    assert any(unit.unit == "steps" and unit.length == 5 for unit in seen)


def test_intermediate_outputs(suite: Any) -> None:
    """test_intermediate_outputs / yield_demo: each yield, in order."""
    with suite.Client() as client:
        job = client.submit_spell(text="abc")
        assert list(job) == ["a", "ab", "abc"]
        assert job.outputs() == ["a", "ab", "abc"]


def test_a_generator_that_fails_raises_after_its_outputs(
    suite: Any, suite_out: Path, js_tools: Path
) -> None:
    """count_generator_demo_exception: gradio_client's iterator just stops; ours raises
    the app's error once the outputs before it are out (a failure is not a quiet end)."""
    with suite.Client() as client:
        job = client.submit_count(n=10)
        seen = []
        with pytest.raises(suite.GradioError):
            for step in job:
                seen.append(step)
        assert seen == ["0", "1", "2", "3", "4"]
    assert run_js(suite_out, js_tools, "generator_error") == {
        "seen": ["0", "1", "2", "3", "4"],
        "error": "GradioError",
    }


def test_cancel_a_queued_and_a_running_job(suite: Any, suite_apps: SuiteApps) -> None:
    """test_cancel_from_client_queued: a running iterator stops, a queued job never runs;
    test_job_cancel_stops_upstream_server_if_cancel_event_defined: the app's generator
    stops too (its log stops growing)."""
    with suite.Client() as client:
        running = client.submit_iterate()
        assert next(iter(running)) == 0
        assert running.cancel()
        with pytest.raises(suite.JobCancelledError):
            running.result(timeout=10)
        time.sleep(0.6)  # a step already in the app's worker thread ends, and logs
        steps = [line for line in suite_apps.lines() if line.startswith("iterate ")]
        time.sleep(1.5)  # three steps' time
        assert [line for line in suite_apps.lines() if line.startswith("iterate ")] == steps
        assert "iterate 19" not in steps
        long = client.submit_long()
        assert long.cancel()
        with pytest.raises(suite.JobCancelledError):
            long.result(timeout=10)


def test_file_io(
    suite: Any, suite_out: Path, js_tools: Path, suite_apps: SuiteApps, tmp_path: Path
) -> None:
    """test_file_io: files in a list and alone come back as FileData (Python, JS and
    gradio_client alike); the JS run also cancels a generator and starts it afresh."""
    from gradio_client import Client, handle_file

    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("one")
    two.write_text("two")
    with suite.Client() as client:
        many, single = client.file_io(files=[str(one), str(two)], file=str(one))
        assert [f["orig_name"] for f in many] == ["one.txt", "two.txt"]
        assert single["orig_name"] == "one.txt"
        assert client.download(single, tmp_path / "out").read_text() == "one"
    official = Client(suite_apps.urls["client_suite"], verbose=False)
    try:
        theirs = official.predict(
            [handle_file(str(one)), handle_file(str(two))],
            handle_file(str(one)),
            api_name="/file_io",
        )
    finally:
        official.close()
    assert [Path(f).name for f in theirs[0]] == ["one.txt", "two.txt"]
    assert Path(theirs[1]).read_text() == "one"
    seen = run_js(suite_out, js_tools, "file_io_and_cancel", one=one, two=two)
    assert seen["names"] == [["one.txt", "two.txt"], "one.txt"]
    assert seen["text"] == "one"
    assert seen["cancelled"] == "JobCancelledError"
    assert 0 < seen["kept"] < len("abcdefefadsadfs") and seen["stage"] == "cancelled"
    assert seen["second"] == {
        "fresh": 0,
        "result": "abcd",
        "outputs": ["a", "ab", "abc", "abcd"],
        "stage": "finished",
    }


def test_layout_and_state_components_in_output(suite: Any, suite_out: Path, js_tools: Path) -> None:
    """test_return_layout_and_state_components: state and layout updates are not outputs."""
    with suite.Client() as client:
        assert client.greeting(name="Freddy") == ("Hello Freddy", 1)
        assert client.greeting(name="Freddy") == ("Hello Freddy", 2)
    assert run_js(suite_out, js_tools, "layout_and_state") == [
        ["Hello Freddy", 1],
        ["Hello Freddy", 2],
    ]


def test_an_endpoint_without_outputs_returns_none(suite: Any, suite_apps: SuiteApps) -> None:
    """Ours returns None (typed so); gradio_client returns an empty tuple."""
    from gradio_client import Client

    with suite.Client() as client:
        assert client.note(text="py") is None
    suite_apps.wait_for("note py")
    oracle = Client(suite_apps.urls["client_suite"], verbose=False)
    try:
        assert oracle.predict("oracle", api_name="/note") == ()
    finally:
        oracle.close()


def test_a_file_over_the_apps_limit_is_refused(
    suite: Any, suite_out: Path, js_tools: Path, tmp_path: Path
) -> None:
    """test_raise_error_max_file_size (``launch(max_file_size="1kb")``): gradio_client checks
    the size itself and raises ValueError; ours sends it and the app's 413 is the error."""
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    with suite.Client() as client, pytest.raises(suite.HTTPStatusError) as raised:
        client.file_io(files=[], file=str(big))
    assert raised.value.status_code == 413
    assert "maximum allowed size" in str(raised.value)
    assert run_js(suite_out, js_tools, "too_big") == {"error": "HTTPStatusError", "status": 413}


# -- apps/client_calls.py: the rest of test_client.py's calls ------------------------------------

STAGES = ("pending", "queued", "processing", "iterating", "finished")
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"  # what /video returns
LINE_BREAKS = "before\x85after\u2028and\u2029then\rend\n\n"
BONJOUR = (
    "Bonjour Olivier, tu as l'air bien r\u00e9veill\u00e9 ce matin. "
    "Tu veux que je te pr\u00e9pare tes petits-d\u00e9j.\n"
)
REPLIES = ["How are you?", "I love you", "I'm very hungry"]


@pytest.fixture(scope="module")
def official(suite_apps: SuiteApps) -> Iterator[Any]:
    """gradio_client on ``client_calls``, for the comparisons."""
    from gradio_client import Client

    client = Client(suite_apps.urls["client_calls"], verbose=False)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="module")
def js_calls(suite_out: Path, js_tools: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What the JS client saw of every call below (one node run: see suite.mjs ``calls``)."""
    from PIL import Image

    image = tmp_path_factory.mktemp("js_image") / "cheetah1.png"
    Image.new("RGB", (4, 4), (200, 10, 10)).save(image)
    return run_js(suite_out, js_tools, "calls", image=image)


def test_many_endpoints(
    suite_apps: SuiteApps,
    suite_out: Path,
    js_tools: Path,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    """test_many_endpoint_demo_loads_quickly: 2,000 endpoints, generated from the live app,
    imported and called through both clients and gradio_client. The times are recorded
    (``record_property``, and printed with ``-s``), never asserted: benchmarks measure speed."""
    from gradio_client import Client

    url = suite_apps.urls["many_endpoints"]
    started = time.monotonic()
    generate(url, tmp_path / "many", Options(name="many_endpoints"), token=None)
    generated = time.monotonic() - started
    assert len(list((tmp_path / "many" / "curl").glob("*.sh"))) == 2000
    sys.path.insert(0, str(tmp_path / "many" / "python"))
    started = time.monotonic()
    many = importlib.import_module("many_endpoints")
    imported = time.monotonic() - started
    with many.Client() as client:
        assert client.noop(text="first") == "first"
        assert client.noop_1999(text="last") == "last"
    seen = run_js(suite_out, js_tools, "many", many=tmp_path / "many" / "js" / "index.js")
    assert seen["said"] == ["first", "last"]
    started = time.monotonic()
    official = Client(url, verbose=False)
    loaded = time.monotonic() - started
    try:
        assert official.predict("last", api_name="/noop_1999") == "last"
    finally:
        official.close()
    times = {
        "generate_s": round(generated, 2),
        "python_import_s": round(imported, 3),
        "js_import_ms": round(seen["imported_ms"], 1),
        "gradio_client_load_s": round(loaded, 2),
    }
    for name, value in times.items():
        record_property(name, value)
    print(f"many endpoints: {times}")


def test_state_does_not_appear(suite: Any) -> None:
    """test_state_does_not_appear: a gr.State input is no parameter of the typed method."""
    assert list(inspect.signature(suite.Client.remember).parameters)[:2] == ["self", "text"]
    assert "kept" not in inspect.signature(suite.Client.remember).parameters


def test_api_info_as_typed_signatures(suite: Any, calls: Any) -> None:
    """test_api_info_of_local_demo, test_layout_components_in_output,
    test_layout_and_state_components_in_output, test_file_io (TestAPIInfo): what
    gradio_client's view_api lists is each method's typed signature; state inputs and
    layout outputs are not in it."""

    def typed(method: Any) -> tuple[list[tuple[str, Any]], Any]:
        signature = inspect.signature(method)
        wire = [
            (p.name, p.annotation)
            for p in signature.parameters.values()
            if p.name not in ("self", "headers", "timeout", "on_message")
        ]
        return wire, signature.return_annotation

    def fields(result: type) -> list[str]:  # a NamedTuple's field annotations, as written
        return [getattr(a, "__forward_arg__", a) for a in result.__annotations__.values()]

    operation = "Literal['add', 'subtract', 'multiply', 'divide']"
    assert typed(calls.Client.calculate) == (
        [("num1", "float"), ("operation", operation), ("num2", "float")],
        "float",
    )
    assert typed(calls.Client.greeting) == ([("name", "str")], "str")
    assert typed(calls.Client.show_group) == ([], "None")
    # several outputs: a NamedTuple of them, in gradio_client's order
    assert typed(suite.Client.greeting) == ([("name", "str")], "GreetingResult")
    assert fields(suite.GreetingResult) == ["str", "float"]
    assert typed(suite.Client.file_io) == (
        [("files", "list[FileInput]"), ("file", "FileInput")],
        "FileIoResult",
    )
    assert fields(suite.FileIoResult) == ["list[FileData]", "FileData"]


def test_job_status_sequence(calls: Any, js_calls: Any) -> None:
    """test_job_status: the statuses a job goes through come in order, in time and stage."""
    with calls.Client() as client:
        job = client.submit_calculate(num1=5, operation="add", num2=4)
        statuses = [job.status()]
        while not job.done():
            time.sleep(0.01)
            statuses.append(job.status())
        assert job.result() == 9
    times = [s.time for s in statuses]
    ranks = [STAGES.index(s.stage) for s in statuses]
    assert times == sorted(times) and ranks == sorted(ranks)
    assert statuses[-1].stage == "finished" and statuses[-1].success is True
    js_ranks = [STAGES.index(stage) for stage in js_calls["statuses"]]
    assert js_ranks == sorted(js_ranks) and js_calls["statuses"][-1] == "finished"


def test_unnamed_endpoints_are_called_by_the_name_gradio_gives_them(
    calls: Any, suite_out: Path, official: Any, js_calls: Any
) -> None:
    """test_unnamed_endpoints_use_fn_index, test_intermediate_outputs: Gradio names an event
    without ``api_name`` after its function; the clients call it by that name (the fn_index
    travels inside, for cancel), and nothing generated tells a caller about fn_index."""
    with calls.Client() as client:
        job = client.submit_count(n=3)
        while not job.done():
            time.sleep(0.05)
        assert job.outputs() == ["0", "1", "2"]
        assert list(client.submit_count(n=3)) == ["0", "1", "2"]
        assert client.show(n=3) == "[0, 1, 2]"
    assert official.predict(3, api_name="/show") == "[0, 1, 2]"
    assert js_calls["count"] == {"counted": ["0", "1", "2"], "outputs": ["0", "1", "2"]}
    assert js_calls["show"] == {"value": "[0, 1, 2]"}
    for page in ("README.md", "python/README.md", "js/README.md"):
        assert "fn_index" not in (suite_out / "client_calls" / page).read_text(encoding="utf-8")


def test_private_endpoints_are_in_no_client(
    calls: Any, suite_out: Path, official: Any, js_calls: Any
) -> None:
    """test_api_false_endpoints_do_not_appear, ..._cannot_be_accessed_with_fn_index:
    ``api_visibility="private"`` events (``show_1``, ``add_one``) are in no client we
    generate, as gradio_client refuses their fn_index. Gradio itself still runs such an
    event when asked (its own page needs them): private hides, it does not protect."""
    info = json.loads((suite_out / "client_calls" / "info.json").read_text(encoding="utf-8"))
    assert not {"/show_1", "/add_one"} & set(info["named_endpoints"])
    assert not hasattr(calls.Client, "show_1") and not hasattr(calls.Client, "add_one")
    assert js_calls["private"] == []
    with pytest.raises(ValueError):
        official.submit(3, fn_index=15)
    runtime = importlib.import_module("client_calls._runtime")
    by_hand = runtime.EndpointSpec(
        api_name="show_1", outputs=(0,), file_specs=(None,), fn_index=15, state_inputs=()
    )
    with calls.Client() as client:
        assert client._submit(by_hand, [3], runtime.first, None, 10).result() == "[0, 1, 2]"


def test_errors_raise_and_break_the_loop(calls: Any, official: Any, js_calls: Any) -> None:
    """test_raises_exception, test_break_in_loop_if_error: a bad input fails the job. Ours
    raises GradioError from ``result()`` and from the loop (gradio_client's loop is just
    empty); the app's own ``gr.Error`` text comes through."""
    foo: Any = "foo"
    with calls.Client() as client:
        with pytest.raises(calls.GradioError):
            client.calculate(num1=foo, operation="add", num2=9)
        with pytest.raises(calls.GradioError):
            list(client.submit_calculate(num1=foo, operation="add", num2=4))
        with pytest.raises(calls.GradioError, match="Cannot divide by zero!"):
            client.calculate(num1=5, operation="divide", num2=0)
    assert list(official.submit("foo", "add", 4, api_name="/calculate")) == []
    assert js_calls["not_a_number"]["error"] == "GradioError"
    assert js_calls["divide_by_zero"] == {
        "error": "GradioError",
        "message": "Cannot divide by zero!",
    }


def test_timeouts_with_and_without_the_queue(calls: Any, official: Any, js_calls: Any) -> None:
    """test_timeout, test_timeout_no_queue: a result not there in time is a TimeoutError
    (ours: GradioTimeoutError, a TimeoutError); the job itself runs on."""
    with calls.Client() as client:
        queued = client.submit_sleep()
        with pytest.raises(TimeoutError):
            queued.result(timeout=0.05)
        direct = client.submit_sleep_no_queue()
        with pytest.raises(calls.GradioTimeoutError):
            direct.result(timeout=0.1)
        assert queued.result(timeout=30) == 2  # it ran on
    with pytest.raises(TimeoutError):
        official.submit(api_name="/sleep_no_queue").result(timeout=0.1)
    assert js_calls["timeout"]["error"] == "GradioTimeoutError"
    assert js_calls["timeout_no_queue"]["error"] == "GradioTimeoutError"


def test_video_output(calls: Any, official: Any, js_calls: Any, tmp_path: Path) -> None:
    """test_job_output_video: the video comes back as a file that downloads whole (ours
    downloads where the caller says; gradio_client into its temp folder)."""
    with calls.Client() as client:
        video = client.video()
        assert video["orig_name"] == "clip.mp4"
        assert client.download(video, tmp_path).read_bytes() == MP4
    assert Path(official.predict(api_name="/video")).read_bytes() == MP4
    assert js_calls["video"] == {"orig_name": "clip.mp4", "bytes": len(MP4)}


def test_upload_keeps_the_name_and_refuses_a_folder(
    calls: Any, official: Any, js_calls: Any, tmp_path: Path
) -> None:
    """test_upload_preserves_orig_name; test_does_not_upload_dir: a folder is no file (ours
    raises before sending anything), and a chatbot's empty text is no path."""
    from gradio_client import handle_file
    from PIL import Image

    image = tmp_path / "cheetah1.png"
    Image.new("RGB", (4, 4), (200, 10, 10)).save(image)
    with calls.Client() as client:
        assert client.image_name(image=str(image)) == "cheetah1.png"
        assert client.image_name(image=image.read_bytes()) == "file.png"
        with pytest.raises(FileNotFoundError, match="is not a file"):
            client.image_name(image=str(tmp_path))
        history: Any = [{"role": "user", "content": [{"text": "", "type": "text"}]}]
        said = client.respond(message="Hello", history=history)
    assert official.predict(handle_file(str(image)), api_name="/image_name") == "cheetah1.png"
    assert js_calls["image_name"] == {"value": "cheetah1.png"}

    def texts(history: Any) -> list[tuple[str, str]]:
        return [(m["role"], m["content"][0]["text"]) for m in history]

    assert said[0] == ""
    assert texts(said[1]) == [("user", ""), ("user", "Hello"), ("assistant", "I love you")]
    assert said == tuple(official.predict("Hello", history, api_name="/respond"))
    assert js_calls["respond"]["value"] == [said[0], said[1]]


def test_a_file_the_app_returned_goes_back_but_not_its_url(suite: Any, tmp_path: Path) -> None:
    """test_download_private_file: gradio_client downloads a URL input itself and uploads
    it; ours passes a URL to the app, which fetches it itself, so a URL only the caller can
    reach (here 127.0.0.1, which Gradio refuses to fetch) fails. A FileData the app
    returned goes back as it is (no download, no upload), and a downloaded copy uploads."""
    note = tmp_path / "lion.txt"
    note.write_text("roar")
    with suite.Client() as client:
        _, returned = client.file_io(files=[], file=str(note))
        _, again = client.file_io(files=[], file=returned)
        assert again["path"] == returned["path"]
        (tmp_path / "copy").mkdir()
        copy = client.download(returned, tmp_path / "copy")
        _, uploaded = client.file_io(files=[], file=str(copy))
        assert uploaded["orig_name"] == "lion.txt"
        assert client.download(uploaded, tmp_path / "back").read_text() == "roar"
        with pytest.raises(suite.GradioError):
            client.file_io(files=[], file=returned["url"])


def test_cancel_resets_the_next_jobs_state(suite: Any) -> None:
    """test_cancel_subsequent_jobs_state_reset: a cancelled generator keeps the outputs it
    had; the next job of the endpoint starts from scratch and runs to the end."""
    text = "abcdefefadsadfs"
    with suite.Client() as client:
        first = client.submit_spell(text=text)
        while len(first.outputs()) < 3:
            time.sleep(0.05)
        assert first.cancel()
        with pytest.raises(suite.JobCancelledError):
            first.result(timeout=10)
        assert 0 < len(first.outputs()) < len(text)
        assert first.status().stage == "cancelled"
        second = client.submit_spell(text="abcd")
        assert second.outputs() == []
        assert second.result(timeout=20) == "abcd"
        assert second.outputs() == ["a", "ab", "abc", "abcd"]
        assert second.status().stage == "finished"


def test_layout_outputs_are_not_results(calls: Any, official: Any, js_calls: Any) -> None:
    """test_return_layout_component: a group's visibility is no output; an endpoint with
    only that returns None (gradio_client: an empty tuple)."""
    with calls.Client() as client:
        assert client.greeting(name="Freddy") == "Hello Freddy"
        assert client.show_group() is None
    assert official.predict("Freddy", api_name="/greeting") == "Hello Freddy"
    assert official.predict(api_name="/show_group") == ()
    assert js_calls["greeting"] == {"value": "Hello Freddy"}
    assert js_calls["show_group"] == {}  # undefined


def test_long_response_with_info_and_a_big_payload(
    calls: Any, official: Any, js_calls: Any
) -> None:
    """test_long_response_time_with_gr_info_and_big_payload: a job that says gr.Info, waits
    across the stream's heartbeats (every second here) and returns 360,000 characters."""
    big = "\ta\nb" * 90000
    theirs: list[Any] = []
    other = threading.Thread(
        target=lambda: theirs.append(official.predict(api_name="/long_response"))
    )
    other.start()
    seen: list[str] = []
    with calls.Client() as client:
        job = client.submit_long_response(on_message=lambda m: seen.append(m.text))
        assert job.result() == big
        assert [m.text for m in job.messages] == ["Beginning long response", "Done!"]
    assert seen == ["Beginning long response", "Done!"]
    other.join(timeout=60)
    assert theirs == [big]
    assert js_calls["long"] == {
        "same": True,
        "length": len(big),
        "messages": ["Beginning long response", "Done!"],
    }


def test_text_that_broke_json_parsing_and_line_breaks(
    calls: Any, official: Any, js_calls: Any
) -> None:
    """test_json_parse_error, test_multiple_newlines_in_output: accents, a newline and a
    None; every Unicode line break and a lone CR inside an output."""
    with calls.Client() as client:
        assert client.bad_json() == (BONJOUR, None)
        assert client.line_breaks() == LINE_BREAKS
    assert official.predict(api_name="/bad_json")[0] == BONJOUR
    assert official.predict(api_name="/line_breaks") == LINE_BREAKS
    assert js_calls["bad_json"] == {"value": [BONJOUR, None]}
    assert js_calls["line_breaks"] == {"value": LINE_BREAKS}


def test_more_jobs_than_workers_all_complete(calls: Any, js_calls: Any) -> None:
    """test_more_jobs_than_workers_all_complete: six jobs at once, in threads and in tasks."""
    with calls.Client() as client:
        jobs = [client.submit_calculate(num1=i, operation="add", num2=1) for i in range(6)]
        assert [job.result(timeout=20) for job in jobs] == [1, 2, 3, 4, 5, 6]

    async def run() -> list[float]:
        async with calls.AsyncClient() as client:
            return list(
                await asyncio.gather(
                    *(client.calculate(num1=i, operation="add", num2=1) for i in range(6))
                )
            )

    assert asyncio.run(run()) == [1, 2, 3, 4, 5, 6]
    assert js_calls["six"] == [1, 2, 3, 4, 5, 6]


def test_default_and_missing_params(calls: Any, official: Any, js_calls: Any) -> None:
    """test_no_default_params, test_default_params, test_missing_params. Ours are typed
    methods: a default is the app's; a missing input is Python's own TypeError (and mypy's
    error) before any request; inputs after one with a default are keyword-only."""
    with calls.Client() as client:
        assert client.calculate(num1=3, operation="add", num2=3) == 6
        assert client.calculate(33, operation="add", num2=3) == 36
        assert client.calculate_defaults(operation="add", num2=10) == 20
        assert client.calculate_defaults(operation="multiply", num2=33) == 330
        missing: Any = client.greet
        with pytest.raises(TypeError, match="punctuation"):
            missing(name="Alice")
    assert official.predict(num2=10, operation="add", api_name="/calculate_defaults") == 20
    with pytest.raises(TypeError, match="punctuation"):
        official.predict(name="Alice", api_name="/greet")
    assert js_calls["defaults"] == {"value": 20}
    assert js_calls["multiply"] == {"value": 330}
    assert js_calls["missing"] == {
        "error": "TypeError",
        "message": '/greet needs input "punctuation" (position 1)',
    }
    assert js_calls["greet"] == {"value": "Hello Alice!"}


def test_chatbot_message_format(calls: Any, official: Any, js_calls: Any) -> None:
    """test_chatbot_message_format: the history comes back as messages with content parts."""
    with calls.Client() as client:
        _, history = client.chat(message="hello", history=[])
        assert history[1]["role"] == "assistant"
        assert history[1]["content"][0]["text"] in REPLIES
        _, history = client.chat(message="hi", history=history)
    assert [(m["role"], m["content"][0]["text"]) for m in history[2:]] == [
        ("user", "hi"),
        ("assistant", "I love you"),
    ]
    _, theirs = official.predict("hello", [], api_name="/chat")
    assert theirs == history[:2]
    assert js_calls["chat"] == history


def test_event_data_is_not_sent(calls: Any, official: Any, js_calls: Any) -> None:
    """test_client_forwards_event_data: gradio_client can send event data only through its
    private ``make_end_to_end_fn``; ours send none, so an endpoint that reads
    ``gr.EventData`` sees none (the README says so, and what to do instead)."""
    with calls.Client() as client:
        assert client.click() is None
    assert js_calls["click"] == {"value": None}
    endpoint = next(e for e in official.endpoints.values() if e.api_name == "/click")
    send = endpoint.make_end_to_end_fn(official.new_helper(endpoint.fn_index))
    assert send(event_data={"foo": "bar"}) == {"foo": "bar"}
