"""Fixtures for the end-to-end tests: live Gradio apps + the official client.

``live_apps`` starts ``tests/e2e/serve.py`` once per session (with the test
interpreter) and yields ``{app_name: base_url}``. ``oracle`` wraps
``gradio_client.Client`` so tests can compare generated clients against the
reference implementation. ``js_tools`` makes sure ``tests/js/node_modules``
holds what ``tests/js/package-lock.json`` pins (tsc, @gradio/client).
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

E2E_DIR = Path(__file__).resolve().parent
JS_DIR = E2E_DIR.parent / "js"
SERVE_SCRIPT = E2E_DIR / "serve.py"
APP_NAMES = ("basics", "media", "chat")
STARTUP_TIMEOUT = 120.0
SHUTDOWN_TIMEOUT = 20.0
# Keyword names that Client.predict()/submit() use themselves.
RESERVED_CLIENT_KWARGS = frozenset({"self", "api_name", "fn_index", "headers", "result_callbacks"})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: starts real Gradio apps on 127.0.0.1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            path = Path(str(item.path)).resolve()
        except Exception:
            continue
        if path == E2E_DIR or E2E_DIR in path.parents:
            item.add_marker(pytest.mark.e2e)


def _log_tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"<cannot read {path}: {exc}>"
    return "\n".join(text.splitlines()[-lines:])


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is not None:
        return
    try:
        if proc.stdin is not None:
            proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=SHUTDOWN_TIMEOUT)


def gradio_python(version: str | None = None) -> str:
    """The Python that runs an older Gradio (``.venvs/gradio-<version>``, made by
    ``scripts/test``); ``None`` is this interpreter, with the current Gradio."""
    if version is None:
        return sys.executable
    python = E2E_DIR.parents[1] / ".venvs" / f"gradio-{version}" / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} is missing: ./scripts/test creates the Gradio venvs")
    return str(python)


@pytest.fixture(scope="session")
def live_apps() -> Iterator[dict[str, str]]:
    """Start every test app once per session on the current Gradio; yield ``{name: url}``."""
    with serving(APP_NAMES) as urls:
        yield urls


@pytest.fixture(scope="session")
def serve() -> Callable[..., contextlib.AbstractContextManager[dict[str, str]]]:
    """``serving`` for tests that need their own app processes (e.g. an app that changes)."""
    return serving


@contextlib.contextmanager
def serving(
    app_names: tuple[str, ...],
    extra_env: dict[str, str] | None = None,
    python: str = sys.executable,
) -> Iterator[dict[str, str]]:
    """Runs ``serve.py`` with these apps under ``python`` (any venv with gradio), with
    ``extra_env`` added to its environment, until the block ends; yields ``{name: url}``."""
    log_fd, log_name = tempfile.mkstemp(prefix="gradio_e2e_serve_", suffix=".log")
    log_path = Path(log_name)
    env = dict(os.environ)
    env.update(
        {
            "GRADIO_ANALYTICS_ENABLED": "False",
            "HF_HUB_OFFLINE": "1",
            "GRADIO_SSR_MODE": "false",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
    )
    with os.fdopen(log_fd, "w") as log_file:
        proc = subprocess.Popen(
            [python, str(SERVE_SCRIPT), *app_names],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            env=env,
            cwd=str(E2E_DIR),
        )

    lines: queue.Queue[str] = queue.Queue()

    def _reader() -> None:
        assert proc.stdout is not None
        lines.put(proc.stdout.readline())

    threading.Thread(target=_reader, name="serve-stdout", daemon=True).start()

    try:
        try:
            line = lines.get(timeout=STARTUP_TIMEOUT)
        except queue.Empty:
            raise RuntimeError(
                f"serve.py did not report URLs within {STARTUP_TIMEOUT:.0f}s; "
                f"log {log_path}:\n{_log_tail(log_path)}"
            ) from None
        if not line.strip():
            proc.wait(timeout=SHUTDOWN_TIMEOUT)
            raise RuntimeError(
                f"serve.py exited (code {proc.returncode}) before reporting URLs; "
                f"log {log_path}:\n{_log_tail(log_path)}"
            )
        try:
            urls = json.loads(line)
        except json.JSONDecodeError:
            raise RuntimeError(
                f"serve.py printed an unexpected line {line!r}; "
                f"log {log_path}:\n{_log_tail(log_path)}"
            ) from None
        missing = [name for name in app_names if name not in urls]
        if missing:
            raise RuntimeError(f"serve.py did not start {missing}: {urls}")
    except BaseException:
        _stop(proc)
        raise

    try:
        yield dict(urls)
    finally:
        _stop(proc)
        if proc.stdout is not None:
            proc.stdout.close()


def _client_supports_download_files() -> bool:
    from gradio_client import Client

    return "download_files" in inspect.signature(Client.__init__).parameters


class Oracle:
    """The official ``gradio_client`` as reference implementation.

    One shared ``Client`` per app (created lazily); ``fresh(app)`` makes a new
    one (a new session, i.e. fresh ``gr.State``). File results are not
    downloaded when the installed client supports ``download_files=False``,
    so they stay FileData dicts carrying server URLs.
    """

    def __init__(self, urls: dict[str, str]) -> None:
        self.urls = urls
        self._clients: dict[str, Any] = {}
        self._all: list[Any] = []
        self._lock = threading.Lock()

    @staticmethod
    def api_name(name: str) -> str:
        return name if name.startswith("/") else f"/{name}"

    def url(self, app: str) -> str:
        try:
            return self.urls[app]
        except KeyError:
            raise KeyError(f"unknown app {app!r}; known: {sorted(self.urls)}") from None

    def fresh(self, app: str) -> Any:
        from gradio_client import Client

        kwargs: dict[str, Any] = {"verbose": False}
        if _client_supports_download_files():
            kwargs["download_files"] = False
        client = Client(self.url(app), **kwargs)
        with self._lock:
            self._all.append(client)
        return client

    def client(self, app: str) -> Any:
        with self._lock:
            existing = self._clients.get(app)
        if existing is not None:
            return existing
        client = self.fresh(app)
        with self._lock:
            return self._clients.setdefault(app, client)

    def _positional(
        self, client: Any, api_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Turn keyword arguments into positional ones when needed.

        ``Client.predict``/``submit`` take ``self``, ``api_name``, ``fn_index``,
        ... themselves, so an endpoint parameter with such a name (e.g. the
        ``self`` parameter of ``/class``) cannot be passed by keyword. In that
        case the arguments are ordered by the endpoint's parameter list from
        the API info, with the server-side defaults filling the gaps.
        """
        if not RESERVED_CLIENT_KWARGS.intersection(kwargs):
            return args, kwargs
        info = client.view_api(return_format="dict", print_info=False)
        params = info["named_endpoints"][api_name]["parameters"]
        values = list(args)
        for param in params[len(args) :]:
            name = param["parameter_name"]
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif param.get("parameter_has_default"):
                values.append(param.get("parameter_default"))
            else:
                raise TypeError(f"{api_name}: missing required argument {name!r}")
        if kwargs:
            raise TypeError(f"{api_name}: unexpected arguments {sorted(kwargs)}")
        return tuple(values), {}

    def predict(self, app: str, api_name: str, /, *args: Any, **kwargs: Any) -> Any:
        client = self.client(app)
        name = self.api_name(api_name)
        args, kwargs = self._positional(client, name, args, kwargs)
        return client.predict(*args, api_name=name, **kwargs)

    def submit(self, app: str, api_name: str, /, *args: Any, **kwargs: Any) -> Any:
        client = self.client(app)
        name = self.api_name(api_name)
        args, kwargs = self._positional(client, name, args, kwargs)
        return client.submit(*args, api_name=name, **kwargs)

    def close(self) -> None:
        with self._lock:
            clients, self._all, self._clients = self._all, [], {}
        for client in clients:
            close = getattr(client, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()


@pytest.fixture(scope="session")
def oracle(live_apps: dict[str, str]) -> Iterator[Oracle]:
    helper = Oracle(live_apps)
    try:
        yield helper
    finally:
        helper.close()


def _js_packages_match_the_lock() -> bool:
    """True when every package the lock file pins is installed at its pinned version."""
    lock = json.loads((JS_DIR / "package-lock.json").read_text(encoding="utf-8"))
    for where, entry in lock.get("packages", {}).items():
        if not where.startswith("node_modules/") or entry.get("optional"):
            continue
        try:
            installed = json.loads((JS_DIR / where / "package.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return False
        if installed.get("version") != entry.get("version"):
            return False
    return True


@pytest.fixture(scope="session")
def js_tools() -> Path:
    """``tests/js`` with its node packages installed from the lock file (``npm ci``, once)."""
    if not _js_packages_match_the_lock():
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"npm ci in {JS_DIR} failed:\n{done.stdout}\n{done.stderr}"
        assert _js_packages_match_the_lock(), "npm ci did not install what the lock file pins"
    return JS_DIR


@pytest.fixture(scope="session")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from PIL import Image

    folder = tmp_path_factory.mktemp("inputs")
    Image.new("RGB", (5, 3), (200, 10, 10)).save(folder / "red.png")
    (folder / "note.txt").write_text("hello upload\n")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes(range(200)))
    (folder / "tone.wav").write_bytes(buf.getvalue())
    return {p.stem: p for p in folder.iterdir()}


class SuiteApps:
    """gradio_client's own test apps (``apps/client_suite.py``, ``apps/queue_full.py``),
    live, with the log their ``delete_callback`` and ``unload`` write to."""

    def __init__(self, urls: dict[str, str], log: Path) -> None:
        self.urls = urls
        self.log = log

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def wait_for(self, line: str, timeout: float = 15.0) -> list[str]:
        """The log once it holds ``line`` (Gradio deletes a closed session's state within
        about two seconds under ``GRADIO_IS_E2E_TEST``); fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while line not in self.lines():
            if time.monotonic() > deadline:
                pytest.fail(f"{line!r} did not appear in the app's log: {self.lines()}")
            time.sleep(0.1)
        return self.lines()


@pytest.fixture(scope="session")
def suite_apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SuiteApps]:
    """The client suite's apps, started once in one process; a closed session's state is
    deleted after a second (``GRADIO_IS_E2E_TEST``) instead of Gradio's hour; uploads take
    at most 1 kB; the event streams say ``heartbeat`` every second, not every 15."""
    log = tmp_path_factory.mktemp("suite") / "lifecycle.log"
    env = {
        "SUITE_LOG": str(log),
        "GRADIO_IS_E2E_TEST": "1",
        "SERVE_MAX_FILE_SIZE": "1kb",
        "GRADIO_HEARTBEAT_INTERVAL": "1",
    }
    apps = ("client_suite", "queue_full", "client_calls", "many_endpoints")
    with serving(apps, extra_env=env) as urls:
        yield SuiteApps(urls, log)
