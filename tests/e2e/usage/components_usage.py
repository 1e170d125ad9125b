"""Typed use of the components app's client with real values: mypy --strict accepts it.

Local files sit at every depth (inside an editor's layers, a multimodal message, a gallery
item, an annotator's value); outputs are named tuples, fixed-length arrays tuples, files
``FileData``.
"""

from __future__ import annotations

from pathlib import Path

from components_client import (
    AnnotatedImageData,
    Client,
    EditorDataInput,
    FileData,
    GalleryImageInput,
    GalleryVideoInput,
    PriceRangeResult,
)


def use(client: Client, image: Path) -> list[object]:
    prices: PriceRangeResult = client.price_range(price=(100.0, 250.0))
    low, high = prices.doubled
    by_range = {prices.doubled: prices.summary}  # a tuple, so a dict key
    spans: list[tuple[str, str | None]] = client.highlight(spans=[("hello", None)])
    word, label = spans[0]
    pair = client.slider(pair=(image, image.read_bytes()))
    compared = pair.compared
    before = compared[0] if compared is not None else None
    url: str | None = before["url"] if before is not None else None
    annotated = client.annotate(
        value={"image": str(image), "boxes": [{"xmin": 1, "ymin": 1, "xmax": 3, "ymax": 3}]}
    )
    relabelled: AnnotatedImageData = annotated.relabelled
    picture: FileData = relabelled["image"]
    count: int = annotated.box_count
    canvas: EditorDataInput = {"background": image, "layers": [image.read_bytes()]}
    flattened: FileData = client.edit(value=canvas).flattened
    summary, files = client.multimodal(value={"text": "look", "files": [image, str(image)]})
    names = [f.get("orig_name") for f in files]
    items: list[GalleryImageInput | GalleryVideoInput] = [{"image": image, "caption": "first"}]
    gallery = client.gallery(items=items)
    chat = client.chat_files(history=[], image=image)
    role: str = chat[0]["role"]
    turns = client.mm_chat(
        history=[({"text": "hi", "files": [{"file": image}]}, None)], text="hi", image=image
    )
    first_turn = turns[0][0]
    pages: int = client.pdf_pages(path=image).pages
    day: str = client.next_day(day="2024-02-28")
    return [
        *(low, high, by_range, word, label, url, picture, count, flattened, summary, names),
        *(gallery, role, first_turn, pages, day),
    ]
