"""Where a schema comes from: a Space id, an app URL, or saved files.

From a live app it reads ``/gradio_api/openapi.json``, ``/gradio_api/info`` (typed outputs,
defaults) and ``/config`` (which wire slots are hidden State, fn indexes, generators). Gradio
4.x and 3.x serve no ``/gradio_api`` routes: their API info is ``/info``, and which of the two
answered tells the prefix the app's routes live under.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from codegen.errors import SourceError

_SPACE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SCHEMA_SUFFIXES = ("/gradio_api/openapi.json", "/gradio_api/info", "/info", "/config")
PREFIX = "/gradio_api"


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


def space_url(space_id: str) -> str:
    """``owner/name`` -> ``https://owner-name.hf.space``, the host Hugging Face serves it at."""
    host = re.sub(r"[_.]", "-", space_id.replace("/", "-").lower())
    return f"https://{host}.hf.space"


def read_source(src: str, token: str | None, timeout: float = 30.0) -> RawSchema:
    if src.startswith(("http://", "https://")):
        base = src.rstrip("/")
        for suffix in _SCHEMA_SUFFIXES:
            base = base.removesuffix(suffix)
        host = httpx.URL(base).host
        return _fetch(base, None, host or "gradio_app", token, timeout)
    path = Path(src)
    if path.exists():
        return _read_files(path)
    if _SPACE_ID.match(src):
        return _fetch(space_url(src), src, src.split("/", 1)[1], token, timeout)
    raise SourceError(
        f"{src!r} is not a file, an http(s) URL or a Space id",
        "give a saved openapi.json, an app URL like https://host/ or a Space id like owner/name",
    )


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
    return RawSchema(docs["openapi"], docs["info"], docs["config"], "", None, folder.name)


def _load_file(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read {path}: {exc}", "check the file") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{path} is not valid JSON ({exc.msg} at line {exc.lineno})",
            "save the schema again from the app",
        ) from exc
    if not isinstance(doc, dict):
        raise SourceError(f"{path} is not a JSON object", "point at a Gradio openapi.json")
    return doc


def _fetch(
    base: str, space_id: str | None, hint: str, token: str | None, timeout: float
) -> RawSchema:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=True) as http:
        prefix = PREFIX
        openapi = _get_json(http, f"{base}{PREFIX}/openapi.json", required=False)
        info = _get_json(http, f"{base}{PREFIX}/info", required=False)
        if openapi is None and info is None:  # Gradio 4.x or 3.x
            prefix = ""
            info = _get_json(http, f"{base}/info", required=True)
        config = _get_json(http, f"{base}/config", required=False)
    return RawSchema(openapi, info, config, base, space_id, hint, prefix)


def _get_json(http: httpx.Client, url: str, *, required: bool) -> dict[str, Any] | None:
    try:
        response = http.get(url)
    except httpx.TimeoutException as exc:
        raise SourceError(f"{url} timed out", "try again, or raise --timeout") from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot reach {url}: {exc}", "check the URL and your network") from exc
    status = response.status_code
    if status in (401, 403):
        raise SourceError(
            f"{url} answered {status}: the app is private",
            "pass --token or set HF_TOKEN to a token that can read it",
        )
    if status == 404 and not required:
        return None
    if status == 404:
        raise SourceError(f"{url} answered 404", "check the Space id or URL")
    if not response.is_success:
        raise SourceError(f"{url} answered {status}", "the app may be down; try again later")
    try:
        doc = response.json()
    except ValueError as exc:
        if not required:
            return None
        raise SourceError(
            f"{url} did not answer JSON (the Space may be sleeping or building)",
            "open the app in a browser, wait until it runs, then try again",
        ) from exc
    return doc if isinstance(doc, dict) else None
