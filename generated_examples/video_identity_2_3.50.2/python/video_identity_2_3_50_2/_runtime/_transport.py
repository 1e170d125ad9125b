"""I/O: requests whose redirects keep to the app's origin, and the sessions whose reader
(a thread, or an asyncio task) routes the event stream's messages to their jobs; a 3.x
one-shot call's answers stand in for that stream."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import httpx

from ._config import _MAX_BACKOFF, _Config, _remaining
from ._errors import (
    GradioClientError,
    GradioConnectionError,
    GradioTimeoutError,
    JobCancelledError,
    LimitExceededError,
    ProtocolError,
    _callback_error,
    _json,
    _stream_error,
)
from ._files import _from_legacy
from ._protocol import (
    AppMessage,
    Stage,
    _JobState,
    _Lines,
    _sse_message,
    _unquote,
    sse_lines,
)

if TYPE_CHECKING:  # the async client imports asyncio where it needs it: 20 ms a sync user saves
    import asyncio


_MAX_ORPHANS = 256
_MAX_ORPHAN_MESSAGES = 1024  # kept per unknown event id: they may come before the POST answers
_MAX_GONE = 1024
_BACKOFF = 0.125  # the first pause before reopening a stream that brought no job anything


class _OneShot:
    """A 3.x ``/run`` call's answers as the queue messages ``_JobState`` applies.

    A generator answers one step per POST (``is_generating``) and then ``[null]``, so its
    result is its last step, as the queue's ``process_completed`` repeats it.
    """

    def __init__(self, event_id: str, config: _Config) -> None:
        self._event_id = event_id
        self._config = config
        self._last: list[Any] | None = None

    def starts(self) -> dict[str, Any]:
        return {"msg": "process_starts", "event_id": self._event_id}

    def step(self, response: httpx.Response) -> dict[str, Any]:
        message: dict[str, Any] = {"event_id": self._event_id, "success": True}
        if response.status_code == 500:
            try:
                answer = _json(response.content, "/run's answer")
            except ProtocolError:
                answer = None
            if isinstance(answer, Mapping) and "error" in answer:
                error = answer["error"]
                text = _unquote(error) if isinstance(error, str) else error
                return {
                    **message,
                    "msg": "process_completed",
                    "success": False,
                    "output": {"error": text},
                }
        self._config.check(response)
        answer = _json(response.content, "/run's answer")
        if not isinstance(answer, Mapping):
            raise ProtocolError(f"/run answered {str(answer)[:100]}")
        data = _from_legacy(answer.get("data"), self._config)
        if answer.get("is_generating"):
            self._last = data
            return {**message, "msg": "process_generating", "output": {"data": data}}
        final = self._last if self._last is not None else data
        return {**message, "msg": "process_completed", "output": {"data": final}}


class _Watchdog:
    """At the deadline, shuts down the socket of the request in flight. httpx's timeouts are
    per read, so a server trickling a byte a second would hold a sync call without end; an
    asyncio call has ``asyncio.timeout`` instead."""

    def __init__(self, deadline: float | None) -> None:
        self.fired = False
        self._stream: Any = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        if deadline is not None:
            self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
            self._timer.daemon = True
            self._timer.start()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's trace hook: a new connection is watched from its start."""
        if event == "connection.connect_tcp.complete":
            self.watch(info.get("return_value"))

    def watch(self, stream: Any) -> None:
        with self._lock:
            self._stream = stream
            if self.fired:
                _shut(stream)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            _shut(self._stream)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _shut(stream: Any) -> None:
    """Ends a connection from another thread: a blocked read returns at once."""
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _too_big(response: httpx.Response, limit: int) -> LimitExceededError:
    return LimitExceededError(
        f"{response.request.method} {response.request.url} answered more than {limit} bytes"
    )


