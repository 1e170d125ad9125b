"""gradio_client's own test suite, its apps re-expressed in ``apps/client_suite.py`` and
``apps/queue_full.py``, run against the generated Python and JavaScript clients.

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
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
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
    for app in ("client_suite", "queue_full"):
        generate(suite_apps.urls[app], out / app, Options(name=app), token=None)
        sys.path.insert(0, str(out / app / "python"))
    return out


@pytest.fixture(scope="module")
def suite(suite_out: Path) -> Any:
    return importlib.import_module("client_suite")


def run_js(suite_out: Path, js_tools: Path, scenario: str) -> Any:
    request = {
        "client": str(suite_out / "client_suite" / "js" / "index.js"),
        "queue": str(suite_out / "queue_full" / "js" / "index.js"),
        "scenario": scenario,
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


def test_cancel_a_queued_and_a_running_job(suite: Any) -> None:
    """test_cancel_from_client_queued: a running iterator stops, a queued job never runs."""
    with suite.Client() as client:
        running = client.submit_iterate()
        assert next(iter(running)) == 0
        assert running.cancel()
        with pytest.raises(suite.JobCancelledError):
            running.result(timeout=10)
        long = client.submit_long()
        assert long.cancel()
        with pytest.raises(suite.JobCancelledError):
            long.result(timeout=10)


def test_file_io(suite: Any, tmp_path: Path) -> None:
    """test_file_io: files in a list and alone come back as FileData."""
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("one")
    two.write_text("two")
    with suite.Client() as client:
        many, single = client.file_io(files=[str(one), str(two)], file=str(one))
        assert [f["orig_name"] for f in many] == ["one.txt", "two.txt"]
        assert single["orig_name"] == "one.txt"
        assert client.download(single, tmp_path / "out").read_text() == "one"


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
