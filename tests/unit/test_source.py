"""Where schemas come from: Space ids, URLs (mocked with respx) and saved files."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx

from codegen.cli import main as cli_main
from codegen.errors import SourceError
from codegen.source import RawSchema, app_url, read_source, space_url, stable
from tests.paths import CORPUS_VERSIONS, corpus

OPENAPI = {
    "openapi": "3.0.2",
    "info": {"title": None, "version": "6.31.0"},
    "paths": {},
}
INFO = {"named_endpoints": {}, "unnamed_endpoints": {}}
CONFIG = {"version": "6.31.0", "components": [], "dependencies": []}
BASE = "https://example.test/app"


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        yield mock


def _serve_all(router: respx.MockRouter, base: str = BASE) -> dict[str, respx.Route]:
    return {
        "openapi": router.get(f"{base}/gradio_api/openapi.json").mock(
            return_value=httpx.Response(200, json=OPENAPI)
        ),
        "info": router.get(f"{base}/gradio_api/info").mock(
            return_value=httpx.Response(200, json=INFO)
        ),
        "config": router.get(f"{base}/config").mock(return_value=httpx.Response(200, json=CONFIG)),
    }


# -- space_url -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("space", "url"),
    [
        ("abidlabs/whisper", "https://abidlabs-whisper.hf.space"),
        ("AbidLabs/Whisper", "https://abidlabs-whisper.hf.space"),
        ("my_org/my_space", "https://my-org-my-space.hf.space"),
        ("org.name/v1.2", "https://org-name-v1-2.hf.space"),
        ("a-b/c-d", "https://a-b-c-d.hf.space"),
    ],
)
def test_space_url(space: str, url: str) -> None:
    assert space_url(space) == url


def test_space_id_offline_is_fetched_from_hf_space(
    router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    routes = _serve_all(router, "https://abidlabs-whisper.hf.space")
    raw = read_source("abidlabs/whisper", None)
    assert raw.space_id == "abidlabs/whisper"
    assert raw.origin == "https://abidlabs-whisper.hf.space"
    assert raw.name_hint == "whisper"
    assert all(r.called for r in routes.values())


# -- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        BASE,
        BASE + "/",
        BASE + "/gradio_api/openapi.json",
        BASE + "/gradio_api/info",
        BASE + "/config",
        BASE + "/gradio_api/openapi.json/",
    ],
)
def test_url_forms_fetch_the_right_paths(router: respx.MockRouter, src: str) -> None:
    routes = _serve_all(router)
    raw = read_source(src, None)
    assert raw.origin == BASE
    assert raw.openapi == OPENAPI and raw.info == INFO and raw.config == CONFIG
    assert all(r.call_count == 1 for r in routes.values())
    assert raw.space_id is None
    assert raw.name_hint == "example.test"


def test_token_goes_to_the_app_as_x_hf_authorization_only(router: respx.MockRouter) -> None:
    """Hugging Face's proxy strips x-hf-authorization; Authorization would reach the app."""
    routes = _serve_all(router)
    read_source(BASE, "hf_secret123")
    for route in routes.values():
        headers = route.calls.last.request.headers
        assert headers["x-hf-authorization"] == "Bearer hf_secret123"
        assert "Authorization" not in headers