def _send(
    http: httpx.Client,
    config: _Config,
    method: str,
    url: str,
    stream: bool = False,
    guard: _Watchdog | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """One request, its redirects (where the pool follows any) followed hop by hop, each
    through ``own_origin_only``; a whole answer (``stream`` False) is read within the
    client's limit. ``guard`` ends it at its deadline (then GradioTimeoutError)."""
    if guard is not None:
        kwargs["extensions"] = {"trace": guard.trace}
    request = http.build_request(method, url, **kwargs)
    sent = tuple(kwargs.get("headers") or ())
    try:
        for _ in range(http.max_redirects + 1):
            response = http.send(
                config.own_origin_only(request, sent), stream=True, follow_redirects=False
            )
            if guard is not None:
                guard.watch(response.extensions.get("network_stream"))
            if response.next_request is None or not http.follow_redirects:
                if not stream:
                    _read_body(response, config.max_message_bytes)
                return response
            response.close()
            request = response.next_request
    except httpx.HTTPError as exc:
        if guard is not None and guard.fired:
            raise GradioTimeoutError(f"{method} {url} did not finish within its timeout") from exc
        raise
    raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)


def _read_body(response: httpx.Response, limit: int, quiet: bool = False) -> None:
    """``response.read()``, but never more than ``limit`` bytes held; ``quiet``: what came
    within the limit (for an error's text), else LimitExceededError."""
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                if quiet:
                    break
                raise _too_big(response, limit)
            chunks.append(chunk)
    finally:
        response.close()
    response._content = b"".join(chunks)  # what read() sets


async def _aread_body(response: httpx.Response, limit: int, quiet: bool = False) -> None:
    """The asyncio twin of ``_read_body``."""
    chunks, size = [], 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                if quiet:
                    break
                raise _too_big(response, limit)
            chunks.append(chunk)
    finally:
        await response.aclose()
    response._content = b"".join(chunks)


async def _asend(
    http: httpx.AsyncClient,
    config: _Config,
    method: str,
    url: str,
    stream: bool = False,
    deadline: float | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """The asyncio twin of ``_send``; ``deadline`` bounds it all (``asyncio.timeout``)."""
    import asyncio

    left = _remaining(deadline)
    try:
        async with asyncio.timeout(left):
            request = http.build_request(method, url, **kwargs)
            sent = tuple(kwargs.get("headers") or ())
            for _ in range(http.max_redirects + 1):
                response = await http.send(
                    config.own_origin_only(request, sent), stream=True, follow_redirects=False
                )
                if response.next_request is None or not http.follow_redirects:
                    if not stream:
                        await _aread_body(response, config.max_message_bytes)
                    return response
                await response.aclose()
                request = response.next_request
    except TimeoutError as exc:
        if isinstance(exc, GradioClientError):
            raise
        raise GradioTimeoutError(f"{method} {url} did not finish within its timeout") from exc
    raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)


@contextmanager
def _stream(
    http: httpx.Client,
    config: _Config,
    method: str,
    url: str,
    deadline: float | None = None,
    **kwargs: Any,
) -> Iterator[httpx.Response]:
    """``http.stream`` through ``_send``; ``deadline`` bounds the reading of the body too."""
    guard = _Watchdog(deadline) if deadline is not None else None
    try:
        response = _send(http, config, method, url, stream=True, guard=guard, **kwargs)
        try:
            yield response
        except httpx.HTTPError as exc:
            if guard is not None and guard.fired:
                raise GradioTimeoutError(
                    f"{method} {url} did not finish within its timeout"
                ) from exc
            raise
        finally:
            response.close()
    finally:
        if guard is not None:
            guard.cancel()


@asynccontextmanager
async def _astream(
    http: httpx.AsyncClient,
    config: _Config,
    method: str,
    url: str,
    deadline: float | None = None,
    **kwargs: Any,
) -> AsyncIterator[httpx.Response]:
    """The asyncio twin of ``_stream``."""
    import asyncio

    try:
        async with asyncio.timeout(_remaining(deadline)):
            response = await _asend(http, config, method, url, stream=True, **kwargs)
            try:
                yield response
            finally:
                await response.aclose()
    except TimeoutError as exc:
        if isinstance(exc, GradioClientError):
            raise
        raise GradioTimeoutError(f"{method} {url} did not finish within its timeout") from exc


