"""test_client.py's many_endpoint_demo: 1,000 textboxes, each with a submit and a click
event, so 2,000 endpoints (Gradio names them ``noop``, ``noop_1``, ... ``noop_1999``)."""

from __future__ import annotations

import gradio as gr


def noop(text: str) -> str:
    return text


with gr.Blocks(title="many endpoints") as demo:
    for _ in range(1000):
        box = gr.Textbox()
        box.submit(noop, box, box)
        gr.Button().click(noop, box, box)
