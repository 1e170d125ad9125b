"""``App`` to the view model of the generated JavaScript package (ES module + declarations).

Methods are in camelCase (``greetUser``, ``submitGreetUser``), escaped only where JavaScript
itself needs it (``naming.js_method_names``); inputs are one object keyed by the app's own
input names, as ``@gradio/client`` takes them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from codegen import __version__
from codegen.ir import App, Endpoint, ModelDef, Parameter, TypeKind, TypeRef
from codegen.literals import comment, js_doc, js_literal, md_code, md_text, prose
from codegen.naming import JS_RESERVED, PY_RESERVED, NameScope, js_method_names, pascal, snake
from codegen.targets.describe import endpoint_text, input_text, outputs_text
from codegen.targets.python import input_models, package_name
from codegen.typemap import fitting_default, input_file_spec

# names the generated modules define or import at top level
_MODULE_NAMES = frozenset(
    [
        *("Runtime", "Client", "Job", "first", "asTuple", "nothing", "BASE_URL", "API_PREFIX"),
        *("CallOptions", "ClientOptions", "FileData", "FileInput", "JsonValue", "Status"),
        *("Progress", "Stage", "GradioError", "GradioClientError", "HTTPStatusError"),
        *("AuthenticationError", "GradioConnectionError", "GradioTimeoutError"),
        *("JobCancelledError", "DEFAULT_TIMEOUT", "EndpointSpec", "ValidationError"),
        *("AppMessage", "MessageLevel", "QueueFullError", "PROTOCOL", "ENDPOINTS"),
    ]
)
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


@dataclass(frozen=True, slots=True)
class TsField:
    key: str  # a property name, quoted when it is not a plain identifier
    optional: bool
    type: str
    doc: str


@dataclass(frozen=True, slots=True)
class TsInterface:
    name: str
    doc: str
    fields: tuple[TsField, ...]


@dataclass(frozen=True, slots=True)
class JsMethod:
    name: str
    api_name_src: str  # the endpoint's name, the key of ENDPOINTS
    api_name_doc: str
    submit_name: str
    spec_name: str
    spec_src: str
    inputs: TsInterface
    inputs_optional: bool  # every input has a default: the object may be left out
    returns: str
    unpack: str
    doc: str
    returns_doc: str


@dataclass(frozen=True, slots=True)
class JsPackage:
    dist_name_json: str
    dist_name_md: str
    header: str
    title_doc: str
    title_md: str
    source_md: str
    gradio_version: str
    description_json: str
    base_url_src: str
    api_prefix_src: str
    protocol_src: str
    models: tuple[TsInterface, ...]
    methods: tuple[JsMethod, ...]
    uses_file_input: bool
    generator_version: str
    version: str  # the package's own, MAJOR.MINOR.PATCH


def property_key(key: str) -> str:
    return key if _IDENTIFIER.match(key) and key not in JS_RESERVED else js_literal(key)


def ts_type(ref: TypeRef, model_name: Callable[[str], str], *, input_: bool) -> str:
    """TypeScript type text; file inputs accept anything the runtime can upload."""

    def go(r: TypeRef) -> str:
        match r.kind:
            case TypeKind.ANY:
                return "JsonValue"
            case TypeKind.FILE:
                return "FileInput" if input_ else "FileData"
            case TypeKind.OBJECT:
                assert r.model is not None
                return model_name(r.model)
            case TypeKind.LITERAL:
                finite = [
                    v for v in r.literals if not (isinstance(v, float) and not math.isfinite(v))
                ]
                parts = [js_literal(v) for v in finite]
                if len(finite) < len(r.literals):
                    parts.append("number")  # NaN and Infinity have no literal type
                return " | ".join(parts)
            case TypeKind.LIST:
                inner = go(r.args[0])
                return f"{inner}[]" if re.fullmatch(r"[A-Za-z0-9_]+", inner) else f"Array<{inner}>"
            case TypeKind.TUPLE:
                return f"[{', '.join(go(a) for a in r.args)}]"
            case TypeKind.DICT:
                return f"Record<string, {go(r.args[1])}>"
            case TypeKind.UNION:
                return " | ".join(go(a) for a in r.args)
            case TypeKind.STR:
                return "string"
            case TypeKind.INT | TypeKind.FLOAT:
                return "number"
            case TypeKind.BOOL:
                return "boolean"
            case TypeKind.NULL:
                return "null"
        raise AssertionError(r.kind)

    return go(ref)


def build(app: App, name: str | None = None, version: str = "0.1.0") -> JsPackage:
    types = NameScope(JS_RESERVED | _MODULE_NAMES | {"Model"}, suffix="Model", joiner="")
    type_names = {m.name: types.claim(pascal(m.name, "Model")) for m in app.models}
    models = {m.name: m for m in app.models}
    input_names = {
        name: types.claim(type_names[name] + "Input") for name in sorted(input_models(app, models))
    }
    consts = NameScope(JS_RESERVED | _MODULE_NAMES)
    names = js_method_names(e.api_name for e in app.endpoints)

    def annotate(ref: TypeRef, *, input_: bool) -> str:
        names = {**type_names, **input_names} if input_ else type_names
        return ts_type(ref, names.__getitem__, input_=input_)

    methods = []
    for ep in app.endpoints:
        call, submit = names[ep.api_name]
        outputs = [annotate(o.type, input_=False) for o in ep.outputs]
        returns = (
            "void" if not outputs else outputs[0] if len(outputs) == 1 else _labelled(ep, outputs)
        )
        spec = {
            "apiName": ep.api_name,
            "inputs": [p.wire_name for p in ep.parameters],
            "defaults": {p.wire_name: p.default.value for p in ep.parameters if p.default},
            "outputs": None if ep.wire_outputs is None else list(ep.wire_outputs),
            "files": [input_file_spec(p, models) for p in ep.parameters],
            "fnIndex": ep.fn_index,
            "stateInputs": None if ep.state_inputs is None else list(ep.state_inputs),
        }
        spec_src = (
            "Object.freeze({ "
            + ", ".join(f"{k}: {js_literal(v)}" for k, v in spec.items())  # type: ignore[arg-type]
            + " })"
        )
        methods.append(
            JsMethod(
                name=call,
                api_name_src=js_literal(ep.api_name),
                api_name_doc=js_doc("/" + ep.api_name),
                submit_name=submit,
                spec_name=consts.claim("_" + call.upper().strip("_")),
                spec_src=spec_src,
                inputs=TsInterface(
                    name=types.claim(pascal(call, "Endpoint") + "Inputs"),
                    doc=js_doc(f"Inputs of /{ep.api_name}, keyed by the app's own names."),
                    fields=tuple(_input_field(p, annotate, models) for p in ep.parameters),
                ),
                inputs_optional=all(p.default is not None for p in ep.parameters),
                returns=returns,
                unpack="nothing" if not outputs else "first" if len(outputs) == 1 else "asTuple",
                doc=_endpoint_doc(ep, submit),
                returns_doc=js_doc(outputs_text(ep) or "Nothing."),
            )
        )
    twins = [(m, True) for m in app.models if m.name in input_names]
    interfaces = tuple(
        TsInterface(
            name=input_names[m.name] if input_ else type_names[m.name],
            doc=js_doc(
                f"The object type {m.name!r} of the app's schema"
                + (", as an input: its files may be local." if input_ else ".")
            ),
            fields=tuple(
                TsField(
                    key=property_key(key),
                    optional=key not in m.required,
                    type=annotate(ref, input_=input_),
                    doc="",
                )
                for key, ref in m.fields
            ),
        )
        for m, input_ in sorted(
            [(m, False) for m in app.models] + twins,
            key=lambda pair: input_names[pair[0].name] if pair[1] else type_names[pair[0].name],
        )
    )
    title = prose(app.title, 200)
    dist_name = package_name(app, name).replace("_", "-")
    header = comment(f"Generated by gradio-codegen {__version__} from {title}. Do not edit.")
    return JsPackage(
        dist_name_json=json.dumps(dist_name),
        dist_name_md=md_code(dist_name),
        header=header,
        title_doc=js_doc(title),
        title_md=md_text(title),
        source_md=md_text(app.space_id or app.base_url or "a saved schema"),
        gradio_version=comment(app.gradio_version),
        description_json=json.dumps(
            f"Typed client for {title}, generated by gradio-codegen", ensure_ascii=True
        ),
        base_url_src=js_literal(app.base_url),
        api_prefix_src=js_literal(app.api_prefix),
        protocol_src=js_literal(app.protocol.value),
        models=interfaces,
        methods=tuple(methods),
        uses_file_input=any("FileInput" in f.type for m in methods for f in m.inputs.fields)
        or any("FileInput" in f.type for i in interfaces for f in i.fields),
        generator_version=__version__,
        version=version,
    )


def _labelled(ep: Endpoint, types: list[str]) -> str:
    """A labelled tuple type, ``[summary: string, word_count: number]``: the labels are the
    Python result's field names, from the output labels through the naming layer."""
    scope = NameScope(JS_RESERVED | PY_RESERVED)
    labels = [scope.claim(snake(o.label, f"output_{o.index}")) for o in ep.outputs]
    return "[" + ", ".join(f"{n}: {t}" for n, t in zip(labels, types, strict=True)) + "]"


def _input_field(
    p: Parameter, annotate: Callable[..., str], models: Mapping[str, ModelDef]
) -> TsField:
    ref, _ = fitting_default(p, models)
    return TsField(
        key=property_key(p.wire_name),
        optional=p.default is not None,
        type=annotate(ref, input_=True),
        doc=js_doc(input_text(p, with_default=True)),
    )


def _endpoint_doc(ep: Endpoint, submit_name: str) -> str:
    lines = [endpoint_text(ep)]
    if ep.generator:
        lines.append(f"It streams: `for await` over `await {submit_name}(...)` for each output.")
    return js_doc("\n\n".join(lines))