@pytest.mark.parametrize(
    ("base", "sent"),
    [
        (BASE, False),
        ("https://owner-app.hf.space", True),
        ("https://huggingface.co/spaces/x", True),
        ("https://evil.hf.space.example.test", False),
        ("https://hub.example.test", True),  # the HF_ENDPOINT host
    ],
)
def test_env_token_goes_to_hugging_face_hosts_only(
    router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, base: str, sent: bool
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.example.test")
    routes = _serve_all(router, base)
    read_source(base, None, env_token="hf_from_env")
    for route in routes.values():
        headers = route.calls.last.request.headers
        assert ("x-hf-authorization" in headers) is sent
        assert "Authorization" not in headers


def test_no_token_no_authorization_header(router: respx.MockRouter) -> None:
    routes = _serve_all(router)
    read_source(BASE, None)
    assert "Authorization" not in routes["openapi"].calls.last.request.headers


@pytest.mark.parametrize("status", [401, 403])
def test_private_app_hints_at_token(router: respx.MockRouter, status: int) -> None:
    router.get(f"{BASE}/gradio_api/openapi.json").mock(return_value=httpx.Response(status))
    with pytest.raises(SourceError) as exc:
        read_source(BASE, "hf_wrong_token")
    text = str(exc.value)
    assert str(status) in text
    assert "HF_TOKEN" in text and "--token" in text
    assert "hf_wrong_token" not in text
    assert exc.value.exit_code == 4


def test_404_on_both_openapi_and_info(router: respx.MockRouter) -> None:
    router.get(f"{BASE}/gradio_api/openapi.json").mock(return_value=httpx.Response(404))
    router.get(f"{BASE}/gradio_api/info").mock(return_value=httpx.Response(404))
    router.get(f"{BASE}/info").mock(return_value=httpx.Response(404))
    with pytest.raises(SourceError) as exc:
        read_source(BASE, None)
    assert str(exc.value).startswith(f"{BASE} is not a Gradio app (")


def test_gradio_4_and_3_answer_info_at_the_root(router: respx.MockRouter) -> None:
    router.get(f"{BASE}/gradio_api/openapi.json").mock(return_value=httpx.Response(404))
    router.get(f"{BASE}/gradio_api/info").mock(return_value=httpx.Response(404))
    router.get(f"{BASE}/info").mock(return_value=httpx.Response(200, json=INFO))
    router.get(f"{BASE}/config").mock(return_value=httpx.Response(200, json={"version": "4.44.1"}))
    raw = read_source(BASE + "/info", None)
    assert (raw.info, raw.config, raw.api_prefix) == (INFO, {"version": "4.44.1"}, "")


def test_info_only_when_openapi_is_missing(router: respx.MockRouter) -> None:
    router.get(f"{BASE}/gradio_api/openapi.json").mock(return_value=httpx.Response(404))
    router.get(f"{BASE}/gradio_api/info").mock(return_value=httpx.Response(200, json=INFO))
    router.get(f"{BASE}/config").mock(return_value=httpx.Response(404))
    raw = read_source(BASE, None)
    assert raw.openapi is None
    assert raw.info == INFO
    assert raw.config is None
    assert raw.api_prefix == "/gradio_api"


def test_sleeping_space_html_page(router: respx.MockRouter) -> None:
    page = httpx.Response(
        200, text="<!doctype html><html>Building…</html>", headers={"content-type": "text/html"}
    )
    space = "https://owner-app.hf.space"
    router.get(url__startswith=space).mock(return_value=page)
    with pytest.raises(SourceError) as exc:
        read_source(space, None)
    assert "sleeping or building" in str(exc.value)


def test_server_error(router: respx.MockRouter) -> None:
    router.get(f"{BASE}/gradio_api/openapi.json").mock(return_value=httpx.Response(503))
    with pytest.raises(SourceError) as exc:
        read_source(BASE, None)
    assert "503" in str(exc.value)


def test_redirect_is_followed(router: respx.MockRouter) -> None:
    other = "https://moved.test"
    router.get(f"{BASE}/gradio_api/openapi.json").mock(
        return_value=httpx.Response(307, headers={"location": f"{other}/gradio_api/openapi.json"})
    )
    router.get(f"{other}/gradio_api/openapi.json").mock(
        return_value=httpx.Response(200, json=OPENAPI)
    )
    router.get(f"{BASE}/gradio_api/info").mock(return_value=httpx.Response(200, json=INFO))
    router.get(f"{BASE}/config").mock(return_value=httpx.Response(404))
    assert read_source(BASE, None).openapi == OPENAPI


@pytest.mark.parametrize(
    ("error", "word"),
    [
        (httpx.ConnectError("connection refused"), "cannot reach"),
        (httpx.ConnectTimeout("timed out"), "timed out"),
        (httpx.ReadTimeout("timed out"), "timed out"),
    ],
)
def test_network_failures(router: respx.MockRouter, error: Exception, word: str) -> None:
    router.get(f"{BASE}/gradio_api/openapi.json").mock(side_effect=error)
    with pytest.raises(SourceError) as exc:
        read_source(BASE, None)
    assert word in str(exc.value)


def test_timeout_hint_names_only_real_cli_options(router: respx.MockRouter) -> None:
    router.get(f"{BASE}/gradio_api/openapi.json").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(SourceError) as exc:
        read_source(BASE, None)
    commands = [cli_main, *cli_main.commands.values()]
    known = {opt for command in commands for param in command.params for opt in param.opts}
    mentioned = set(re.findall(r"--[a-z][a-z-]*", str(exc.value)))
    assert mentioned <= known, mentioned - known


# -- files -----------------------------------------------------------------------------------


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as exc:
        read_source(str(tmp_path / "nope.json"), None)
    assert exc.value.exit_code == 4


@pytest.mark.parametrize("text", ["{not json", "", "\ufeff{}x", '{"a": 1'])
def test_invalid_json_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "openapi.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        read_source(str(path), None)
    assert "not valid JSON" in str(exc.value)


@pytest.mark.parametrize("doc", [[1, 2], "text", 3, None])
def test_json_that_is_not_an_object(tmp_path: Path, doc: object) -> None:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SourceError):
        read_source(str(path), None)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "openapi.json"
    path.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(SourceError):
        read_source(str(path), None)


