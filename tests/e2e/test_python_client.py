"""The generated Python client against live apps, compared call by call with gradio_client."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from codegen.cli import main
from tests.conformance import annotations_of, conform

USAGE = Path(__file__).parent / "usage"


@pytest.fixture(scope="session")
def generated(live_apps: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generates each app's client from its live schema, with the real command line."""
    out = tmp_path_factory.mktemp("generated")
    for app, url in live_apps.items():
        result = CliRunner().invoke(main, [url, "-o", str(out / app), "--name", f"{app}_client"])
        assert result.exit_code == 0, result.output + result.stderr
        sys.path.insert(0, str(out / app / "python"))
    return out


@pytest.fixture(scope="session")
def clients(generated: Path) -> dict[str, Any]:
    return {app: importlib.import_module(f"{app}_client") for app in ("basics", "media", "chat")}


def normalize(value: Any) -> Any:
    """File results compare by content: server paths and URLs differ per upload."""
    if isinstance(value, dict) and isinstance(value.get("url"), str) and "path" in value:
        return ("file", hashlib.sha256(httpx.get(value["url"]).content).hexdigest())
    if isinstance(value, list | tuple):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    return value


def as_oracle_input(value: Any) -> Any:
    from gradio_client import handle_file

    if isinstance(value, Path):
        return handle_file(str(value))
    if isinstance(value, list):
        return [as_oracle_input(v) for v in value]
    return value


# (app, api_name, wire kwargs, generated method, python kwargs); a Path is a file input
CASES: list[tuple[str, str, dict[str, Any], str, dict[str, Any]]] = [
    ("basics", "greet", {"name": "Ada"}, "greet", {"name": "Ada"}),
    (
        "basics",
        "greet",
        {"name": "Ö'\"$(x)`", "intensity": 3, "shout": True},
        "greet",
        {"name": "Ö'\"$(x)`", "intensity": 3, "shout": True},
    ),
    (
        "basics",
        "calculate",
        {"a": 4, "operation": "divide", "b": 2},
        "calculate",
        {"a": 4, "operation": "divide", "b": 2},
    ),
    ("basics", "calculate", {}, "calculate", {}),
    ("basics", "pick", {}, "pick", {}),
    (
        "basics",
        "pick",
        {"single": "dog", "many": ["green", "blue"], "boxes": ["b", "c"], "count": 5},
        "pick",
        {"single": "dog", "many": ["green", "blue"], "boxes": ["b", "c"], "count": 5},
    ),
    ("basics", "class", {"self": "abc"}, "class_", {"self_": "abc"}),
    ("basics", "close", {}, "close_", {}),
    ("basics", "submit", {"text": "hello"}, "submit_", {"text": "hello"}),
    ("media", "image_info", {"image": "red"}, "image_info", {"image": "red"}),
    ("media", "audio_reverse", {"audio": "tone"}, "audio_reverse", {"audio": "tone"}),
    ("media", "file_upper", {"file": "note"}, "file_upper", {"file": "note"}),
    ("media", "files_count", {"files": ["note", "red"]}, "files_count", {"files": ["note", "red"]}),
    (
        "media",
        "json_echo",
        {"data": {"a": [1, 2.5, None], "b": "x"}},
        "json_echo",
        {"data": {"a": [1, 2.5, None], "b": "x"}},
    ),
    ("media", "table_sum", {}, "table_sum", {}),
    (
        "chat",
        "respond",
        {"message": "hi", "history": []},
        "respond",
        {"message": "hi", "history": []},
    ),
    ("chat", "count_up", {"n": 4}, "count_up", {"n": 4}),
    ("chat", "progress_words", {"text": "a b c"}, "progress_words", {"text": "a b c"}),
    ("chat", "slow_echo", {"text": "x"}, "slow_echo", {"text": "x"}),
    ("chat", "with_progress", {"steps": 2}, "with_progress", {"steps": 2}),
]


def with_files(kwargs: dict[str, Any], files: dict[str, Path], wrap: Any) -> dict[str, Any]:
    def conv(v: Any) -> Any:
        if isinstance(v, str) and v in files:
            return wrap(files[v])
        if isinstance(v, list) and v and all(isinstance(x, str) and x in files for x in v):
            return [wrap(files[x]) for x in v]
        return v

    return {k: conv(v) for k, v in kwargs.items()}


