"""The generated JavaScript client in a real browser: Debian's chromium, headless.

A page served from its own port (another origin than the apps) imports the generated ES
module (``tests/js/browser_page.js``) and calls live Gradio apps: a text call, files from a
``File``, a ``Blob`` and a ``Uint8Array`` (uploaded, then downloaded), a streamed output, a
cancel by ``AbortSignal``, an app error, a session ended by ``close()``, and an app behind
a login, which works across origins only because the runtime sends its requests with
``credentials: "include"``. ``tests/js/browser.mjs`` drives chromium through puppeteer-core
(``/usr/bin/chromium``; nothing downloads a browser). ``scripts/test`` installs chromium with
apt-get; without it this module is skipped, saying so.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from codegen.pipeline import Options, generate
from tests.e2e.conftest import SuiteApps, serving
from tests.e2e.test_js_client import node_path

CHROMIUM = Path("/usr/bin/chromium")
LOGIN = ("ada", "lovelace")
PAGE = '<!doctype html>\n<script type="module" src="browser_page.js"></script>\n'

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no /usr/bin/chromium: scripts/test installs it (apt-get install chromium)",
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def login_app() -> Iterator[str]:
    """client_suite again, behind ``launch(auth=...)``."""
    with serving(("client_suite",), extra_env={"SERVE_AUTH": ":".join(LOGIN)}) as urls:
        yield urls["client_suite"]


@pytest.fixture(scope="module")
def page_origin(
    suite_apps: SuiteApps, tmp_path_factory: pytest.TempPathFactory, js_tools: Path
) -> Iterator[str]:
    """A static server on its own port: the page, its script and the generated client."""
    root = tmp_path_factory.mktemp("page")
    app = suite_apps.urls["client_suite"]
    generate(app, root / "out", Options(name="client_suite"), token=None)
    shutil.copytree(root / "out" / "js", root / "client")
    shutil.copy(js_tools / "browser_page.js", root / "browser_page.js")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="page-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser_run(
    page_origin: str, suite_apps: SuiteApps, login_app: str, js_tools: Path
) -> dict[str, Any]:
    """One chromium run of the page: what it reported, its console and the browser version."""
    params = {"app": suite_apps.urls["client_suite"], "login": login_app, "auth": list(LOGIN)}
    page = f"{page_origin}/index.html#{urllib.parse.quote(json.dumps(params))}"
    done = subprocess.run(
        [node_path(), str(js_tools / "browser.mjs")],
        input=json.dumps({"page": page, "timeout": 90_000, "chromium": str(CHROMIUM)}),
        capture_output=True,
        text=True,
        timeout=180,
        cwd=js_tools,
        check=False,
    )
    assert done.returncode == 0, f"chromium run failed:\n{done.stderr}"
    run: dict[str, Any] = json.loads(done.stdout)
    assert run["errors"] == [], run
    return run


def result(run: dict[str, Any], name: str) -> Any:
    outcome = run["results"][name]
    assert "value" in outcome, f"{name} failed in the browser: {outcome}"
    return outcome["value"]


def test_the_page_is_on_another_origin_than_the_apps(
    page_origin: str, suite_apps: SuiteApps, login_app: str
) -> None:
    origins = {urllib.parse.urlsplit(u)[:2] for u in (suite_apps.urls["client_suite"], login_app)}
    assert urllib.parse.urlsplit(page_origin)[:2] not in origins


def test_a_text_call_says_it_came_from_a_client(browser_run: dict[str, Any]) -> None:
    assert browser_run["version"].startswith(("Chrome/", "HeadlessChrome/"))
    assert result(browser_run, "text") == "Hello, browser! Your x-gradio-user is api"


def test_files_from_file_blob_and_bytes_go_up_and_come_back(browser_run: dict[str, Any]) -> None:
    files = result(browser_run, "files")
    assert files["many"] == ["from a File", "hi"]
    assert files["names"][0] == "a.txt"
    assert files["one"] == "from a Blob"


def test_a_streamed_output_arrives_step_by_step(browser_run: dict[str, Any]) -> None:
    assert result(browser_run, "stream") == ["a", "ab", "abc"]


def test_an_abort_signal_cancels_the_job(browser_run: dict[str, Any]) -> None:
    aborted = result(browser_run, "abort")
    assert aborted["seen"] == [0]
    assert "JobCancelledError" in aborted["kinds"]
    assert aborted["ms"] < 5000  # the iterator ran for 10 s more


def test_an_app_error_is_a_gradio_error(browser_run: dict[str, Any]) -> None:
    assert browser_run["results"]["app_error"]["kinds"] == ["GradioError"]


def test_close_in_the_browser_ends_the_session(
    browser_run: dict[str, Any], suite_apps: SuiteApps
) -> None:
    session = result(browser_run, "session")
    assert session["second"] == "browser second (before: browser first)"
    lines = suite_apps.wait_for("state deleted browser second")
    assert f"unload {session['hash']}" in lines


def test_a_login_app_on_another_origin(browser_run: dict[str, Any]) -> None:
    login = result(browser_run, "login")
    assert login["text"] == "Hello, login! Your x-gradio-user is api"
    assert login["download"] == "behind a login"
    missing = browser_run["results"]["login_missing"]
    assert missing["kinds"] == ["AuthenticationError"] and "needs a login" in missing["message"]
    wrong = browser_run["results"]["login_wrong"]
    assert wrong["kinds"] == ["AuthenticationError"] and "check auth" in wrong["message"]
