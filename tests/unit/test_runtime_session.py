"""The Python runtime's session rules without a server: the heartbeat's lifetime, the
``x-gradio-user`` header's precedence, and a full queue as its own error. The live
behaviour (the app's unload and delete_callback running) is in tests/e2e/test_client_suite.py."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import respx

from codegen.runtime.gradio_runtime import HTTPStatusError, QueueFullError, SyncRuntime
from codegen.runtime.gradio_runtime._config import api_call_headers
from codegen.runtime.gradio_runtime._errors import _raise_for_status
from codegen.runtime.gradio_runtime._protocol import EndpointSpec

BASE = "http://app.test"


def test_a_call_cannot_change_x_gradio_user_but_the_client_can() -> None:
    assert api_call_headers({}, {}) == {"x-gradio-user": "api"}
    assert api_call_headers({"X-Gradio-User": "app", "x-a": "1"}, {}) == {
        "x-a": "1",
        "x-gradio-user": "api",
    }
    # the client's own header (as Gradio's MCP server sets "mcp") is sent instead
    assert api_call_headers({"x-gradio-user": "app"}, {"X-Gradio-User": "mcp"}) == {}


def test_a_full_queue_is_its_own_error_and_other_503s_are_not() -> None:
    full = httpx.Response(503, json={"detail": "Queue is full. Max size is 1 and size is 1."})
    with pytest.raises(QueueFullError, match="try again later") as raised:
        _raise_for_status(full)
    assert raised.value.status_code == 503
    stopped = httpx.Response(503, json={"detail": "Queue is stopped."})
    with pytest.raises(HTTPStatusError) as other:
        _raise_for_status(stopped)
    assert not isinstance(other.value, QueueFullError)


def _runtime() -> SyncRuntime:
    return SyncRuntime(
        BASE,
        default_base_url=BASE,
        api_prefix="/gradio_api",
        token=None,
        headers=None,
        timeout=10,
        retries=0,
    )


SPEC = EndpointSpec(api_name="echo", outputs=(0,), file_specs=(), fn_index=0, state_inputs=())


def _heartbeats() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "gradio-heartbeat"]


@respx.mock
def test_the_heartbeat_opens_with_the_first_call_and_closes_with_the_client() -> None:
    beat = respx.get(url__regex=rf"{BASE}/gradio_api/heartbeat/\w+").mock(
        return_value=httpx.Response(404)  # a Gradio before 4.25: the heartbeat ends quietly
    )
    respx.post(f"{BASE}/gradio_api/call/echo").mock(
        return_value=httpx.Response(200, json={"event_id": "e1"})
    )
    stream = (
        'data: {"msg": "process_completed", "event_id": "e1", "success": true,'
        ' "output": {"data": ["hi"]}}\n\ndata: {"msg": "close_stream"}\n\n'
    )
    respx.get(url__startswith=f"{BASE}/gradio_api/queue/data").mock(
        return_value=httpx.Response(200, text=stream)
    )
    before = _heartbeats()
    runtime = _runtime()
    assert not beat.called and _heartbeats() == before  # construction: no request, no thread
    job = runtime._submit(SPEC, ["hi"], lambda d: d[0], None, None)
    assert job.result() == "hi"
    deadline = time.monotonic() + 5
    while not beat.called and time.monotonic() < deadline:
        time.sleep(0.01)
    assert beat.call_count == 1
    assert beat.calls.last.request.url.path == f"/gradio_api/heartbeat/{runtime.session_hash}"
    runtime.close()
    assert _heartbeats() == before