@pytest.mark.parametrize(("app", "api", "wire", "method", "py"), CASES)
def test_sync_and_async_match_gradio_client(
    clients: dict[str, Any],
    oracle: Any,
    files: dict[str, Path],
    app: str,
    api: str,
    wire: dict[str, Any],
    method: str,
    py: dict[str, Any],
) -> None:
    expected = oracle.predict(app, api, **with_files(wire, files, as_oracle_input))
    module = clients[app]
    sent = with_files(py, files, str)
    with module.Client() as client:
        got = getattr(client, method)(**sent)
    # what was sent and received is what the generated annotations say, at run time
    hints, check = annotations_of(module, method), conform(module)
    for name, value in sent.items():
        check(value, hints[name])
    check(got, hints["return"])

    async def run_async() -> Any:
        async with module.AsyncClient() as aclient:
            return await getattr(aclient, method)(**with_files(py, files, lambda p: p))

    got_async = asyncio.run(run_async())
    assert normalize(got) == normalize(expected)
    assert normalize(got_async) == normalize(expected)


@pytest.mark.parametrize(
    ("api", "message"), [("calculate", "Cannot divide by zero!"), ("fail", "boom")]
)
def test_app_errors_raise_gradio_error_with_the_apps_message(
    clients: dict[str, Any], oracle: Any, api: str, message: str
) -> None:
    kwargs = {"a": 1, "operation": "divide", "b": 0} if api == "calculate" else {"message": message}
    with pytest.raises(Exception) as official:
        oracle.predict("basics", api, **kwargs)
    with clients["basics"].Client() as client, pytest.raises(clients["basics"].GradioError) as ours:
        getattr(client, api)(**kwargs)
    assert ours.value.message == message
    assert message in str(official.value)

    async def run_async() -> None:
        async with clients["basics"].AsyncClient() as aclient:
            await getattr(aclient, api)(**kwargs)

    with pytest.raises(clients["basics"].GradioError, match=message):
        asyncio.run(run_async())


def test_a_client_is_one_session_like_gradio_client(clients: dict[str, Any], oracle: Any) -> None:
    official = oracle.fresh("chat")
    expected = [official.predict(api_name="/increment") for _ in range(3)]
    expected_words = [official.predict(w, api_name="/remember") for w in ("a", "b")]
    chat = clients["chat"]
    with chat.Client() as client:
        assert [client.increment() for _ in range(3)] == expected == [1, 2, 3]
        assert [client.remember(w) for w in ("a", "b")] == expected_words
        client.reset_session()
        assert client.increment() == 1
    with chat.Client() as other:
        assert other.increment() == 1

    async def run_async() -> tuple[list[float], list[str]]:
        async with chat.AsyncClient() as aclient:
            counts = [await aclient.increment() for _ in range(3)]
            words = [await aclient.remember(w) for w in ("a", "b")]
            return counts, words

    assert asyncio.run(run_async()) == (expected, expected_words)


def test_generator_outputs_arrive_one_by_one(clients: dict[str, Any], oracle: Any) -> None:
    official = oracle.fresh("chat").submit(4, api_name="/count_up")
    expected = list(official)
    with clients["chat"].Client() as client:
        job = client.submit_count_up(4)
        seen = list(job)
        assert seen == expected == ["0", "1", "2", "3"]
        assert job.result() == "3"
        assert job.status().stage == "finished"
        assert job.outputs() == seen

    async def run() -> list[Any]:
        async with clients["chat"].AsyncClient() as aclient:
            job = await aclient.submit_progress_words("a b c")
            return [out async for out in job]

    assert asyncio.run(run()) == [("a", 1), ("a b", 2), ("a b c", 3)]


def test_status_cancel_and_timeouts(clients: dict[str, Any]) -> None:
    chat = clients["chat"]
    with chat.Client() as client:
        job = client.submit_slow_echo("late")
        assert job.status().stage in ("pending", "queued", "processing")
        with pytest.raises(chat.GradioTimeoutError):
            job.result(timeout=0.2)
        assert job.result(timeout=10) == "late"
        job = client.submit_slow_echo("never")
        assert job.cancel()
        with pytest.raises(chat.JobCancelledError):
            job.result(timeout=10)
        with pytest.raises(chat.GradioTimeoutError):
            client.slow_echo("x", timeout=0.3)


