"""Misuses that mypy --strict must reject: proof that the generated types are real."""

from __future__ import annotations

from basics_client import Client as Basics
from media_client import Client as Media


def misuse(b: Basics, m: Media) -> None:
    b.greet(5)  # wrong
    b.calculate(1, "modulo", 2)  # wrong
    b.pick(many=["purple"])  # wrong
    print(b.greet("x") + 1)  # wrong
    m.image_info(3.5)  # wrong
    b.greet("x", colour="red")  # wrong
    Basics(auth="user:password")  # wrong
    Basics(send_env_token="yes")  # wrong
    b.greet("x", on_message=lambda m: m.txt)  # wrong
    b.submit_greet("x").messages[0].level + 1  # wrong
