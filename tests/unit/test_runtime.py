"""The static runtime copied into generated packages: job state, SSE, uploads, one HTTP flow."""

from __future__ import annotations

import base64
import json
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from codegen.runtime import RUNTIME_DIR, RUNTIME_FILES, gradio_runtime
from codegen.runtime.gradio_runtime import (
    FILE_META,
    AuthenticationError,
    EndpointSpec,
    GradioClientError,
    GradioConnectionError,
    GradioError,
    HTTPStatusError,
    JobCancelledError,
    LimitExceededError,
    ProtocolError,
    SyncRuntime,
    as_tuple,
    first,
    fn_index,
    iter_sse,
    sse_lines,
    state_inputs,
    visible_outputs,
)
from codegen.runtime.gradio_runtime._config import _Config
from codegen.runtime.gradio_runtime._files import _file_url, _sniff_suffix, _Uploads
from codegen.runtime.gradio_runtime._protocol import _JobState, _pick, _unquote
from codegen.runtime.gradio_runtime._transport import _OneShot, _Router

BASE = "http://app.test"
SPEC_X = EndpointSpec("x", outputs=(0,), file_specs=(None,))


def test_the_shipped_files_are_this_package() -> None:
    modules = {m.name for m in pkgutil.iter_modules(gradio_runtime.__path__)}
    assert [p.stem for p in RUNTIME_FILES] == sorted({"__init__", *modules})
    assert all(p.parent == RUNTIME_DIR for p in RUNTIME_FILES)


def test_the_copies_work_as_another_package_s_subpackage(tmp_path: Path) -> None:
    """The modules import each other relatively, so ``pkg/_runtime/`` needs nothing of ours."""
    copy = tmp_path / "pkg" / "_runtime"
    copy.mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    for path in RUNTIME_FILES:
        (copy / path.name).write_bytes(path.read_bytes())
    program = "import pkg._runtime as r, sys; print(r.Job.__module__, 'codegen' in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert shown.stdout.split() == ["pkg._runtime._jobs", "False"]


# -- _JobState ---------------------------------------------------------------------------------


def _run(*msgs: dict[str, Any]) -> _JobState:
    state = _JobState("x")
    for m in msgs:
        state.apply(m)
    return state


def test_initial_state() -> None:
    state = _JobState("x")
    assert state.status.stage == "pending"
    assert not state.done


def test_estimation_then_queued() -> None:
    state = _run({"msg": "estimation", "rank": 2, "queue_size": 5, "rank_eta": 1.5})
    assert state.status.stage == "queued"
    assert (state.status.rank, state.status.queue_size, state.status.eta) == (2, 5, 1.5)
    assert not state.done


def test_process_starts_then_progress() -> None:
    state = _run(
        {"msg": "estimation", "rank": 0, "queue_size": 1},
        {"msg": "process_starts", "eta": 3.0},
    )
    assert state.status.stage == "processing" and state.status.eta == 3.0
    state.apply(
        {
            "msg": "progress",
            "progress_data": [
                {"index": 1, "length": 4, "unit": "steps", "progress": None, "desc": "denoise"},
                {"index": None, "length": None, "unit": "it", "progress": 0.5, "desc": None},
            ],
        }
    )
    st = state.status
    assert st.stage == "processing"
    assert st.eta == 3.0  # kept from process_starts
    assert len(st.progress) == 2
    assert (st.progress[0].index, st.progress[0].length, st.progress[0].unit) == (1, 4, "steps")
    assert st.progress[0].desc == "denoise"
    assert st.progress[1].progress == 0.5


def test_generating_appends_outputs_then_completes() -> None:
    state = _run(
        {"msg": "process_starts"},
        {"msg": "process_generating", "output": {"data": ["a"]}, "success": True},
        {"msg": "process_generating", "output": {"data": ["ab"]}, "success": True},
    )
    assert state.outputs == [["a"], ["ab"]]
    assert state.status.stage == "iterating"
    assert not state.done
    state.apply({"msg": "process_completed", "output": {"data": ["abc"]}, "success": True})
    assert state.done and state.result == ["abc"]
    assert state.status.stage == "finished" and state.status.success is True
    assert state.error is None