class _Router:
    """The pending jobs of a session and the routing of its messages; callers hold the lock."""

    def __init__(self, session_hash: str) -> None:
        self.hash = session_hash
        self._jobs: dict[str, _JobState] = {}
        # messages that came before their POST answered with the event id
        self._orphans: dict[str, list[dict[str, Any]]] = {}
        # 4.x: a cancelled job that still finishes breaks the stream with ``KeyError('<id>')``
        self._cancelled: set[str] = set()
        self.broken_by_cancel = False
        # messages for on_message callbacks, called once the lock is released
        self._deliveries: list[tuple[str, _JobState, AppMessage]] = []
        # ids of jobs that ended here (timed out, cancelled, dropped): their messages are dropped
        self._gone: dict[str, None] = {}
        self.posting = 0  # calls being posted, whose messages may come before their event id

    def _forget(self, event_id: str) -> None:
        self._gone[event_id] = None
        while len(self._gone) > _MAX_GONE:
            del self._gone[next(iter(self._gone))]

    def _idle(self) -> bool:
        """No job waits and no call is being posted: the stream may be left."""
        return not self._jobs and not self.posting

    def _expire(self) -> None:
        """Fails the jobs whose call is past its deadline, once a wait reached it (a job
        done before anyone asks still gives its result)."""
        now = time.monotonic()
        for event_id, state in list(self._jobs.items()):
            if state.deadline is not None and now >= state.deadline:
                error = GradioTimeoutError("the call did not finish within its timeout")
                self._drop(event_id, error, "failed")

    def _add(self, event_id: str, state: _JobState) -> bool:
        """Registers a job; False if messages that came early already finished it."""
        self._jobs[event_id] = state
        for msg in self._orphans.pop(event_id, []):
            if event_id in self._jobs:
                self._apply(event_id, msg)
        return event_id in self._jobs

    def _apply(self, event_id: str, msg: dict[str, Any]) -> None:
        state = self._jobs[event_id]
        message = state.apply(msg)
        if message is not None and state.on_message is not None:
            self._deliveries.append((event_id, state, message))
        if state.done:
            del self._jobs[event_id]
            self._forget(event_id)
            if state.status.stage == "cancelled" and len(self._cancelled) < _MAX_ORPHANS:
                self._cancelled.add(f"'{event_id}'")

    def _route(self, msg: dict[str, Any]) -> None:
        event_id = msg.get("event_id")
        if msg.get("message") in self._cancelled and event_id is None:
            self.broken_by_cancel = True  # the stream breaks next; the reader opens it again
            return
        if msg.get("msg") == "unexpected_error" and event_id is None:
            for state in self._jobs.values():
                state.apply(msg)
            self._jobs.clear()
        elif isinstance(event_id, str) and event_id in self._jobs:
            self._apply(event_id, msg)
        elif isinstance(event_id, str) and event_id not in self._gone:
            kept = self._orphans.get(event_id)
            if kept is None:
                while len(self._orphans) >= _MAX_ORPHANS:
                    del self._orphans[next(iter(self._orphans))]
                kept = self._orphans[event_id] = []
            if len(kept) >= _MAX_ORPHAN_MESSAGES:
                raise LimitExceededError(
                    f"the server sent more than {_MAX_ORPHAN_MESSAGES} messages for event "
                    f"{event_id[:100]!r}, which no call of this client started"
                )
            kept.append(msg)

    def _take_deliveries(self) -> list[tuple[str, _JobState, AppMessage]]:
        taken, self._deliveries = self._deliveries, []
        return taken

    def _expected_break(self) -> bool:
        """True once after the 4.x error of a cancelled job, which breaks the stream."""
        expected, self.broken_by_cancel = self.broken_by_cancel, False
        return expected

    def _drop(self, event_id: str, error: GradioClientError, stage: Stage) -> None:
        state = self._jobs.pop(event_id, None)
        if state is not None:
            state.fail(error, stage)
            self._forget(event_id)

    def _fail_jobs(self, error: GradioClientError) -> None:
        for state in self._jobs.values():
            state.fail(error)
        self._jobs.clear()

    def _running_siblings(self, of: _JobState) -> list[str]:
        """The other running jobs of an endpoint: a cancel stops them too, as Gradio does.

        Taken before the cancel is sent: a call that starts while it is answered runs on.
        """
        return [
            event_id
            for event_id, state in self._jobs.items()
            if state is not of and state.api_name == of.api_name and state.running
        ]

    def _cancel_siblings(self, event_ids: list[str]) -> None:
        for event_id in event_ids:
            state = self._jobs.get(event_id)
            if state is not None:
                error = JobCancelledError(f"cancelled with another running /{state.api_name} job")
                self._drop(event_id, error, "cancelled")


