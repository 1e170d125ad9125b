"""Where a schema comes from: a Space id, an app URL, or saved files.

From a live app it reads ``/gradio_api/openapi.json``, ``/gradio_api/info`` (typed outputs,
defaults) and ``/config`` (which wire slots are hidden State, fn indexes, generators). Gradio
4.x and 3.x serve no ``/gradio_api`` routes: their API info is ``/info``, and which of the two
answered tells the prefix the app's routes live under. A Space id is first resolved through
the Hub (``codegen.hub``) to its host, woken when it sleeps.

A token reaches an app only as ``x-hf-authorization`` (Hugging Face's proxy reads and strips
it, so the Space's code never sees it), never as ``Authorization``: a token given explicitly
goes to the app's host whatever it is, ``$HF_TOKEN`` only to hosts Hugging Face serves. An
app behind ``launch(auth=...)`` is read after a ``POST /login``, with the session cookie.

What a schema keeps is only what the app's API is: ``stable`` leaves out what Gradio draws
anew in each process (see ``_PER_PROCESS``), so a restarted app, or a Space woken from
sleep, gives the same saved schemas and so the same lock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from codegen import hub
from codegen.errors import SourceError
from codegen.hub import Say, space_url

_SCHEMA_SUFFIXES = ("/gradio_api/openapi.json", "/gradio_api/info", "/info", "/config")
PREFIX = "/gradio_api"
# What /config holds that a restart of the same code changes, none of it API: the app's
# random id (every version), and each BrowserState's random encryption secret and, when the
# app names none, its random storage key (5.0+; every ChatInterface has one).
_PER_PROCESS_CONFIG = ("app_id",)
_PER_PROCESS_PROPS = {"browserstate": ("secret", "storage_key")}
# the memory address in a Python object's repr, as /config shows a State's delete_callback
# (4.x+): "<function default_delete_callback at 0x7f...>"
_ADDRESS = re.compile(r"^(<[^\n]*?) at 0x[0-9a-fA-F]+>\Z")
_BARE_HF_URL = re.compile(r"^(huggingface\.co/|[A-Za-z0-9-]+\.hf\.space(/|$))", re.IGNORECASE)


@dataclass(frozen=True)
class RawSchema:
    openapi: dict[str, Any] | None
    info: dict[str, Any] | None
    config: dict[str, Any] | None
    origin: str  # the app's base URL; "" when read from files
    space_id: str | None
    name_hint: str  # for the package name when --name is not given
    # the prefix the live app answered under ("/gradio_api" or ""); None when read from files
    api_prefix: str | None = None


def _quiet(message: str) -> None:
    pass


def read_source(
    src: str,
    token: str | None = None,
    timeout: float = 30.0,
    *,
    env_token: str | None = None,
    login: tuple[str, str] | None = None,
    wait: float = hub.DEFAULT_WAIT,
    progress: Say = _quiet,
    note: Say = _quiet,
) -> RawSchema:
    """``token`` is one the caller passed (``--token``), ``env_token`` one from ``$HF_TOKEN``;
    ``progress`` gets the line saying a Space is being woken, ``note`` what ``-v`` shows."""
    if _BARE_HF_URL.match(src):  # a Hugging Face address typed without its scheme
        src = f"https://{src}"
    if src.startswith(("http://", "https://")):
        space_id, base = app_url(src)
        if space_id is not None:
            return _from_space(space_id, token or env_token, login, timeout, wait, progress, note)
        if base != src.rstrip("/"):
            note(f"note: reading the app at {base}")
        host = httpx.URL(base).host
        app_token = token or (env_token if hub.is_hf_host(base) else None)
        return _fetch(base, None, host or "gradio_app", app_token, login, timeout)
    path = Path(src)
    if path.exists():
        return _read_files(path)
    if _looks_like_a_file(src):
        raise SourceError(
            f"no such file: {src}",
            "check the path; a Space id is owner/name, an app URL starts with http(s)://",
        )
    if hub.SPACE_ID.match(src):
        return _from_space(src, token or env_token, login, timeout, wait, progress, note)
    raise SourceError(
        f"{src!r} is not a file, an http(s) URL or a Space id",
        "give a saved openapi.json, an app URL like https://host/ or a Space id like owner/name",
    )


def app_url(url: str) -> tuple[str | None, str]:
    """A URL as copied from a browser, to what it names: ``(space_id, "")`` for a Space's
    page on the Hub (``huggingface.co/spaces/owner/name`` and its sub-pages), else
    ``(None, base)``, the app's root: no query (``?view=api``, ``?__theme=dark``) nor
    fragment, no schema route, and for a ``*.hf.space`` host no path at all (a Space is
    served at its host's root)."""
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise SourceError(f"{url!r} is not a valid URL: {exc}", "check the URL") from exc
    host = parsed.host.lower()
    segments = [s for s in parsed.path.split("/") if s]
    hub_url = httpx.URL(hub.endpoint())
    on_hub = host == "huggingface.co" or (host, parsed.port) == (
        hub_url.host.lower(),
        hub_url.port,
    )
    if on_hub and len(segments) >= 3 and segments[0] == "spaces":
        space_id = f"{segments[1]}/{segments[2]}"
        if hub.SPACE_ID.match(space_id):
            return space_id, ""
    if host.endswith(".hf.space"):
        segments = []
    path = "/" + "/".join(segments)
    for suffix in _SCHEMA_SUFFIXES:
        if path.endswith(suffix):
            path = path.removesuffix(suffix)
            break
    if "/gradio_api/" in f"{path}/":  # any other route of the app's API: the app is above it
        path = path[: f"{path}/".index("/gradio_api/")]
    base = parsed.copy_with(path=path or "/", query=None, fragment=None)
    return None, str(base).rstrip("/")


def _looks_like_a_file(src: str) -> bool:
    """What a user means as a path, though nothing is there: a JSON file, or a path that a
    Space id cannot be (absolute, relative with ./ or ../, home, more than one slash)."""
    return (
        src.lower().endswith(".json")
        or src.startswith(("/", "./", "../", "~", ".\\"))
        or src.count("/") > 1
        or "\\" in src
    )


def _from_space(
    space_id: str,
    token: str | None,
    login: tuple[str, str] | None,
    timeout: float,
    wait: float,
    progress: Say,
    note: Say,
) -> RawSchema:
    """The host the Hub names (it vouches that the host is the Space's, so the token may go
    there); without a Hub to ask, the URL rule, said under -v."""
    try:
        space = hub.resolve(space_id, token, timeout)
    except hub.HubUnreachable as exc:
        url = space_url(space_id)
        note(f"note: {exc}; reading {space_id} from {url} (owner/name -> owner-name.hf.space)")
        return _fetch(url, space_id, space_id.split("/", 1)[1], token, login, timeout)
    if space.id.lower() != space_id.lower():
        note(f"note: {space_id} is now {space.id}")
    note(f"note: the Hub serves {space.id} at {space.host} (stage {space.stage})")
    try:
        hub.wait_until_running(space, token, _app_headers(token), wait, timeout, progress)
    except hub.HubUnreachable as exc:
        raise SourceError(f"{exc} while waiting for {space.id}", "try again") from exc
    return _fetch(space.host, space.id, space.id.split("/", 1)[1], token, login, timeout)


def _app_headers(token: str | None) -> dict[str, str]:
    """How a token goes to an app: never as ``Authorization``, which the app's code could read."""
    return {"x-hf-authorization": f"Bearer {token}"} if token else {}


def _read_files(path: Path) -> RawSchema:
    folder = path if path.is_dir() else path.parent
    docs: dict[str, dict[str, Any] | None] = {"openapi": None, "info": None, "config": None}
    if path.is_file():
        doc = _load_file(path)
        docs["info" if "named_endpoints" in doc else "openapi"] = doc
    for key in docs:
        beside = folder / f"{key}.json"
        if docs[key] is None and beside.is_file():
            docs[key] = _load_file(beside)
    if docs["openapi"] is None and docs["info"] is None:
        raise SourceError(
            f"{path} holds no openapi.json or info.json", "point at a saved Gradio schema"
        )
    origin = _saved_root(docs["config"])
    return stable(
        RawSchema(docs["openapi"], docs["info"], docs["config"], origin, None, folder.name)
    )


def _saved_root(config: dict[str, Any] | None) -> str:
    """The app's root as its saved ``/config`` names it (Gradio 4 and later): where a client
    of a saved schema calls by default; "" when it names none a client could call."""
    root = config.get("root") if config else None
    if not isinstance(root, str) or not root.startswith(("http://", "https://")):
        return ""
    try:
        url = httpx.URL(root)
    except httpx.InvalidURL:
        return ""
    if not url.host or url.userinfo:
        return ""
    path = url.path.rstrip("/").removesuffix(PREFIX)
    return str(url.copy_with(path=path or "/", query=None, fragment=None)).rstrip("/")


def _load_file(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read {path}: {exc}", "check the file") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{path} is not valid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})",
            "save the schema again from the app",
        ) from exc
    if not isinstance(doc, dict):
        raise SourceError(f"{path} is not a JSON object", "point at a Gradio openapi.json")
    return doc


def _fetch(
    base: str,
    space_id: str | None,
    hint: str,
    token: str | None,
    login: tuple[str, str] | None,
    timeout: float,
) -> RawSchema:
    own = httpx.URL(base)

    def own_origin_only(request: httpx.Request) -> None:
        """httpx drops Authorization on a redirect to another origin, not our header."""
        if (request.url.scheme, request.url.host, request.url.port) != (
            own.scheme,
            own.host,
            own.port,
        ):
            request.headers.pop("x-hf-authorization", None)

    with httpx.Client(
        headers={"User-Agent": hub.USER_AGENT, **_app_headers(token)},
        timeout=timeout,
        follow_redirects=True,
        event_hooks={"request": [own_origin_only]},
    ) as http:
        if login is not None:
            _login(http, base, login)
        prefix = PREFIX
        openapi = _get_json(http, f"{base}{PREFIX}/openapi.json")
        info = _get_json(http, f"{base}{PREFIX}/info")
        if openapi is None and info is None:  # Gradio 4.x or 3.x
            prefix = ""
            info = _get_json(http, f"{base}/info")
        if openapi is None and info is None:
            raise _not_gradio(base)
        config = _get_json(http, f"{base}/config")
    return stable(RawSchema(openapi, info, config, base, space_id, hint, prefix))


def stable(raw: RawSchema) -> RawSchema:
    """``raw`` without what differs between two runs of the same app: the per-process
    values of ``/config`` are left out and reprs lose their memory address."""
    config = raw.config
    if config is not None:
        config = {k: v for k, v in config.items() if k not in _PER_PROCESS_CONFIG}
        if isinstance(config.get("components"), list):
            config["components"] = [_stable_component(c) for c in config["components"]]
    return RawSchema(
        _without_addresses(raw.openapi),
        _without_addresses(raw.info),
        _without_addresses(config),
        raw.origin,
        raw.space_id,
        raw.name_hint,
        raw.api_prefix,
    )


def _stable_component(component: Any) -> Any:
    if not isinstance(component, Mapping) or not isinstance(component.get("props"), Mapping):
        return component
    drop = _PER_PROCESS_PROPS.get(str(component.get("type")), ())
    if not drop:
        return component
    props = {k: v for k, v in component["props"].items() if k not in drop}
    return {**component, "props": props}


def _without_addresses(doc: Any) -> Any:
    """Every string in ``doc`` that is an object's repr, with its address left out."""
    if isinstance(doc, str):
        return _ADDRESS.sub(r"\1>", doc) if doc.startswith("<") else doc
    if isinstance(doc, dict):
        return {k: _without_addresses(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_without_addresses(v) for v in doc]
    return doc


def _not_gradio(base: str) -> SourceError:
    """Neither API route answered: a sleeping Space, or a server that is no Gradio app."""
    if hub.is_hf_host(base):
        return SourceError(
            f"{base} serves no Gradio API (the Space may be sleeping or building)",
            "open the app in a browser, wait until it runs, then try again",
        )
    return SourceError(
        f"{base} is not a Gradio app (no API description at {PREFIX}/info or /info)",
        "give the address of the Gradio app itself, the page that shows 'Use via API'",
    )


def _get_json(http: httpx.Client, url: str) -> dict[str, Any] | None:
    """The JSON object at ``url``; None when the route is missing or answers no JSON."""
    try:
        response = http.get(url)
    except httpx.TimeoutException as exc:
        raise SourceError(f"{url} timed out", "try again, or raise --timeout") from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot reach {url}: {exc}", "check the URL and your network") from exc
    status = response.status_code
    if status == 401 and "Not authenticated" in response.text:
        raise SourceError(
            f"{url} answered 401: the app is behind a login",
            "pass --auth USER and set GRADIO_PASSWORD to its password",
        )
    if status in (401, 403):
        raise SourceError(
            f"{url} answered {status}: the app is private",
            "pass --token (HF_TOKEN goes to Hugging Face hosts only) with a token that can read it",
        )
    if status == 404:
        return None
    if not response.is_success:
        raise SourceError(f"{url} answered {status}", "the app may be down; try again later")
    try:
        doc = response.json()
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _login(http: httpx.Client, base: str, login: tuple[str, str]) -> None:
    """Gradio's form login (``POST /login`` at the app's root on every version); the
    session cookie stays in ``http``. An app without a login redirects, which is fine."""
    user, password = login
    url = f"{base}/login"
    try:
        response = http.post(
            url, data={"username": user, "password": password}, follow_redirects=False
        )
    except httpx.TimeoutException as exc:
        raise SourceError(f"{url} timed out", "try again, or raise --timeout") from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot reach {url}: {exc}", "check the URL and your network") from exc
    if response.status_code in (400, 401, 403):
        raise SourceError(
            f"{url} refused the login for user {user!r} (HTTP {response.status_code})",
            "check --auth and the password in GRADIO_PASSWORD",
        )
    if response.is_success and not http.cookies:
        raise SourceError(f"{url} answered without a session cookie", "check the app's URL")