def test_completed_success() -> None:
    state = _run({"msg": "process_completed", "output": {"data": ["ok", 1]}, "success": True})
    assert state.result == ["ok", 1]
    assert state.done


def test_completed_failure_carries_app_message_and_title() -> None:
    state = _run(
        {
            "msg": "process_completed",
            "output": {"error": "Bad input: x < 0", "title": "Oops"},
            "success": False,
        }
    )
    assert state.done and state.result is None
    assert isinstance(state.error, GradioError)
    assert state.error.message == "Bad input: x < 0"
    assert state.error.title == "Oops"
    assert state.status.stage == "failed" and state.status.success is False


def test_completed_failure_without_message() -> None:
    state = _run({"msg": "process_completed", "output": {"error": None}, "success": False})
    assert isinstance(state.error, GradioError)
    assert state.error.message  # a generic, non-empty message
    assert state.error.title is None


def test_generating_failure_is_an_error() -> None:
    state = _run({"msg": "process_generating", "output": {"error": "boom"}, "success": False})
    assert isinstance(state.error, GradioError) and state.error.message == "boom"
    assert state.outputs == []


def test_unexpected_error() -> None:
    state = _run({"msg": "unexpected_error", "message": "server exploded", "success": False})
    assert isinstance(state.error, GradioError)
    assert "server exploded" in str(state.error)
    assert state.status.stage == "failed"


def test_cancelled_job() -> None:
    state = _JobState("x")
    state.cancel_requested = True
    # what gradio's /cancel makes the stream say: success, and no data
    state.apply({"msg": "process_completed", "output": {}, "success": True})
    assert isinstance(state.error, JobCancelledError)
    assert state.status.stage == "cancelled"


def test_an_app_error_after_a_cancel_request_stays_an_app_error() -> None:
    state = _JobState("x")
    state.cancel_requested = True
    state.apply({"msg": "process_completed", "output": {"error": "boom"}, "success": False})
    assert isinstance(state.error, GradioError) and state.error.message == "boom"


def test_first_outcome_wins() -> None:
    state = _run(
        {"msg": "process_completed", "output": {"data": [1]}, "success": True},
    )
    state.fail(GradioConnectionError("late"))
    assert state.error is None and state.result == [1]


def test_unknown_messages_are_ignored() -> None:
    state = _run({"msg": "heartbeat"}, {"msg": "log", "log": "x"}, {})
    assert state.status.stage == "pending" and not state.done


# -- iter_sse ----------------------------------------------------------------------------------


def test_iter_sse() -> None:
    lines = [
        'data: {"msg": "estimation", "rank": 0}',
        "",
        ": a comment",
        "event: message",
        'data:{"msg":"heartbeat"}',
        "data: [1, 2]",  # not an object: skipped
        'data: {"msg": "process_completed", "output": {"data": ["é\\n"]}}',
    ]
    msgs = list(iter_sse(lines))
    assert [m["msg"] for m in msgs] == ["estimation", "heartbeat", "process_completed"]
    assert msgs[2]["output"]["data"] == ["é\n"]


def test_iter_sse_bad_json_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        list(iter_sse(["data: {oops"]))
    with pytest.raises(ProtocolError):  # past the recursion limit: not a RecursionError
        list(iter_sse(["data: " + "[" * 100_000 + "]" * 100_000]))


# every character str.splitlines() (so httpx's iter_lines) breaks at, but an event stream not
BREAKERS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("size", [1, 2, 3, 7, 4096])
def test_sse_lines_end_only_at_cr_lf(end: str, size: int) -> None:
    text = f"a{BREAKERS}b"
    stream = "".join(f"data: {text}{i}{end}{end}" for i in range(3)).encode()
    chunks = [stream[i : i + size] for i in range(0, len(stream), size)]
    expected = [line for i in range(3) for line in (f"data: {text}{i}", "")]
    assert list(sse_lines(chunks)) == expected
    # as JSON, where the C0 ones are escapes and U+0085, U+2028, U+2029 stay raw
    stream = "".join(
        f"data: {json.dumps({'t': text + str(i)}, ensure_ascii=False)}{end}{end}" for i in range(3)
    ).encode()
    chunks = [stream[i : i + size] for i in range(0, len(stream), size)]
    assert [m["t"] for m in iter_sse(sse_lines(chunks))] == [f"{text}{i}" for i in range(3)]


