"""Smoke tests: the live test apps work through the official gradio_client."""

from __future__ import annotations

import os

import httpx
import pytest
from PIL import Image

EXPECTED_ENDPOINTS: dict[str, dict[str, list[str]]] = {
    "basics": {
        "/greet": ["name", "intensity", "shout"],
        "/calculate": ["a", "operation", "b"],
        "/pick": ["single", "many", "boxes", "count"],
        "/class": ["self"],
        "/close": [],
        "/submit": ["text"],
        "/fail": ["message"],
    },
    "media": {
        "/image_info": ["image"],
        "/audio_reverse": ["audio"],
        "/file_upper": ["file"],
        "/files_count": ["files"],
        "/json_echo": ["data"],
        "/table_sum": ["table"],
    },
    "chat": {
        "/respond": ["message", "history"],
        "/increment": [],
        "/remember": ["word"],
        "/count_up": ["n"],
        "/progress_words": ["text"],
        "/slow_echo": ["text"],
    },
}


@pytest.mark.parametrize("app", sorted(EXPECTED_ENDPOINTS))
def test_api_info_lists_named_endpoints(live_apps: dict[str, str], app: str) -> None:
    response = httpx.get(live_apps[app] + "gradio_api/info", timeout=30)
    response.raise_for_status()
    named = response.json()["named_endpoints"]
    expected = EXPECTED_ENDPOINTS[app]
    assert set(expected) <= set(named), sorted(named)
    for api_name, params in expected.items():
        got = [p["parameter_name"] for p in named[api_name]["parameters"]]
        assert got == params, (api_name, got)


def test_greet(oracle) -> None:
    assert oracle.predict("basics", "greet", name="Ada", intensity=2, shout=False) == "Hello, Ada!!"
    assert oracle.predict("basics", "/greet", name="Ada") == "Hello, Ada!!"
    assert oracle.predict("basics", "greet", name="Ada", intensity=1, shout=True) == "HELLO, ADA!"


def test_reserved_names(oracle) -> None:
    assert oracle.predict("basics", "class", self="abc") == "cba"
    assert oracle.predict("basics", "close") == "closed"
    assert oracle.predict("basics", "submit", text="hello") == 5


def test_calculate_divide_by_zero(oracle) -> None:
    assert oracle.predict("basics", "calculate", a=6, operation="divide", b=3) == 2
    with pytest.raises(Exception) as excinfo:
        oracle.predict("basics", "calculate", a=1, operation="divide", b=0)
    assert "Cannot divide by zero" in str(excinfo.value)


def test_fail_reports_message(oracle) -> None:
    with pytest.raises(Exception) as excinfo:
        oracle.predict("basics", "fail", message="boom 42")
    assert "boom 42" in str(excinfo.value)


def test_increment_is_per_session(oracle) -> None:
    client = oracle.fresh("chat")
    assert client.predict(api_name="/increment") == 1
    assert client.predict(api_name="/increment") == 2
    other = oracle.fresh("chat")
    assert other.predict(api_name="/increment") == 1
    assert client.predict(api_name="/increment") == 3


def test_count_up_streams(oracle) -> None:
    job = oracle.fresh("chat").submit(n=4, api_name="/count_up")
    outputs = list(job)
    assert outputs == ["0", "1", "2", "3"]
    assert job.result() == "3"


def test_image_info(oracle, tmp_path) -> None:
    from gradio_client import handle_file

    path = tmp_path / "small.png"
    Image.new("RGB", (5, 3), (255, 0, 0)).save(path)
    image, size = oracle.predict("media", "image_info", image=handle_file(str(path)))
    assert size == "5x3"
    if isinstance(image, dict):  # download_files=False: FileData dict
        assert image.get("url") or image.get("path")
        assert str(image.get("orig_name") or image.get("path")).endswith(".png")
    else:  # downloaded to a local path
        assert os.path.exists(image)
