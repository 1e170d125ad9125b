"""The clients the generated ``Client`` and ``AsyncClient`` extend: they own the connection
pool, the login and the session, and submit, cancel and download."""

from __future__ import annotations

import itertools
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import httpx

from ._config import DEFAULT_RETRIES, _Config, api_call_headers
from ._errors import (
    GradioClientError,
    GradioConnectionError,
    ProtocolError,
    _http_errors,
    _json,
    _stream_error,
)
from ._files import DEFAULT_MAX_DOWNLOAD_BYTES, _file_url, _Saving, _Uploads
from ._heartbeat import _AsyncHeartbeat, _SyncHeartbeat
from ._jobs import AsyncJob, Job, T
from ._protocol import (
    DEFAULT_MAX_MESSAGE_BYTES,
    AppMessage,
    Endpoints,
    EndpointSpec,
    _JobState,
    by_name,
)
from ._transport import (
    _aread_body,
    _asend,
    _astream,
    _AsyncSession,
    _OneShot,
    _read_body,
    _send,
    _stream,
    _SyncSession,
    _Watchdog,
)

if TYPE_CHECKING:  # the async client imports asyncio where it needs it: 20 ms a sync user saves
    import asyncio


class SyncRuntime:
    """Owns the HTTP connection pool and the session; the generated ``Client`` extends it."""

    _ENDPOINTS: ClassVar[Endpoints] = {}  # the generated client's, for call()

    def __init__(
        self,
        base_url: str | None,
        *,
        default_base_url: str,
        api_prefix: str,
        protocol: str = "queue",
        token: str | None,
        headers: Mapping[str, str] | None,
        timeout: float | None,
        http_client: httpx.Client | None = None,
        retries: int = DEFAULT_RETRIES,
        send_env_token: bool = False,
        auth: tuple[str, str] | None = None,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    ) -> None:
        self.config = _Config(
            base_url,
            default_base_url,
            api_prefix,
            protocol,
            token,
            headers,
            timeout,
            retries,
            send_env_token,
            auth,
            max_message_bytes,
        )
        self._http = http_client
        self._session: _SyncSession | None = None
        self._heartbeat: _SyncHeartbeat | None = None
        self._lock = threading.RLock()

    def call(self, api_name: str, /, *args: Any, **inputs: Any) -> Any:
        """Calls any endpoint of the app by its name (``"/greet"``), for code that picks it
        at run time: ``args`` in the endpoint's order, ``inputs`` by the app's input names
        (or the typed method's parameter names, and its options ``headers``, ``timeout``,
        ``on_message``). Untyped by nature: the name and the arguments are checked when
        called (``TypeError``), and the result is what the typed method returns."""
        method, kwargs = by_name(self._ENDPOINTS, api_name, inputs)
        return getattr(self, method)(*args, **kwargs)

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            with self._lock:
                if self._http is None:
                    self._http = httpx.Client(follow_redirects=True)
        return self._http

    @property
    def session_hash(self) -> str:
        """The app keeps this client's ``gr.State`` under this id."""
        return self._current_session().hash

    def _current_session(self) -> _SyncSession:
        with self._lock:
            if self._session is None:
                self._session = _SyncSession(
                    self.http, self.config, secrets.token_hex(6), self._relogin
                )
            return self._session

    def reset_session(self) -> None:
        """Starts a new session: the app forgets this client's ``gr.State``.

        The old session ends as ``close()`` ends it (its heartbeat closes); jobs already
        submitted finish in it.
        """
        with self._lock:
            self._session = None
            heartbeat, self._heartbeat = self._heartbeat, None
        if heartbeat is not None:
            heartbeat.close()

    def _keep_alive(self, session_hash: str) -> None:
        """Opens the session's heartbeat with its first call (see ``_heartbeat``)."""
        with self._lock:
            if self._heartbeat is None or self._heartbeat.hash != session_hash:
                self._heartbeat = _SyncHeartbeat(self.http, self.config, session_hash)

    def close(self) -> None:
        """Ends the client: pending jobs fail, the event stream stops, the session ends (the
        app runs ``demo.unload`` and frees its ``gr.State``) and the connections close."""
        with self._lock:
            session = self._session
            heartbeat, self._heartbeat = self._heartbeat, None
        if session is not None:
            session.close(GradioClientError("the client was closed"))
        if heartbeat is not None:
            heartbeat.close()
        if self._http is not None:
            self._http.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.config!r}"

    def _request(
        self,
        method: str,
        url: str,
        deadline: float | None = None,
        *,
        check: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        """One request; to a login app, logged in first, and once more when the cookie expired."""
        headers = {**self.config.headers_for(url), **kwargs.pop("headers", {})}
        login = self.config.needs_login and self.config.is_own(url)
        if login and not self.config.logins:
            self._login(0)
        for again in (login, False):
            logins = self.config.logins
            guard = _Watchdog(deadline) if deadline is not None else None
            try:
                with _http_errors(method, url):
                    response = _send(
                        self.http,
                        self.config,
                        method,
                        url,
                        guard=guard,
                        headers=headers,
                        timeout=self.config.http_timeout(deadline),
                        **kwargs,
                    )
            finally:
                if guard is not None:
                    guard.cancel()
            if not (again and response.status_code == 401):
                break
            self._login(logins)
        if check:
            self.config.check(response)
        return response

    def _login(self, seen: int) -> None:
        """Logs in (the cookie stays in the connection pool), unless done since ``seen``."""
        with self._lock:
            if self.config.logins != seen:
                return
            url, form = self.config.login_request()
            with _http_errors("POST", url):
                response = self.http.post(
                    url,
                    data=form,
                    headers=self.config.headers_for(url),
                    timeout=self.config.http_timeout(),
                    follow_redirects=False,  # the password goes to this URL or nowhere
                )
            if not response.is_success:
                raise self.config.login_failed(response)
            self.config.logins += 1

    def _relogin(self, seen: int) -> bool:
        """For the event stream: True once logged in again after a 401."""
        if not self.config.needs_login:
            return False
        self._login(seen)
        return True

    def _read_app_config(self) -> None:
        if self.config.app_config is None:
            answer = self._request("GET", f"{self.config.base_url}/config")
            self.config.app_config = _mapping(answer, "/config")

    def _start(
        self, url: str, body: Any, headers: dict[str, str], deadline: float | None
    ) -> httpx.Response:
        """Posts a call, again after a pause where the server took nothing (see retry_after)."""
        for attempt in itertools.count():
            outcome: httpx.Response | GradioClientError
            try:
                outcome = self._request(
                    "POST", url, deadline, check=False, json=body, headers=headers
                )
            except GradioConnectionError as exc:
                outcome = exc
            delay = self.config.retry_after(attempt, outcome, deadline)
            if delay is None:
                break
            time.sleep(delay)
        if isinstance(outcome, GradioClientError):
            raise outcome
        self.config.check(outcome)
        return outcome

    def _submit(
        self,
        spec: EndpointSpec,
        data: list[Any],
        unpack: Callable[[list[Any]], T],
        headers: Mapping[str, str] | None,
        timeout: float | None,
        on_message: Callable[[AppMessage], object] | None = None,
    ) -> Job[T]:
        deadline = self.config.deadline(timeout)
        call_headers = dict(headers or {})
        session = self._current_session()
        uploads = _Uploads(self.config.oneshot)
        data = uploads.prepare_all(data, spec.file_specs)
        if uploads.files:
            answer = self._request(
                "POST",
                self.config.url("/upload"),
                deadline,
                files=uploads.multipart(),
                headers=call_headers,
            )
            uploads.fill(_json(answer.content, "the answer of /upload"))
        if self.config.needs_app_config(spec):
            self._read_app_config()
        url, body = self.config.call(spec, data, session.hash)
        call_headers = api_call_headers(call_headers, self.config.headers)
        state = _JobState(spec.api_name, on_message=on_message, deadline=deadline)
        if self.config.oneshot:
            event_id = secrets.token_hex(8)
            session.register(event_id, state, reader=False)
            threading.Thread(
                target=self._run_oneshot,
                args=(session, event_id, state, url, body, call_headers, deadline),
                daemon=True,
            ).start()
        else:
            session.post(+1)  # the stream is read on while the call is posted
            try:
                response = self._start(url, body, call_headers, deadline)
                self._keep_alive(session.hash)  # once the call went in: logged in, session made
                event_id = _event_id(response)
                session.register(event_id, state)
            finally:
                session.post(-1)
        return Job(self, session, spec, unpack, event_id, state, deadline)

    def _run_oneshot(
        self,
        session: _SyncSession,
        event_id: str,
        state: _JobState,
        url: str,
        body: dict[str, Any],
        headers: dict[str, str],
        deadline: float | None,
    ) -> None:
        """A 3.x call, as the queue messages it stands for; a generator is posted once a step."""
        run = _OneShot(event_id, self.config)
        try:
            session.dispatch(run.starts())
            while not state.done:
                response = self._request(
                    "POST", url, deadline, check=False, json=body, headers=headers
                )
                session.dispatch(run.step(response))
        except Exception as exc:
            session.drop(event_id, _stream_error(exc))

    def _cancel(self, spec: EndpointSpec, session: str, event_id: str, queued: bool) -> None:
        if self.config.oneshot:  # 3.x: /reset stops a generator of this session
            if spec.fn_index is not None:
                body = {"session_hash": session, "fn_index": spec.fn_index}
                self._request("POST", self.config.url("/reset"), json=body)
            return
        if spec.fn_index is None and not queued:
            self._read_app_config()
        body = self.config.cancel_body(spec, session, event_id, queued)
        self._request("POST", self.config.url("/cancel"), json=body)

    def download(
        self,
        file: Mapping[str, Any] | str,
        dest: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        timeout: float | None = None,
    ) -> Path:
        """Saves a file output (or any URL) and returns its path. Into a folder (``dest`` an
        existing one, or ending in a separator) it goes to a fresh subfolder, under its own
        name cleaned of folders and control characters, so it never replaces a file; to any
        other path as that file, replacing one only with ``overwrite``. ``max_bytes`` bounds
        its size, ``timeout`` (default: the client's) the whole download; a failed download
        leaves nothing behind."""
        url, name = _file_url(self.config, file)
        deadline = self.config.deadline(timeout)
        login = self.config.needs_login and self.config.is_own(url)
        if login and not self.config.logins:
            self._login(0)
        for again in (login, False):
            logins = self.config.logins
            with (
                _http_errors("GET", url),
                _stream(
                    self.http,
                    self.config,
                    "GET",
                    url,
                    deadline=deadline,
                    headers=self.config.headers_for(url),
                    timeout=self.config.http_timeout(deadline),
                ) as response,
            ):
                if not response.is_success:
                    _read_body(response, 65536, quiet=True)
                if again and response.status_code == 401:
                    self._login(logins)
                    continue
                self.config.check(response)
                with _Saving(dest, name, overwrite, max_bytes) as saving:
                    saving.expect(response)
                    for chunk in response.iter_bytes():
                        saving.write(chunk, url)
                return saving.target
        raise AssertionError("unreachable: the second try returns or raises")


_S = TypeVar("_S")


class AsyncRuntime:
    """The asyncio twin of ``SyncRuntime``; the generated ``AsyncClient`` extends it.

    A session belongs to one event loop; used from another (a second ``asyncio.run``), the
    client carries its session hash over to a fresh connection pool and reader.
    """

    _ENDPOINTS: ClassVar[Endpoints] = {}  # the generated client's, for call()

    def __init__(
        self,
        base_url: str | None,
        *,
        default_base_url: str,
        api_prefix: str,
        protocol: str = "queue",
        token: str | None,
        headers: Mapping[str, str] | None,
        timeout: float | None,
        http_client: httpx.AsyncClient | None = None,
        retries: int = DEFAULT_RETRIES,
        send_env_token: bool = False,
        auth: tuple[str, str] | None = None,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    ) -> None:
        self.config = _Config(
            base_url,
            default_base_url,
            api_prefix,
            protocol,
            token,
            headers,
            timeout,
            retries,
            send_env_token,
            auth,
            max_message_bytes,
        )
        self._http = http_client
        self._owns_http = http_client is None
        self._session: _AsyncSession | None = None
        self._hash = secrets.token_hex(6)
        self._heartbeat: _AsyncHeartbeat | None = None
        self._login_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    async def call(self, api_name: str, /, *args: Any, **inputs: Any) -> Any:
        """``Client.call``, awaited: any endpoint by its name, untyped by nature."""
        method, kwargs = by_name(self._ENDPOINTS, api_name, inputs)
        return await getattr(self, method)(*args, **kwargs)

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(follow_redirects=True)
        return self._http

    @property
    def session_hash(self) -> str:
        """The app keeps this client's ``gr.State`` under this id."""
        return self._hash

    def _current_session(self) -> _AsyncSession:
        import asyncio

        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or session.hash != self._hash or session.loop is not loop:
            if session is not None and session.loop is not loop and self._owns_http:
                self._http = None  # its connections belong to the other loop
            session = self._session = _AsyncSession(
                self.http, self.config, self._hash, loop, self._relogin
            )
        return session

    def reset_session(self) -> None:
        """Starts a new session: the app forgets this client's ``gr.State``.

        The old session ends as ``aclose()`` ends it (its heartbeat closes); jobs already
        submitted finish in it.
        """
        self._hash = secrets.token_hex(6)
        heartbeat, self._heartbeat = self._heartbeat, None
        if heartbeat is not None:
            heartbeat.close()

    def _keep_alive(self, session: _AsyncSession) -> None:
        """Opens the session's heartbeat with its first call on this event loop."""
        beat = self._heartbeat
        if beat is None or beat.hash != session.hash or beat.loop is not session.loop:
            if beat is not None:
                beat.close()
            self._heartbeat = _AsyncHeartbeat(self.http, self.config, session.hash, session.loop)

    async def aclose(self) -> None:
        """Ends the client: pending jobs fail, the event stream stops, the session ends (the
        app runs ``demo.unload`` and frees its ``gr.State``) and the connections close."""
        import asyncio

        session = self._session
        if session is not None and session.loop is asyncio.get_running_loop():
            await session.close(GradioClientError("the client was closed"))
        heartbeat, self._heartbeat = self._heartbeat, None
        if heartbeat is not None:
            await heartbeat.wait_closed()
        if self._http is not None:
            await self._http.aclose()

    async def __aenter__(self: _S) -> _S:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.config!r}"

    async def _request(
        self,
        method: str,
        url: str,
        deadline: float | None = None,
        *,
        check: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        """The asyncio twin of ``SyncRuntime._request``."""
        headers = {**self.config.headers_for(url), **kwargs.pop("headers", {})}
        login = self.config.needs_login and self.config.is_own(url)
        if login and not self.config.logins:
            await self._login(0)
        for again in (login, False):
            logins = self.config.logins
            with _http_errors(method, url):
                response = await _asend(
                    self.http,
                    self.config,
                    method,
                    url,
                    deadline=deadline,
                    headers=headers,
                    timeout=self.config.http_timeout(deadline),
                    **kwargs,
                )
            if not (again and response.status_code == 401):
                break
            await self._login(logins)
        if check:
            self.config.check(response)
        return response

    async def _login(self, seen: int) -> None:
        """Logs in (the cookie stays in the connection pool), unless done since ``seen``."""
        import asyncio

        loop = asyncio.get_running_loop()
        if self._login_lock is None or self._login_lock[0] is not loop:
            self._login_lock = (loop, asyncio.Lock())  # a lock serves one event loop
        async with self._login_lock[1]:
            if self.config.logins != seen:
                return
            url, form = self.config.login_request()
            with _http_errors("POST", url):
                response = await self.http.post(
                    url,
                    data=form,
                    headers=self.config.headers_for(url),
                    timeout=self.config.http_timeout(),
                    follow_redirects=False,  # the password goes to this URL or nowhere
                )
            if not response.is_success:
                raise self.config.login_failed(response)
            self.config.logins += 1

    async def _relogin(self, seen: int) -> bool:
        """For the event stream: True once logged in again after a 401."""
        if not self.config.needs_login:
            return False
        await self._login(seen)
        return True

    async def _read_app_config(self) -> None:
        if self.config.app_config is None:
            response = await self._request("GET", f"{self.config.base_url}/config")
            self.config.app_config = _mapping(response, "/config")

    async def _start(
        self, url: str, body: Any, headers: dict[str, str], deadline: float | None
    ) -> httpx.Response:
        """The asyncio twin of ``SyncRuntime._start``."""
        import asyncio

        for attempt in itertools.count():
            outcome: httpx.Response | GradioClientError
            try:
                outcome = await self._request(
                    "POST", url, deadline, check=False, json=body, headers=headers
                )
            except GradioConnectionError as exc:
                outcome = exc
            delay = self.config.retry_after(attempt, outcome, deadline)
            if delay is None:
                break
            await asyncio.sleep(delay)
        if isinstance(outcome, GradioClientError):
            raise outcome
        self.config.check(outcome)
        return outcome

    async def _submit(
        self,
        spec: EndpointSpec,
        data: list[Any],
        unpack: Callable[[list[Any]], T],
        headers: Mapping[str, str] | None,
        timeout: float | None,
        on_message: Callable[[AppMessage], object] | None = None,
    ) -> AsyncJob[T]:
        deadline = self.config.deadline(timeout)
        call_headers = dict(headers or {})
        session = self._current_session()
        uploads = _Uploads(self.config.oneshot)
        data = uploads.prepare_all(data, spec.file_specs)
        if uploads.files:
            response = await self._request(
                "POST",
                self.config.url("/upload"),
                deadline,
                files=uploads.multipart(),
                headers=call_headers,
            )
            uploads.fill(_json(response.content, "the answer of /upload"))
        if self.config.needs_app_config(spec):
            await self._read_app_config()
        url, body = self.config.call(spec, data, session.hash)
        call_headers = api_call_headers(call_headers, self.config.headers)
        state = _JobState(spec.api_name, on_message=on_message, deadline=deadline)
        if self.config.oneshot:
            event_id = secrets.token_hex(8)
            await session.register(event_id, state, reader=False)
            session.keep(
                self._run_oneshot(session, event_id, state, url, body, call_headers, deadline)
            )
        else:
            session.post(+1)  # the stream is read on while the call is posted
            try:
                response = await self._start(url, body, call_headers, deadline)
                self._keep_alive(session)  # once the call went in: logged in, session made
                event_id = _event_id(response)
                await session.register(event_id, state)
            finally:
                session.post(-1)
        return AsyncJob(self, session, spec, unpack, event_id, state, deadline)

    async def _run_oneshot(
        self,
        session: _AsyncSession,
        event_id: str,
        state: _JobState,
        url: str,
        body: dict[str, Any],
        headers: dict[str, str],
        deadline: float | None,
    ) -> None:
        """The asyncio twin of ``SyncRuntime._run_oneshot``."""
        run = _OneShot(event_id, self.config)
        try:
            await session.dispatch(run.starts())
            while not state.done:
                response = await self._request(
                    "POST", url, deadline, check=False, json=body, headers=headers
                )
                await session.dispatch(run.step(response))
        except Exception as exc:
            await session.drop(event_id, _stream_error(exc))

    async def _cancel(self, spec: EndpointSpec, session: str, event_id: str, queued: bool) -> None:
        if self.config.oneshot:  # 3.x: /reset stops a generator of this session
            if spec.fn_index is not None:
                body = {"session_hash": session, "fn_index": spec.fn_index}
                await self._request("POST", self.config.url("/reset"), json=body)
            return
        if spec.fn_index is None and not queued:
            await self._read_app_config()
        body = self.config.cancel_body(spec, session, event_id, queued)
        await self._request("POST", self.config.url("/cancel"), json=body)

    async def download(
        self,
        file: Mapping[str, Any] | str,
        dest: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        timeout: float | None = None,
    ) -> Path:
        """The asyncio twin of ``SyncRuntime.download``."""
        url, name = _file_url(self.config, file)
        deadline = self.config.deadline(timeout)
        login = self.config.needs_login and self.config.is_own(url)
        if login and not self.config.logins:
            await self._login(0)
        for again in (login, False):
            logins = self.config.logins
            with _http_errors("GET", url):
                async with _astream(
                    self.http,
                    self.config,
                    "GET",
                    url,
                    deadline=deadline,
                    headers=self.config.headers_for(url),
                    timeout=self.config.http_timeout(deadline),
                ) as response:
                    if not response.is_success:
                        await _aread_body(response, 65536, quiet=True)
                    if again and response.status_code == 401:
                        await self._login(logins)
                        continue
                    self.config.check(response)
                    with _Saving(dest, name, overwrite, max_bytes) as saving:
                        saving.expect(response)
                        async for chunk in response.aiter_bytes():
                            saving.write(chunk, url)
                    return saving.target
        raise AssertionError("unreachable: the second try returns or raises")


def _mapping(response: httpx.Response, what: str) -> Any:
    answer = _json(response.content, f"the answer of {what}")
    if not isinstance(answer, dict):
        raise ProtocolError(f"the answer of {what} is not a JSON object: {str(answer)[:100]}")
    return answer


def _event_id(response: httpx.Response) -> str:
    """The event id a call's POST answers; anything else is a ProtocolError."""
    answer = _json(response.content, "the answer of the call")
    event_id = answer.get("event_id") if isinstance(answer, dict) else None
    if not isinstance(event_id, str | int) or isinstance(event_id, bool):
        raise ProtocolError(f"the call's answer has no event_id: {str(answer)[:100]}")
    return str(event_id)