def test_sse_lines_bound_a_line() -> None:
    with pytest.raises(LimitExceededError):
        list(sse_lines([b"data: " + b"x" * 100] * 10, limit=500))
    assert list(sse_lines([b"x" * 100 + b"\n"] * 10, limit=500)) == ["x" * 100] * 10


# -- uploads -----------------------------------------------------------------------------------


def test_prepare_local_path_records_a_slot(tmp_path: Path) -> None:
    f = tmp_path / "photo.jpg"
    f.write_bytes(b"\xff\xd8\xff data")
    uploads = _Uploads()
    value = uploads.prepare(str(f), "file")
    assert value == {"orig_name": "photo.jpg", "meta": FILE_META}
    assert uploads.files == [("photo.jpg", f)]
    assert uploads.slots == [value]
    assert uploads.multipart() == [("files", ("photo.jpg", b"\xff\xd8\xff data"))]
    uploads.fill(["/tmp/gradio/abc/photo.jpg"])
    assert value["path"] == "/tmp/gradio/abc/photo.jpg"


def test_prepare_pathlike(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("hi", encoding="utf-8")
    uploads = _Uploads()
    assert uploads.prepare(f, "file")["orig_name"] == "a.txt"
    assert len(uploads.files) == 1


def test_prepare_url_is_not_uploaded() -> None:
    uploads = _Uploads()
    url = "https://example.com/img/cat.png?x=1"
    value = uploads.prepare(url, "file")
    assert value["url"] == url and value["path"] == url
    assert value["orig_name"] == "cat.png"
    assert value["meta"] == FILE_META
    assert uploads.files == [] and uploads.slots == []


def test_prepare_existing_file_data_passes_through() -> None:
    uploads = _Uploads()
    fd = {"path": "/tmp/gradio/x.wav", "url": "http://app/x.wav", "orig_name": "x.wav"}
    value = uploads.prepare(fd, "file")
    assert value == {**fd, "meta": FILE_META}
    assert fd.get("meta") is None  # the caller's dict is not mutated
    assert uploads.files == []


def test_prepare_bytes_sniffs_png() -> None:
    uploads = _Uploads()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    value = uploads.prepare(png, "file")
    assert value["orig_name"] == "file.png"
    assert uploads.files == [("file.png", png)]


@pytest.mark.parametrize(
    ("head", "suffix"),
    [
        (b"\xff\xd8\xff\xe0", ".jpg"),
        (b"GIF89a", ".gif"),
        (b"%PDF-1.7", ".pdf"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", ".wav"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", ".webp"),
        (b"\x00\x00\x00\x18ftypmp42", ".mp4"),
        (b"plain text", ""),
        (b"", ""),
    ],
)
def test_sniff_suffix(head: bytes, suffix: str) -> None:
    assert _sniff_suffix(head) == suffix


def test_prepare_nested_list(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("a", encoding="utf-8")
    b.write_text("b", encoding="utf-8")
    uploads = _Uploads()
    value = uploads.prepare([str(a), "https://x.test/c.txt", str(b)], ["list", "file"])
    assert [v["orig_name"] for v in value] == ["a.txt", "c.txt", "b.txt"]
    assert [name for name, _ in uploads.files] == ["a.txt", "b.txt"]
    uploads.fill(["/srv/a", "/srv/b"])
    assert value[0]["path"] == "/srv/a" and value[2]["path"] == "/srv/b"
    assert value[1]["path"] == "https://x.test/c.txt"


def test_prepare_fields_tuple_and_values(tmp_path: Path) -> None:
    f = tmp_path / "f.bin"
    f.write_bytes(b"1")
    uploads = _Uploads()
    msg = uploads.prepare(
        {"text": "hi", "files": [str(f)]}, ["fields", {"files": ["list", "file"]}]
    )
    assert msg["text"] == "hi" and msg["files"][0]["orig_name"] == "f.bin"
    pair = uploads.prepare([str(f), "caption"], ["tuple", ["file", None]])
    assert pair[1] == "caption" and pair[0]["orig_name"] == "f.bin"
    mapping = uploads.prepare({"k": str(f)}, ["values", "file"])
    assert mapping["k"]["orig_name"] == "f.bin"
    assert len(uploads.files) == 3


def test_prepare_without_spec_or_value_is_identity() -> None:
    uploads = _Uploads()
    assert uploads.prepare("/not/a/file", None) == "/not/a/file"
    assert uploads.prepare(None, "file") is None
    assert uploads.files == []


def test_prepare_missing_local_file() -> None:
    with pytest.raises(FileNotFoundError):
        _Uploads().prepare("/definitely/not/here.png", "file")


def test_prepare_unsendable_value() -> None:
    with pytest.raises(TypeError):
        _Uploads().prepare(3.5, "file")


def test_fill_count_mismatch() -> None:
    uploads = _Uploads()
    uploads.prepare(b"x", "file")
    with pytest.raises(Exception, match="1 files"):
        uploads.fill([])


def test_pick_makes_the_fixed_length_arrays_the_spec_marks_tuples() -> None:
    pair = ["tuple", [None, None]]
    tuples = (pair, ["list", ["fields", {"box": pair}]], None)
    data = [[1.0, 2.0], [{"box": [1, 2], "label": "a"}, {"box": [1, 2, 3]}], [5, 6]]
    assert _pick(None, data, tuples) == [
        (1.0, 2.0),
        [{"box": (1, 2), "label": "a"}, {"box": [1, 2, 3]}],
        [5, 6],
    ]
    assert type(_pick((1,), ["state", [3, 4]], (pair,))[0]) is tuple


def test_pick_and_first() -> None:
    assert _pick((0, 2), ["a", "state", "b"]) == ["a", "b"]
    assert _pick((0, 2), ["a"]) == ["a", None]
    assert _pick(None, ["a", "b"]) == ["a", "b"]
    assert first([]) is None


APP_CONFIG = {
    "components": [{"id": 1, "skip_api": True}, {"id": 2}, {"id": 3}, "junk"],
    "dependencies": [
        {"id": 7, "api_name": "other", "outputs": [2]},
        {"api_name": "/count", "outputs": [1, 2, 3]},
        "junk",
    ],
}


def test_config_helpers_find_visible_outputs_and_fn_index() -> None:
    assert visible_outputs(APP_CONFIG, "count") == (1, 2)
    assert visible_outputs(APP_CONFIG, "missing") is None
    assert fn_index(APP_CONFIG, "other") == 7
    assert fn_index(APP_CONFIG, "count") == 1  # no id: its index
    assert fn_index({"dependencies": "not a list"}, "count") is None


# -- file urls ---------------------------------------------------------------------------------


def _config() -> _Config:
    return _Config(BASE + "/", "", "/gradio_api", "queue", None, None, 5.0)


def test_file_url_rules() -> None:
    c = _config()
    assert _file_url(c, {"path": "/tmp/g/b.png"}) == (
        f"{BASE}/gradio_api/file=/tmp/g/b.png",
        "b.png",
    )
    assert _file_url(c, {"path": "x", "url": "https://cdn.test/f.png", "orig_name": "o.png"}) == (
        "https://cdn.test/f.png",
        "o.png",
    )
    assert _file_url(c, "/gradio_api/file=/tmp/z.wav") == (
        f"{BASE}/gradio_api/file=/tmp/z.wav",
        "z.wav",
    )
    # a hostile orig_name cannot steer the download outside its folder
    assert _file_url(c, {"path": "x", "orig_name": "../../etc/evil.txt"})[1] == "evil.txt"
    assert _file_url(c, "https://h.test/dir/")[1] == "download"


def test_file_url_never_names_a_parent_folder() -> None:
    c = _config()
    for file in ({"path": "x", "orig_name": ".."}, {"path": "a/.."}, "https://h.test/a/.."):
        assert _file_url(c, file)[1] not in ("", ".", "..")


# -- SyncRuntime over respx ----------------------------------------------------------------


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        yield mock


def _runtime(token: str | None = None) -> SyncRuntime:
    return SyncRuntime(
        None,
        default_base_url=BASE,
        api_prefix="/gradio_api",
        token=token,
        headers=None,
        timeout=5.0,
    )


def _sse(*msgs: dict[str, Any]) -> bytes:
    return b"".join(b"data: " + json.dumps(m).encode() + b"\n\n" for m in msgs)


def test_sync_submit_result(router: respx.MockRouter) -> None:
    call = router.post(f"{BASE}/gradio_api/call/x").mock(
        return_value=httpx.Response(200, json={"event_id": "e1"})
    )
    stream = router.get(f"{BASE}/gradio_api/queue/data").mock(
        return_value=httpx.Response(
            200,
            content=_sse(
                {"msg": "estimation", "event_id": "e1", "rank": 0, "queue_size": 1},
                {"msg": "process_starts", "event_id": "e1"},
                {
                    "msg": "process_completed",
                    "event_id": "e1",
                    "output": {"data": ["ok"]},
                    "success": True,
                },
                {"msg": "close_stream"},
            ),
            headers={"content-type": "text/event-stream"},
        )
    )
    rt = _runtime(token="hf_tok")
    try:
        spec = EndpointSpec("x", outputs=(0,), file_specs=(None,))
        job = rt._submit(spec, ["hello"], first, None, 5.0)
        assert job.event_id == "e1"
        assert job.result() == "ok"
        assert job.status().stage == "finished" and job.done()
    finally:
        rt.close()
    body = json.loads(call.calls.last.request.content)
    assert body == {"data": ["hello"], "session_hash": rt.session_hash}
    assert call.calls.last.request.headers["x-hf-authorization"] == "Bearer hf_tok"
    assert "Authorization" not in call.calls.last.request.headers
    assert stream.called
    params = stream.calls.last.request.url.params
    assert params["session_hash"] == rt.session_hash


def test_sync_app_error_is_raised(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(
        return_value=httpx.Response(200, json={"event_id": "e9"})
    )
    router.get(f"{BASE}/gradio_api/queue/data").mock(
        return_value=httpx.Response(
            200,
            content=_sse(
                {
                    "msg": "process_completed",
                    "event_id": "e9",
                    "output": {"error": "nope", "title": "Invalid"},
                    "success": False,
                },
                {"msg": "close_stream"},
            ),
        )
    )
    rt = _runtime()
    try:
        job = rt._submit(SPEC_X, [1], first, None, 5.0)
        with pytest.raises(GradioError) as exc:
            job.result()
    finally:
        rt.close()
    assert exc.value.message == "nope" and exc.value.title == "Invalid"


@pytest.mark.parametrize("status", [401, 403])
def test_sync_auth_error_hides_token(router: respx.MockRouter, status: int) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(
        return_value=httpx.Response(status, text="Unauthorized")
    )
    secret = "hf_SECRET_value_123"
    rt = _runtime(token=secret)
    try:
        with pytest.raises(AuthenticationError) as exc:
            rt._submit(SPEC_X, [1], first, None, 5.0)
    finally:
        rt.close()
    assert exc.value.status_code == status
    assert secret not in str(exc.value)
    assert secret not in repr(rt)
    assert "HF_TOKEN" in str(exc.value)


def test_sync_other_http_error(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(return_value=httpx.Response(500, text="down"))
    rt = _runtime()
    try:
        with pytest.raises(HTTPStatusError) as exc:
            rt._submit(SPEC_X, [1], first, None, 5.0)
    finally:
        rt.close()
    assert exc.value.status_code == 500
    assert not isinstance(exc.value, AuthenticationError)


def test_sync_connection_error(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(side_effect=httpx.ConnectError("refused"))
    rt = _runtime()
    try:
        with pytest.raises(GradioConnectionError):
            rt._submit(SPEC_X, [1], first, None, 5.0)
    finally:
        rt.close()


def test_base_url_required_for_file_generated_clients() -> None:
    with pytest.raises(ValueError, match="base_url"):
        SyncRuntime(
            None,
            default_base_url="",
            api_prefix="/gradio_api",
            token=None,
            headers=None,
            timeout=1.0,
        )


def test_spec_without_file_specs_still_sends_data(router: respx.MockRouter) -> None:
    call = router.post(f"{BASE}/gradio_api/call/x").mock(
        return_value=httpx.Response(200, json={"event_id": "e2"})
    )
    router.get(f"{BASE}/gradio_api/queue/data").mock(
        return_value=httpx.Response(
            200,
            content=_sse(
                {
                    "msg": "process_completed",
                    "event_id": "e2",
                    "output": {"data": [1]},
                    "success": True,
                },
                {"msg": "close_stream"},
            ),
        )
    )
    rt = _runtime()
    try:
        rt._submit(EndpointSpec("x", outputs=(0,)), ["a", 2], first, None, 5.0).result()
    finally:
        rt.close()
    assert json.loads(call.calls.last.request.content)["data"] == ["a", 2]


def test_unknown_output_positions_are_read_from_config_once(router: respx.MockRouter) -> None:
    """A client generated without /config learns the hidden State slots from the app."""
    config = router.get(f"{BASE}/config").mock(return_value=httpx.Response(200, json=APP_CONFIG))
    router.post(f"{BASE}/gradio_api/call/count").mock(
        side_effect=[
            httpx.Response(200, json={"event_id": "e1"}),
            httpx.Response(200, json={"event_id": "e2"}),
        ]
    )
    done = {"msg": "process_completed", "output": {"data": [None, 1, "x"]}, "success": True}
    router.get(f"{BASE}/gradio_api/queue/data").mock(
        side_effect=[
            httpx.Response(200, content=_sse({**done, "event_id": "e1"}, {"msg": "close_stream"})),
            httpx.Response(200, content=_sse({**done, "event_id": "e2"}, {"msg": "close_stream"})),
        ]
    )
    rt = _runtime()
    try:
        spec = EndpointSpec("count", outputs=None, file_specs=())
        assert rt._submit(spec, [], as_tuple, None, 5.0).result() == (1, "x")
        assert rt._submit(spec, [], as_tuple, None, 5.0).result() == (1, "x")
    finally:
        rt.close()
    assert config.call_count == 1


def test_a_reader_that_breaks_fails_its_jobs_and_the_next_call_gets_a_new_one(
    router: respx.MockRouter,
) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(
        side_effect=[
            httpx.Response(200, json={"event_id": "e1"}),
            httpx.Response(200, json={"event_id": "e2"}),
        ]
    )
    done = {"msg": "process_completed", "event_id": "e2", "output": {"data": ["ok"]}}
    stream = router.get(f"{BASE}/gradio_api/queue/data").mock(
        side_effect=[
            RuntimeError("a bug in a transport"),
            httpx.Response(200, content=_sse({**done, "success": True}, {"msg": "close_stream"})),
        ]
    )
    rt = _runtime()
    try:
        with pytest.raises(GradioConnectionError):
            rt._submit(SPEC_X, ["a"], first, None, 5.0).result()
        assert rt._submit(SPEC_X, ["b"], first, None, 5.0).result() == "ok"
    finally:
        rt.close()
    assert stream.call_count == 2


def test_malformed_messages_do_not_break_the_job() -> None:
    state = _run(
        {"msg": "estimation", "rank": "first", "queue_size": None},
        {"msg": "progress", "progress_data": [None, {"index": "x", "desc": 3}]},
        {"msg": "process_generating", "output": "not a dict", "success": True},
        {"msg": "process_completed", "output": {"data": "nope"}, "success": True},
    )
    assert state.status.rank is None and state.outputs == [[]] and state.result == []


def test_download_sends_the_token_to_the_app_only(router: respx.MockRouter, tmp_path: Path) -> None:
    own = router.get(f"{BASE}/gradio_api/file=/tmp/a%20b.txt").mock(
        return_value=httpx.Response(200, content=b"mine")
    )
    other = router.get("https://cdn.example/x.txt").mock(
        return_value=httpx.Response(200, content=b"theirs")
    )
    rt = _runtime(token="hf_tok")
    try:
        mine = rt.download({"path": "/tmp/a b.txt"}, tmp_path / "")
        theirs = rt.download("https://cdn.example/x.txt?sig=1", tmp_path / "")
    finally:
        rt.close()
    assert mine.read_bytes() == b"mine" and mine.name == "a b.txt"
    assert theirs.read_bytes() == b"theirs" and theirs.name == "x.txt"
    assert own.calls.last.request.headers["x-hf-authorization"] == "Bearer hf_tok"
    assert "Authorization" not in own.calls.last.request.headers
    assert "x-hf-authorization" not in other.calls.last.request.headers


def test_calls_after_close_raise_a_client_error(router: respx.MockRouter) -> None:
    rt = _runtime()
    rt.http  # noqa: B018  (opens the pool)
    rt.close()
    with pytest.raises(GradioClientError, match="closed"):
        rt._submit(SPEC_X, ["a"], first, None, 5.0)


# -- protocols: hidden inputs, 4.x repairs, 3.x one-shot calls ----------------------------------

V3_CONFIG = {
    "components": [{"id": 1, "type": "state"}, {"id": 2, "type": "number"}, {"id": 3}],
    "dependencies": [{"api_name": None, "inputs": [2, 1], "outputs": [1, 3]}],
}


def _legacy() -> _Config:
    return _Config(BASE, "", "", "oneshot", None, None, 5.0)


def test_hidden_inputs_are_sent_as_null_in_their_slots() -> None:
    c = _config()
    spec = EndpointSpec("x", outputs=(0,), state_inputs=(0, 2))
    assert c.wire_data(spec, ["a", "b"]) == [None, "a", None, "b"]
    assert c.call(spec, ["a", "b"], "h") == (
        f"{BASE}/gradio_api/call/x",
        {"data": [None, "a", None, "b"], "session_hash": "h"},
    )
    unknown = EndpointSpec("count", outputs=None, state_inputs=None)
    assert c.needs_app_config(unknown)
    c.app_config = APP_CONFIG  # no inputs listed: nothing to fill
    assert not c.needs_app_config(unknown) and c.wire_data(unknown, [1]) == [1]


def test_a_3x_event_without_api_name_is_found_by_fn_index() -> None:
    assert state_inputs(V3_CONFIG, "fn_0", 0) == (1,)
    assert visible_outputs(V3_CONFIG, "fn_0", 0) == (1,)
    assert state_inputs(V3_CONFIG, "fn_0", 5) is None
    c = _legacy()
    c.app_config = V3_CONFIG
    spec = EndpointSpec("fn_0", outputs=None, fn_index=0, state_inputs=None)
    assert c.call(spec, [4], "h") == (
        f"{BASE}/run/fn_0",
        {"data": [4, None], "session_hash": "h", "fn_index": 0},
    )
    assert c.positions(spec) == (1,)


def test_4x_stream_messages_are_repaired_and_5x_ones_are_not() -> None:
    old = _Config(BASE, "", "", "queue", None, None, 5.0)
    broken = {"path": "/tmp/g/a b.txt", "url": f"{BASE}/call/file=/tmp/g/a b.txt"}
    msg = {"msg": "process_completed", "output": {"data": [broken, "x"]}, "success": True}
    fixed = old.received(msg)["output"]["data"]
    assert fixed == [{**broken, "url": f"{BASE}/file=/tmp/g/a%20b.txt"}, "x"]
    failed = {"msg": "process_completed", "output": {"error": "'boom'"}, "success": False}
    assert old.received(failed)["output"] == {"error": "boom"}  # and no "data" made up
    assert _config().received(failed) is failed


@pytest.mark.parametrize(
    "message",
    ["boom", "it's", 'say "hi"', 'it\'s "both"', "a\\b\nc\x01 é 😀", "'", "", "__import__('os')"],
)
def test_a_4x_error_repr_gives_back_the_message(message: str) -> None:
    assert _unquote(repr(message)) == message


@pytest.mark.parametrize("text", ["boom", "'unclosed", "'a' + 'b'", "'a' 'b", '"', "'x\\'"])
def test_text_that_is_no_repr_stays_as_it_is(text: str) -> None:
    assert _unquote(text) == text


def _answer(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("POST", f"{BASE}/run/x"))


def test_one_shot_answers_become_queue_messages() -> None:
    run = _OneShot("e1", _legacy())
    state = _JobState("x")
    state.apply(run.starts())
    assert state.status.stage == "processing"
    file = {"name": "/tmp/g/o.zip", "data": None, "is_file": True, "orig_name": "o.zip"}
    for answer in ({"data": ["0", file], "is_generating": True}, {"data": ["1", None]}):
        state.apply(run.step(_answer(200, {**answer, "is_generating": True})))
    state.apply(run.step(_answer(200, {"data": [None], "is_generating": False})))
    assert state.outputs[0][1] == {
        "path": "/tmp/g/o.zip",
        "url": f"{BASE}/file=/tmp/g/o.zip",
        "orig_name": "o.zip",
        "size": None,
        "meta": FILE_META,
    }
    assert state.result == ["1", None]  # a generator's result is its last step, not [null]
    error = _JobState("x")
    error.apply(_OneShot("e2", _legacy()).step(_answer(500, {"error": "'Cannot divide!'"})))
    assert isinstance(error.error, GradioError) and error.error.message == "Cannot divide!"
    with pytest.raises(HTTPStatusError):
        _OneShot("e3", _legacy()).step(_answer(422, {"detail": []}))


def test_3x_uploads_and_images(tmp_path: Path) -> None:
    uploads = _Uploads(legacy=True)
    png = b"\x89PNG\r\n\x1a\n" + bytes(8)
    sent = uploads.prepare_all(
        [b"raw", {"path": "/tmp/g/x.txt"}, png], ("file", "file", "data_url")
    )
    assert sent[1] == {"name": "/tmp/g/x.txt", "data": None, "is_file": True, "orig_name": "x.txt"}
    assert sent[2] == "data:image/png;base64," + base64.b64encode(png).decode()
    uploads.fill(["/tmp/up/file"])
    assert sent[0] == {"name": "/tmp/up/file", "data": None, "is_file": True, "orig_name": "file"}
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8\xff")
    assert (
        _Uploads(legacy=True)
        .prepare(str(tmp_path / "a.jpg"), "data_url")
        .startswith("data:image/jpeg;base64,")
    )


def test_4x_error_of_a_cancelled_job_does_not_fail_the_others() -> None:
    router = _Router("h")
    cancelled, other = _JobState("x"), _JobState("y")
    router._add("e1", cancelled)
    router._add("e2", other)
    cancelled.cancel_requested = True
    router._route({"msg": "process_completed", "event_id": "e1", "output": {}, "success": True})
    assert cancelled.status.stage == "cancelled"
    router._route({"msg": "unexpected_error", "event_id": None, "message": "'e1'"})
    assert not other.done and router._expected_break() and not router._expected_break()
    router._route({"msg": "unexpected_error", "event_id": None, "message": "'e9'"})
    assert isinstance(other.error, GradioError)


# -- where a download goes ---------------------------------------------------------------------


def test_a_download_into_a_folder_gets_a_fresh_subfolder(tmp_path: Path) -> None:
    from codegen.runtime.gradio_runtime._files import _Saving

    (tmp_path / "victim.txt").write_text("mine")
    with _Saving(tmp_path, "victim.txt", False, 100) as saving:
        saving.write(b"theirs", "u")
    assert (tmp_path / "victim.txt").read_text() == "mine"
    assert saving.target.read_bytes() == b"theirs"
    assert saving.target.parent.parent == tmp_path and saving.target.name == "victim.txt"
    assert [p.name for p in saving.target.parent.iterdir()] == ["victim.txt"]  # no .part left


def test_a_download_to_a_path_replaces_only_when_asked(tmp_path: Path) -> None:
    from codegen.runtime.gradio_runtime._files import _Saving

    target = tmp_path / "out.txt"
    target.write_text("mine")
    with pytest.raises(FileExistsError):
        _Saving(target, "x", False, 100)
    with _Saving(target, "x", True, 100) as saving:
        saving.write(b"new", "u")
    assert target.read_text() == "new" and sorted(tmp_path.iterdir()) == [target]


def test_a_failed_download_leaves_nothing(tmp_path: Path) -> None:
    from codegen.runtime.gradio_runtime._files import _Saving

    with pytest.raises(LimitExceededError), _Saving(tmp_path, "big", False, 10) as saving:
        saving.write(b"x" * 8, "u")
        saving.write(b"x" * 8, "u")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(LimitExceededError), _Saving(tmp_path / "f.bin", "big", False, 10) as s2:
        s2.write(b"x" * 11, "u")
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_loses_folders_and_control_characters() -> None:
    config = _Config(BASE, BASE, "/gradio_api", "queue", None, None, 10)
    for given, kept in [
        ("a\x00b\x1b[2Jc\x85.txt", "ab[2Jc.txt"),
        ("../../.bashrc", ".bashrc"),
        ("..\\..\\x.txt", "x.txt"),
        ("\x07", "download"),
        ("..", "download"),
    ]:
        assert _file_url(config, {"path": "/tmp/p", "orig_name": given})[1] == kept
