"""The Hugging Face Hub API: where a Space id is served, whether it runs, and Space search.

The Hub (``$HF_ENDPOINT``, default https://huggingface.co, as huggingface_hub reads it) is
the only place a token goes as ``Authorization: Bearer``: it names a Space's host (custom
domains and renamed Spaces included), its SDK and its runtime stage. A sleeping or starting
Space is woken with one request to its host and its runtime polled until it runs or the wait
runs out. ``HF_HUB_OFFLINE=1`` (huggingface_hub's switch) or a Hub that cannot be reached
makes :class:`HubUnreachable`, on which a caller may fall back to the URL rule.

The ambient token is huggingface_hub's: ``$HF_TOKEN``, else the file ``hf auth login`` saved
(``$HF_TOKEN_PATH``, else ``$HF_HOME/token``, ``$HF_HOME`` defaulting to
``$XDG_CACHE_HOME/huggingface``, then ``~/.cache/huggingface``). It is read here, at each
call, rather than through huggingface_hub, which fixes these paths when it is imported.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from codegen import __version__
from codegen.errors import SourceError

DEFAULT_ENDPOINT = "https://huggingface.co"
DEFAULT_WAIT = 300.0
POLL_INTERVAL = 2.0  # seconds between runtime polls; the Hub rate-limits faster callers
RUNNING = frozenset({"RUNNING", "RUNNING_APP_STARTING"})
WAKING = frozenset({"SLEEPING", "BUILDING", "APP_STARTING", "RUNNING_BUILDING"})
# a stage no wait will change: what it means and what the user can do
STOPPED = {
    "PAUSED": "its owner paused it; ask them to restart it, or duplicate the Space",
    "STOPPED": "it was stopped; ask its owner to restart it, or duplicate the Space",
    "RUNTIME_ERROR": "its app crashed; see the Space's logs on the Hub, or ask its owner",
    "BUILD_ERROR": "its build failed; see the Space's build logs on the Hub, or ask its owner",
    "CONFIG_ERROR": "its configuration is invalid; ask its owner to fix the Space's README",
    "NO_APP_FILE": "it has no app file yet; ask its owner to add one",
    "DELETING": "it is being deleted",
}

# every request of the generator names it, as huggingface_hub's name theirs
USER_AGENT = f"gradio-codegen/{__version__}"
PROGRESS_EVERY = 10.0  # seconds between the lines that say a wake-up is still awaited

Say = Callable[[str], None]
SPACE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")


class HubUnreachable(Exception):
    """The Hub could not be asked at all (offline mode, no route, refused)."""


@dataclass(frozen=True, slots=True)
class Space:
    id: str  # as the Hub spells it now (a renamed Space answers under its new id)
    host: str  # the URL the app is served at, without a trailing slash
    sdk: str | None
    private: bool
    stage: str | None


def endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT).rstrip("/") or DEFAULT_ENDPOINT


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "on", "yes", "true"}


def token_path() -> Path:
    """Where ``hf auth login`` saves the token, by huggingface_hub's rules."""
    named = os.environ.get("HF_TOKEN_PATH")
    if named:
        return Path(os.path.expandvars(os.path.expanduser(named)))
    home = os.environ.get("HF_HOME")
    if not home:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
        home = os.path.join(cache, "huggingface")
    return Path(os.path.expandvars(os.path.expanduser(home))) / "token"