def test_status_reports_queue_rank_and_progress(clients: dict[str, Any]) -> None:
    chat = clients["chat"]
    with chat.Client() as client:
        job = client.submit_with_progress(5)
        seen = []
        while not job.done():
            seen.append(job.status())
            time.sleep(0.05)
        assert job.result() == "done 5"
        steps = [s.progress[0] for s in seen if s.progress]
        assert steps and all(p.length == 5 and p.desc == "working" for p in steps)
        assert [p.index for p in steps] == sorted(p.index for p in steps)
        # the endpoint runs one job at a time: the second waits in the queue
        first, second = client.submit_slow_echo("a"), client.submit_slow_echo("b")
        time.sleep(0.5)
        queued = second.status()
        assert queued.stage == "queued" and queued.rank is not None and queued.queue_size
        assert queued.queue_size > queued.rank >= 0  # other tests may have jobs queued too
        assert (first.result(), second.result()) == ("a", "b")
        assert second.status().stage == "finished"


def test_file_inputs_take_returned_files_bytes_and_urls(
    clients: dict[str, Any], oracle: Any, files: dict[str, Path]
) -> None:
    from gradio_client import handle_file

    media = clients["media"]
    with media.Client() as client:
        image, size = client.image_info(files["red"])
        assert size == "5x3"
        assert client.image_info(image)[1] == "5x3"  # a FileData the app returned
        assert client.image_info(files["red"].read_bytes())[1] == "5x3"  # raw bytes
        # A URL is passed on for the server to fetch, as gradio_client does; Gradio's SSRF
        # guard refuses loopback hosts, so here both clients get the same refusal.
        with pytest.raises(Exception, match="error"):
            oracle.predict("media", "image_info", image=handle_file(image["url"]))
        with pytest.raises(media.GradioError):
            client.image_info(image["url"])


def test_threads_share_one_client(clients: dict[str, Any]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with clients["basics"].Client() as client, ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: client.greet(f"t{i}"), range(24)))
    assert results == [f"Hello, t{i}!!" for i in range(24)]


def test_construction_makes_no_request(clients: dict[str, Any]) -> None:
    calls: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(500))
    client = clients["basics"].Client(http_client=httpx.Client(transport=transport), token="hf_x")
    assert calls == []
    assert "hf_x" not in repr(client)


def test_headers_and_token_reach_the_server(
    clients: dict[str, Any], live_apps: dict[str, str]
) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [seen.append]})
    with clients["basics"].Client(token="hf_secret", headers={"x-a": "1"}, http_client=http) as c:
        assert c.greet("Ada", headers={"x-ip-token": "zero"}) == "Hello, Ada!!"
        c.greet("Bo")
    posts = [r for r in seen if r.method == "POST"]
    assert posts[0].headers["x-hf-authorization"] == "Bearer hf_secret"
    assert "authorization" not in posts[0].headers
    assert posts[0].headers["x-ip-token"] == "zero" and posts[0].headers["x-a"] == "1"
    assert "x-ip-token" not in posts[1].headers


def test_download_saves_the_file_output(
    clients: dict[str, Any], files: dict[str, Path], tmp_path: Path
) -> None:
    with clients["media"].Client() as client:
        out = client.file_upper(files["note"])
        saved = client.download(out, tmp_path / "dl" / "")
    assert saved.read_text() == "HELLO UPLOAD\n"


