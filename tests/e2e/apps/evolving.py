"""A test app whose API changes between runs, as a Space's does between versions.

``EVOLVING_API=1`` (the default) or ``2`` picks the version at import time. From 1 to 2:
``/greet`` renames ``name`` to ``who``, loses the style choice ``loud`` and gains an input
with a default; ``/count`` gains an output; ``/legacy`` goes; ``/shout`` comes.
Exposes a module-level ``demo`` (not launched).
"""

from __future__ import annotations

import os

import gradio as gr

API = os.environ.get("EVOLVING_API", "1")


def greet_v1(name: str, style: str) -> str:
    return f"Hello, {name}" + ("!" if style != "plain" else "")


def greet_v2(who: str, style: str, punctuation: str) -> str:
    return f"Hello, {who}" + (punctuation if style != "plain" else "")


def count_v1(text: str) -> int:
    return len(text or "")


def count_v2(text: str) -> tuple[int, str]:
    return len(text or ""), (text or "").upper()


def legacy(x: str) -> str:
    return x


def shout(text: str) -> str:
    return (text or "").upper()


with gr.Blocks(title="evolving") as demo:
    text = gr.Textbox(label="Text")
    style_choices = ["plain", "fancy", "loud"] if API == "1" else ["plain", "fancy"]
    style = gr.Radio(style_choices, value="plain", label="Style")
    out = gr.Textbox(label="Greeting")
    number = gr.Number(label="Length")
    if API == "1":
        gr.Button("Greet").click(greet_v1, [text, style], out, api_name="greet")
        gr.Button("Count").click(count_v1, text, number, api_name="count")
        gr.Button("Legacy").click(legacy, text, out, api_name="legacy")
    else:
        punctuation = gr.Textbox(value="!", label="Punctuation")
        gr.Button("Greet").click(greet_v2, [text, style, punctuation], out, api_name="greet")
        gr.Button("Count").click(count_v2, text, [number, out], api_name="count")
        gr.Button("Shout").click(shout, text, out, api_name="shout")
