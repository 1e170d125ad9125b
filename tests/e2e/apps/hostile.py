"""A test app whose names and text are hostile: every client must call it, and run none of it.

Endpoint names, input names, labels, choices, defaults, descriptions and the title carry
quotes, backticks, ``$(...)``, comment ends, template syntax and newlines. Any of it that
ran as code would create the canary file named by ``HOSTILE_CANARY`` (the tests check it
stays absent). Exposes a module-level ``demo`` (not launched).
"""

from __future__ import annotations

import os

import gradio as gr

CANARY = os.environ.get("HOSTILE_CANARY", "/tmp/gradio_codegen_canary")
TEXT = (
    f'it\'s "q" `touch {CANARY}` $(touch {CANARY}) ${{IFS}} */ /* --> <script>x</script> '
    f"''' \"\"\" \\ {{{{ x }}}} {{% raw %}} @param #!\n"
    f"__import__('os').system('touch {CANARY}')\r\nend"
)
CHOICES = ["x'y", 'q"z', f"$(touch {CANARY})", "*/", "a\\b", "é ü"]


def echo_names(new: str, self: str, type: str) -> str:
    return f"{new}|{self}|{type}"


def defaults(default: str, delete: float, constructor: bool) -> str:
    return f"{default}|{delete}|{constructor}"


def choose(choice: str) -> str:
    return f"chose {choice}"


def accents(
    naïve: str,
    naive: str,
    a_name_longer_than_the_sixty_four_characters_that_some_mcp_hosts_allow: str,
) -> str:
    """Input names some MCP hosts refuse as property names (non-ASCII; over 64 characters),
    and one that the first's ASCII spelling clashes with."""
    return (
        f"{naïve}|{naive}|{a_name_longer_than_the_sixty_four_characters_that_some_mcp_hosts_allow}"
    )


with gr.Blocks(title=TEXT) as demo:
    new = gr.Textbox(label=TEXT)
    self_ = gr.Textbox(label="self")
    type_ = gr.Dropdown(CHOICES, value=CHOICES[1], label=f"type {TEXT}")
    out = gr.Textbox(label=f"out {TEXT}")
    gr.Button("a").click(
        echo_names, [new, self_, type_], out, api_name="2nd_échō", api_description=TEXT
    )
    gr.Button("b").click(echo_names, [new, self_, type_], out, api_name="class")
    gr.Button("c").click(echo_names, [new, self_, type_], out, api_name="a b")
    default = gr.Textbox(value=TEXT, label="default")
    delete = gr.Number(value=2.5, label="delete")
    constructor = gr.Checkbox(value=True, label="constructor")
    gr.Button("d").click(defaults, [default, delete, constructor], out, api_name="new")
    choice = gr.Radio(CHOICES, value=CHOICES[2], label="choice")
    gr.Button("e").click(choose, [choice], out, api_name="toString")
    gr.Button("f").click(choose, [choice], out, api_name="../x")
    gr.Button("g").click(accents, [new, self_, default], out, api_name="accents")