def ambient_token() -> str | None:
    """The token the user gave the Hugging Face tools: ``$HF_TOKEN`` wins over the saved one.
    It goes where ``$HF_TOKEN`` goes: to Hugging Face hosts only, unless asked."""
    env = _clean(os.environ.get("HF_TOKEN"))
    if env:
        return env
    try:
        return _clean(token_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _clean(token: str | None) -> str | None:
    return (token or "").replace("\r", "").replace("\n", "").strip() or None


def is_hf_host(url: str) -> bool:
    """Hosts Hugging Face serves, where ``$HF_TOKEN`` may go without being asked for."""
    app, hub = httpx.URL(url), httpx.URL(endpoint())
    host = app.host.lower()
    same_as_hub = (host, app.port) == (hub.host.lower(), hub.port)
    return host.endswith(".hf.space") or host == "huggingface.co" or same_as_hub


def resolve(space_id: str, token: str | None, timeout: float) -> Space:
    """The Space as the Hub describes it; a missing, private or non-Gradio Space is an error."""
    doc = _get(f"/api/spaces/{space_id}", space_id, token, timeout)
    if not isinstance(doc, dict):
        raise SourceError(f"the Hub's answer about {space_id} is not a JSON object", _RETRY)
    sdk = doc.get("sdk")
    if sdk is not None and sdk != "gradio":
        raise SourceError(
            f"{space_id} is a {one_line(sdk)} Space, not a Gradio app",
            "gradio-codegen reads Gradio apps; give the app's URL if it serves a Gradio API",
        )
    runtime = doc.get("runtime")
    stage = runtime.get("stage") if isinstance(runtime, dict) else None
    return Space(
        id=_space_id(doc.get("id"), space_id),
        host=_host(doc, space_id),
        sdk=sdk,
        private=bool(doc.get("private")),
        stage=stage if isinstance(stage, str) else None,
    )


def wait_until_running(
    space: Space,
    token: str | None,
    app_headers: dict[str, str],
    wait: float,
    timeout: float,
    progress: Say,
) -> None:
    """Returns once the Space runs; wakes it first when it sleeps or starts."""
    stage = space.stage
    if stage is None or stage in RUNNING:
        return
    _check_stage(space.id, stage)
    if stage not in WAKING:
        return  # a stage this version does not know: let the app's answer tell
    progress(f"{space.id} is {stage}: waking it, waiting up to {wait:g}s (--wait)")
    start = time.monotonic()
    deadline = start + wait
    # --wait bounds the whole wake-up: the wake-up request (whose answer may wait for the
    # app) runs beside the polls, and no request outlasts the deadline
    waking = (space.host, app_headers, _bounded(timeout, deadline))
    threading.Thread(target=_wake, args=waking, daemon=True).start()
    said = start
    while True:
        now = time.monotonic()
        left = deadline - now
        if left <= 0:
            raise SourceError(
                f"{space.id} is still {stage} after {wait:g}s",
                "try again in a minute, or wait longer with --wait SECONDS",
            )
        if now - said >= PROGRESS_EVERY:
            said = now
            progress(
                f"still waiting for {space.id} to run: it is {stage} "
                f"({now - start:.0f}s of {wait:g}s)"
            )
        time.sleep(min(POLL_INTERVAL, left))
        path = f"/api/spaces/{space.id}/runtime"
        doc = _get(path, space.id, token, _bounded(timeout, deadline))
        stage = doc.get("stage") if isinstance(doc, dict) else None
        if not isinstance(stage, str) or stage in RUNNING:
            return
        _check_stage(space.id, stage)


def _bounded(timeout: float, deadline: float) -> float:
    """A request's timeout that ends by ``deadline`` (and never below a tenth of a second)."""
    return max(0.1, min(timeout, deadline - time.monotonic()))


def search(query: str, token: str | None, timeout: float) -> list[dict[str, Any]]:
    """Gradio Spaces matching ``query``, best first, as the Hub's semantic search lists them."""
    try:
        found = _get(
            "/api/spaces/semantic-search", None, token, timeout, {"q": query, "sdk": "gradio"}
        )
    except HubUnreachable as exc:
        raise SourceError(str(exc), "check your network, HF_ENDPOINT and HF_HUB_OFFLINE") from exc
    if not isinstance(found, list):
        raise SourceError("the Hub's search answer is not a JSON list", _RETRY)
    return [item for item in found if isinstance(item, dict) and isinstance(item.get("id"), str)]


_RETRY = "try again later; the Hub may be having trouble"


def _get(
    path: str,
    space_id: str | None,
    token: str | None,
    timeout: float,
    params: dict[str, str] | None = None,
) -> Any:
    """One Hub API request; its token goes as ``Authorization``, which the Hub expects."""
    hub = endpoint()
    if offline():
        raise HubUnreachable("HF_HUB_OFFLINE is set")
    headers = {"User-Agent": USER_AGENT}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = httpx.get(
            f"{hub}{path}", params=params, headers=headers, timeout=timeout, follow_redirects=True
        )
    except httpx.TimeoutException as exc:
        raise SourceError(f"the Hub at {hub} timed out", "try again, or raise --timeout") from exc
    except httpx.TransportError as exc:
        raise HubUnreachable(f"cannot reach the Hub at {hub}: {exc}") from exc
    status = response.status_code
    if space_id is not None and status in (401, 403, 404):
        detail = "the token cannot read it" if token else "it is private and no token was given"
        raise SourceError(
            f"the Hub at {hub} does not show Space {space_id} (HTTP {status}): "
            f"it does not exist, or {detail}",
            "check the Space id; for a private Space pass --token, set HF_TOKEN or run "
            "`hf auth login`",
        )
    if not response.is_success:
        raise SourceError(f"the Hub at {hub} answered {status} for {path}", _RETRY)
    try:
        return response.json()
    except ValueError as exc:
        raise SourceError(f"the Hub at {hub} did not answer JSON for {path}", _RETRY) from exc


def _check_stage(space_id: str, stage: str) -> None:
    if stage in STOPPED:
        raise SourceError(f"{space_id} is {stage}: it does not run", STOPPED[stage])


def _wake(host: str, headers: dict[str, str], timeout: float) -> None:
    """Any request to a sleeping Space's host starts it; its answer does not matter."""
    with contextlib.suppress(httpx.HTTPError):  # the runtime polls say whether it woke
        httpx.get(f"{host}/", headers={"User-Agent": USER_AGENT, **headers}, timeout=timeout)


def _host(doc: dict[str, Any], space_id: str) -> str:
    """The Space's ``host`` (a full URL), else ``subdomain``.hf.space; only http(s) URLs."""
    host = doc.get("host")
    if not host and isinstance(doc.get("subdomain"), str):
        host = f"https://{doc['subdomain']}.hf.space"
    if not host:
        return space_url(space_id)
    try:
        url = httpx.URL(host) if isinstance(host, str) else None
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host or url.userinfo:
        raise SourceError(f"the Hub names {one_line(host)!r} as {space_id}'s host", _RETRY)
    return str(url.copy_with(query=None, fragment=None)).rstrip("/")


def _space_id(named: object, asked: str) -> str:
    """The id the Hub answers with (a renamed Space's new one), if it is one at all."""
    return named if isinstance(named, str) and SPACE_ID.match(named) else asked


def space_url(space_id: str) -> str:
    """``owner/name`` -> ``https://owner-name.hf.space``, the host Hugging Face serves it at."""
    host = re.sub(r"[_.]", "-", space_id.replace("/", "-").lower())
    return f"https://{host}.hf.space"


def one_line(value: object) -> str:
    """The Hub's text for a terminal line: printable, one line, short."""
    text = "".join(c if c.isprintable() else " " for c in str(value))
    return text[:200]
