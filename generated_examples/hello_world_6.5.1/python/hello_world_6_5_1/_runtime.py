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

import base64
import itertools
import json
import mimetypes
import os
import secrets
import threading
import time
from collections.abc import (
    AsyncIterator,
    Callable,
    Collection,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeAlias, TypeVar
from urllib.parse import quote

import httpx

if TYPE_CHECKING:  # the async client imports asyncio where it needs it: 20 ms a sync user saves
    import asyncio

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"
T = TypeVar("T")

DEFAULT_TIMEOUT = 300.0
DEFAULT_RETRIES = 3  # for a call the server did not take: 429, 503, or no connection
_MAX_BACKOFF = 10.0
_CONNECT_TIMEOUT = 10.0
# The server sends a heartbeat at least every 15 s while a stream is open.
_STREAM_READ_TIMEOUT = 120.0
_MAX_ORPHANS = 256
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
    """401/403: the app needs a login (``auth=``), or its Space a token (``token=``)."""


class ValidationError(HTTPStatusError):
    """422: the app's validator rejected the inputs before running; ``errors`` maps each
    failing input, by the app's own name, to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        lines = "".join(f"\n- {name}: {text}" for name, text in self.errors.items())
        super().__init__(422, f"{len(self.errors)} input(s) failed validation:{lines}")


class GradioConnectionError(GradioClientError):
    """The server could not be reached, or it closed the stream before the job finished."""


class GradioTimeoutError(GradioClientError, TimeoutError):
    pass


class JobCancelledError(GradioClientError):
    pass


def _raise_for_status(response: httpx.Response, logged_in: bool = False) -> None:
    if response.is_success:
        return
    text = response.text.strip()[:500] or response.reason_phrase
    if response.status_code == 422:
        errors = _validation_errors(response)
        if errors:
            raise ValidationError(errors)
    if response.status_code in (401, 403):
        if "Not authenticated" not in text:  # Gradio's own word for a missing login
            hint = "this app needs a valid token: pass token= or set HF_TOKEN"
        elif logged_in:
            hint = "the app refused the login session"
        else:
            hint = 'this app needs a login: pass auth=("user", "password") to the client'
        raise AuthenticationError(response.status_code, f"{text}; {hint}")
    raise HTTPStatusError(response.status_code, text)


def _validation_errors(response: httpx.Response) -> dict[str, str]:
    """The failing inputs of a 422 from ``validator=``, as gradio_client names them."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return {}
    errors: dict[str, str] = {}
    for i, item in enumerate(detail if isinstance(detail, list) else ()):
        failed = isinstance(item, Mapping) and item.get("__type__") == "validate"
        if failed and item.get("is_valid") is False:
            name = item.get("parameter_name")
            errors[str(name) if name else f"parameter_{i}"] = str(item.get("message") or "")
    return errors


# -- tokens: which host may see which ---------------------------------------------------------


def is_hf_host(url: str) -> bool:
    """A Hugging Face host: a Space (``*.hf.space``), the Hub, or the host and port of
    ``HF_ENDPOINT`` (another port of that host may be anyone's app).

    Only these get ``HF_TOKEN`` from the environment unasked.
    """
    app = httpx.URL(url)
    host = (app.host or "").lower().rstrip(".")
    endpoint = os.environ.get("HF_ENDPOINT", "").strip()
    hub = httpx.URL(endpoint) if endpoint else None
    same_as_hub = hub is not None and (host, app.port) == (hub.host.lower().rstrip("."), hub.port)
    return host.endswith(".hf.space") or host == "huggingface.co" or (bool(host) and same_as_hub)


def app_token(url: str, token: str | None, send_env_token: bool = False) -> str | None:
    """The token an app at ``url`` gets: an explicit one always, ``HF_TOKEN`` only on
    Hugging Face's hosts unless ``send_env_token``; ``token=""`` sends none."""
    if token is not None:
        return token or None
    env = os.environ.get("HF_TOKEN") or None
    return env if env and (send_env_token or is_hf_host(url)) else None


# -- job state ------------------------------------------------------------------------------

Stage = Literal["pending", "queued", "processing", "iterating", "finished", "failed", "cancelled"]
MessageLevel = Literal["info", "warning", "success", "error"]
_LEVELS: tuple[MessageLevel, ...] = ("info", "warning", "success", "error")


@dataclass(frozen=True)
class AppMessage:
    """What the app showed while the job ran: ``gr.Info``, ``gr.Warning``, ``gr.Success``.

    ``title`` is None where the version sends none (4.x).
    """

    level: MessageLevel
    text: str
    title: str | None = None


def _message(msg: Mapping[str, Any]) -> AppMessage:
    level = str(msg.get("level") or "info").lower()
    title = msg.get("title")
    return AppMessage(
        next((known for known in _LEVELS if known == level), "info"),
        str(msg.get("log") or ""),
        str(title) if title else None,
    )


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

    api_name: str
    outputs: list[list[Any]] = field(default_factory=list)
    result: list[Any] | None = None
    error: GradioClientError | None = None
    status: Status = field(default_factory=lambda: Status("pending"))
    cancel_requested: bool = False
    messages: list[AppMessage] = field(default_factory=list)
    on_message: Callable[[AppMessage], object] | None = None

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None

    @property
    def running(self) -> bool:
        return self.status.stage in ("processing", "iterating")

    def apply(self, msg: Mapping[str, Any]) -> AppMessage | None:
        """Applies one message; returns it as an ``AppMessage`` when it is one the app showed."""
        kind = msg.get("msg")
        st = self.status
        output = msg.get("output")
        output = output if isinstance(output, Mapping) else {}
        if kind == "log" and not self.done:
            message = _message(msg)
            self.messages.append(message)
            return message
        if kind == "estimation":
            self.status = Status(
                "queued",
                rank=_number(msg.get("rank")),
                queue_size=_number(msg.get("queue_size")),
                eta=_number(msg.get("rank_eta")),
            )
        elif kind == "process_starts":
            self.status = Status("processing", eta=_number(msg.get("eta")))
        elif kind == "progress":
            units = msg.get("progress_data")
            self.status = Status(
                "processing",
                eta=st.eta,
                progress=tuple(_progress(u) for u in units if isinstance(u, Mapping))
                if isinstance(units, list)
                else (),
            )
        elif kind == "process_generating" and msg.get("success", True):
            self.outputs.append(_data(output))
            self.status = Status("iterating", eta=st.eta, progress=st.progress)
        elif kind in ("process_completed", "process_generating"):
            if not msg.get("success"):
                self.fail(_app_error(output, msg.get("title")), "failed")
            elif self.cancel_requested and "data" not in output:
                # what the server sends for a cancelled job: success, but no data
                self.fail(JobCancelledError("the job was cancelled"), "cancelled")
            else:
                self.result = _data(output)
                self.status = Status("finished", success=True)
        elif kind == "unexpected_error":
            self.fail(GradioError(str(msg.get("message") or "unexpected error")), "failed")
        return None

    def fail(self, error: GradioClientError, stage: Stage = "failed") -> None:
        if not self.done:
            self.error = error
            self.status = Status(stage, success=False)


def _data(output: Mapping[str, Any]) -> list[Any]:
    data = output.get("data")
    return list(data) if isinstance(data, list) else []


def _number(value: Any) -> Any:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _progress(unit: Mapping[str, Any]) -> Progress:
    desc, name = unit.get("desc"), unit.get("unit")
    return Progress(
        _number(unit.get("index")),
        _number(unit.get("length")),
        name if isinstance(name, str) else None,
        _number(unit.get("progress")),
        desc if isinstance(desc, str) else None,
    )


def _app_error(output: Mapping[str, Any], title: Any = None) -> GradioError:
    """5.x and later send an error's title (``gr.Error(title=)``, ZeroGPU's quota errors)."""
    message = output.get("error")
    title = output.get("title") or title
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
    # positions in the wire data of hidden inputs (gr.State), sent as null; None when the
    # generator had no /config: then it is read from the app on first use
    state_inputs: tuple[int, ...] | None = ()


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
    """Collects the local files of one call so that a single request uploads them all.

    ``legacy`` (Gradio 3.x) sends files as ``{"name": <server path>, "is_file": true, ...}``
    instead of FileData ``{"path": ..., "meta": ...}``.
    """

    def __init__(self, legacy: bool = False) -> None:
        self.files: list[tuple[str, bytes | Path]] = []
        self.slots: list[dict[str, Any]] = []
        self._key = "name" if legacy else "path"
        self._legacy = legacy

    def prepare_all(self, data: list[Any], specs: Sequence[Any]) -> list[Any]:
        """One value per input; an input without a spec carries no file."""
        return [self.prepare(v, specs[i] if i < len(specs) else None) for i, v in enumerate(data)]

    def prepare(self, value: Any, spec: Any) -> Any:
        if spec is None or value is None:
            return value
        if spec == "file":
            return self._file(value)
        if spec == "data_url":
            return _data_url(value)
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

    def _slot(self, name: str, at: str | None = None) -> dict[str, Any]:
        slot: dict[str, Any] = (
            {"data": None, "is_file": True, "orig_name": name}
            if self._legacy
            else {"orig_name": name, "meta": FILE_META}
        )
        if at is not None:
            slot[self._key] = at
        return slot

    def _file(self, value: Any) -> Any:
        if _is_file_data(value):
            if not self._legacy:
                return {**value, "meta": FILE_META}
            given = str(value["path"])
            return self._slot(str(value.get("orig_name") or Path(given).name), given)
        if isinstance(value, str) and _is_url(value):
            name = value.rsplit("/", 1)[-1].split("?")[0] or "file"
            return {**self._slot(name, value), **({} if self._legacy else {"url": value})}
        if isinstance(value, bytes | bytearray):
            name = "file" + _sniff_suffix(bytes(value[:16]))
            self.files.append((name, bytes(value)))
        elif isinstance(value, str | os.PathLike):
            path = Path(os.fspath(value))
            if not path.is_file():
                raise FileNotFoundError(f"{path} is not a file (and not an http(s) URL)")
            name = path.name
            self.files.append((name, path))
        else:
            raise TypeError(f"cannot send {type(value).__name__} as a file")
        slot = self._slot(name)
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
            slot[self._key] = str(path)


def _data_url(value: Any) -> Any:
    """A 3.x Image input: the file itself, base64-encoded; URLs and app files go as their URL."""
    if _is_file_data(value):
        return value.get("url") or value["path"]
    if isinstance(value, str) and (_is_url(value) or value.startswith("data:")):
        return value
    if isinstance(value, bytes | bytearray):
        data, name = bytes(value), "file" + _sniff_suffix(bytes(value[:16]))
    elif isinstance(value, str | os.PathLike):
        path = Path(os.fspath(value))
        if not path.is_file():
            raise FileNotFoundError(f"{path} is not a file (and not an http(s) URL)")
        data, name = path.read_bytes(), path.name
    else:
        raise TypeError(f"cannot send {type(value).__name__} as a file")
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


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
                answer = response.json()
            except ValueError:
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
        answer = response.json()
        data = _from_legacy(answer.get("data"), self._config)
        if answer.get("is_generating"):
            self._last = data
            return {**message, "msg": "process_generating", "output": {"data": data}}
        final = self._last if self._last is not None else data
        return {**message, "msg": "process_completed", "output": {"data": final}}


def _unquote(error: str) -> str:
    """3.x and 4.x show a ``gr.Error`` as its repr: ``'boom'``, ``"it's"``, ``'a\\'b'``."""
    if len(error) < 2 or error[0] != error[-1] or error[0] not in "'\"":
        return error
    import ast  # only old apps' errors need it

    try:
        text = ast.literal_eval(error)  # a literal only: nothing in it runs
    except (ValueError, SyntaxError):
        return error
    return text if isinstance(text, str) else error


def _from_legacy(value: Any, config: _Config) -> Any:
    """3.x file results (``{"name", "is_file", ...}``) as FileData, so ``download`` takes them."""
    if isinstance(value, list):
        return [_from_legacy(v, config) for v in value]
    if not isinstance(value, Mapping):
        return value
    path = value.get("name")
    if isinstance(path, str) and "is_file" in value:
        return {
            "path": path,
            "url": path if _is_url(path) else config.url("/file=" + quote(path)),
            "orig_name": value.get("orig_name") or path.replace("\\", "/").rsplit("/", 1)[-1],
            "size": value.get("size"),
            "meta": FILE_META,
        }
    return {k: _from_legacy(v, config) for k, v in value.items()}


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


def visible_outputs(
    config: Mapping[str, Any], api_name: str, index: int | None = None
) -> tuple[int, ...] | None:
    """Wire positions of an endpoint's outputs that are not hidden (``gr.State``), per /config."""
    hidden = _hidden_ids(config)
    found = dependency(config, api_name, index)
    if found is None:
        return None
    outputs = found[1].get("outputs")
    return tuple(n for n, c in enumerate(outputs or ()) if c not in hidden)


def state_inputs(
    config: Mapping[str, Any], api_name: str, index: int | None = None
) -> tuple[int, ...] | None:
    """Wire positions of an endpoint's hidden inputs, which the data carries as null."""
    hidden = _hidden_ids(config)
    found = dependency(config, api_name, index)
    if found is None:
        return None
    inputs = found[1].get("inputs")
    return tuple(n for n, c in enumerate(inputs or ()) if c in hidden)


def _hidden_ids(config: Mapping[str, Any]) -> set[Any]:
    """Components left out of the API: ``skip_api`` (4.x and later) or a 3.x ``state``."""
    return {
        c.get("id")
        for c in _dicts(config.get("components"))
        if c.get("skip_api") or c.get("type") == "state"
    }


def fn_index(config: Mapping[str, Any], api_name: str, index: int | None = None) -> int | None:
    """The dependency id /config gives an endpoint: the cancel route takes only that."""
    found = dependency(config, api_name, index)
    if found is None:
        return None
    given = found[1].get("id")
    return given if isinstance(given, int) else found[0]


def dependency(
    config: Mapping[str, Any], api_name: str, index: int | None = None
) -> tuple[int, Mapping[str, Any]] | None:
    """An endpoint's entry (and its index) in /config's dependencies.

    ``index`` finds a 3.x endpoint that has no api_name: its fn index is its place in the list.
    """
    deps = _dicts(config.get("dependencies"))
    if index is not None:
        return (index, deps[index]) if 0 <= index < len(deps) else None
    for i, dep in enumerate(deps):
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
        protocol: str,
        token: str | None,
        headers: Mapping[str, str] | None,
        timeout: float | None,
        retries: int = DEFAULT_RETRIES,
        send_env_token: bool = False,
        auth: tuple[str, str] | None = None,
    ) -> None:
        url = base_url or default_base_url
        if not url:
            raise ValueError("this client was generated from a file: pass base_url=")
        self.base_url = url.rstrip("/")
        self.origin = _origin(self.base_url)
        self.prefix = api_prefix
        self.oneshot = protocol == "oneshot"
        self.timeout = timeout
        self.retries = retries
        self.headers = dict(headers or {})
        # to an app a token goes as x-hf-authorization: HF's proxy reads and strips it, so the
        # Space's own code never sees it; Authorization is for the Hub API alone
        token = app_token(self.base_url, token, send_env_token)
        if token:
            self.headers["x-hf-authorization"] = f"Bearer {token}"
        if auth is not None and (len(auth) != 2 or not all(isinstance(a, str) for a in auth)):
            raise TypeError('auth= takes ("user", "password")')
        self._auth = auth
        self.logins = 0  # logins made: a 401 after one means the cookie expired
        self.app_config: Mapping[str, Any] | None = None  # /config, read only when needed

    def url(self, path: str) -> str:
        return f"{self.base_url}{self.prefix}{path}"

    @property
    def needs_login(self) -> bool:
        return self._auth is not None

    def login_request(self) -> tuple[str, dict[str, str]]:
        """Gradio's login route (at the app's root on every version) and its form."""
        assert self._auth is not None
        user, password = self._auth
        return f"{self.base_url}/login", {"username": user, "password": password}

    def login_failed(self, response: httpx.Response) -> AuthenticationError:
        assert self._auth is not None
        if response.has_redirect_location:  # not followed: the form is for this app alone
            moved = response.headers["location"][:200]
            return AuthenticationError(
                response.status_code,
                f"login as {self._auth[0]!r} failed: the app redirected it to {moved}; "
                "pass the app's own URL as base_url",
            )
        text = response.text.strip()[:200] or response.reason_phrase
        return AuthenticationError(
            response.status_code, f"login as {self._auth[0]!r} failed: {text}; check auth="
        )

    def is_own(self, url: str) -> bool:
        return _origin(url) == self.origin

    def check(self, response: httpx.Response) -> None:
        _raise_for_status(response, logged_in=self.logins > 0)

    def retry_after(
        self, attempt: int, outcome: httpx.Response | GradioClientError, deadline: float | None
    ) -> float | None:
        """Seconds to wait before posting a call again, or None to give up.

        Only where the server certainly queued nothing: 429 or 503 (a full queue), or a
        connection that was never made. A job is never submitted twice.
        """
        if attempt >= self.retries:
            return None
        if isinstance(outcome, httpx.Response):
            if outcome.status_code not in (429, 503):
                return None
            given = outcome.headers.get("retry-after", "")
            delay = float(given) if given.isdigit() else 0.5 * 2**attempt
        elif isinstance(outcome.__cause__, httpx.ConnectError):
            delay = 0.5 * 2**attempt
        else:
            return None
        left = _remaining(deadline) if deadline is not None else None
        delay = min(delay, _MAX_BACKOFF)
        return None if left is not None and delay >= left else delay

    def headers_for(self, url: str) -> dict[str, str]:
        """The client's headers (and token) go to the app's own origin only."""
        return dict(self.headers) if _origin(url) == self.origin else {}

    def own_origin_only(self, request: httpx.Request, sent: Collection[str]) -> httpx.Request:
        """A request bound for another origin (a redirect's next hop) loses the headers sent
        (the client's and the call's), the token and the pool's cookies: httpx drops only
        ``Authorization``, and a cookie is sent to every port of its host."""
        if not self.is_own(str(request.url)):
            for name in (*sent, "x-hf-authorization", "cookie"):
                if name.lower() != "host":  # httpx has set the next hop's own
                    request.headers.pop(name, None)
        return request

    def http_timeout(self, deadline: float | None = None) -> httpx.Timeout:
        seconds = self.timeout
        left = _remaining(deadline)
        if left is not None:
            seconds = left if seconds is None else min(seconds, left)
        return httpx.Timeout(seconds, connect=_CONNECT_TIMEOUT)

    def stream_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(_STREAM_READ_TIMEOUT, connect=_CONNECT_TIMEOUT)

    def deadline(self, timeout: float | None) -> float | None:
        """``timeout`` None means the client's own."""
        seconds = self.timeout if timeout is None else timeout
        return None if seconds is None else time.monotonic() + seconds

    def needs_app_config(self, spec: EndpointSpec) -> bool:
        return self.app_config is None and (spec.outputs is None or spec.state_inputs is None)

    def positions(self, spec: EndpointSpec) -> tuple[int, ...] | None:
        if spec.outputs is not None or self.app_config is None:
            return spec.outputs
        return visible_outputs(self.app_config, spec.api_name, self._index(spec))

    def wire_data(self, spec: EndpointSpec, data: list[Any]) -> list[Any]:
        """The inputs with null at each hidden (State) slot: the server indexes inputs by slot."""
        hidden = spec.state_inputs
        if hidden is None and self.app_config is not None:
            hidden = state_inputs(self.app_config, spec.api_name, self._index(spec))
        wire = list(data)
        for position in sorted(hidden or ()):
            wire.insert(position, None)
        return wire

    def call(self, spec: EndpointSpec, data: list[Any], session: str) -> tuple[str, Any]:
        """The URL and JSON body that start a call, per protocol (see docs/protocols.md)."""
        body: dict[str, Any] = {"data": self.wire_data(spec, data), "session_hash": session}
        if not self.oneshot:
            return self.url(f"/call/{spec.api_name}"), body
        if spec.fn_index is not None:  # it overrides the route's name; unnamed fns need it
            body["fn_index"] = spec.fn_index
        return self.url(f"/run/{spec.api_name}"), body

    def received(self, msg: dict[str, Any]) -> dict[str, Any]:
        """A stream message as 5.x and later send it; 4.x (no prefix) needs two repairs.

        4.x shows a ``gr.Error`` as its repr (``'boom'``), and builds a result file's URL from
        the route that answered (``/call/file=...``, which is a 404): the URL is rebuilt from
        the file's path.
        """
        output = msg.get("output")
        if self.prefix or not isinstance(output, Mapping):
            return msg
        error = output.get("error")
        repaired = dict(output)
        if "data" in output:  # a cancelled job's completion has none, and must keep none
            repaired["data"] = self._file_urls(output["data"])
        if isinstance(error, str):
            repaired["error"] = _unquote(error)
        return {**msg, "output": repaired}

    def _file_urls(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._file_urls(v) for v in value]
        if not isinstance(value, Mapping):
            return value
        path, url = value.get("path"), value.get("url")
        if isinstance(path, str) and isinstance(url, str) and "/file=" in url:
            return {**value, "url": self.url("/file=" + quote(path))}
        return {k: self._file_urls(v) for k, v in value.items()}

    def _index(self, spec: EndpointSpec) -> int | None:
        """3.x endpoints without an api_name are found in /config by their fn index alone."""
        return spec.fn_index if self.oneshot else None

    def cancel_body(self, spec: EndpointSpec, session: str, event_id: str, queued: bool) -> Any:
        """A queued job is named by a fn index no task has, so no running job is stopped with it.

        The server stops every running task of the endpoint in the session, not just one.
        """
        found = None if queued else spec.fn_index
        if found is None and not queued and self.app_config is not None:
            found = fn_index(self.app_config, spec.api_name)
        return {
            "session_hash": session,
            "fn_index": -1 if found is None else found,
            "event_id": event_id,
        }

    def __repr__(self) -> str:
        return f"<{self.origin}{httpx.URL(self.base_url).path.rstrip('/')}>"


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.host}:{parsed.port or ''}"


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise GradioTimeoutError("the call did not finish within its timeout")
    return left


