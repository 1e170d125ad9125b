"""Runtime of a generated Gradio client: HTTP, uploads, the session's event stream, jobs.

gradio-codegen copies this file verbatim into every generated package as ``_runtime.py``; the
generated ``client.py`` only adds typed wrappers. Its only dependency is httpx.

Protocol (Gradio 4.x and later): ``POST {prefix}/call/{api_name}`` with
``{"data": [...], "session_hash": ...}`` answers ``{"event_id"}``; the session's messages
(queue rank, progress, intermediate and final outputs) stream from
``GET {prefix}/queue/data?session_hash=...``. One stream serves every pending job of a
session, so a reader dispatches its messages to jobs by event id. The named ``call/v2``
route takes no session hash, so an app's ``gr.State`` could not follow a client across calls.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeAlias, TypeVar

import httpx

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"
T = TypeVar("T")

DEFAULT_TIMEOUT = 300.0
_CONNECT_TIMEOUT = 10.0
# The server sends a heartbeat at least every 15 s while a stream is open.
_STREAM_READ_TIMEOUT = 60.0
FILE_META = {"_type": "gradio.FileData"}


# -- errors ---------------------------------------------------------------------------------


class GradioClientError(Exception):
    """Base of every error this client raises."""


class GradioError(GradioClientError):
    """The app raised an error while handling the call (``gr.Error`` or any exception)."""

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.title = title


class HTTPStatusError(GradioClientError):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"HTTP {status_code}: {message}")
        self.status_code = status_code


class AuthenticationError(HTTPStatusError):
    """401/403: the app is private or needs a token (``token=`` or ``HF_TOKEN``)."""


class GradioConnectionError(GradioClientError):
    """The server could not be reached, or it closed the stream before the job finished."""


class GradioTimeoutError(GradioClientError, TimeoutError):
    pass


class JobCancelledError(GradioClientError):
    pass


def _raise_for_status(response: httpx.Response) -> None:
    if response.is_success:
        return
    text = response.text.strip()[:500] or response.reason_phrase
    if response.status_code in (401, 403):
        raise AuthenticationError(
            response.status_code,
            f"{text}; this app needs a valid token: pass token= or set HF_TOKEN",
        )
    raise HTTPStatusError(response.status_code, text)


# -- job state ------------------------------------------------------------------------------

Stage = Literal["pending", "queued", "processing", "iterating", "finished", "failed", "cancelled"]


@dataclass(frozen=True)
class Progress:
    index: float | None
    length: float | None
    unit: str | None
    progress: float | None
    desc: str | None


@dataclass(frozen=True)
class Status:
    """What the server last said about a job, as ``gradio_client``'s ``Job.status()`` does."""

    stage: Stage
    rank: int | None = None
    queue_size: int | None = None
    eta: float | None = None
    progress: tuple[Progress, ...] = ()
    success: bool | None = None
    time: float = field(default_factory=time.time)


@dataclass
class _JobState:
    """Applies the session stream's messages for one event; no I/O, no locking."""

    outputs: list[list[Any]] = field(default_factory=list)
    result: list[Any] | None = None
    error: GradioClientError | None = None
    status: Status = field(default_factory=lambda: Status("pending"))
    cancel_requested: bool = False

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None

    def apply(self, msg: Mapping[str, Any]) -> None:
        kind = msg.get("msg")
        st = self.status
        if kind == "estimation":
            self.status = Status(
                "queued",
                rank=msg.get("rank"),
                queue_size=msg.get("queue_size"),
                eta=msg.get("rank_eta"),
            )
        elif kind == "process_starts":
            self.status = Status("processing", eta=msg.get("eta"))
        elif kind == "progress":
            units = tuple(
                Progress(
                    u.get("index"), u.get("length"), u.get("unit"), u.get("progress"), u.get("desc")
                )
                for u in msg.get("progress_data") or ()
            )
            self.status = Status("processing", eta=st.eta, progress=units)
        elif kind == "process_generating" and msg.get("success", True):
            self.outputs.append(list(msg["output"].get("data") or []))
            self.status = Status("iterating", eta=st.eta, progress=st.progress)
        elif kind in ("process_completed", "process_generating"):
            output = msg.get("output") or {}
            if self.cancel_requested and "data" not in output:
                self.fail(JobCancelledError("the job was cancelled"), "cancelled")
            elif msg.get("success"):
                self.result = list(output.get("data") or [])
                self.status = Status("finished", success=True)
            else:
                self.fail(_app_error(output), "failed")
        elif kind == "unexpected_error":
            self.fail(GradioError(str(msg.get("message") or "unexpected error")), "failed")

    def fail(self, error: GradioClientError, stage: Stage = "failed") -> None:
        if not self.done:
            self.error = error
            self.status = Status(stage, success=False)


