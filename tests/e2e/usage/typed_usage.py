"""Typed use of generated clients: mypy --strict must accept it with no Any leaking."""

from __future__ import annotations

import asyncio

from basics_client import AppMessage, MessageLevel, ValidationError
from basics_client import Client as Basics
from chat_client import AsyncClient as AsyncChat
from chat_client import Client as Chat
from chat_client import Job
from media_client import Client as Media
from media_client import DataframeData, FileData


def basics(client: Basics) -> str:
    greeting: str = client.greet("Ada", intensity=3, shout=True)
    total: float = client.calculate(1, "add", 2)
    summary, echo = client.pick(single="dog", many=["red"], boxes=["a"], count=2)
    text: str = summary
    heard: list[AppMessage] = []
    job = client.submit_greet("Ada", on_message=heard.append)
    messages: list[AppMessage] = job.messages
    level: MessageLevel = messages[0].level
    title: str | None = messages[0].title
    try:
        client.greet("", on_message=lambda m: print(m.text))
    except ValidationError as exc:
        failed: dict[str, str] = exc.errors
        text += ",".join(failed)
    return str(level) + str(title) + greeting + str(total) + text + str(echo) + client.class_("x")


def media(client: Media) -> str:
    image, size = client.image_info("cat.png")
    copy: FileData = image
    frame, grand = client.table_sum()
    table: DataframeData = frame
    return str(copy.get("url")) + size + str(table["headers"]) + str(grand)


def chat(client: Chat) -> list[str]:
    job: Job[str] = client.submit_count_up(3)
    outputs: list[str] = list(job)
    count: float = client.increment()
    return [*outputs, str(count), job.status().stage]


async def chat_async(client: AsyncChat) -> tuple[str, float]:
    return await client.progress_words("a b")


def main() -> None:
    with Basics(auth=("user", "password"), send_env_token=True) as b, Media() as m, Chat() as c:
        basics(b)
        media(m)
        chat(c)
    asyncio.run(chat_async(AsyncChat()))
