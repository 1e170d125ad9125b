"""An app that behaves like a real Space: where tokens arrive, the app's messages, validation.

Exposes a module-level ``demo`` (not launched); ``serve.py`` puts it behind a login when
``SERVE_AUTH=user:password`` is set. It runs on every Gradio version the tests start
(3.50.2 to 6.31): ``gr.Success`` and message titles exist from 5.0, ``validator=`` from 5.49,
and an error's title from 5.0; where a version lacks one the endpoint does without it.
"""

from __future__ import annotations

import inspect
from typing import Any

import gradio as gr

# Tests send tokens holding this text; an endpoint reports which headers carried one.
CANARY = "hf_canary"


def _accepts(fn: Any, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def token_headers(request: gr.Request) -> str:
    """The names (lower case, sorted, comma-joined) of the request headers holding a canary."""
    headers = dict(request.headers)
    return ",".join(sorted(k.lower() for k, v in headers.items() if CANARY in str(v)))


def notify(text: str) -> str:
    """Sends Info, Warning and Success (where the version has it), in that order, each titled."""
    senders = {"info": gr.Info, "warning": gr.Warning, "success": getattr(gr, "Success", None)}
    for level, show in senders.items():
        if show is None:
            continue
        message = f"{level}: {text}"
        if _accepts(show, "title"):
            show(message, title=f"{level.title()} title")
        else:
            show(message)
    return text


def fail_titled(text: str) -> str:
    """An app error with a title, as ZeroGPU's quota errors arrive."""
    if _accepts(gr.Error, "title"):
        raise gr.Error(f"quota: {text}", title="Quota exceeded")
    raise gr.Error(f"quota: {text}")


def signup(name: str, age: float) -> str:
    return f"{name} is {age:g}"


def signup_validator(name: str, age: float) -> list[Any]:
    """Each input's verdict: Gradio answers 422 with the failing ones before running ``signup``."""
    return [
        gr.validate(bool(name and name.strip()), "name must not be empty"),
        gr.validate(age is not None and age >= 0, "age must not be negative"),
    ]


with gr.Blocks(title="space") as demo:
    gr.Markdown("# space")
    headers_out = gr.Textbox(label="Headers with a token")
    gr.Button("Headers").click(token_headers, None, headers_out, api_name="token_headers")

    notify_in = gr.Textbox(label="Text")
    notify_out = gr.Textbox(label="Echo")
    gr.Button("Notify").click(notify, notify_in, notify_out, api_name="notify")
    gr.Button("Fail").click(fail_titled, notify_in, notify_out, api_name="fail_titled")

    name_in = gr.Textbox(label="Name")
    age_in = gr.Number(label="Age", value=0)
    signup_out = gr.Textbox(label="Signed up")
    events: dict[str, Any] = {"api_name": "signup"}
    if hasattr(gr, "validate"):
        events["validator"] = signup_validator
    gr.Button("Sign up").click(signup, [name_in, age_in], signup_out, **events)