def _app_error(output: Mapping[str, Any]) -> GradioError:
    message = output.get("error")
    title = output.get("title")
    return GradioError(
        str(message) if message else "the app raised an error (it does not show its message)",
        str(title) if title else None,
    )


def _has_more(state: _JobState, seen: int) -> Callable[[], bool]:
    """A wait condition: an output past ``seen`` arrived, or the job ended."""
    return lambda: len(state.outputs) > seen or state.done


def iter_sse(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The JSON messages of a ``queue/data`` stream (each ``data:`` line is one message)."""
    for line in lines:
        if line.startswith("data:"):
            payload = json.loads(line[5:].strip())
            if isinstance(payload, dict):
                yield payload


# -- endpoints and values -------------------------------------------------------------------


@dataclass(frozen=True)
class EndpointSpec:
    """What the runtime needs to know of one endpoint; written by the generator."""

    api_name: str
    # positions in the wire data of the outputs the client returns (State slots are left out);
    # None when the generator had no /config: then it is read from the app on first use
    outputs: tuple[int, ...] | None
    # per input: where files sit in its value ("file", ["list", spec], ["fields", {...}], ...)
    file_specs: tuple[Any, ...] = ()
    fn_index: int | None = None


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _is_file_data(value: object) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("path"), str)


_MAGIC = (
    (b"\x89PNG", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF8", ".gif"),
    (b"%PDF", ".pdf"),
    (b"ID3", ".mp3"),
    (b"OggS", ".ogg"),
    (b"fLaC", ".flac"),
)


def _sniff_suffix(head: bytes) -> str:
    """A file suffix for raw bytes, so the app can tell an image or a sound by its name."""
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"WEBP"):
        return ".wav" if head[8:12] == b"WAVE" else ".webp"
    if head[4:8] == b"ftyp":
        return ".mp4"
    return next((suffix for magic, suffix in _MAGIC if head.startswith(magic)), "")


class _Uploads:
    """Collects the local files of one call so that a single request uploads them all."""

    def __init__(self) -> None:
        self.files: list[tuple[str, bytes | Path]] = []
        self.slots: list[dict[str, Any]] = []

    def prepare_all(self, data: list[Any], specs: Sequence[Any]) -> list[Any]:
        """One value per input; an input without a spec carries no file."""
        return [self.prepare(v, specs[i] if i < len(specs) else None) for i, v in enumerate(data)]

    def prepare(self, value: Any, spec: Any) -> Any:
        if spec is None or value is None:
            return value
        if spec == "file":
            return self._file(value)
        kind, inner = spec[0], spec[1]
        if kind == "list" and isinstance(value, list | tuple):
            return [self.prepare(v, inner) for v in value]
        if kind == "tuple" and isinstance(value, list | tuple):
            return [self.prepare(v, s) for v, s in zip(value, inner, strict=False)]
        if kind == "fields" and isinstance(value, Mapping):
            return {k: self.prepare(v, inner.get(k)) for k, v in value.items()}
        if kind == "values" and isinstance(value, Mapping):
            return {k: self.prepare(v, inner) for k, v in value.items()}
        return value

    def _file(self, value: Any) -> Any:
        if _is_file_data(value):
            return {**value, "meta": FILE_META}
        if isinstance(value, str) and _is_url(value):
            name = value.rsplit("/", 1)[-1].split("?")[0] or "file"
            return {"path": value, "url": value, "orig_name": name, "meta": FILE_META}
        if isinstance(value, bytes | bytearray):
            name = "file" + _sniff_suffix(bytes(value[:16]))
            slot: dict[str, Any] = {"orig_name": name, "meta": FILE_META}
            self.files.append((name, bytes(value)))
        elif isinstance(value, str | os.PathLike):
            path = Path(os.fspath(value))
            if not path.is_file():
                raise FileNotFoundError(f"{path} is not a file (and not an http(s) URL)")
            slot = {"orig_name": path.name, "meta": FILE_META}
            self.files.append((path.name, path))
        else:
            raise TypeError(f"cannot send {type(value).__name__} as a file")
        self.slots.append(slot)
        return slot

    def multipart(self) -> list[tuple[str, tuple[str, bytes]]]:
        return [
            ("files", (name, data if isinstance(data, bytes) else data.read_bytes()))
            for name, data in self.files
        ]

    def fill(self, paths: Sequence[Any]) -> None:
        if len(paths) != len(self.slots):
            raise GradioClientError(
                f"upload answered {len(paths)} paths for {len(self.slots)} files"
            )
        for slot, path in zip(self.slots, paths, strict=True):
            slot["path"] = str(path)


def first(data: Sequence[Any]) -> Any:
    return data[0] if data else None


def as_tuple(data: Sequence[Any]) -> Any:
    return tuple(data)


def nothing(data: Sequence[Any]) -> None:
    return None


def _pick(positions: tuple[int, ...] | None, data: list[Any]) -> list[Any]:
    if positions is None:
        return data
    return [data[i] if i < len(data) else None for i in positions]


def visible_outputs(config: Mapping[str, Any], api_name: str) -> tuple[int, ...] | None:
    """Wire positions of an endpoint's outputs that are not hidden (``gr.State``), per /config."""
    hidden = {c.get("id") for c in _dicts(config.get("components")) if c.get("skip_api")}
    found = dependency(config, api_name)
    if found is None:
        return None
    outputs = found[1].get("outputs")
    return tuple(n for n, c in enumerate(outputs or ()) if c not in hidden)


def fn_index(config: Mapping[str, Any], api_name: str) -> int | None:
    """The dependency id /config gives an endpoint: the cancel route takes only that."""
    found = dependency(config, api_name)
    if found is None:
        return None
    given = found[1].get("id")
    return given if isinstance(given, int) else found[0]


def dependency(config: Mapping[str, Any], api_name: str) -> tuple[int, Mapping[str, Any]] | None:
    """An endpoint's entry (and its index) in /config's dependencies."""
    for i, dep in enumerate(_dicts(config.get("dependencies"))):
        if str(dep.get("api_name")).lstrip("/") == api_name:
            return i, dep
    return None


def _dicts(items: Any) -> list[Mapping[str, Any]]:
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


# -- configuration shared by the sync and async clients -------------------------------------


class _Config:
    def __init__(
        self,
        base_url: str | None,
        default_base_url: str,
        api_prefix: str,
        token: str | None,
        headers: Mapping[str, str] | None,
        timeout: float | None,
    ) -> None:
        url = base_url or default_base_url
        if not url:
            raise ValueError("this client was generated from a file: pass base_url=")
        self.base_url = url.rstrip("/")
        self.prefix = api_prefix
        self.timeout = timeout
        self.headers = dict(headers or {})
        token = token if token is not None else os.environ.get("HF_TOKEN")
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.session_hash = secrets.token_hex(6)
        self.app_config: Mapping[str, Any] | None = None  # /config, read only when needed

    def positions(self, spec: EndpointSpec) -> tuple[int, ...] | None:
        if spec.outputs is not None or self.app_config is None:
            return spec.outputs
        return visible_outputs(self.app_config, spec.api_name)

    def fn_index(self, spec: EndpointSpec) -> int:
        found = spec.fn_index
        if found is None and self.app_config is not None:
            found = fn_index(self.app_config, spec.api_name)
        return -1 if found is None else found

    def cancel_body(self, spec: EndpointSpec, event_id: str) -> dict[str, Any]:
        return {
            "session_hash": self.session_hash,
            "fn_index": self.fn_index(spec),
            "event_id": event_id,
        }

    def url(self, path: str) -> str:
        return f"{self.base_url}{self.prefix}{path}"

    def http_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout, connect=_CONNECT_TIMEOUT)

    def stream_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(_STREAM_READ_TIMEOUT, connect=_CONNECT_TIMEOUT)

    def deadline(self, timeout: float | None) -> float | None:
        """``timeout`` None means the client's own."""
        seconds = self.timeout if timeout is None else timeout
        return None if seconds is None else time.monotonic() + seconds

    def merged(self, headers: Mapping[str, str] | None) -> dict[str, str]:
        return {**self.headers, **(headers or {})}

    def __repr__(self) -> str:
        return f"<{self.base_url} session={self.session_hash}>"


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise GradioTimeoutError("the call did not finish within its timeout")
    return left


