"""The Python runtime's token rule, login flow and error mapping, with faults faked by respx."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from codegen.runtime.gradio_runtime import (
    AppMessage,
    AsyncRuntime,
    AuthenticationError,
    EndpointSpec,
    GradioClientError,
    HTTPStatusError,
    SyncRuntime,
    ValidationError,
    app_token,
    first,
    is_hf_host,
    saved_token,
)
from codegen.runtime.gradio_runtime._protocol import _JobState, by_name

BASE = "http://app.test"
SPEC = EndpointSpec("x", outputs=(0,), file_specs=(None,))


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        yield mock


def _runtime(base: str = BASE, **kwargs: Any) -> SyncRuntime:
    kwargs.setdefault("token", None)
    return SyncRuntime(
        base, default_base_url=base, api_prefix="/gradio_api", headers=None, timeout=5.0, **kwargs
    )


def _sse(*msgs: dict[str, Any]) -> bytes:
    return b"".join(b"data: " + json.dumps(m).encode() + b"\n\n" for m in msgs)


# -- which hosts are Hugging Face's -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://abidlabs-whisper.hf.space", True),
        ("https://ABIDLABS-WHISPER.HF.SPACE./x", True),
        ("https://huggingface.co/spaces/a/b", True),
        ("https://hf.space", False),  # no Space is the bare domain
        ("https://evilhf.space", False),
        ("https://hf.space.evil.com", False),
        ("https://huggingface.co.evil.com", False),
        ("https://my-app.example.com", False),
        ("http://127.0.0.1:7860", False),
    ],
)
def test_hf_hosts(url: str, expected: bool) -> None:
    assert is_hf_host(url) is expected


def test_hf_endpoint_host_and_port_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.internal:8443/")
    assert is_hf_host("https://HUB.internal:8443/api")
    assert not is_hf_host("https://hub.internal/api")  # another port: maybe anyone's app
    assert not is_hf_host("https://other.internal:8443")
    assert is_hf_host("https://a-b.hf.space")  # the defaults stay


def test_a_local_hub_does_not_make_every_local_app_hf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("HF_TOKEN", "hf_env")
    assert not is_hf_host("http://127.0.0.1:7860")
    assert app_token("http://127.0.0.1:7860", None) is None
    assert app_token("http://127.0.0.1:9", None) == "hf_env"
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.internal")
    assert is_hf_host("https://hub.internal:443/api")  # the default port is the same port


def test_app_token_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    assert app_token("http://127.0.0.1", "hf_x") == "hf_x"  # explicit: any host
    assert app_token("http://127.0.0.1", None) is None
    monkeypatch.setenv("HF_TOKEN", "hf_env")
    assert app_token("http://127.0.0.1", None) is None  # env: Hugging Face hosts only
    assert app_token("http://127.0.0.1", None, send_env_token=True) == "hf_env"
    assert app_token("https://a-b.hf.space", None) == "hf_env"
    assert app_token("https://a-b.hf.space", "") is None  # "" sends none
    assert app_token("https://a-b.hf.space", "hf_x") == "hf_x"


def test_token_goes_as_x_hf_authorization_never_authorization(
    router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    space = "https://a-b.hf.space"
    call = router.post(f"{space}/gradio_api/call/x").mock(
        return_value=httpx.Response(200, json={"event_id": "e"})
    )
    stream = router.get(f"{space}/gradio_api/queue/data").mock(
        return_value=httpx.Response(
            200,
            content=_sse(
                {
                    "msg": "process_completed",
                    "event_id": "e",
                    "success": True,
                    "output": {"data": ["ok"]},
                }
            ),
        )
    )
    monkeypatch.setenv("HF_TOKEN", "hf_env")
    rt = _runtime(space)
    try:
        assert rt._submit(SPEC, [1], first, None, 5.0).result() == "ok"
    finally:
        rt.close()
    for request in (call.calls.last.request, stream.calls.last.request):
        assert request.headers["x-hf-authorization"] == "Bearer hf_env"
        assert "authorization" not in request.headers
    assert "hf_env" not in repr(rt)


# -- 422 and 401 mapping --------------------------------------------------------------------------


def test_422_from_a_validator_is_a_validation_error(router: respx.MockRouter) -> None:
    detail = [
        {"__type__": "validate", "is_valid": True, "message": "", "parameter_name": "name"},
        {
            "__type__": "validate",
            "is_valid": False,
            "message": "too young",
            "parameter_name": "age",
        },
        {"__type__": "validate", "is_valid": False, "message": "no"},
    ]
    router.post(f"{BASE}/gradio_api/call/x").mock(
        return_value=httpx.Response(422, json={"detail": detail})
    )
    rt = _runtime()
    try:
        with pytest.raises(ValidationError) as exc:
            rt._submit(SPEC, [1], first, None, 5.0)
    finally:
        rt.close()
    assert exc.value.errors == {"age": "too young", "parameter_2": "no"}
    assert exc.value.status_code == 422 and isinstance(exc.value, GradioClientError)
    assert "2 input(s) failed validation" in str(exc.value) and "- age: too young" in str(exc.value)


def test_a_422_that_is_not_a_validation_stays_an_http_error(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(
        return_value=httpx.Response(422, json={"detail": [{"loc": ["body"], "msg": "bad"}]})
    )
    rt = _runtime()
    try:
        with pytest.raises(HTTPStatusError) as exc:
            rt._submit(SPEC, [1], first, None, 5.0)
    finally:
        rt.close()
    assert not isinstance(exc.value, ValidationError) and exc.value.status_code == 422


NOT_AUTHENTICATED = {"detail": {"error": "Not authenticated", "auth_message": None}}


def test_a_login_app_without_auth_says_so(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(
        return_value=httpx.Response(401, json=NOT_AUTHENTICATED)
    )
    rt = _runtime(token="hf_secret")
    try:
        with pytest.raises(AuthenticationError) as exc:
            rt._submit(SPEC, [1], first, None, 5.0)
    finally:
        rt.close()
    assert "needs a login" in str(exc.value) and "auth=" in str(exc.value)
    assert "HF_TOKEN" not in str(exc.value) and "hf_secret" not in str(exc.value)


def test_a_private_space_points_at_the_token(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/gradio_api/call/x").mock(return_value=httpx.Response(401, text="nope"))
    rt = _runtime()
    try:
        with pytest.raises(AuthenticationError) as exc:
            rt._submit(SPEC, [1], first, None, 5.0)
    finally:
        rt.close()
    assert "HF_TOKEN" in str(exc.value) and "auth=" not in str(exc.value)


# -- login ----------------------------------------------------------------------------------------


def _login_route(router: respx.MockRouter) -> respx.Route:
    count = iter(range(1, 100))
    return router.post(f"{BASE}/login").mock(
        side_effect=lambda request: httpx.Response(
            200,
            json={"success": True},
            headers={"set-cookie": f"access-token-unsecure-1=t{next(count)}; Path=/; HttpOnly"},
        )
    )


def test_login_is_lazy_once_and_again_after_a_401(router: respx.MockRouter) -> None:
    login = _login_route(router)
    answers = iter(
        [
            httpx.Response(200, json={"event_id": "e1"}),
            httpx.Response(401, json=NOT_AUTHENTICATED),
            httpx.Response(200, json={"event_id": "e2"}),
        ]
    )
    call = router.post(f"{BASE}/gradio_api/call/x").mock(side_effect=lambda r: next(answers))
    router.get(f"{BASE}/gradio_api/queue/data").mock(return_value=httpx.Response(200))
    rt = _runtime(auth=("u", "pw"))
    try:
        assert not login.called  # nothing before the first call
        rt._submit(SPEC, [1], first, None, 5.0)
        assert login.call_count == 1
        assert call.calls[0].request.headers["cookie"] == "access-token-unsecure-1=t1"
        rt._submit(SPEC, [1], first, None, 5.0)  # 401: logs in again, posts again
        assert login.call_count == 2
        assert call.calls[-1].request.headers["cookie"] == "access-token-unsecure-1=t2"
    finally:
        rt.close()
    form = login.calls[0].request.content.decode()
    assert form == "username=u&password=pw"
    assert "pw" not in repr(rt)


def test_concurrent_first_async_calls_log_in_once(router: respx.MockRouter) -> None:
    async def slow_login(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.05)  # the other calls arrive while it is on its way
        return httpx.Response(200, json={"success": True})

    login = router.post(f"{BASE}/login").mock(side_effect=slow_login)
    events = iter(range(100))
    router.post(f"{BASE}/gradio_api/call/x").mock(
        side_effect=lambda request: httpx.Response(200, json={"event_id": f"e{next(events)}"})
    )
    router.get(f"{BASE}/gradio_api/queue/data").mock(return_value=httpx.Response(200))

    async def run() -> None:
        rt = AsyncRuntime(
            BASE,
            default_base_url=BASE,
            api_prefix="/gradio_api",
            token=None,
            headers=None,
            timeout=5.0,
            auth=("u", "pw"),
        )
        try:
            await asyncio.gather(*(rt._submit(SPEC, [i], first, None, 5.0) for i in range(3)))
        finally:
            await rt.aclose()

    asyncio.run(run())
    assert login.call_count == 1


def test_a_refused_session_is_not_retried_forever(router: respx.MockRouter) -> None:
    login = _login_route(router)
    router.post(f"{BASE}/gradio_api/call/x").mock(
        return_value=httpx.Response(401, json=NOT_AUTHENTICATED)
    )
    rt = _runtime(auth=("u", "pw"))
    try:
        with pytest.raises(AuthenticationError) as exc:
            rt._submit(SPEC, [1], first, None, 5.0)
    finally:
        rt.close()
    assert login.call_count == 2  # the first login, one more after the 401
    assert "refused the login session" in str(exc.value)


def test_wrong_credentials(router: respx.MockRouter) -> None:
    router.post(f"{BASE}/login").mock(
        return_value=httpx.Response(400, json={"detail": "Incorrect credentials."})
    )
    rt = _runtime(auth=("u", "secret-pw"))
    try:
        with pytest.raises(AuthenticationError) as exc:
            rt._submit(SPEC, [1], first, None, 5.0)
    finally:
        rt.close()
    assert "login as 'u' failed" in str(exc.value) and "Incorrect credentials" in str(exc.value)
    assert "secret-pw" not in str(exc.value)


def test_auth_must_be_a_pair() -> None:
    with pytest.raises(TypeError, match="auth="):
        _runtime(auth=("only",))  # type: ignore[arg-type]


# -- messages ---------------------------------------------------------------------------------


def test_log_messages_become_messages_in_order() -> None:
    state = _JobState("x")
    got = [
        state.apply({"msg": "log", "log": "a", "level": "info"}),  # 4.x: no title
        state.apply({"msg": "log", "log": "b", "level": "warning", "title": "W"}),
        state.apply({"msg": "log", "log": "c", "level": "success", "title": ""}),
        state.apply({"msg": "log", "log": "d", "level": "odd"}),
    ]
    assert (
        got
        == state.messages
        == [
            AppMessage("info", "a", None),
            AppMessage("warning", "b", "W"),
            AppMessage("success", "c", None),
            AppMessage("info", "d", None),
        ]
    )


def test_an_error_title_from_the_message() -> None:
    state = _JobState("x")
    state.apply(
        {
            "msg": "process_completed",
            "success": False,
            "title": "Quota",
            "output": {"error": "no GPU"},
        }
    )
    assert state.error is not None and getattr(state.error, "title", None) == "Quota"


def test_the_saved_token_goes_where_hf_token_goes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``hf auth login``'s token, found as huggingface_hub finds it, when HF_TOKEN is unset."""
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "token").write_text("hf_saved\n")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert saved_token() == "hf_saved"
    assert app_token("https://a-b.hf.space", None) == "hf_saved"
    assert app_token("http://127.0.0.1", None) is None  # Hugging Face hosts only
    assert app_token("http://127.0.0.1", None, send_env_token=True) == "hf_saved"
    assert app_token("https://a-b.hf.space", "") is None
    monkeypatch.setenv("HF_TOKEN", "hf_env")
    assert app_token("https://a-b.hf.space", None) == "hf_env"  # HF_TOKEN wins
    monkeypatch.delenv("HF_TOKEN")
    (tmp_path / "elsewhere").write_text("hf_path")
    monkeypatch.setenv("HF_TOKEN_PATH", str(tmp_path / "elsewhere"))
    assert saved_token() == "hf_path"
    monkeypatch.delenv("HF_TOKEN_PATH")
    monkeypatch.delenv("HF_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert saved_token() is None
    (tmp_path / "xdg" / "huggingface").mkdir(parents=True)
    (tmp_path / "xdg" / "huggingface" / "token").write_text("hf_xdg")
    assert saved_token() == "hf_xdg"


def test_call_finds_the_method_and_its_parameters_by_the_apps_names() -> None:
    endpoints = {"greet": ("greet", {"Your name": "your_name"}), "class": ("class_", {})}
    assert by_name(endpoints, "/greet", {"Your name": "x", "timeout": 1}) == (
        "greet",
        {"your_name": "x", "timeout": 1},
    )
    assert by_name(endpoints, "class", {}) == ("class_", {})
    with pytest.raises(TypeError, match="no endpoint '/x'; it has '/greet', '/class'"):
        by_name(endpoints, "/x", {})
    with pytest.raises(TypeError, match="twice"):
        by_name(endpoints, "/greet", {"Your name": "x", "your_name": "y"})
