"""More of gradio_client's test apps, re-expressed as one Blocks (our code).

``client_suite.py`` carries the apps about sessions, progress and cancelling; this one
carries the rest of what ``client/python/test/conftest.py`` builds for ``test_client.py``:
the calculator (with and without defaults, its error on bad input), a greeting with a
required input, a chatbot with state, layout-only outputs, a slow job for timeouts (queued
and not), video and image files, a long job that says ``gr.Info`` and returns a big text,
outputs with line breaks, event data, endpoints left unnamed and endpoints kept private.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import gradio as gr

OPERATIONS = ["add", "subtract", "multiply", "divide"]
BIG = "\ta\nb" * 90000
REPLIES = ["How are you?", "I love you", "I'm very hungry"]
# the smallest MP4 a player accepts the header of: an ftyp box
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def calculate(num1: float, operation: str, num2: float) -> float:
    if operation == "add":
        return num1 + num2
    if operation == "subtract":
        return num1 - num2
    if operation == "multiply":
        return num1 * num2
    if num2 == 0:
        raise gr.Error("Cannot divide by zero!")
    return num1 / num2


def calculate_with_defaults(num1: float, operation: str | None, num2: float | None) -> float:
    return calculate(num1, operation or "add", 100 if num2 is None else num2)


def greet(name: str, punctuation: str) -> str:
    return "Hello " + name + punctuation


def respond(message: str, kept: list[int], history: list[Any]) -> tuple[str, list[Any]]:
    """stateful_chatbot: the state arrives as the app set it, the history grows by two."""
    assert kept == [1, 2, 3]
    history.append({"role": "user", "content": message})
    history.append({"role": "assistant", "content": "I love you"})
    return "", history


def chat(message: str, history: list[Any]) -> tuple[str, list[Any]]:
    """chatbot_message_format: any one of three replies."""
    reply = REPLIES[len(history) // 2 % len(REPLIES)]
    history.extend([{"role": "user", "content": message}, {"role": "assistant", "content": reply}])
    return "", history


def sleep_then_two() -> int:
    time.sleep(2)
    return 2


def long_response(progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
    """long_response_with_info: a message, a wait across the stream's heartbeats, a big text."""
    gr.Info("Beginning long response")
    time.sleep(float(os.environ.get("SUITE_LONG_SECONDS", "3")))
    gr.Info("Done!")
    return BIG


def bad_json() -> tuple[str, None]:
    """test_json_parse_error: accents and a trailing newline beside a None."""
    return (
        "Bonjour Olivier, tu as l'air bien r\u00e9veill\u00e9 ce matin. "
        "Tu veux que je te pr\u00e9pare tes petits-d\u00e9j.\n",
        None,
    )


def line_breaks() -> str:
    """test_multiple_newlines_in_output, with every Unicode line break and a lone CR."""
    return "before\x85after\u2028and\u2029then\rend\n\n"


def make_video() -> str:
    path = Path(tempfile.mkdtemp()) / "clip.mp4"
    path.write_bytes(MP4)
    return str(path)


def image_name(image: str) -> str:
    """test_upload_preserves_orig_name: the app sees the file under the name it was sent as."""
    return Path(image).name


def event_data(evt: gr.EventData) -> Any:
    """test_client_forwards_event_data: what the event carried."""
    return evt._data


def count(n: float) -> Any:
    for i in range(int(n)):
        time.sleep(0.05)
        yield str(i)


def show(n: float) -> str:
    return str(list(range(int(n))))


def add_one(count: int) -> tuple[int, int]:
    return count + 1, count + 1


def greeting(name: str) -> tuple[str, Any]:
    """hello_world_with_group: a layout update beside the text."""
    return f"Hello {name}", gr.Group(visible=True)


with gr.Blocks(title="client calls") as demo:
    num1 = gr.Number(label="num1")
    operation = gr.Radio(OPERATIONS, label="operation")
    num2 = gr.Number(label="num2")
    result = gr.Number(label="result")
    gr.Button("Calc").click(calculate, [num1, operation, num2], result, api_name="calculate")

    num1_default = gr.Number(value=10, label="num1")
    operation_default = gr.Radio(OPERATIONS, label="operation")
    num2_default = gr.Number(label="num2")
    gr.Button("Calc defaults").click(
        calculate_with_defaults,
        [num1_default, operation_default, num2_default],
        result,
        api_name="calculate_defaults",
    )

    name = gr.Textbox(label="Name")
    punctuation = gr.Textbox(label="Punctuation")
    greeting_out = gr.Textbox(label="Greeting")
    gr.Button("Greet").click(greet, [name, punctuation], greeting_out, api_name="greet")

    chatbot = gr.Chatbot(label="chatbot")
    message = gr.Textbox(label="message")
    kept = gr.State([1, 2, 3])
    message.submit(respond, [message, kept, chatbot], [message, chatbot], api_name="respond")
    gr.Button("Chat").click(chat, [message, chatbot], [message, chatbot], api_name="chat")

    slept = gr.Number(label="slept")
    gr.Button("Sleep").click(sleep_then_two, None, slept, api_name="sleep")
    gr.Button("Sleep now").click(
        sleep_then_two, None, slept, api_name="sleep_no_queue", queue=False
    )

    long_out = gr.Textbox(label="Output")
    gr.Button("Long").click(long_response, None, long_out, api_name="long_response")
    first, second = gr.Textbox(label="first"), gr.Textbox(label="second")
    gr.Button("Bad").click(bad_json, None, [first, second], api_name="bad_json")
    gr.Button("Breaks").click(line_breaks, None, first, api_name="line_breaks")

    video = gr.Video(label="video")
    gr.Button("Video").click(make_video, None, video, api_name="video")
    image = gr.Image(type="filepath", label="image")
    gr.Button("Name").click(image_name, image, first, api_name="image_name")

    data_out = gr.JSON(label="event data")
    gr.Button("Click me").click(event_data, None, data_out, api_name="click")

    # count_generator_demo: no api_name, so Gradio names each event after its function
    n = gr.Number(value=10, label="n")
    gr.Button("Count").click(count, n, first)
    gr.Button("List").click(show, n, first)

    # count_generator_no_api, increment_demo's third button: private, so not in the API
    private_count = gr.State(0)
    gr.Button("Private").click(show, n, first, api_visibility="private")
    gr.Button("Private inc").click(
        add_one, private_count, [private_count, slept], api_visibility="private"
    )

    # hello_world_with_group: a group's visibility is no output a client sees
    with gr.Group(visible=False) as group:
        gr.Textbox("Hello!")
    gr.Button("Hello").click(greeting, name, [greeting_out, group], api_name="greeting")
    gr.Button("Hide").click(lambda: gr.Group(visible=False), None, group, api_name="show_group")
