"""A hostile Gradio server of our own, and the generated clients driven against it."""