# -- sync -----------------------------------------------------------------------------------


class _Router:
    """The pending jobs of a session and the routing of its messages; callers hold the lock."""

    def __init__(self) -> None:
        self._jobs: dict[str, _JobState] = {}
        # messages that came before their POST answered with the event id
        self._orphans: dict[str, list[dict[str, Any]]] = {}

    def _add(self, event_id: str, state: _JobState) -> None:
        self._jobs[event_id] = state
        for msg in self._orphans.pop(event_id, []):
            self._apply(event_id, msg)

    def _apply(self, event_id: str, msg: dict[str, Any]) -> None:
        state = self._jobs[event_id]
        state.apply(msg)
        if state.done:
            del self._jobs[event_id]

    def _route(self, msg: dict[str, Any]) -> None:
        event_id = msg.get("event_id")
        if msg.get("msg") == "unexpected_error" and event_id is None:
            for state in self._jobs.values():
                state.apply(msg)
            self._jobs.clear()
        elif isinstance(event_id, str) and event_id in self._jobs:
            self._apply(event_id, msg)
        elif isinstance(event_id, str):
            self._orphans.setdefault(event_id, []).append(msg)

    def _fail_jobs(self, error: GradioClientError) -> None:
        for state in self._jobs.values():
            state.fail(error)
        self._jobs.clear()


