"""What the components app's client types must reject (each line marked ``# wrong``)."""

from __future__ import annotations

from components_client import Client


def misuse(client: Client) -> None:
    client.price_range(price=["cheap"])  # wrong
    client.price_range(price=[1.0, 2.0])  # wrong
    client.annotate(value={"image": "cat.png"})["image"].upper()  # wrong
    client.multimodal(value={"text": "x", "files": [123]})  # wrong
    client.annotate(value={"image": "cat.png", "boxes": [], "colour": "red"})  # wrong
    client.edit(value={"background": 1})  # wrong
    client.gallery(items=[{"image": "a.png", "title": "x"}])  # wrong
    client.highlight(spans=[["hello", None]])  # wrong
    _ = client.slider(pair=("a.png", "b.png")).compared.upper()  # wrong
    _ = client.multimodal(value={"text": "x"}).files[0].upper()  # wrong
    _ = client.pdf_pages(path="a.pdf").page_count  # wrong
