"""Plain-text descriptions of endpoints, inputs and outputs, shared by every target.

The text is raw schema prose; each target escapes it for its own language.
"""

from __future__ import annotations

import json

from codegen.ir import Endpoint, Parameter


def endpoint_text(ep: Endpoint) -> str:
    return ep.description or f"Calls the app's /{ep.api_name} endpoint."


def input_text(p: Parameter, name: str | None = None, *, with_default: bool = False) -> str:
    """``Component 'Label'.``, what the schema says of it, the default, the wire name if renamed."""
    what = p.component or "Input"
    label = p.label if p.label and p.label != p.wire_name else ""
    parts = [f"{what} {label!r}." if label else f"{what}.", p.description]
    if with_default and p.default is not None:
        parts.append(f"Default: {json.dumps(p.default.value, ensure_ascii=False)}.")
    if name is not None and name != p.wire_name:
        parts.append(f"(Sent as {p.wire_name!r}.)")
    return " ".join(" ".join(parts).split())


def outputs_text(ep: Endpoint) -> str:
    if not ep.outputs:
        return ""
    parts = []
    for o in ep.outputs:
        label = o.label or f"output {o.index}"
        kind = f" ({o.component})" if o.component else ""
        parts.append(f"{label}{kind}")
    return " ".join(("; ".join(parts) + ".").split())