@contextmanager
def _http_errors(method: str, url: str) -> Iterator[None]:
    """httpx's exceptions as this client's, for the sync and async requests alike."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise GradioTimeoutError(f"{method} {url} timed out") from exc
    except httpx.HTTPError as exc:
        raise GradioConnectionError(f"{method} {url} failed: {exc}") from exc
    except RuntimeError as exc:  # httpx's word for a closed client
        raise GradioClientError(f"the client is closed ({exc})") from exc


def _send(
    http: httpx.Client, config: _Config, method: str, url: str, stream: bool = False, **kwargs: Any
) -> httpx.Response:
    """One request, its redirects (where the pool follows any) followed hop by hop, each
    through ``own_origin_only``."""
    request = http.build_request(method, url, **kwargs)
    sent = tuple(kwargs.get("headers") or ())
    for _ in range(http.max_redirects + 1):
        response = http.send(
            config.own_origin_only(request, sent), stream=stream, follow_redirects=False
        )
        if response.next_request is None or not http.follow_redirects:
            return response
        response.close()
        request = response.next_request
    raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)


async def _asend(
    http: httpx.AsyncClient,
    config: _Config,
    method: str,
    url: str,
    stream: bool = False,
    **kwargs: Any,
) -> httpx.Response:
    """The asyncio twin of ``_send``."""
    request = http.build_request(method, url, **kwargs)
    sent = tuple(kwargs.get("headers") or ())
    for _ in range(http.max_redirects + 1):
        response = await http.send(
            config.own_origin_only(request, sent), stream=stream, follow_redirects=False
        )
        if response.next_request is None or not http.follow_redirects:
            return response
        await response.aclose()
        request = response.next_request
    raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)


@contextmanager
def _stream(
    http: httpx.Client, config: _Config, method: str, url: str, **kwargs: Any
) -> Iterator[httpx.Response]:
    """``http.stream`` through ``_send``."""
    response = _send(http, config, method, url, stream=True, **kwargs)
    try:
        yield response
    finally:
        response.close()


@asynccontextmanager
async def _astream(
    http: httpx.AsyncClient, config: _Config, method: str, url: str, **kwargs: Any
) -> AsyncIterator[httpx.Response]:
    """The asyncio twin of ``_stream``."""
    response = await _asend(http, config, method, url, stream=True, **kwargs)
    try:
        yield response
    finally:
        await response.aclose()


def _file_url(config: _Config, file: Mapping[str, Any] | str) -> tuple[str, str]:
    if isinstance(file, str):
        url = file
        name = file.split("?", 1)[0].rsplit("/", 1)[-1]
    else:
        path = str(file["path"])
        url = file.get("url") or config.url("/file=" + quote(path))
        name = str(file.get("orig_name") or path.replace("\\", "/").rsplit("/", 1)[-1])
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


# -- sessions: one event stream per session, its messages routed to jobs by event id --------


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
        elif isinstance(event_id, str):
            while len(self._orphans) >= _MAX_ORPHANS:
                del self._orphans[next(iter(self._orphans))]
            self._orphans.setdefault(event_id, []).append(msg)

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


def _callback_error(exc: Exception) -> GradioClientError:
    error = GradioClientError(f"on_message raised {exc!r}")
    error.__cause__ = exc
    return error


def _stream_error(exc: Exception) -> GradioClientError:
    if isinstance(exc, GradioClientError):
        return exc
    return GradioConnectionError(f"the event stream broke: {exc!r}")


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

    def wait(self, ready: Callable[[], bool], deadline: float | None) -> None:
        with self._cond:
            while not ready():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise GradioTimeoutError("the call did not finish within its timeout")
                self._cond.wait(left)

    def running_siblings(self, state: _JobState) -> list[str]:
        with self._cond:
            return self._running_siblings(state)

    def cancel_siblings(self, event_ids: list[str]) -> None:
        with self._cond:
            self._cancel_siblings(event_ids)
            self._cond.notify_all()

    def dispatch(self, msg: dict[str, Any]) -> None:
        with self._cond:
            self._route(msg)
            self._cond.notify_all()
            deliveries = self._take_deliveries()
        self._deliver(deliveries)

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
        idle_streams = 0
        relogged = False
        while True:
            with self._cond:
                if not self._jobs:
                    self._reader = None
                    return
            if idle_streams >= 3:
                self._fail_all(GradioConnectionError("the server closed the event stream"))
                idle_streams = 0
                continue
            got = False
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
                        response.read()
                    if response.status_code == 401 and not relogged and self._relogin(logins):
                        relogged = True  # the login cookie expired: once more, logged in
                        continue
                    self._config.check(response)
                    for msg in iter_sse(response.iter_lines()):
                        got, relogged = True, False
                        if msg.get("msg") == "close_stream":
                            break
                        self.dispatch(self._config.received(msg))
            except Exception as exc:
                if not self._expected_break():
                    self._fail_all(_stream_error(exc))
            idle_streams = 0 if got else idle_streams + 1


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

    async def wait(self, ready: Callable[[], bool], deadline: float | None) -> None:
        import asyncio

        async with self._changed:
            if ready():
                return
            left = _remaining(deadline)
            try:
                await asyncio.wait_for(self._changed.wait_for(ready), left)
            except TimeoutError as exc:
                raise GradioTimeoutError("the call did not finish within its timeout") from exc

    async def running_siblings(self, state: _JobState) -> list[str]:
        async with self._changed:
            return self._running_siblings(state)

    async def cancel_siblings(self, event_ids: list[str]) -> None:
        async with self._changed:
            self._cancel_siblings(event_ids)
            self._changed.notify_all()

    async def dispatch(self, msg: dict[str, Any]) -> None:
        async with self._changed:
            self._route(msg)
            self._changed.notify_all()
            deliveries = self._take_deliveries()
        await self._deliver(deliveries)

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
        idle_streams = 0
        relogged = False
        while True:
            async with self._changed:
                if not self._jobs:
                    self._reader = None
                    return
            if idle_streams >= 3:
                await self._fail_all(GradioConnectionError("the server closed the event stream"))
                idle_streams = 0
                continue
            got = False
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
                        await response.aread()
                    expired = response.status_code == 401 and not relogged
                    if expired and await self._relogin(logins):
                        relogged = True  # the login cookie expired: once more, logged in
                        continue
                    self._config.check(response)
                    async for line in response.aiter_lines():
                        msg = next(iter_sse((line,)), None)
                        if msg is None:
                            continue
                        got, relogged = True, False
                        if msg.get("msg") == "close_stream":
                            break
                        await self.dispatch(self._config.received(msg))
            except Exception as exc:
                if not self._expected_break():
                    await self._fail_all(_stream_error(exc))
            idle_streams = 0 if got else idle_streams + 1


# -- jobs -----------------------------------------------------------------------------------


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

    @property
    def messages(self) -> list[AppMessage]:
        """What the app showed so far (``gr.Info``, ``gr.Warning``, ``gr.Success``), in order."""
        return list(self._state.messages)

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

    def _deadline_for(self, timeout: float | None, config: _Config) -> float | None:
        return self._deadline if timeout is None else config.deadline(timeout)


class Job(_JobView[T]):
    """A submitted call: ``result()``, ``status()``, ``cancel()``, and iteration over outputs."""

    def __init__(
        self,
        client: SyncRuntime,
        session: _SyncSession,
        spec: EndpointSpec,
        unpack: Callable[[list[Any]], T],
        event_id: str,
        state: _JobState,
        deadline: float | None,
    ) -> None:
        super().__init__(spec, client.config.positions(spec), unpack, event_id, state, deadline)
        self._client = client
        self._session = session

    def result(self, timeout: float | None = None) -> T:
        """Waits for the final output; ``timeout`` defaults to what the call was given."""
        deadline = self._deadline_for(timeout, self._client.config)
        self._session.wait(lambda: self._state.done, deadline)
        return self._final()

    def __iter__(self) -> Iterator[T]:
        """Each output as it arrives; for a plain function, just its result."""
        seen = 0
        while True:
            self._session.wait(_has_more(self._state, seen), self._deadline)
            done = self._state.done  # read first: outputs only grow before it is set
            fresh = self._outputs_after(seen)
            seen += len(fresh)
            yield from fresh
            if done:
                if self._final_is_new():
                    yield self._final()
                return

    def cancel(self) -> bool:
        """Asks the server to stop the job; ``result()`` then raises ``JobCancelledError``.

        Gradio stops every running call of the endpoint in this session, so those fail too.
        """
        if self._state.done:
            return False
        running = self._state.running
        siblings = self._session.running_siblings(self._state) if running else []
        self._state.cancel_requested = True
        try:
            self._client._cancel(self._spec, self._session.hash, self.event_id, not running)
        except GradioClientError:
            self._state.cancel_requested = False
            raise
        if self._client.config.oneshot:  # no stream will say so: the call is dropped here
            self._session.drop(
                self.event_id, JobCancelledError("the job was cancelled"), "cancelled"
            )
        else:
            self._session.cancel_siblings(siblings)
        return True


class AsyncJob(_JobView[T]):
    """The asyncio twin of ``Job``: ``await job.result()``, ``async for`` over outputs."""

    def __init__(
        self,
        client: AsyncRuntime,
        session: _AsyncSession,
        spec: EndpointSpec,
        unpack: Callable[[list[Any]], T],
        event_id: str,
        state: _JobState,
        deadline: float | None,
    ) -> None:
        super().__init__(spec, client.config.positions(spec), unpack, event_id, state, deadline)
        self._client = client
        self._session = session

    async def result(self, timeout: float | None = None) -> T:
        """Waits for the final output; ``timeout`` defaults to what the call was given."""
        deadline = self._deadline_for(timeout, self._client.config)
        await self._session.wait(lambda: self._state.done, deadline)
        return self._final()

    async def __aiter__(self) -> AsyncIterator[T]:
        seen = 0
        while True:
            await self._session.wait(_has_more(self._state, seen), self._deadline)
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
        """Asks the server to stop the job (and, as Gradio does, the endpoint's running calls)."""
        if self._state.done:
            return False
        running = self._state.running
        siblings = await self._session.running_siblings(self._state) if running else []
        self._state.cancel_requested = True
        try:
            await self._client._cancel(self._spec, self._session.hash, self.event_id, not running)
        except GradioClientError:
            self._state.cancel_requested = False
            raise
        if self._client.config.oneshot:  # no stream will say so: the call is dropped here
            await self._session.drop(
                self.event_id, JobCancelledError("the job was cancelled"), "cancelled"
            )
        else:
            await self._session.cancel_siblings(siblings)
        return True


# -- the clients ----------------------------------------------------------------------------


class SyncRuntime:
    """Owns the HTTP connection pool and the session; the generated ``Client`` extends it."""

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
        )
        self._http = http_client
        self._session: _SyncSession | None = None
        self._lock = threading.RLock()

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

        Jobs already submitted finish in the old one.
        """
        with self._lock:
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
            with _http_errors(method, url):
                response = _send(
                    self.http,
                    self.config,
                    method,
                    url,
                    headers=headers,
                    timeout=self.config.http_timeout(deadline),
                    **kwargs,
                )
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
            self.config.app_config = self._request("GET", f"{self.config.base_url}/config").json()

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
            paths = self._request(
                "POST",
                self.config.url("/upload"),
                deadline,
                files=uploads.multipart(),
                headers=call_headers,
            ).json()
            uploads.fill(paths)
        if self.config.needs_app_config(spec):
            self._read_app_config()
        url, body = self.config.call(spec, data, session.hash)
        state = _JobState(spec.api_name, on_message=on_message)
        if self.config.oneshot:
            event_id = secrets.token_hex(8)
            session.register(event_id, state, reader=False)
            threading.Thread(
                target=self._run_oneshot,
                args=(session, event_id, state, url, body, call_headers, deadline),
                daemon=True,
            ).start()
        else:
            response = self._start(url, body, call_headers, deadline)
            event_id = str(response.json()["event_id"])
            session.register(event_id, state)
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

    def download(self, file: Mapping[str, Any] | str, dest: str | os.PathLike[str]) -> Path:
        """Saves a file output (or any URL) to ``dest``; into a folder, under its own name."""
        url, name = _file_url(self.config, file)
        target = _target(dest, name)
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
                    headers=self.config.headers_for(url),
                    timeout=self.config.http_timeout(),
                ) as response,
            ):
                if not response.is_success:
                    response.read()
                if again and response.status_code == 401:
                    self._login(logins)
                    continue
                self.config.check(response)
                with target.open("wb") as out:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                break
        return target


_S = TypeVar("_S")


class AsyncRuntime:
    """The asyncio twin of ``SyncRuntime``; the generated ``AsyncClient`` extends it.

    A session belongs to one event loop; used from another (a second ``asyncio.run``), the
    client carries its session hash over to a fresh connection pool and reader.
    """

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
        )
        self._http = http_client
        self._owns_http = http_client is None
        self._session: _AsyncSession | None = None
        self._hash = secrets.token_hex(6)
        self._login_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

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

        Jobs already submitted finish in the old one.
        """
        self._hash = secrets.token_hex(6)

    async def aclose(self) -> None:
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
            self.config.app_config = response.json()

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
            uploads.fill(response.json())
        if self.config.needs_app_config(spec):
            await self._read_app_config()
        url, body = self.config.call(spec, data, session.hash)
        state = _JobState(spec.api_name, on_message=on_message)
        if self.config.oneshot:
            event_id = secrets.token_hex(8)
            await session.register(event_id, state, reader=False)
            session.keep(
                self._run_oneshot(session, event_id, state, url, body, call_headers, deadline)
            )
        else:
            response = await self._start(url, body, call_headers, deadline)
            event_id = str(response.json()["event_id"])
            await session.register(event_id, state)
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

    async def download(self, file: Mapping[str, Any] | str, dest: str | os.PathLike[str]) -> Path:
        """Saves a file output (or any URL) to ``dest``; into a folder, under its own name."""
        url, name = _file_url(self.config, file)
        target = _target(dest, name)
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
                    headers=self.config.headers_for(url),
                    timeout=self.config.http_timeout(),
                ) as response:
                    if not response.is_success:
                        await response.aread()
                    if again and response.status_code == 401:
                        await self._login(logins)
                        continue
                    self.config.check(response)
                    with target.open("wb") as out:
                        async for chunk in response.aiter_bytes():
                            out.write(chunk)
                    break
        return target
