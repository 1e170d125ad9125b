"""A session's heartbeat: ``GET {prefix}/heartbeat/{session_hash}``, held open from the
session's first call until the client lets the session go.

Gradio (4.25 and later) ends a session when this connection closes: it runs the app's
``demo.unload`` handlers at once and deletes the session's ``gr.State`` (calling each one's
``delete_callback``) an hour later, or a second later under ``GRADIO_IS_E2E_TEST``. Older
versions answer 404 and keep a session's state until their LRU (10,000 sessions) drops it;
the heartbeat then ends quietly. A sync heartbeat is a daemon thread and an async one a task
of the session's event loop, so the process's exit, or the loop's end, closes it too.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import TYPE_CHECKING, Any

import httpx

from ._config import _Config
from ._transport import _astream, _stream

if TYPE_CHECKING:  # the async client imports asyncio where it needs it: 20 ms a sync user saves
    import asyncio

_REOPEN_AFTER = 1.0  # seconds, when the server ended a heartbeat (a restart, a proxy's limit)
# Gradio writes "data: ALIVE" every 15 s; a silent minute means the connection is gone
_HEARTBEAT_TIMEOUT = httpx.Timeout(10.0, read=60.0)


def _heartbeat_url(config: _Config, session_hash: str) -> str:
    return config.url(f"/heartbeat/{session_hash}")


class _SyncHeartbeat:
    """The heartbeat of one session, read by a daemon thread until ``close()``."""

    def __init__(self, http: httpx.Client, config: _Config, session_hash: str) -> None:
        self.hash = session_hash
        self._http = http
        self._config = config
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._response: httpx.Response | None = None
        self._thread = threading.Thread(target=self._run, name="gradio-heartbeat", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        url = _heartbeat_url(self._config, self.hash)
        while not self._closed.is_set():
            try:
                with _stream(
                    self._http,
                    self._config,
                    "GET",
                    url,
                    headers=self._config.headers_for(url),
                    timeout=_HEARTBEAT_TIMEOUT,
                ) as response:
                    with self._lock:
                        self._response = response
                    if not response.is_success or self._closed.is_set():
                        return  # before 4.25 there is no heartbeat route
                    for _ in response.iter_raw():
                        pass
            except Exception:
                return  # no server to tell: the session is as good as ended
            finally:
                with self._lock:
                    self._response = None
            self._closed.wait(_REOPEN_AFTER)

    def close(self) -> None:
        """Closes the connection (the app then ends the session) and joins the thread."""
        self._closed.set()
        with self._lock:
            response = self._response
        if response is not None:
            _shut(response)
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)


def _shut(response: httpx.Response) -> None:
    """Ends a streaming response another thread is blocked reading: shutting the socket
    down wakes that read at once (closing the response alone may not)."""
    stream: Any = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _AsyncHeartbeat:
    """The asyncio twin of ``_SyncHeartbeat``: a task of the session's event loop."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        config: _Config,
        session_hash: str,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.hash = session_hash
        self.loop = loop
        self._http = http
        self._config = config
        self._task = loop.create_task(self._run(), name="gradio-heartbeat")

    async def _run(self) -> None:
        import asyncio

        url = _heartbeat_url(self._config, self.hash)
        while True:
            try:
                async with _astream(
                    self._http,
                    self._config,
                    "GET",
                    url,
                    headers=self._config.headers_for(url),
                    timeout=_HEARTBEAT_TIMEOUT,
                ) as response:
                    if not response.is_success:
                        return  # before 4.25 there is no heartbeat route
                    async for _ in response.aiter_raw():
                        pass
            except Exception:
                return
            await asyncio.sleep(_REOPEN_AFTER)

    def close(self) -> None:
        """Cancels the task, which closes the connection; ``wait_closed`` awaits that."""
        with contextlib.suppress(RuntimeError):  # its loop is closed: so is the connection
            self._task.cancel()

    async def wait_closed(self) -> None:
        import asyncio

        self.close()
        if self._task.get_loop() is asyncio.get_running_loop():
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
