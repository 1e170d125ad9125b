"""Every code block of the generated API page runs against the live app it was made from."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.pipeline import Options, generate
from tests.tsc import NODE_MODULES

# apps whose examples need no internet (the media app's example files are on GitHub)
APPS = ("basics", "chat")
BLOCK = re.compile(r"^(`{3,})(python|js|bash)\n(.*?)\n\1$", re.S | re.M)


@pytest.fixture(scope="module")
def pages(live_apps: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    for app in APPS:
        generate(live_apps[app], out / app, Options(), token=None)
        (out / app / "node_modules").symlink_to(NODE_MODULES)
    return {app: out / app for app in APPS}


def blocks(page: Path) -> list[tuple[str, str, str]]:
    """(endpoint heading, language, code) for every fenced block, in page order."""
    found = []
    for section in page.read_text().split("\n### ")[1:]:
        heading = section.split("\n", 1)[0]
        found += [(heading, m.group(2), m.group(3)) for m in BLOCK.finditer(section)]
    return found


def run(folder: Path, lang: str, code: str, n: int) -> subprocess.CompletedProcess[str]:
    if lang == "python":
        command = [sys.executable, "-c", code]
    elif lang == "js":
        script = folder / f"snippet_{n}.mjs"
        script.write_text(code)
        command = ["node", str(script)]
    else:
        command = ["bash", "-c", code]
    env = {**os.environ, "PYTHONPATH": str(folder / "python")}
    env.pop("HF_TOKEN", None)
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=90, env=env)


@pytest.mark.parametrize("app", APPS)
def test_every_snippet_runs(pages: dict[str, Path], app: str) -> None:
    """All five snippets of an endpoint agree; /fail raises its input, "Hello!!", in each."""
    found = blocks(pages[app] / "README.md")
    endpoints = sorted({heading for heading, _, _ in found})
    assert len(found) == 5 * len(endpoints) and len(endpoints) >= 7
    results: dict[str, list[subprocess.CompletedProcess[str]]] = {h: [] for h in endpoints}
    for n, (heading, lang, code) in enumerate(found):
        if n % 5 == 0:  # several outputs print as a NamedTuple; gradio_client's is a tuple
            code = code.replace(
                "print(result)", "print(tuple(result) if isinstance(result, tuple) else result)"
            )
        results[heading].append(run(pages[app], lang, code, n))
    for heading, runs in results.items():
        if heading.endswith("`/fail`"):
            assert all(r.returncode != 0 and "Hello!!" in r.stderr for r in runs), runs
            continue
        for r in runs:
            assert r.returncode == 0 and r.stdout.strip(), f"{heading}: {r.args}\n{r.stderr}"
        # the generated Python client prints what gradio_client prints (after its banner)
        assert runs[0].stdout.splitlines() == runs[3].stdout.splitlines()[-1:], heading


def test_the_page_lists_every_endpoint_with_its_inputs(pages: dict[str, Path]) -> None:
    text = (pages["basics"] / "README.md").read_text()
    assert "| `name` | `str` | required |" in text
    assert (
        "| `operation` | `Literal['add', 'subtract', 'multiply', 'divide']` | `\"add\"` |" in text
    )
    for api in ("calculate", "class", "close", "fail", "greet", "pick", "submit"):
        assert "### " in text and f"`/{api}`" in text
