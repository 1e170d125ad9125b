"""gradio-codegen: typed clients generated from a Gradio app's API schema."""

__version__ = "0.1.0"