def test_files_beside_are_picked_up(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(OPENAPI), encoding="utf-8")
    (tmp_path / "info.json").write_text(json.dumps(INFO), encoding="utf-8")
    (tmp_path / "config.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    for src in (tmp_path / "openapi.json", tmp_path / "info.json", tmp_path):
        raw = read_source(str(src), None)
        assert (raw.openapi, raw.info, raw.config) == (OPENAPI, INFO, CONFIG)
        assert raw.origin == "" and raw.space_id is None
        assert raw.name_hint == tmp_path.name


def test_folder_without_schema(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        read_source(str(tmp_path), None)


def test_a_file_named_anything_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(INFO), encoding="utf-8")
    raw = read_source(str(path), None)
    assert raw.info == INFO and raw.openapi is None


@pytest.mark.parametrize("src", ["not a thing", "a/b/c", "ftp://host/x", "-bad/space"])
def test_unrecognised_sources(src: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # relative names resolve in an empty folder
    with pytest.raises(SourceError):
        read_source(src, None)


def test_stable_leaves_out_what_a_restart_changes() -> None:
    """What restarting the e2e apps showed differs (tests/e2e/test_ci_restart.py restarts
    them): the app's id, a BrowserState's secret and random key, a repr's address."""
    config = {
        "version": "6.31.0",
        "app_id": 4394440483721392733,
        "components": [
            {"id": 1, "type": "state", "props": {"delete_callback": "<function f at 0x7fcd4>"}},
            {
                "id": 2,
                "type": "browserstate",
                "props": {"secret": "X", "storage_key": "Y", "v": 1},
            },
            {"id": 3, "type": "textbox", "props": {"secret": "kept", "value": "<b at 0x1> x"}},
        ],
        "dependencies": [],
    }
    lambda_repr = "<function State.__init__.<locals>.<lambda> at 0x7fbb98035440>"
    info = {"named_endpoints": {"/a": {"parameters": [{"parameter_default": lambda_repr}]}}}
    raw = stable(RawSchema(None, info, config, "", None, "x"))
    assert raw.config == {
        "version": "6.31.0",
        "components": [
            {"id": 1, "type": "state", "props": {"delete_callback": "<function f>"}},
            {"id": 2, "type": "browserstate", "props": {"v": 1}},
            {"id": 3, "type": "textbox", "props": {"secret": "kept", "value": "<b at 0x1> x"}},
        ],
        "dependencies": [],
    }
    default = raw.info["named_endpoints"]["/a"]["parameters"][0]["parameter_default"]  # type: ignore[index]
    assert default == "<function State.__init__.<locals>.<lambda>>"
    assert stable(raw) == raw


@pytest.mark.parametrize("version", CORPUS_VERSIONS)
def test_stable_changes_nothing_else_in_the_corpus(version: str) -> None:
    """Every capture keeps its every other key, in order: only ids and addresses go."""
    for demo in sorted(corpus(version).iterdir()):
        docs = {
            name: json.loads((demo / f"{name}.json").read_text(encoding="utf-8"))
            if (demo / f"{name}.json").is_file()
            else None
            for name in ("openapi", "info", "config")
        }
        raw = stable(RawSchema(docs["openapi"], docs["info"], docs["config"], "", None, "x"))
        assert raw.openapi == docs["openapi"] and raw.info == docs["info"], demo
        if docs["config"] is None:
            continue
        expected = json.loads(
            re.sub(r" at 0x[0-9a-f]+>", ">", json.dumps({**docs["config"], "app_id": 0}))
        )
        expected.pop("app_id")
        assert raw.config == expected, demo
        assert list(raw.config or {}) == list(expected)


# -- what users paste: browser URLs, paths, a Space's page --------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:7860/?view=api", (None, "http://127.0.0.1:7860")),
        ("http://127.0.0.1:7860/?__theme=dark", (None, "http://127.0.0.1:7860")),
        ("http://127.0.0.1:7860/#api", (None, "http://127.0.0.1:7860")),
        ("http://127.0.0.1:7860/gradio_api/info", (None, "http://127.0.0.1:7860")),
        ("http://127.0.0.1:7860/gradio_api/docs", (None, "http://127.0.0.1:7860")),
        ("http://127.0.0.1:7860/config?x=1", (None, "http://127.0.0.1:7860")),
        ("https://host.test/sub/app/?view=api", (None, "https://host.test/sub/app")),
        ("https://owner-app.hf.space/?view=api&x=1", (None, "https://owner-app.hf.space")),
        ("https://owner-app.hf.space/some/page", (None, "https://owner-app.hf.space")),
        ("https://huggingface.co/spaces/owner/app", ("owner/app", "")),
        ("https://huggingface.co/spaces/owner/app/tree/main", ("owner/app", "")),
        ("https://huggingface.co/spaces/owner/app?logs=container", ("owner/app", "")),
        ("https://huggingface.co/owner/model", (None, "https://huggingface.co/owner/model")),
    ],
)
def test_browser_urls_name_the_app(given: str, expected: tuple[str | None, str]) -> None:
    assert app_url(given) == expected