class _SyncSession(_Router):
    """A reader thread, alive while jobs are pending, feeds the session's jobs."""

    def __init__(
        self,
        http: httpx.Client,
        config: _Config,
        session_hash: str,
        relogin: Callable[[int], bool],
    ) -> None:
        super().__init__(session_hash)
        self._http = http
        self._config = config
        self._relogin = relogin
        self._cond = threading.Condition()
        self._reader: threading.Thread | None = None
        self._reading: httpx.Response | None = None  # the stream being read, to end it early
        self._left = False  # that stream was ended on purpose: its error is no failure

    def register(self, event_id: str, state: _JobState, *, reader: bool = True) -> None:
        """``reader`` False: the job's messages come from its own 3.x call, not the stream."""
        with self._cond:
            if self._add(event_id, state) and reader and self._reader is None:
                self._reader = threading.Thread(target=self._run, daemon=True)
                self._reader.start()
            deliveries = self._take_deliveries()
        self._deliver(deliveries)

    def _deliver(self, deliveries: list[tuple[str, _JobState, AppMessage]]) -> None:
        """Calls on_message on the reader thread, outside the lock; if it raises, the job fails."""
        for event_id, state, message in deliveries:
            if state.on_message is not None and not state.done:
                try:
                    state.on_message(message)
                except Exception as exc:
                    self.drop(event_id, _callback_error(exc))

    def drop(self, event_id: str, error: GradioClientError, stage: Stage = "failed") -> None:
        with self._cond:
            self._drop(event_id, error, stage)
            self._cond.notify_all()
            self._leave_if_idle()

    def wait(self, ready: Callable[[], bool], deadline: float | None) -> None:
        with self._cond:
            while not ready():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    self._expire()  # a call past its own deadline ends here, and its stream
                    self._cond.notify_all()
                    self._leave_if_idle()
                    raise GradioTimeoutError("the call did not finish within its timeout")
                self._cond.wait(left)

    def post(self, change: int) -> None:
        """A call is being posted (+1) or was (-1): its messages may come first."""
        with self._cond:
            self.posting += change
            self._leave_if_idle()

    def close(self, error: GradioClientError) -> None:
        """The client is closed: every job fails, the stream ends."""
        with self._cond:
            self._fail_jobs(error)
            self._cond.notify_all()
            self._leave_if_idle()

    def _leave_if_idle(self) -> None:
        """With no job waiting, the stream being read is ended (callers hold the lock)."""
        if self._idle() and self._reading is not None:
            self._left = True
            _shut(self._reading.extensions.get("network_stream"))

    def running_siblings(self, state: _JobState) -> list[str]:
        with self._cond:
            return self._running_siblings(state)

    def cancel_siblings(self, event_ids: list[str]) -> None:
        with self._cond:
            self._cancel_siblings(event_ids)
            self._cond.notify_all()

    def dispatch(self, msg: dict[str, Any]) -> bool:
        """Routes a message; True when it went to a job of this client."""
        with self._cond:
            known = msg.get("event_id") in self._jobs
            try:
                self._route(msg)
            finally:
                self._cond.notify_all()
            deliveries = self._take_deliveries()
        self._deliver(deliveries)
        return known

    def _fail_all(self, error: GradioClientError) -> None:
        with self._cond:
            self._fail_jobs(error)
            self._cond.notify_all()

    def _run(self) -> None:
        try:
            self._read()
        except Exception as exc:  # the reader must never die with jobs left waiting
            self._fail_all(_stream_error(exc))
        finally:
            with self._cond:
                if self._reader is threading.current_thread():
                    self._reader = None

    def _read(self) -> None:
        """Reads the stream while jobs wait on it. A stream that brought no job anything is
        opened again after a pause that doubles each time; after three in a row with no
        message at all (``close_stream`` aside), the jobs fail."""
        idle_streams = useless = 0
        relogged = False
        while True:
            if useless:
                time.sleep(min(_MAX_BACKOFF, _BACKOFF * 2**useless))
            with self._cond:
                if not self._jobs:
                    self._reader = None
                    return
            if idle_streams >= 3:
                self._fail_all(GradioConnectionError("the server closed the event stream"))
                idle_streams = 0
                continue
            got = useful = False
            try:
                url = self._config.url("/queue/data")
                logins = self._config.logins
                with _stream(
                    self._http,
                    self._config,
                    "GET",
                    url,
                    params={"session_hash": self.hash},
                    headers=self._config.headers_for(url),
                    timeout=self._config.stream_timeout(),
                ) as response:
                    if not response.is_success:
                        _read_body(response, 65536, quiet=True)
                    if response.status_code == 401 and not relogged and self._relogin(logins):
                        relogged = True  # the login cookie expired: once more, logged in
                        continue
                    self._config.check(response)
                    with self._cond:
                        self._reading = response
                        self._leave_if_idle()
                    limit = self._config.max_message_bytes
                    for line in sse_lines(response.iter_bytes(), limit):
                        msg = _sse_message(line)
                        if msg is None:
                            continue
                        if msg.get("msg") == "close_stream":
                            break
                        got, relogged = True, False
                        useful = self.dispatch(self._config.received(msg)) or useful
                        with self._cond:
                            if self._idle():
                                break
            except Exception as exc:
                with self._cond:
                    left, self._left = self._left, False
                if not left and not self._expected_break():
                    self._fail_all(_stream_error(exc))
            finally:
                with self._cond:
                    self._reading = None
                    self._left = False
            idle_streams = 0 if got else idle_streams + 1
            useless = 0 if useful else useless + 1


