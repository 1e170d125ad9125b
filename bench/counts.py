"""How many runs each measurement takes; ``--quick`` shrinks them all for a smoke run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Counts:
    construct: int = 2000
    construct_official: int = 20
    calls: int = 300
    async_calls: int = 300
    thread_rounds: int = 7
    thread_calls: int = 40
    streams: int = 40
    images: int = 60
    cold: int = 15
    node_calls: int = 300
    curl_calls: int = 60
    generator: int = 5


QUICK = Counts(200, 3, 20, 20, 2, 8, 5, 5, 3, 20, 5, 1)
