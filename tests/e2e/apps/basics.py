"""Basic Gradio test app: plain value components, reserved-word endpoint
names/parameters and error reporting.

Exposes a module-level ``demo`` (not launched).
"""

from __future__ import annotations

import gradio as gr


def greet(name: str, intensity: float, shout: bool) -> str:
    text = f"Hello, {name}" + "!" * int(intensity)
    return text.upper() if shout else text


def calculate(a: float, operation: str, b: float) -> float:
    if operation == "add":
        return a + b
    if operation == "subtract":
        return a - b
    if operation == "multiply":
        return a * b
    if operation == "divide":
        if b == 0:
            raise gr.Error("Cannot divide by zero!")
        return a / b
    raise gr.Error(f"Unknown operation: {operation}")


def pick(single: str, many: list[str], boxes: list[str], count: int) -> tuple[str, dict]:
    many = list(many or [])
    boxes = list(boxes or [])
    summary = f"single={single}; many={','.join(many)}; boxes={','.join(boxes)}; count={count}"
    return summary, {"single": single, "many": many, "boxes": boxes, "count": count}


def class_fn(self: str) -> str:  # parameter deliberately named like a Python keyword-ish name
    return (self or "")[::-1]


def close_fn() -> str:
    return "closed"


def submit_fn(text: str) -> int:
    return len(text or "")


def fail(message: str) -> str:
    raise gr.Error(message)


with gr.Blocks(title="basics") as demo:
    gr.Markdown("# basics")

    with gr.Row():
        greet_name = gr.Textbox(label="Name")
        greet_intensity = gr.Slider(1, 10, step=1, value=2, label="Intensity")
        greet_shout = gr.Checkbox(value=False, label="Shout")
    greet_out = gr.Textbox(label="Greeting")
    gr.Button("Greet").click(
        greet,
        inputs=[greet_name, greet_intensity, greet_shout],
        outputs=greet_out,
        api_name="greet",
    )

    with gr.Row():
        calc_a = gr.Number(value=4, label="a")
        calc_op = gr.Radio(
            ["add", "subtract", "multiply", "divide"], value="add", label="Operation"
        )
        calc_b = gr.Number(value=2, label="b")
    calc_out = gr.Number(label="Result")
    gr.Button("Calculate").click(
        calculate,
        inputs=[calc_a, calc_op, calc_b],
        outputs=calc_out,
        api_name="calculate",
    )

    with gr.Row():
        pick_single = gr.Dropdown(["cat", "dog", "bird"], value="cat", label="Single")
        pick_many = gr.Dropdown(
            ["red", "green", "blue"], multiselect=True, value=["red"], label="Many"
        )
        pick_boxes = gr.CheckboxGroup(["a", "b", "c"], value=["a"], label="Boxes")
        pick_count = gr.Number(precision=0, value=3, label="Count")
    pick_summary = gr.Textbox(label="Summary")
    pick_json = gr.JSON(label="Echo")
    gr.Button("Pick").click(
        pick,
        inputs=[pick_single, pick_many, pick_boxes, pick_count],
        outputs=[pick_summary, pick_json],
        api_name="pick",
    )

    class_in = gr.Textbox(label="self")
    class_out = gr.Textbox(label="Reversed")
    gr.Button("Class").click(class_fn, inputs=class_in, outputs=class_out, api_name="class")

    close_out = gr.Textbox(label="Close result")
    gr.Button("Close").click(close_fn, inputs=None, outputs=close_out, api_name="close")

    submit_in = gr.Textbox(label="text")
    submit_out = gr.Number(label="Length")
    gr.Button("Submit").click(submit_fn, inputs=submit_in, outputs=submit_out, api_name="submit")

    fail_in = gr.Textbox(label="Message")
    fail_out = gr.Textbox(label="Never set")
    gr.Button("Fail").click(fail, inputs=fail_in, outputs=fail_out, api_name="fail")


if __name__ == "__main__":
    demo.launch()
