"""Chat / state / streaming Gradio test app.

Exposes a module-level ``demo`` (not launched).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

# Gradio 6 only has the "messages" format; gradio 4/5 default to "tuples", so
# ask for "messages" explicitly when the ``type`` parameter still exists
# (keeps this app usable when serve.py runs under older gradio versions).
_CHATBOT_KWARGS: dict[str, Any] = (
    {"type": "messages"} if "type" in inspect.signature(gr.Chatbot.__init__).parameters else {}
)


# Gradio 3.x knows only [user, bot] pairs: the same conversation in its format
GRADIO_3 = gr.__version__.startswith("3.")


def respond(message: str, history: list[dict[str, Any]] | None) -> tuple[str, list[dict[str, Any]]]:
    history = list(history or [])
    if GRADIO_3:
        return "", [*history, [message, f"You said: {message}"]]
    history.append({"role": "user", "content": message})
    history.append({"role": "assistant", "content": f"You said: {message}"})
    return "", history


def increment(counter: int) -> tuple[int, int]:
    new = int(counter or 0) + 1
    return new, new


def remember(word: str, memory: list[str] | None) -> tuple[list[str], str]:
    memory = [*list(memory or []), word]
    return memory, ", ".join(memory)


def count_up(n: float) -> Iterator[str]:
    for i in range(int(n or 0)):
        if i:
            time.sleep(0.05)
        yield str(i)


def progress_words(text: str) -> Iterator[tuple[str, int]]:
    words = (text or "").split()
    for i in range(1, len(words) + 1):
        if i > 1:
            time.sleep(0.05)
        yield " ".join(words[:i]), i


def slow_echo(text: str) -> str:
    time.sleep(1.5)
    return text


def with_progress(steps: float, progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
    n = int(steps)
    for i in range(n):
        progress((i, n), desc="working")
        time.sleep(0.2)
    return f"done {n}"


with gr.Blocks(title="chat") as demo:
    gr.Markdown("# chat")

    chatbot = gr.Chatbot(label="Chat", **_CHATBOT_KWARGS)
    message = gr.Textbox(label="Message")
    message.submit(
        respond, inputs=[message, chatbot], outputs=[message, chatbot], api_name="respond"
    )

    counter_state = gr.State(0)
    counter_value = gr.Number(label="Counter")
    gr.Button("Increment").click(
        increment,
        inputs=counter_state,
        outputs=[counter_state, counter_value],
        api_name="increment",
    )

    memory_state = gr.State([])
    word = gr.Textbox(label="Word")
    memory_text = gr.Textbox(label="Memory")
    gr.Button("Remember").click(
        remember,
        inputs=[word, memory_state],
        outputs=[memory_state, memory_text],
        api_name="remember",
    )

    count_n = gr.Number(value=3, precision=0, label="n")
    count_out = gr.Textbox(label="Count")
    gr.Button("Count up").click(count_up, inputs=count_n, outputs=count_out, api_name="count_up")

    words_in = gr.Textbox(label="Text")
    words_partial = gr.Textbox(label="Partial")
    words_count = gr.Number(label="Word count")
    gr.Button("Words").click(
        progress_words,
        inputs=words_in,
        outputs=[words_partial, words_count],
        api_name="progress_words",
    )

    slow_in = gr.Textbox(label="Slow text")
    slow_out = gr.Textbox(label="Slow echo")
    gr.Button("Slow").click(slow_echo, inputs=slow_in, outputs=slow_out, api_name="slow_echo")

    steps = gr.Number(value=3, precision=0, label="Steps")
    progress_out = gr.Textbox(label="Progress result")
    gr.Button("Progress").click(
        with_progress, inputs=steps, outputs=progress_out, api_name="with_progress"
    )

if GRADIO_3:  # 3.x queues only when asked, and gr.Progress needs the queue
    demo.queue()

if __name__ == "__main__":
    demo.launch()
