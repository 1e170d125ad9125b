"""What a user pastes, against a real Gradio app on 127.0.0.1: the browser's URLs of the app
(the "Use via API" link, a theme query, a schema route) and a Space's page on the Hub (the
stand-in Hub naming the live app as the Space's host) read the same app; a path that looks
like a file is read as one; a server that is no Gradio app says so. One line each."""

from __future__ import annotations

from click.testing import CliRunner, Result

from codegen.cli import main
from tests.hub import StandInHub, stand_in_hub

__all__ = ["stand_in_hub"]  # the fixture, used by name


def _model(src: str) -> Result:
    return CliRunner().invoke(main, ["model", src])


def _error_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_browser_urls_of_an_app_read_the_app(live_apps: dict[str, str]) -> None:
    url = live_apps["basics"].rstrip("/")
    plain = _model(url)
    assert plain.exit_code == 0, plain.stderr
    for pasted in (
        f"{url}/?view=api",
        f"{url}/?__theme=dark",
        f"{url}/?view=api#greet",
        f"{url}/gradio_api/info",
        f"{url}/gradio_api/openapi.json",
        f"{url}/config",
    ):
        result = _model(pasted)
        assert result.exit_code == 0, (pasted, result.stderr)
        assert result.stdout == plain.stdout, pasted


def test_a_space_page_on_the_hub_reads_the_space(
    live_apps: dict[str, str], stand_in_hub: StandInHub
) -> None:
    url = live_apps["basics"].rstrip("/")
    stand_in_hub.add("owner/basics", host=url)
    plain = _model(url)
    for page in ("spaces/owner/basics", "spaces/owner/basics/tree/main?x=1"):
        result = _model(f"{stand_in_hub.url}/{page}")
        assert result.exit_code == 0, (page, result.stderr)
        assert result.stdout == plain.stdout.replace(
            '"space_id": null', '"space_id": "owner/basics"'
        )
    assert [s.path for s in stand_in_hub.requests_to("/api/")] == ["/api/spaces/owner/basics"] * 2


def test_a_missing_file_says_so() -> None:
    result = _model("nothere/openapi.json")
    assert result.exit_code == 4
    line = _error_line(result)
    assert line.startswith("error: no such file: nothere/openapi.json (hint: "), line
    assert "hf.space" not in line


def test_a_server_that_is_no_gradio_app_says_so() -> None:
    with StandInHub() as other:  # a web server that answers JSON 404s, on no Hugging Face host
        result = _model(f"{other.url}/shop/?q=1")
    assert result.exit_code == 4
    line = _error_line(result)
    assert f"{other.url}/shop is not a Gradio app" in line and "hint: " in line