class _SyncSession(_Router):
    """One reader thread per session, alive while jobs are pending, dispatching by event id."""

    def __init__(self, http: httpx.Client, config: _Config) -> None:
        super().__init__()
        self._http = http
        self._config = config
        self._cond = threading.Condition()
        self._reader: threading.Thread | None = None

    def register(self, event_id: str, state: _JobState) -> None:
        with self._cond:
            self._add(event_id, state)
            if self._reader is None:
                self._reader = threading.Thread(target=self._run, daemon=True)
                self._reader.start()

    def wait(self, ready: Callable[[], bool], deadline: float | None) -> None:
        with self._cond:
            while not ready():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise GradioTimeoutError("the call did not finish within its timeout")
                self._cond.wait(left)

    def _dispatch(self, msg: dict[str, Any]) -> None:
        with self._cond:
            self._route(msg)
            self._cond.notify_all()

    def _fail_all(self, error: GradioClientError) -> None:
        with self._cond:
            self._fail_jobs(error)
            self._cond.notify_all()

    def _run(self) -> None:
        idle_streams = 0
        while True:
            with self._cond:
                if not self._jobs:
                    self._reader = None
                    return
            if idle_streams >= 3:
                self._fail_all(GradioConnectionError("the server closed the event stream"))
                continue
            got = False
            try:
                with self._http.stream(
                    "GET",
                    self._config.url("/queue/data"),
                    params={"session_hash": self._config.session_hash},
                    headers=self._config.headers,
                    timeout=self._config.stream_timeout(),
                ) as response:
                    if not response.is_success:
                        response.read()
                    _raise_for_status(response)
                    for msg in iter_sse(response.iter_lines()):
                        got = True
                        if msg.get("msg") == "close_stream":
                            break
                        self._dispatch(msg)
            except GradioClientError as exc:
                self._fail_all(exc)
            except (httpx.HTTPError, ValueError) as exc:
                self._fail_all(GradioConnectionError(f"the event stream broke: {exc}"))
            idle_streams = 0 if got else idle_streams + 1


class _JobView(Generic[T]):
    """What ``Job`` and ``AsyncJob`` read alike from a job's state."""

    def __init__(
        self,
        spec: EndpointSpec,
        positions: tuple[int, ...] | None,
        unpack: Callable[[list[Any]], T],
        event_id: str,
        state: _JobState,
        deadline: float | None,
    ) -> None:
        self._spec = spec
        self._positions = positions
        self._unpack = unpack
        self._state = state
        self._deadline = deadline
        self.event_id = event_id

    def status(self) -> Status:
        return self._state.status

    def done(self) -> bool:
        return self._state.done

    def outputs(self) -> list[T]:
        """The intermediate outputs received so far (generator endpoints)."""
        return [self._unpack(_pick(self._positions, d)) for d in list(self._state.outputs)]

    def _final(self) -> T:
        if self._state.error is not None:
            raise self._state.error
        assert self._state.result is not None
        return self._unpack(_pick(self._positions, self._state.result))

    def _outputs_after(self, seen: int) -> list[T]:
        return [self._unpack(_pick(self._positions, d)) for d in self._state.outputs[seen:]]

    def _final_is_new(self) -> bool:
        """A generator's result repeats its last output; a plain function has only a result."""
        state = self._state
        return state.error is not None or not state.outputs or state.result != state.outputs[-1]


