"""The apps of gradio_client's own test suite, re-expressed as one Blocks (our code).

gradio's ``client/python/test/conftest.py`` builds one small demo per fixture; the events
below do what those demos do (state, increment with and without the queue, progress, a
generator, a generator that fails, a long job to cancel, files in and out, layout updates
beside state, ``x-gradio-user``), so that ``tests/e2e/test_client_suite.py`` can run
``test_client.py``'s assertions against the generated clients.

The session lifecycle is visible from outside: with ``SUITE_LOG`` set, every
``gr.State(delete_callback=...)`` deletion and every ``demo.unload`` run appends one line
(``state deleted <value>`` / ``unload <session_hash>``) to that file, and ``iterate``
logs each step (``iterate <i>``), so that a cancelled job is seen to stop. Gradio deletes a
closed session's state after an hour unless ``GRADIO_IS_E2E_TEST`` is set (then after a
second).
"""

from __future__ import annotations

import os
import time
from typing import Any

import gradio as gr


def _log(line: str) -> None:
    path = os.environ.get("SUITE_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(line + "\n")


def remember(text: str, kept: Any) -> tuple[str, str]:
    """state_demo: the state keeps the last text; the output shows the one before."""
    return f"{text} (before: {kept})", text


def increment(count: int) -> tuple[int, int]:
    return count + 1, count + 1


def slow_echo(text: str, progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
    progress(0, desc="Starting...")
    for _ in progress.tqdm(range(5)):
        time.sleep(0.1)
    return text


def spell(text: str) -> Any:
    for i in range(len(text)):
        time.sleep(0.2)
        yield text[: i + 1]


def count_then_fail(n: float) -> Any:
    for i in range(int(n)):
        if i == 5:
            raise ValueError("Oh no!")
        yield str(i)


def iterate() -> Any:
    """cancel_from_client_demo; each step logged, so a test sees the server stop."""
    for i in range(20):
        _log(f"iterate {i}")
        yield i
        time.sleep(0.5)


def long_process() -> int:
    time.sleep(8)
    return 10


def file_io(files: list[str] | None, file: str | None) -> tuple[list[str] | None, str | None]:
    return files, file


def greeting(name: str, count: int) -> tuple[int, str, int, Any]:
    """hello_world_with_state_and_accordion: a layout update beside the state."""
    count += 1
    return count, f"Hello {name}", count, gr.Accordion(open=False)


def who(name: str, request: gr.Request) -> str:
    user = request.headers.get("x-gradio-user", "not provided")
    return f"Hello, {name}! Your x-gradio-user is {user}"


def note(text: str) -> None:
    """An event without outputs (gradio_client returns ``()``, ours ``None``)."""
    _log(f"note {text}")


def on_unload(request: gr.Request) -> None:
    _log(f"unload {request.session_hash}")


with gr.Blocks(title="client suite") as demo:
    text_in = gr.Textbox(label="text")
    text_out = gr.Textbox(label="out")
    kept = gr.State(None, delete_callback=lambda value: _log(f"state deleted {value}"))
    gr.Button("Remember").click(remember, [text_in, kept], [text_out, kept], api_name="remember")

    count_state = gr.State(0)
    number = gr.Number(label="count")
    gr.Button("Inc").click(
        increment, count_state, [count_state, number], api_name="increment_with_queue"
    )
    gr.Button("Inc now").click(
        increment,
        count_state,
        [count_state, number],
        queue=False,
        api_name="increment_without_queue",
    )

    gr.Button("Progress").click(slow_echo, text_in, text_out, api_name="progress")
    gr.Button("Spell").click(spell, text_in, text_out, api_name="spell")
    n_in = gr.Number(value=10, label="n")
    gr.Button("Count").click(count_then_fail, n_in, text_out, api_name="count")
    it_out = gr.Number(label="i")
    gr.Button("Iterate").click(iterate, None, it_out, api_name="iterate")
    gr.Button("Long").click(long_process, None, it_out, api_name="long")

    files_in = gr.File(file_count="multiple", label="files")
    file_in = gr.File(label="file")
    files_out = gr.File(file_count="multiple", label="files out")
    file_out = gr.File(label="file out")
    gr.Button("Files").click(
        file_io, [files_in, file_in], [files_out, file_out], api_name="file_io"
    )

    name = gr.Textbox(label="name")
    greeting_out = gr.Textbox(label="greeting")
    greetings = gr.State(0)
    with gr.Accordion(label="Extra stuff", open=False) as accordion:
        gr.Textbox("Hello!")
    gr.Button("Greet").click(
        greeting,
        [name, greetings],
        [greetings, greeting_out, number, accordion],
        api_name="greeting",
    )

    gr.Button("Who").click(who, name, greeting_out, api_name="who")
    gr.Button("Note").click(note, text_in, None, api_name="note")
    demo.unload(on_unload)
