"""Static files copied verbatim into generated packages: real code, linted and tested here."""

from pathlib import Path

RUNTIME_PATH = Path(__file__).with_name("gradio_runtime.py")