class Job(_JobView[T]):
    """A submitted call: ``result()``, ``status()``, ``cancel()``, and iteration over outputs."""

    def __init__(
        self,
        client: SyncRuntime,
        spec: EndpointSpec,
        unpack: Callable[[list[Any]], T],
        event_id: str,
        state: _JobState,
        deadline: float | None,
    ) -> None:
        super().__init__(spec, client.config.positions(spec), unpack, event_id, state, deadline)
        self._client = client

    def result(self, timeout: float | None = None) -> T:
        """Waits for the final output; ``timeout`` defaults to what the call was given."""
        deadline = self._deadline if timeout is None else self._client.config.deadline(timeout)
        self._client.session.wait(lambda: self._state.done, deadline)
        return self._final()

    def __iter__(self) -> Iterator[T]:
        """Each output as it arrives; for a plain function, just its result."""
        seen = 0
        while True:
            self._client.session.wait(_has_more(self._state, seen), self._deadline)
            done = self._state.done  # read first: outputs only grow before it is set
            fresh = self._outputs_after(seen)
            seen += len(fresh)
            yield from fresh
            if done:
                if self._final_is_new():
                    yield self._final()
                return

    def cancel(self) -> bool:
        """Asks the server to stop the job; ``result()`` then raises ``JobCancelledError``."""
        if self._state.done:
            return False
        self._state.cancel_requested = True
        self._client.cancel(self._spec, self.event_id)
        return True


class SyncRuntime:
    """Owns the HTTP connection pool and the session; the generated ``Client`` extends it."""

    def __init__(
        self,
        base_url: str | None,
        *,
        default_base_url: str,
        api_prefix: str,
        token: str | None,
        headers: Mapping[str, str] | None,
        timeout: float | None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self.config = _Config(base_url, default_base_url, api_prefix, token, headers, timeout)
        self._http = http_client
        self._session: _SyncSession | None = None
        self._lock = threading.Lock()

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            with self._lock:
                if self._http is None:
                    self._http = httpx.Client(follow_redirects=True)
        return self._http

    @property
    def session(self) -> _SyncSession:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._session = _SyncSession(self.http, self.config)
        return self._session

    def reset_session(self) -> None:
        """Starts a new session: the app forgets this client's ``gr.State``."""
        with self._lock:
            self.config.session_hash = secrets.token_hex(6)
            self._session = None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.config!r}"

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, url, timeout=self.config.http_timeout(), **kwargs)
        except httpx.TimeoutException as exc:
            raise GradioTimeoutError(f"{method} {url} timed out") from exc
        except httpx.HTTPError as exc:
            raise GradioConnectionError(f"{method} {url} failed: {exc}") from exc
        _raise_for_status(response)
        return response

    def _submit(
        self,
        spec: EndpointSpec,
        data: list[Any],
        unpack: Callable[[list[Any]], T],
        headers: Mapping[str, str] | None,
        timeout: float | None,
    ) -> Job[T]:
        deadline = self.config.deadline(timeout)
        merged = self.config.merged(headers)
        uploads = _Uploads()
        data = uploads.prepare_all(data, spec.file_specs)
        if uploads.files:
            paths = self._request(
                "POST", self.config.url("/upload"), files=uploads.multipart(), headers=merged
            ).json()
            uploads.fill(paths)
        if spec.outputs is None:
            self._read_app_config()
        _remaining(deadline)
        response = self._request(
            "POST",
            self.config.url(f"/call/{spec.api_name}"),
            json={"data": data, "session_hash": self.config.session_hash},
            headers=merged,
        )
        event_id = str(response.json()["event_id"])
        state = _JobState()
        session = self.session
        session.register(event_id, state)
        return Job(self, spec, unpack, event_id, state, deadline)

    def _read_app_config(self) -> None:
        if self.config.app_config is None:
            self.config.app_config = self._request(
                "GET", f"{self.config.base_url}/config", headers=self.config.headers
            ).json()

    def cancel(self, spec: EndpointSpec, event_id: str) -> None:
        if spec.fn_index is None:
            self._read_app_config()
        self._request(
            "POST",
            self.config.url("/cancel"),
            json=self.config.cancel_body(spec, event_id),
            headers=self.config.headers,
        )

    def download(self, file: Mapping[str, Any] | str, dest: str | os.PathLike[str]) -> Path:
        """Saves a file output (or any URL of the app) to ``dest``; a folder keeps its name."""
        url, name = _file_url(self.config, file)
        target = _target(dest, name)
        with self.http.stream(
            "GET", url, headers=self.config.headers, timeout=self.config.http_timeout()
        ) as response:
            if not response.is_success:
                response.read()
            _raise_for_status(response)
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
        return target


