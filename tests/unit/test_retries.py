"""A call the server did not take is posted again after a pause; one it took, never."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from codegen.runtime.gradio_runtime import (
    AsyncRuntime,
    EndpointSpec,
    GradioConnectionError,
    GradioTimeoutError,
    HTTPStatusError,
    SyncRuntime,
    _clients,
    first,
)

BASE = "http://app.test"
SPEC = EndpointSpec("x", outputs=(0,), file_specs=(None,))
DONE = b"".join(
    b"data: " + json.dumps(m).encode() + b"\n\n"
    for m in (
        {"msg": "process_completed", "event_id": "e1", "output": {"data": ["ok"]}, "success": True},
        {"msg": "close_stream", "event_id": None},
    )
)
OK = httpx.Response(200, json={"event_id": "e1"})


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        mock.get(f"{BASE}/gradio_api/queue/data").mock(
            return_value=httpx.Response(200, content=DONE)
        )
        yield mock


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses the runtime takes, without taking them."""
    taken: list[float] = []
    monkeypatch.setattr(_clients.time, "sleep", taken.append)

    async def no_wait(seconds: float) -> None:
        taken.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", no_wait)
    return taken


def _sync(retries: int = 3) -> SyncRuntime:
    return SyncRuntime(
        None,
        default_base_url=BASE,
        api_prefix="/gradio_api",
        token=None,
        headers=None,
        timeout=30.0,
        retries=retries,
    )


@pytest.mark.parametrize(
    ("first_answers", "waits"),
    [
        ([httpx.Response(503), httpx.Response(503)], [0.5, 1.0]),
        ([httpx.Response(429, headers={"retry-after": "2"})], [2.0]),
        ([httpx.ConnectError("refused")], [0.5]),
    ],
)
def test_a_call_the_server_did_not_take_is_retried(
    router: respx.MockRouter, pauses: list[float], first_answers: list[Any], waits: list[float]
) -> None:
    call = router.post(f"{BASE}/gradio_api/call/x").mock(side_effect=[*first_answers, OK])
    with _sync() as rt:
        assert rt._submit(SPEC, [1], first, None, None).result() == "ok"
    assert call.call_count == len(first_answers) + 1
    assert pauses == waits


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(500, text="boom"), HTTPStatusError),
        (httpx.Response(422, text="bad"), HTTPStatusError),
        (httpx.ReadTimeout("sent, no answer"), GradioTimeoutError),  # it may be queued
    ],
)
def test_a_call_the_server_may_have_taken_is_not_posted_twice(
    router: respx.MockRouter, pauses: list[float], answer: Any, error: type[Exception]
) -> None:
    call = router.post(f"{BASE}/gradio_api/call/x").mock(side_effect=[answer, OK])
    with _sync() as rt, pytest.raises(error):
        rt._submit(SPEC, [1], first, None, None)
    assert call.call_count == 1 and pauses == []


def test_retries_run_out(router: respx.MockRouter, pauses: list[float]) -> None:
    call = router.post(f"{BASE}/gradio_api/call/x").mock(return_value=httpx.Response(503))
    with _sync(retries=2) as rt, pytest.raises(HTTPStatusError, match="503"):
        rt._submit(SPEC, [1], first, None, None)
    assert call.call_count == 3 and pauses == [0.5, 1.0]
    with _sync(retries=0) as rt, pytest.raises(GradioConnectionError):
        router.post(f"{BASE}/gradio_api/call/x").mock(side_effect=httpx.ConnectError("refused"))
        rt._submit(SPEC, [1], first, None, None)


def test_async_retries_too(router: respx.MockRouter, pauses: list[float]) -> None:
    call = router.post(f"{BASE}/gradio_api/call/x").mock(side_effect=[httpx.Response(503), OK])

    async def run() -> Any:
        rt = AsyncRuntime(
            None,
            default_base_url=BASE,
            api_prefix="/gradio_api",
            token=None,
            headers=None,
            timeout=30.0,
        )
        try:
            return await (await rt._submit(SPEC, [1], first, None, None)).result()
        finally:
            await rt.aclose()

    assert asyncio.run(run()) == "ok"
    assert call.call_count == 2 and pauses == [0.5]


def test_the_token_is_in_no_repr_and_no_error(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(return_value=httpx.Response(401, text="no"))
    rt = SyncRuntime(
        None,
        default_base_url=BASE,
        api_prefix="/gradio_api",
        token="hf_secret_token",
        headers=None,
        timeout=5.0,
    )
    with rt, pytest.raises(HTTPStatusError) as exc:
        rt._submit(SPEC, [1], first, None, None)
    assert "hf_secret_token" not in repr(rt) + str(exc.value) + repr(exc.value)
    assert "hf_secret_token" not in repr(rt.config) + str(vars(exc.value))


JS_PROGRAM = """
import { Runtime, first } from %s;
const [status, retries] = JSON.parse(process.argv[1]);
let posts = 0;
const stream = '\\
data: {"msg":"process_completed","event_id":"e1","output":{"data":["ok"]},"success":true}\\n\\n\\
data: {"msg":"close_stream"}\\n\\n';
const fake = async (url) => {
  if (!String(url).includes("/call/")) return new Response(stream);
  posts += 1;
  if (posts === 1) return new Response("busy", { status, headers: { "retry-after": "0" } });
  return Response.json({ event_id: "e1" });
};
const rt = new Runtime(
  { fetch: fake, retries },
  { baseUrl: "http://app.test", apiPrefix: "/gradio_api", protocol: "queue" },
);
const spec = { apiName: "x", inputs: [], defaults: {}, outputs: [0], files: [], fnIndex: null,
  stateInputs: [] };
let got;
try { got = await rt._call(spec, {}, first); } catch (err) { got = err.name; }
console.log(JSON.stringify([got, posts]));
"""


@pytest.mark.parametrize(
    ("status", "retries", "expected"),
    [(503, 3, ["ok", 2]), (429, 3, ["ok", 2]), (503, 0, ["HTTPStatusError", 1]),
     (500, 3, ["HTTPStatusError", 1])],
)  # fmt: skip
def test_the_js_runtime_retries_the_same_way(status: int, retries: int, expected: Any) -> None:
    import subprocess

    from codegen.runtime import JS_RUNTIME_PATH

    program = JS_PROGRAM % json.dumps(JS_RUNTIME_PATH.as_uri())
    done = subprocess.run(
        ["node", "--input-type=module", "-e", program, json.dumps([status, retries])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected
