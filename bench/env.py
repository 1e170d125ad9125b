"""The environment of every child process the bench starts."""

from __future__ import annotations

import os


def child_env(**extra: str) -> dict[str, str]:
    """Bytecode is written, as after a pip install, even where the shell turned that off;
    Gradio makes no outside calls."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", **extra}
