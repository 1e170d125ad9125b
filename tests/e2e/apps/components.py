"""Third-party custom components from PyPI and the richer built-ins, one endpoint each.

Every value here has a shape the simpler apps lack: fixed-length pairs (``prefixItems``),
files nested inside objects and lists, and several named outputs. Exposes ``demo``.
Needs the packages ``scripts/test`` installs (``--no-deps``, see there).
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import gradio as gr
import pandas as pd
from gradio_calendar import Calendar
from gradio_datetimerange import DateTimeRange
from gradio_highlightedtextbox import HighlightedTextbox
from gradio_image_annotation import image_annotator
from gradio_imageslider import ImageSlider
from gradio_leaderboard import Leaderboard
from gradio_litmodel3d import LitModel3D
from gradio_molecule3d import Molecule3D
from gradio_multimodalchatbot import MultimodalChatbot
from gradio_pdf import PDF
from gradio_rangeslider import RangeSlider
from PIL import Image, ImageOps


def _saved(img: Image.Image) -> str:
    fd, out = tempfile.mkstemp(suffix=".png", prefix="e2e_components_")
    os.close(fd)
    img.save(out, format="PNG")
    return out


def _mirrored(path: str) -> str:
    with Image.open(path) as img:
        return _saved(ImageOps.mirror(img.convert("RGB")))


def price_range(price: tuple[float, float]) -> tuple[tuple[float, float], str]:
    low, high = price
    return (low * 2, high * 2), f"from {low:g} to {high:g}"


def slider(pair: tuple[Image.Image, Image.Image]) -> tuple[tuple[str, str], str]:
    # "filepath" breaks on Gradio 6 (the component calls a method Gradio no longer has)
    before, after = pair
    sizes = f"{before.size[0]}x{before.size[1]} vs {after.size[0]}x{after.size[1]}"
    return (_saved(ImageOps.mirror(before.convert("RGB"))), _saved(after.convert("RGB"))), sizes


def annotate(value: dict[str, Any]) -> tuple[dict[str, Any], int]:
    boxes = [{**b, "label": (b.get("label") or "") + "!"} for b in value.get("boxes") or []]
    return {"image": value["image"], "boxes": boxes}, len(boxes)


def pdf_pages(path: str) -> tuple[str, int]:
    with open(path, "rb") as fh:
        return path, fh.read().count(b"/Type /Page\n")


def highlight(spans: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(text.upper(), label) for text, label in spans["data"]]


def next_day(day: str) -> str:
    return str((pd.Timestamp(day) + pd.Timedelta(days=1)).date())


def widen(span: tuple[float, float]) -> tuple[float, float]:
    start, end = span  # the component gives epoch seconds
    return start - 3600, end + 3600


def molecule(path: str) -> tuple[str, int]:
    with open(path, encoding="utf-8") as fh:
        return path, sum(1 for line in fh if line.startswith(("ATOM", "HETATM")))


def model3d(path: str) -> str:
    return path


def board(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values("score", ascending=False)


def mm_chat(history: list[Any], text: str, image: str) -> list[Any]:
    user = {"text": text, "files": [{"file": {"path": image}, "alt_text": "sent"}]}
    bot = {"text": f"got {len(history)} earlier turns", "files": []}
    return [*[[m.model_dump() if m else None for m in pair] for pair in history], [user, bot]]


def edit(value: dict[str, Any]) -> tuple[str, int]:
    return _mirrored(value["composite"] or value["background"]), len(value["layers"])


def annotated(image: str, label: str) -> tuple[str, list[tuple[tuple[int, int, int, int], str]]]:
    return image, [((0, 0, 4, 4), label), ((2, 2, 6, 6), label + "2")]


def multimodal(value: dict[str, Any]) -> tuple[str, list[str]]:
    files = value.get("files") or []
    return f"{value['text']} + {len(files)} files", files


def gallery(items: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    return [(_mirrored(path), f"{caption or 'image'} (mirrored)") for path, caption in items]


def chat_files(history: list[dict[str, Any]], image: str) -> list[dict[str, Any]]:
    kept = [{"role": m["role"], "content": m["content"]} for m in history]
    return [
        *kept,
        {"role": "user", "content": [{"path": image}]},
        {"role": "assistant", "content": f"{len(kept)} earlier, then an image"},
    ]


with gr.Blocks(title="components") as demo:
    price = RangeSlider(minimum=0, maximum=1000, value=(140, 660), label="Price range")
    price_out = RangeSlider(minimum=0, maximum=2000, label="Doubled")
    price_text = gr.Textbox(label="Summary")
    gr.Button("range").click(price_range, price, [price_out, price_text], api_name="price_range")

    pair_in = ImageSlider(type="pil", label="Pair")
    pair_out = ImageSlider(type="filepath", label="Compared")
    pair_sizes = gr.Textbox(label="Sizes")
    gr.Button("slider").click(slider, pair_in, [pair_out, pair_sizes], api_name="slider")

    ann_in = image_annotator(image_type="filepath", label="Boxes")
    ann_out = image_annotator(image_type="filepath", label="Relabelled")
    ann_count = gr.Number(label="Box count", precision=0)
    gr.Button("annotate").click(annotate, ann_in, [ann_out, ann_count], api_name="annotate")

    pdf_in = PDF(label="Document")
    pdf_out = PDF(label="Same document")
    pdf_count = gr.Number(label="Pages", precision=0)
    gr.Button("pdf").click(pdf_pages, pdf_in, [pdf_out, pdf_count], api_name="pdf_pages")

    spans_in = HighlightedTextbox(label="Spans", interactive=True)
    spans_out = HighlightedTextbox(label="Loud spans")
    gr.Button("highlight").click(highlight, spans_in, spans_out, api_name="highlight")

    day_in = Calendar(type="string", label="Day", info="The day before the one you want")
    day_out = Calendar(type="string", label="Next day")
    gr.Button("day").click(next_day, day_in, day_out, api_name="next_day")

    span_in = DateTimeRange(label="Window")
    span_out = DateTimeRange(label="Wider window")
    gr.Button("widen").click(widen, span_in, span_out, api_name="widen")

    mol_in = Molecule3D(label="Structure")
    mol_out = Molecule3D(label="Same structure")
    mol_atoms = gr.Number(label="Atoms", precision=0)
    gr.Button("molecule").click(molecule, mol_in, [mol_out, mol_atoms], api_name="molecule")

    m3d_in = LitModel3D(label="Model")
    m3d_out = LitModel3D(label="Same model")
    gr.Button("model3d").click(model3d, m3d_in, m3d_out, api_name="model3d")

    board_in = Leaderboard(
        value=pd.DataFrame({"model": ["a", "b"], "score": [1.0, 2.0]}), search_columns=["model"]
    )
    board_out = Leaderboard(
        value=pd.DataFrame({"model": ["-"], "score": [0.0]}),
        search_columns=["model"],
        label="Ranked",
    )
    gr.Button("board").click(board, board_in, board_out, api_name="board")

    mm_history = MultimodalChatbot(label="Pairs")
    mm_text = gr.Textbox(label="Text")
    mm_image = gr.Image(type="filepath", label="Picture")
    gr.Button("mm").click(mm_chat, [mm_history, mm_text, mm_image], mm_history, api_name="mm_chat")

    editor = gr.ImageEditor(type="filepath", label="Canvas")
    edited = gr.Image(type="filepath", label="Flattened")
    layer_count = gr.Number(label="Layers", precision=0)
    gr.Button("edit").click(edit, editor, [edited, layer_count], api_name="edit")

    ai_image = gr.Image(type="filepath", label="Photo")
    ai_label = gr.Textbox(label="Label")
    ai_out = gr.AnnotatedImage(label="Regions")
    gr.Button("regions").click(annotated, [ai_image, ai_label], ai_out, api_name="regions")

    mm_box = gr.MultimodalTextbox(label="Message", file_count="multiple")
    mm_summary = gr.Textbox(label="Summary")
    mm_files = gr.File(file_count="multiple", label="Files")
    gr.Button("multimodal").click(multimodal, mm_box, [mm_summary, mm_files], api_name="multimodal")

    gal_in = gr.Gallery(type="filepath", label="Pictures")
    gal_out = gr.Gallery(label="Mirrored pictures")
    gr.Button("gallery").click(gallery, gal_in, gal_out, api_name="gallery")

    chat = gr.Chatbot(label="Conversation")
    chat_image = gr.Image(type="filepath", label="Attachment")
    gr.Button("chat").click(chat_files, [chat, chat_image], chat, api_name="chat_files")


if __name__ == "__main__":
    demo.launch()
