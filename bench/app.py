"""The Gradio app the benchmarks call: one trivial, one streaming and one image endpoint.

Every event has no concurrency limit, so eight concurrent callers measure the clients,
not Gradio's default of one job at a time. Exposes ``demo`` for ``tests/e2e/serve.py``.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator

import gradio as gr
from PIL import Image, ImageOps


def echo(text: str) -> str:
    return text


def stream(n: float, delay: float) -> Iterator[str]:
    """Yields ``n`` outputs ``delay`` seconds apart, so buffering would show in the timings."""
    for i in range(int(n)):
        if i:
            time.sleep(delay)
        yield str(i)


def mirror(image: str) -> str:
    fd, out = tempfile.mkstemp(suffix=".png", prefix="bench_mirror_")
    os.close(fd)
    with Image.open(image) as img:
        ImageOps.mirror(img).save(out, format="PNG")
    return out


with gr.Blocks(title="bench") as demo:
    text_in = gr.Textbox(label="Text")
    text_out = gr.Textbox(label="Echo")
    gr.Button("Echo").click(echo, text_in, text_out, api_name="echo", concurrency_limit=None)
    count = gr.Number(5, precision=0, label="Outputs")
    delay = gr.Number(0.02, label="Delay")
    streamed = gr.Textbox(label="Streamed")
    gr.Button("Stream").click(
        stream, [count, delay], streamed, api_name="stream", concurrency_limit=None
    )
    image_in = gr.Image(type="filepath", label="Image")
    image_out = gr.Image(type="filepath", label="Mirrored")
    gr.Button("Mirror").click(
        mirror, image_in, image_out, api_name="mirror", concurrency_limit=None
    )
