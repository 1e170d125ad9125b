"""Media Gradio test app: image, audio, file(s), JSON and Dataframe I/O.

Exposes a module-level ``demo`` (not launched).
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import gradio as gr
import numpy as np
import pandas as pd
from PIL import Image, ImageOps

# Gradio 3.x has no File(type="filepath"): its "file" gives a temp file object
GRADIO_3 = gr.__version__.startswith("3.")
_FILE_TYPE = "file" if GRADIO_3 else "filepath"


def _path(file: Any) -> str:
    return str(getattr(file, "name", file))


def _tmp_path(suffix: str) -> str:
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="e2e_media_")
    os.close(fd)
    return path


def image_info(image: str) -> tuple[str, str]:
    if image is None:
        raise gr.Error("No image given")
    with Image.open(image) as img:
        img.load()
        width, height = img.size
        mirrored = ImageOps.mirror(img)
    out = _tmp_path(".png")
    mirrored.save(out, format="PNG")
    return out, f"{width}x{height}"


def audio_reverse(audio: tuple[int, np.ndarray]) -> tuple[int, np.ndarray]:
    if audio is None:
        raise gr.Error("No audio given")
    sample_rate, data = audio
    return sample_rate, np.ascontiguousarray(data[::-1])


def file_upper(file: str) -> str:
    if file is None:
        raise gr.Error("No file given")
    file = _path(file)
    with open(file, encoding="utf-8") as fh:
        content = fh.read()
    base = os.path.splitext(os.path.basename(file))[0] or "file"
    out_dir = tempfile.mkdtemp(prefix="e2e_media_")
    out = os.path.join(out_dir, f"{base}_upper.txt")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(content.upper())
    return out


def files_count(files: list[str] | None) -> dict[str, Any]:
    files = [_path(f) for f in files or []]
    return {"count": len(files), "names": sorted(os.path.basename(f) for f in files)}


def json_echo(data: Any) -> dict[str, Any]:
    return {"received": data}


def table_sum(table: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    df = table.copy()
    for col in ("x", "y"):
        df[col] = pd.to_numeric(df[col], errors="coerce").fillna(0)
    df["sum"] = df["x"] + df["y"]
    total = df["sum"].sum()
    total = int(total) if float(total).is_integer() else float(total)
    return df, total


with gr.Blocks(title="media") as demo:
    gr.Markdown("# media")

    with gr.Row():
        img_in = gr.Image(type="filepath", label="Image")
        img_out = gr.Image(type="filepath", label="Mirrored")
        img_size = gr.Textbox(label="Size")
    gr.Button("Image info").click(
        image_info, inputs=img_in, outputs=[img_out, img_size], api_name="image_info"
    )

    with gr.Row():
        audio_in = gr.Audio(type="numpy", label="Audio")
        audio_out = gr.Audio(type="numpy", label="Reversed")
    gr.Button("Reverse audio").click(
        audio_reverse, inputs=audio_in, outputs=audio_out, api_name="audio_reverse"
    )

    with gr.Row():
        file_in = gr.File(type=_FILE_TYPE, label="Text file")
        file_out = gr.File(label="Upper-cased")
    gr.Button("Upper").click(file_upper, inputs=file_in, outputs=file_out, api_name="file_upper")

    with gr.Row():
        files_in = gr.File(file_count="multiple", type=_FILE_TYPE, label="Files")
        files_out = gr.JSON(label="Count")
    gr.Button("Count files").click(
        files_count, inputs=files_in, outputs=files_out, api_name="files_count"
    )

    with gr.Row():
        json_in = gr.JSON(label="Data")
        json_out = gr.JSON(label="Echo")
    gr.Button("Echo JSON").click(json_echo, inputs=json_in, outputs=json_out, api_name="json_echo")

    with gr.Row():
        table_in = gr.Dataframe(
            headers=["x", "y"],
            datatype=["number", "number"],
            value=[[1, 2], [3, 4]],
            label="Table",
        )
        table_out = gr.Dataframe(label="With sum")
        table_total = gr.Number(label="Total")
    gr.Button("Sum").click(
        table_sum, inputs=table_in, outputs=[table_out, table_total], api_name="table_sum"
    )


if __name__ == "__main__":
    demo.launch()
