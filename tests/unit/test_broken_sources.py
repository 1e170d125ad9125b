"""Every broken source, through the command line: one line naming the problem and what to do,
its exit code, no traceback, and the output folder exactly as it was."""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner

from codegen.cli import main
from tests.folders import snapshot
from tests.paths import SCHEMAS

FIXTURES = SCHEMAS
BASE = "https://broken.test"
HTML = httpx.Response(
    200, text="<!doctype html><p>Building…</p>", headers={"content-type": "text/html"}
)
Setup = Callable[[respx.MockRouter, Path], str]  # mocks routes or writes files; returns SRC


def _file(text: str) -> Setup:
    def setup(router: respx.MockRouter, tmp: Path) -> str:
        (tmp / "schema.json").write_text(text)
        return str(tmp / "schema.json")

    return setup


def _all(response: httpx.Response | Exception) -> Setup:
    def setup(router: respx.MockRouter, tmp: Path) -> str:
        route = router.route(url__startswith=BASE)
        if isinstance(response, Exception):
            route.mock(side_effect=response)
        else:
            route.mock(return_value=response)
        return BASE

    return setup


def _login_redirect(router: respx.MockRouter, tmp: Path) -> str:
    login = "https://huggingface.test/login?next=/spaces/x"
    router.route(url__startswith=BASE).mock(
        return_value=httpx.Response(302, headers={"location": login})
    )
    router.get(login).mock(return_value=HTML)
    return BASE


def _not_gradio(router: respx.MockRouter, tmp: Path) -> str:
    doc = {"openapi": "3.0.2", "info": {"title": "shop", "version": "1"}, "paths": {"/items": {}}}
    return _file(json.dumps(doc))(router, tmp)


def _no_public_endpoints(router: respx.MockRouter, tmp: Path) -> str:
    info = {"named_endpoints": {}, "unnamed_endpoints": {}}
    return _file(json.dumps(info))(router, tmp)


CASES: list[tuple[str, Setup, int, str]] = [
    ("missing file", lambda r, t: str(t / "absent.json"), 4, "no such file"),
    ("invalid JSON", _file("{not json"), 4, "JSON"),
    ("HTML page", _file("<!doctype html><html></html>"), 4, "JSON"),
    ("HTML everywhere", _all(HTML), 4, "is not a Gradio app"),
    ("login redirect", _login_redirect, 4, "is not a Gradio app"),
    ("not a Gradio app", _not_gradio, 5, "Gradio"),
    ("no public endpoints", _no_public_endpoints, 5, "no public API endpoints"),
    ("401", _all(httpx.Response(401)), 4, "HF_TOKEN"),
    ("403", _all(httpx.Response(403)), 4, "HF_TOKEN"),
    ("404", _all(httpx.Response(404)), 4, "is not a Gradio app"),
    ("503", _all(httpx.Response(503)), 4, "503"),
    ("timeout", _all(httpx.ReadTimeout("slow")), 4, "timed out"),
    ("connection refused", _all(httpx.ConnectError("refused")), 4, "cannot reach"),
    (
        "TLS error",
        _all(httpx.ConnectError(str(ssl.SSLCertVerificationError("bad cert")))),
        4,
        "cannot reach",
    ),
]


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        yield mock


@pytest.mark.parametrize(
    ("setup", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_broken_source_gives_one_line_and_leaves_the_folder(
    router: respx.MockRouter, tmp_path: Path, setup: Setup, code: int, words: str
) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    made = runner.invoke(main, [str(FIXTURES / "hello_world" / "openapi.json"), "-o", str(out)])
    assert made.exit_code == 0, made.output
    (out / "mine.txt").write_text("the user's own file")
    before = snapshot(out)
    src = setup(router, tmp_path)
    result = runner.invoke(main, [src, "-o", str(out)])
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert words in lines[0]
    assert "(hint: " in lines[0] or code == 5
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    verbose = runner.invoke(main, [src, "-o", str(out), "-v"])
    assert verbose.exit_code == code and "Traceback" in verbose.stderr
