"""test_client.py's test_queue_full_raises_error app: a queue with room for one event.

One slow event at a time; a second one waits in the queue; a third finds it full and is
answered 503 "Queue is full" until the first finishes.
"""

from __future__ import annotations

import time

import gradio as gr


def slow_hello(name: str) -> str:
    time.sleep(6)
    return f"Hello {name}"


with gr.Blocks(title="queue full") as demo:
    name = gr.Textbox(label="name")
    out = gr.Textbox(label="out")
    gr.Button("Hello").click(slow_hello, name, out, api_name="predict", concurrency_limit=1)
demo.queue(max_size=1)