def test_generated_packages_pass_mypy_strict_with_a_typed_usage_file(generated: Path) -> None:
    paths = [str(generated / app / "python") for app in ("basics", "media", "chat")]
    env = {"MYPYPATH": ":".join(paths), "PATH": "/usr/bin:/bin"}
    packages = [
        str(generated / app / "python" / f"{app}_client") for app in ("basics", "media", "chat")
    ]
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            *packages,
            str(USAGE / "typed_usage.py"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    wrong = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            str(USAGE / "wrong_usage.py"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    # each line of wrong_usage.py marked "# wrong" must be reported: the types are not Any
    marked = [
        i
        for i, line in enumerate((USAGE / "wrong_usage.py").read_text().splitlines(), 1)
        if line.rstrip().endswith("# wrong")
    ]
    reported = {int(line.split(":")[1]) for line in wrong.stdout.splitlines() if ": error:" in line}
    assert marked and set(marked) <= reported, wrong.stdout


def test_generated_package_installs_with_pip(generated: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--target",
            str(target),
            str(generated / "basics" / "python"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (target / "basics_client" / "py.typed").exists()


def test_client_from_saved_schema_without_config_finds_state_slots(
    live_apps: dict[str, str], tmp_path: Path
) -> None:
    """Saved openapi.json + info.json only: the client reads /config once to skip State."""
    saved = tmp_path / "saved"
    saved.mkdir()
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "openapi" / "e2e_chat"
    for name in ("openapi.json", "info.json"):
        (saved / name).write_bytes((fixture / name).read_bytes())
    out = tmp_path / "out"
    args = [str(saved / "openapi.json"), "-o", str(out), "--name", "chat_offline"]
    result = CliRunner().invoke(main, [*args, "--base-url", live_apps["chat"]])
    assert result.exit_code == 0, result.output + result.stderr
    sys.path.insert(0, str(out / "python"))
    module = importlib.import_module("chat_offline")
    assert "outputs=None" in (out / "python" / "chat_offline" / "client.py").read_text()
    with module.Client() as client:
        assert [client.increment(), client.increment()] == [1, 2]
        assert client.remember("x") == "x"


def test_reset_session_leaves_pending_jobs_in_their_session(clients: dict[str, Any]) -> None:
    chat = clients["chat"]
    with chat.Client() as client:
        assert client.increment() == 1
        job = client.submit_slow_echo("hi")
        client.reset_session()
        started = time.monotonic()
        assert job.result(timeout=10) == "hi"
        assert time.monotonic() - started < 5
        assert client.increment() == 1  # the new session starts over


def test_cancelling_a_queued_job_leaves_the_running_one_alone(clients: dict[str, Any]) -> None:
    chat = clients["chat"]
    with chat.Client() as client:
        running, queued = client.submit_slow_echo("a"), client.submit_slow_echo("b")
        give_up = time.monotonic() + 5
        while queued.status().stage != "queued" and time.monotonic() < give_up:
            time.sleep(0.05)
        assert queued.status().stage == "queued" and running.status().stage == "processing"
        assert queued.cancel()
        with pytest.raises(chat.JobCancelledError):
            queued.result(timeout=10)
        assert running.result(timeout=10) == "a"


def test_async_client_survives_several_event_loops(clients: dict[str, Any]) -> None:
    chat = clients["chat"]
    client = chat.AsyncClient()
    counts = [asyncio.run(client.increment()) for _ in range(3)]
    assert counts == [1, 2, 3]  # one session across the loops

    async def late_result() -> str:
        job = await client.submit_slow_echo("late", timeout=2)
        await asyncio.sleep(2.5)  # done before we ask, though past its deadline
        return await job.result()

    assert asyncio.run(late_result()) == "late"
    asyncio.run(client.aclose())


def test_call_reaches_every_endpoint_by_name_and_checks_what_it_is_given(
    clients: dict[str, Any], oracle: Any, files: dict[str, Path]
) -> None:
    """``client.call("/name", ...)``, the untyped escape hatch: the same results as the typed
    methods (and gradio_client) for every case, by the app's input names; what does not fit
    the app's endpoints is a TypeError before any request."""
    for app, api, wire, _, _ in CASES:
        expected = oracle.predict(app, api, **with_files(wire, files, as_oracle_input))
        with clients[app].Client() as client:
            got = client.call(f"/{api}", **with_files(wire, files, str))
        assert normalize(got) == normalize(expected), (app, api)
    with clients["basics"].Client() as client:
        assert client.call("greet", "Ada", intensity=3) == client.greet("Ada", intensity=3)
        assert client.call("/class", self="abc") == client.class_(self_="abc")  # either name
        for args, kwargs, words in [
            (("/nope",), {}, "no endpoint '/nope'; it has '/calculate'"),
            (("/greet",), {"nosuch": 1}, "nosuch"),
            (("/greet",), {}, "name"),
            (("/greet", "a", "b", "c", "d"), {}, "positional"),
        ]:
            with pytest.raises(TypeError, match=words):
                client.call(*args, **kwargs)

    async def run_async() -> Any:
        async with clients["chat"].AsyncClient() as aclient:
            return await aclient.call("/increment"), await aclient.call("/increment")

    assert asyncio.run(run_async()) == (1, 2)  # one session, as the typed methods keep it