def test_a_space_page_goes_through_the_hub(
    router: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    router.get("https://huggingface.co/api/spaces/owner/app").mock(
        return_value=httpx.Response(
            200, json={"id": "owner/app", "sdk": "gradio", "host": BASE, "runtime": {}}
        )
    )
    _serve_all(router)
    for given in (
        "https://huggingface.co/spaces/owner/app/discussions",
        "huggingface.co/spaces/owner/app",
    ):
        raw = read_source(given, None)
        assert (raw.space_id, raw.origin) == ("owner/app", BASE)


@pytest.mark.parametrize("given", ["nothere/openapi.json", "./nothere", "a/b/c", "schema.JSON"])
def test_a_missing_file_is_not_read_as_a_space_id(given: str, tmp_path: Path) -> None:
    with pytest.raises(SourceError) as exc:
        read_source(str(tmp_path / given) if given.startswith("a/") else given, None)
    assert exc.value.message.startswith("no such file: ") and "Space id" in exc.value.hint


def test_a_saved_schema_calls_the_root_its_config_names(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(OPENAPI))
    config = {**CONFIG, "root": "http://127.0.0.1:7861/gradio_api/"}
    (tmp_path / "config.json").write_text(json.dumps(config))
    assert read_source(str(tmp_path / "openapi.json"), None).origin == "http://127.0.0.1:7861"
    for root in ("", "file:///etc", "http://user:pw@host.test", None):
        (tmp_path / "config.json").write_text(json.dumps({**CONFIG, "root": root}))
        assert read_source(str(tmp_path / "openapi.json"), None).origin == ""


def test_invalid_json_says_where_once(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text('{"a": "unterminated')
    with pytest.raises(SourceError) as exc:
        read_source(str(tmp_path / "openapi.json"), None)
    assert "Unterminated string starting at: line 1 column 7" in exc.value.message
    assert "at at" not in exc.value.message