_S = TypeVar("_S")


def _file_url(config: _Config, file: Mapping[str, Any] | str) -> tuple[str, str]:
    if isinstance(file, str):
        url = file
        name = file.rsplit("/", 1)[-1]
    else:
        url = file.get("url") or config.url(f"/file={file['path']}")
        name = str(file.get("orig_name") or str(file["path"]).replace("\\", "/").rsplit("/", 1)[-1])
    if not _is_url(str(url)):
        url = config.base_url + "/" + str(url).lstrip("/")
    name = Path(name).name
    return str(url), name if name not in ("", ".", "..") else "download"


def _target(dest: str | os.PathLike[str], name: str) -> Path:
    path = Path(dest)
    if path.is_dir() or os.fspath(dest).endswith(("/", os.sep)):
        path = path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# -- async ----------------------------------------------------------------------------------


class _AsyncSession(_Router):
    """The asyncio twin of ``_SyncSession``: one reader task while jobs are pending."""

    def __init__(self, http: httpx.AsyncClient, config: _Config) -> None:
        super().__init__()
        self._http = http
        self._config = config
        self._changed = asyncio.Condition()
        self._reader: asyncio.Task[None] | None = None

    async def register(self, event_id: str, state: _JobState) -> None:
        async with self._changed:
            self._add(event_id, state)
            if self._reader is None:
                self._reader = asyncio.get_running_loop().create_task(self._run())

    async def wait(self, ready: Callable[[], bool], deadline: float | None) -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(ready), _remaining(deadline))
            except TimeoutError as exc:
                raise GradioTimeoutError("the call did not finish within its timeout") from exc

    async def _dispatch(self, msg: dict[str, Any]) -> None:
        async with self._changed:
            self._route(msg)
            self._changed.notify_all()

    async def _fail_all(self, error: GradioClientError) -> None:
        async with self._changed:
            self._fail_jobs(error)
            self._changed.notify_all()

    async def _run(self) -> None:
        idle_streams = 0
        while True:
            async with self._changed:
                if not self._jobs:
                    self._reader = None
                    return
            if idle_streams >= 3:
                await self._fail_all(GradioConnectionError("the server closed the event stream"))
                continue
            got = False
            try:
                async with self._http.stream(
                    "GET",
                    self._config.url("/queue/data"),
                    params={"session_hash": self._config.session_hash},
                    headers=self._config.headers,
                    timeout=self._config.stream_timeout(),
                ) as response:
                    if not response.is_success:
                        await response.aread()
                    _raise_for_status(response)
                    async for line in response.aiter_lines():
                        for msg in iter_sse((line,)):
                            got = True
                            if msg.get("msg") == "close_stream":
                                break
                            await self._dispatch(msg)
                        else:
                            continue
                        break
            except GradioClientError as exc:
                await self._fail_all(exc)
            except (httpx.HTTPError, ValueError) as exc:
                await self._fail_all(GradioConnectionError(f"the event stream broke: {exc}"))
            idle_streams = 0 if got else idle_streams + 1