class _AsyncSession(_Router):
    """The asyncio twin of ``_SyncSession``: a reader task, bound to one event loop."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        config: _Config,
        session_hash: str,
        loop: asyncio.AbstractEventLoop,
        relogin: Callable[[int], Coroutine[Any, Any, bool]],
    ) -> None:
        import asyncio

        super().__init__(session_hash)
        self._http = http
        self._config = config
        self._relogin = relogin
        self.loop = loop
        self._changed = asyncio.Condition()
        self._reader: asyncio.Task[None] | None = None
        self._calls: set[asyncio.Task[None]] = set()

    async def register(self, event_id: str, state: _JobState, *, reader: bool = True) -> None:
        """``reader`` False: the job's messages come from its own 3.x call, not the stream."""
        async with self._changed:
            if self._add(event_id, state) and reader and self._reader is None:
                self._reader = self.loop.create_task(self._run())
            deliveries = self._take_deliveries()
        await self._deliver(deliveries)

    async def _deliver(self, deliveries: list[tuple[str, _JobState, AppMessage]]) -> None:
        """Calls on_message in the reader task, outside the lock; if it raises, the job fails."""
        for event_id, state, message in deliveries:
            if state.on_message is not None and not state.done:
                try:
                    state.on_message(message)
                except Exception as exc:
                    await self.drop(event_id, _callback_error(exc))

    def keep(self, call: Coroutine[Any, Any, None]) -> None:
        """Runs a 3.x call as a task that lives as long as it runs."""
        task = self.loop.create_task(call)
        self._calls.add(task)
        task.add_done_callback(self._calls.discard)

    async def drop(self, event_id: str, error: GradioClientError, stage: Stage = "failed") -> None:
        async with self._changed:
            self._drop(event_id, error, stage)
            self._changed.notify_all()
        self._leave_if_idle()

    async def wait(self, ready: Callable[[], bool], deadline: float | None) -> None:
        import asyncio

        async with self._changed:
            if ready():
                return
            try:
                left = _remaining(deadline)
                await asyncio.wait_for(self._changed.wait_for(ready), left)
            except TimeoutError as exc:
                self._expire()  # a call past its own deadline ends here, and its stream
                self._changed.notify_all()
                self._leave_if_idle()
                raise GradioTimeoutError("the call did not finish within its timeout") from exc

    def post(self, change: int) -> None:
        """A call is being posted (+1) or was (-1): its messages may come first."""
        self.posting += change
        self._leave_if_idle()

    async def close(self, error: GradioClientError) -> None:
        """The client is closed: every job fails, the stream ends."""
        async with self._changed:
            self._fail_jobs(error)
            self._changed.notify_all()
        self._leave_if_idle()

    def _leave_if_idle(self) -> None:
        """With no job waiting, the reader stops: its task is cancelled."""
        reader = self._reader
        if self._idle() and reader is not None and reader is not _current_task():
            self._reader = None  # a job that comes next starts a reader of its own
            reader.cancel()

    async def running_siblings(self, state: _JobState) -> list[str]:
        async with self._changed:
            return self._running_siblings(state)

    async def cancel_siblings(self, event_ids: list[str]) -> None:
        async with self._changed:
            self._cancel_siblings(event_ids)
            self._changed.notify_all()

    async def dispatch(self, msg: dict[str, Any]) -> bool:
        """Routes a message; True when it went to a job of this client."""
        async with self._changed:
            known = msg.get("event_id") in self._jobs
            try:
                self._route(msg)
            finally:
                self._changed.notify_all()
            deliveries = self._take_deliveries()
        await self._deliver(deliveries)
        return known

    async def _fail_all(self, error: GradioClientError) -> None:
        async with self._changed:
            self._fail_jobs(error)
            self._changed.notify_all()

    async def _run(self) -> None:
        import asyncio

        try:
            await self._read()
        except Exception as exc:  # the reader must never die with jobs left waiting
            await self._fail_all(_stream_error(exc))
        except BaseException:  # its loop is going away: the waiters go with it
            self._fail_jobs(GradioConnectionError("the event stream stopped"))
            raise
        finally:
            if self._reader is asyncio.current_task():
                self._reader = None

    async def _read(self) -> None:
        """The asyncio twin of ``_SyncSession._read``."""
        import asyncio

        idle_streams = useless = 0
        relogged = False
        while True:
            if useless:
                await asyncio.sleep(min(_MAX_BACKOFF, _BACKOFF * 2**useless))
            async with self._changed:
                if not self._jobs:
                    self._reader = None
                    return
            if idle_streams >= 3:
                await self._fail_all(GradioConnectionError("the server closed the event stream"))
                idle_streams = 0
                continue
            got = useful = False
            try:
                url = self._config.url("/queue/data")
                logins = self._config.logins
                async with _astream(
                    self._http,
                    self._config,
                    "GET",
                    url,
                    params={"session_hash": self.hash},
                    headers=self._config.headers_for(url),
                    timeout=self._config.stream_timeout(),
                ) as response:
                    if not response.is_success:
                        await _aread_body(response, 65536, quiet=True)
                    expired = response.status_code == 401 and not relogged
                    if expired and await self._relogin(logins):
                        relogged = True  # the login cookie expired: once more, logged in
                        continue
                    self._config.check(response)
                    lines = _Lines(self._config.max_message_bytes)
                    async for chunk in _and_end(response.aiter_bytes()):
                        for line in lines.feed(chunk) if chunk else lines.end():
                            msg = _sse_message(line)
                            if msg is None:
                                continue
                            if msg.get("msg") == "close_stream":
                                break
                            got, relogged = True, False
                            useful = await self.dispatch(self._config.received(msg)) or useful
                            if self._idle():
                                return
                        else:
                            continue
                        break
            except Exception as exc:
                if not self._expected_break():
                    await self._fail_all(_stream_error(exc))
            idle_streams = 0 if got else idle_streams + 1
            useless = 0 if useful else useless + 1


async def _and_end(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The chunks, then b"" for the end of the stream."""
    async for chunk in chunks:
        if chunk:
            yield chunk
    yield b""


def _current_task() -> Any:
    """The running task, or None outside one (a sync caller)."""
    import asyncio

    try:
        return asyncio.current_task()
    except RuntimeError:
        return None
