"""One client's settings and what follows from them, still without I/O: URLs and request
bodies per protocol, which origin gets the headers and the token, timeouts and retries."""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from ._errors import AuthenticationError, GradioClientError, GradioTimeoutError, _raise_for_status
from ._protocol import (
    DEFAULT_MAX_MESSAGE_BYTES,
    EndpointSpec,
    _unquote,
    fn_index,
    state_inputs,
    visible_outputs,
)

DEFAULT_TIMEOUT = 300.0
DEFAULT_RETRIES = 3  # for a call the server did not take: 429, 503, or no connection
_MAX_BACKOFF = 10.0
_CONNECT_TIMEOUT = 10.0
# The server sends a heartbeat at least every 15 s while a stream is open.
_STREAM_READ_TIMEOUT = 120.0


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
    """The token an app at ``url`` gets: an explicit one always, ``HF_TOKEN`` (else the one
    ``hf auth login`` saved) only on Hugging Face's hosts unless ``send_env_token``;
    ``token=""`` sends none."""
    if token is not None:
        return token or None
    env = os.environ.get("HF_TOKEN") or saved_token()
    return env if env and (send_env_token or is_hf_host(url)) else None


def saved_token() -> str | None:
    """The token ``hf auth login`` saved, as huggingface_hub finds it: ``$HF_TOKEN_PATH``,
    else ``$HF_HOME/token``, ``HF_HOME`` defaulting to ``$XDG_CACHE_HOME/huggingface``, then
    ``~/.cache/huggingface``."""
    path = os.environ.get("HF_TOKEN_PATH")
    if not path:
        home = os.environ.get("HF_HOME")
        if not home:
            cache = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
            home = os.path.join(cache, "huggingface")
        path = os.path.join(os.path.expandvars(os.path.expanduser(home)), "token")
    try:
        with open(os.path.expandvars(os.path.expanduser(path)), encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return None
    return text.replace("\r", "").replace("\n", "").strip() or None


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
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
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
        # the longest event-stream line or answer read: a server cannot make the client hold more
        self.max_message_bytes = max_message_bytes
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


def api_call_headers(call: Mapping[str, str], client: Mapping[str, str]) -> dict[str, str]:
    """A call's headers with ``x-gradio-user: api``, which tells the app (``gr.Request``)
    that the call came from a client, as gradio_client and @gradio/client send it (Gradio's
    own page sends ``app``, its MCP server ``mcp``). As in gradio_client a call's own headers
    cannot change it; the client's ``headers=`` can (that is how Gradio's MCP server says
    ``mcp``)."""
    headers = {k: v for k, v in call.items() if k.lower() != "x-gradio-user"}
    if not any(k.lower() == "x-gradio-user" for k in client):
        headers["x-gradio-user"] = "api"
    return headers


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