class AsyncJob(_JobView[T]):
    """The asyncio twin of ``Job``: ``await job.result()``, ``async for`` over outputs."""

    def __init__(
        self,
        client: AsyncRuntime,
        spec: EndpointSpec,
        unpack: Callable[[list[Any]], T],
        event_id: str,
        state: _JobState,
        deadline: float | None,
    ) -> None:
        super().__init__(spec, client.config.positions(spec), unpack, event_id, state, deadline)
        self._client = client

    async def result(self, timeout: float | None = None) -> T:
        deadline = self._deadline if timeout is None else self._client.config.deadline(timeout)
        await (await self._client.session()).wait(lambda: self._state.done, deadline)
        return self._final()

    async def __aiter__(self) -> AsyncIterator[T]:
        seen = 0
        session = await self._client.session()
        while True:
            await session.wait(_has_more(self._state, seen), self._deadline)
            done = self._state.done  # read first: outputs only grow before it is set
            fresh = self._outputs_after(seen)
            seen += len(fresh)
            for output in fresh:
                yield output
            if done:
                if self._final_is_new():
                    yield self._final()
                return

    async def cancel(self) -> bool:
        if self._state.done:
            return False
        self._state.cancel_requested = True
        await self._client.cancel(self._spec, self.event_id)
        return True


class AsyncRuntime:
    """The asyncio twin of ``SyncRuntime``; the generated ``AsyncClient`` extends it."""

    def __init__(
        self,
        base_url: str | None,
        *,
        default_base_url: str,
        api_prefix: str,
        token: str | None,
        headers: Mapping[str, str] | None,
        timeout: float | None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.config = _Config(base_url, default_base_url, api_prefix, token, headers, timeout)
        self._http = http_client
        self._session: _AsyncSession | None = None

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(follow_redirects=True)
        return self._http

    async def session(self) -> _AsyncSession:
        if self._session is None:
            self._session = _AsyncSession(self.http, self.config)
        return self._session

    def reset_session(self) -> None:
        """Starts a new session: the app forgets this client's ``gr.State``."""
        self.config.session_hash = secrets.token_hex(6)
        self._session = None

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    async def __aenter__(self: _S) -> _S:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.config!r}"

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self.http.request(
                method, url, timeout=self.config.http_timeout(), **kwargs
            )
        except httpx.TimeoutException as exc:
            raise GradioTimeoutError(f"{method} {url} timed out") from exc
        except httpx.HTTPError as exc:
            raise GradioConnectionError(f"{method} {url} failed: {exc}") from exc
        _raise_for_status(response)
        return response

    async def _submit(
        self,
        spec: EndpointSpec,
        data: list[Any],
        unpack: Callable[[list[Any]], T],
        headers: Mapping[str, str] | None,
        timeout: float | None,
    ) -> AsyncJob[T]:
        deadline = self.config.deadline(timeout)
        merged = self.config.merged(headers)
        uploads = _Uploads()
        data = uploads.prepare_all(data, spec.file_specs)
        if uploads.files:
            response = await self._request(
                "POST", self.config.url("/upload"), files=uploads.multipart(), headers=merged
            )
            uploads.fill(response.json())
        if spec.outputs is None:
            await self._read_app_config()
        _remaining(deadline)
        response = await self._request(
            "POST",
            self.config.url(f"/call/{spec.api_name}"),
            json={"data": data, "session_hash": self.config.session_hash},
            headers=merged,
        )
        event_id = str(response.json()["event_id"])
        state = _JobState()
        await (await self.session()).register(event_id, state)
        return AsyncJob(self, spec, unpack, event_id, state, deadline)

    async def _read_app_config(self) -> None:
        if self.config.app_config is None:
            response = await self._request(
                "GET", f"{self.config.base_url}/config", headers=self.config.headers
            )
            self.config.app_config = response.json()

    async def cancel(self, spec: EndpointSpec, event_id: str) -> None:
        if spec.fn_index is None:
            await self._read_app_config()
        await self._request(
            "POST",
            self.config.url("/cancel"),
            json=self.config.cancel_body(spec, event_id),
            headers=self.config.headers,
        )

    async def download(self, file: Mapping[str, Any] | str, dest: str | os.PathLike[str]) -> Path:
        """Saves a file output (or any URL of the app) to ``dest``; a folder keeps its name."""
        url, name = _file_url(self.config, file)
        target = _target(dest, name)
        async with self.http.stream(
            "GET", url, headers=self.config.headers, timeout=self.config.http_timeout()
        ) as response:
            if not response.is_success:
                await response.aread()
            _raise_for_status(response)
            with target.open("wb") as out:
                async for chunk in response.aiter_bytes():
                    out.write(chunk)
        return target
