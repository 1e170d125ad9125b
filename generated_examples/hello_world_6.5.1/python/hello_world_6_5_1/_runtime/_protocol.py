"""The protocol without I/O: a job's state as the session stream's messages change it, the
stream's SSE lines, what an endpoint is, and what /config says of it (hidden inputs and
outputs, fn indexes). Nothing here sends a request or waits."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from ._errors import GradioClientError, GradioError, JobCancelledError, LimitExceededError, _json

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"
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
    deadline: float | None = None  # time.monotonic() when the call's timeout ends it

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


DEFAULT_MAX_MESSAGE_BYTES = 64 * 2**20
_LINE_END = re.compile(rb"\r\n|\r|\n")


class _Lines:
    """An event stream's bytes cut into lines by its own rules: a line ends at ``\\r\\n``,
    ``\\n`` or ``\\r``, never at U+2028, U+0085 or the other characters ``str.splitlines``
    (and so httpx's ``iter_lines``) takes. A line over ``limit`` bytes is a LimitExceededError,
    found before more than ``limit`` bytes of it are held."""

    def __init__(self, limit: int = DEFAULT_MAX_MESSAGE_BYTES) -> None:
        self._limit = limit
        self._held = bytearray()
        self._after_cr = False  # a "\n" opening the next chunk belongs to this "\r"

    def feed(self, chunk: bytes) -> list[str]:
        lines = []
        at = 1 if self._after_cr and chunk.startswith(b"\n") else 0
        self._after_cr = False
        for end in _LINE_END.finditer(chunk, at):
            piece = chunk[at : end.start()]
            if self._held:
                self._held += piece
                piece, self._held = bytes(self._held), bytearray()
            self._check(len(piece))
            lines.append(piece.decode("utf-8", "replace"))
            at = end.end()
            self._after_cr = end.group() == b"\r" and at == len(chunk)
        self._held += chunk[at:]
        self._check(len(self._held))
        return lines

    def end(self) -> list[str]:
        """What the stream held when it closed: a last line without its line end."""
        held, self._held = bytes(self._held), bytearray()
        return [held.decode("utf-8", "replace")] if held else []

    def _check(self, size: int) -> None:
        if size > self._limit:
            raise LimitExceededError(
                f"the server sent an event-stream line over {self._limit} bytes (max_message_bytes)"
            )


def sse_lines(chunks: Iterable[bytes], limit: int = DEFAULT_MAX_MESSAGE_BYTES) -> Iterator[str]:
    """The lines of an event stream's bytes (see ``_Lines``)."""
    lines = _Lines(limit)
    for chunk in chunks:
        yield from lines.feed(chunk)
    yield from lines.end()


def iter_sse(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The JSON messages of a ``queue/data`` stream: each ``data:`` line is one (Gradio sends
    one per event); what is not JSON is a ProtocolError."""
    for line in lines:
        message = _sse_message(line)
        if message is not None:
            yield message


def _sse_message(line: str) -> dict[str, Any] | None:
    if not line.startswith("data:"):
        return None
    payload = _json(line[5:].strip(), "an event-stream message")
    return payload if isinstance(payload, dict) else None


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
    # per output: where its fixed-length arrays sit (["tuple", [...]], ["list", spec], ...),
    # which arrive as JSON lists and are returned as the tuples the annotation promises
    output_tuples: tuple[Any, ...] = ()


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


# for ``call()``: each endpoint's name -> its method and (input name -> the method's parameter)
Endpoints = Mapping[str, tuple[str, Mapping[str, str]]]


def by_name(
    endpoints: Endpoints, api_name: str, inputs: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """``call()``'s lookup: the method of the endpoint named ``api_name`` (``"/greet"``) and
    its keyword arguments, the app's input names turned into the method's parameter names
    (a parameter name or a call option passes as it is)."""
    name = api_name[1:] if api_name.startswith("/") else api_name
    if name not in endpoints:
        known = ", ".join(repr(f"/{n}") for n in endpoints) or "none"
        raise TypeError(f"the app has no endpoint {api_name!r}; it has {known}")
    method, params = endpoints[name]
    kwargs: dict[str, Any] = {}
    for key, value in inputs.items():
        param = params.get(key, key)
        if param in kwargs:
            raise TypeError(f"{api_name} got input {key!r} twice (as {param!r})")
        kwargs[param] = value
    return method, kwargs


def first(data: Sequence[Any]) -> Any:
    return data[0] if data else None


def as_tuple(data: Sequence[Any]) -> Any:
    return tuple(data)


def nothing(data: Sequence[Any]) -> None:
    return None


def _pick(
    positions: tuple[int, ...] | None, data: list[Any], tuples: tuple[Any, ...] = ()
) -> list[Any]:
    picked = data if positions is None else [data[i] if i < len(data) else None for i in positions]
    if not tuples:
        return picked
    return [_tuples(v, tuples[n]) if n < len(tuples) else v for n, v in enumerate(picked)]


def _tuples(value: Any, spec: Any) -> Any:
    """``value`` with the JSON lists ``spec`` marks as fixed-length made tuples; a list of
    another length, or a value of another shape, is left as it came."""
    if not isinstance(spec, list) or len(spec) != 2:
        return value
    kind, inner = spec
    if kind == "tuple" and isinstance(value, list) and len(value) == len(inner):
        return tuple(_tuples(v, s) for v, s in zip(value, inner, strict=True))
    if kind == "list" and isinstance(value, list):
        return [_tuples(v, inner) for v in value]
    if kind == "values" and isinstance(value, dict):
        return {k: _tuples(v, inner) for k, v in value.items()}
    if kind == "fields" and isinstance(value, dict):
        return {k: _tuples(v, inner[k]) if k in inner else v for k, v in value.items()}
    return value


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
