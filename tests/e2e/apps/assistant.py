"""A ChatInterface app with browser-stored state and a file input: what a restart changes.

Gradio draws a random ``secret`` (and, without a ``storage_key``, a random key) for each
``BrowserState``, and a ChatInterface adds one of its own (5.0+); ``gr.State`` puts the
repr of its ``delete_callback``, memory address included, into ``/config``. The CI tests
restart this app and require the generated folder to stay byte for byte the same.
Exposes a module-level ``demo`` (not launched).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import gradio as gr

# what this Gradio's ChatInterface takes of these (4.x has no api_name, 6.x no type)
_CHAT_PARAMS = inspect.signature(gr.ChatInterface.__init__).parameters
_CHAT_KWARGS = {
    k: v for k, v in {"type": "messages", "api_name": "chat"}.items() if k in _CHAT_PARAMS
}
# Gradio 3.x has no File(type="filepath"): its "file" gives a temp file object
GRADIO_3 = gr.__version__.startswith("3.")


def reply(message: str, history: list[Any]) -> str:
    return f"{len(history)}: {message}"


def size(file: Any) -> int:
    path = getattr(file, "name", file)  # 3.x: a temp file object
    return Path(path).stat().st_size if path else 0


with gr.Blocks(title="assistant") as demo:
    gr.ChatInterface(reply, **_CHAT_KWARGS)
    if hasattr(gr, "BrowserState"):  # 5.0+
        gr.BrowserState({"theme": "light"})
    upload = gr.File(label="Upload", type="file" if GRADIO_3 else "filepath")
    gr.Button("Size").click(size, inputs=upload, outputs=gr.Number(label="Bytes"), api_name="size")
