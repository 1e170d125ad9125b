"""``App`` to the view model of the generated Python package.

Every field is ready to paste: identifiers from ``naming``, annotations from ``typemap``,
literals and docstrings from ``literals``. Templates only loop and interpolate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from codegen import __version__
from codegen.ir import App, Endpoint, ModelDef, Parameter, TypeRef
from codegen.literals import (
    comment,
    md_code,
    md_text,
    prose,
    py_docstring_body,
    py_literal,
    toml_string,
)
from codegen.naming import PY_CLIENT_MEMBERS, PY_RESERVED, NameScope, pascal, snake
from codegen.pymodels import typed_dicts
from codegen.targets.describe import endpoint_text, input_text, outputs_text
from codegen.typemap import conforms, infer, input_file_spec, py_annotation, union

# names the generated modules define or import at top level
_MODULE_NAMES = frozenset(
    [
        *("Any", "Literal", "NotRequired", "TypedDict", "TypeAlias", "Mapping", "httpx", "os"),
        *("Client", "AsyncClient", "Job", "AsyncJob", "EndpointSpec", "Status", "Progress"),
        *("FileData", "FileInput", "JsonValue", "GradioError", "first", "as_tuple", "nothing"),
        *("Callable", "AppMessage", "MessageLevel", "ValidationError"),
    ]
)
_CALL_OPTIONS = frozenset(["headers", "timeout", "on_message"])
_RUNTIME_EXPORTS = (
    "AppMessage",
    "AsyncJob",
    "AuthenticationError",
    "GradioClientError",
    "GradioConnectionError",
    "GradioError",
    "GradioTimeoutError",
    "HTTPStatusError",
    "Job",
    "JobCancelledError",
    "LimitExceededError",
    "MessageLevel",
    "Progress",
    "ProtocolError",
    "QueueFullError",
    "Status",
    "ValidationError",
)


@dataclass(frozen=True, slots=True)
class PyParam:
    name: str
    annotation: str
    default_src: str  # "" when required
    keyword_only_marker: bool  # a bare ``*`` goes before this parameter
    doc: str


@dataclass(frozen=True, slots=True)
class PyMethod:
    name: str
    submit_name: str
    spec_name: str
    spec_src: str
    params: tuple[PyParam, ...]
    data_src: str
    returns: str
    unpack: str
    doc: str
    returns_doc: str
    api_name_doc: str
    summary_md: str
    star_before_options: bool  # no parameter is keyword-only yet
    signature_md: str


@dataclass(frozen=True, slots=True)
class PyPackage:
    package: str
    dist_name: str
    header: str
    title_doc: str
    title_md: str
    description_toml: str
    source_comment: str
    source_md: str
    gradio_version: str
    base_url_src: str
    api_prefix_src: str
    protocol_src: str
    models_src: str
    model_exports: tuple[str, ...]
    package_exports: tuple[str, ...]
    uses_literal: bool
    runtime_imports: tuple[str, ...]
    model_imports: tuple[str, ...]
    methods: tuple[PyMethod, ...]
    example_call: str
    client_args: str  # what ``Client(...)`` needs in examples
    generator_version: str


_MAX_PACKAGE_NAME = 40
# what the MCP server (the mcp target) imports beside the client: a package of the same
# name would shadow the SDK, or be the server script itself
_MCP_MODULES = frozenset(["mcp", "server", "_mcp_runtime"])


def package_name(app: App, override: str | None) -> str:
    """From ``--name``, the Space id or the title: words kept whole up to 40 characters."""
    if override:
        return snake(override, "gradio_app")
    base = app.space_id.split("/", 1)[1] if app.space_id else app.title
    name = snake(base, "gradio_app")
    if len(name) > _MAX_PACKAGE_NAME:
        name = name[: _MAX_PACKAGE_NAME + 1].rsplit("_", 1)[0] or name[:_MAX_PACKAGE_NAME]
    return name + "_client" if name in PY_RESERVED | _MCP_MODULES else name


def build(app: App, name: str | None = None) -> PyPackage:
    package = package_name(app, name)
    model_scope = NameScope(PY_RESERVED | _MODULE_NAMES | {"Model"}, suffix="Model", joiner="")
    class_names = {m.name: model_scope.claim(pascal(m.name, "Model")) for m in app.models}
    models = {m.name: m for m in app.models}

    members = NameScope(PY_RESERVED | PY_CLIENT_MEMBERS | {"config", "http", "cancel"})
    endpoint_names = {
        e.api_name: members.claim(snake(e.api_name, "endpoint")) for e in app.endpoints
    }
    submit_names = {
        e.api_name: members.claim("submit_" + endpoint_names[e.api_name]) for e in app.endpoints
    }
    consts = NameScope(_MODULE_NAMES)

    def annotate(ref: TypeRef, *, input_: bool) -> str:
        return py_annotation(ref, lambda m: class_names[m], py_literal, input_=input_)

    def names_in(annotation: str) -> set[str]:
        return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation))

    methods = []
    for ep in app.endpoints:
        params = _params(ep, annotate, models)
        outputs = [annotate(o.type, input_=False) for o in ep.outputs]
        returns = "None" if not outputs else outputs[0] if len(outputs) == 1 else _tuple(outputs)
        spec_name = consts.claim("_" + endpoint_names[ep.api_name].upper().strip("_"))
        file_specs = [py_literal(input_file_spec(p, models)) for p in ep.parameters]
        spec_src = (
            f"EndpointSpec(api_name={py_literal(ep.api_name)}, "
            f"outputs={_outputs_src(ep.wire_outputs)}, "
            f"file_specs={_tuple_src(file_specs)}, "
            f"fn_index={py_literal(ep.fn_index)}, "
            f"state_inputs={_outputs_src(ep.state_inputs)})"
        )
        methods.append(
            PyMethod(
                name=endpoint_names[ep.api_name],
                submit_name=submit_names[ep.api_name],
                spec_name=spec_name,
                spec_src=spec_src,
                params=params,
                data_src="[" + ", ".join(p.name for p in params) + "]",
                returns=returns,
                unpack="nothing" if not outputs else "first" if len(outputs) == 1 else "as_tuple",
                doc=_endpoint_doc(ep, submit_names[ep.api_name]),
                returns_doc=py_docstring_body(outputs_text(ep) or "None."),
                api_name_doc=py_docstring_body("/" + ep.api_name),
                star_before_options=not any(p.keyword_only_marker for p in params),
                signature_md=md_code(
                    f"{endpoint_names[ep.api_name]}("
                    + ", ".join(
                        f"{p.name}: {p.annotation}"
                        + (f" = {p.default_src}" if p.default_src else "")
                        for p in params
                    )
                    + f") -> {returns}"
                ),
                summary_md=md_text((ep.description or f"/{ep.api_name}").split("\n")[0]),
            )
        )
    title = prose(app.title, 200)
    source = app.space_id or app.base_url or "a saved schema"
    first = methods[0]
    example_args = ", ".join(
        f"{param.name}={_example_src(p, param, models)}"
        for p, param in zip(app.endpoints[0].parameters, first.params, strict=True)
    )
    used = set().union(
        *(names_in(p.annotation) for m in methods for p in m.params),
        *(names_in(m.returns) for m in methods),
    )
    model_exports = ("FileData", "FileInput", "JsonValue", *sorted(class_names.values()))
    unpackers = {m.unpack for m in methods}
    runtime_imports = sorted(
        {
            "DEFAULT_MAX_MESSAGE_BYTES",
            "DEFAULT_RETRIES",
            "DEFAULT_TIMEOUT",
            "AsyncJob",
            "AsyncRuntime",
            "EndpointSpec",
            "Job",
        }
        | {"AppMessage", "SyncRuntime"}
        | unpackers
        | ({"JsonValue"} & used)
    )
    return PyPackage(
        package=package,
        dist_name=package.replace("_", "-"),
        header=comment(f"Generated by gradio-codegen {__version__} from {title}. Do not edit."),
        title_doc=py_docstring_body(title),
        title_md=md_text(title),
        description_toml=toml_string(f"Typed client for {title}, generated by gradio-codegen"),
        source_comment=comment(source),
        source_md=md_text(source),
        gradio_version=comment(app.gradio_version),
        base_url_src=py_literal(app.base_url),
        api_prefix_src=py_literal(app.api_prefix),
        protocol_src=py_literal(app.protocol.value),
        models_src=typed_dicts(app.models, class_names),
        model_exports=model_exports,
        package_exports=tuple(sorted({*model_exports, *_RUNTIME_EXPORTS, "AsyncClient", "Client"})),
        uses_literal="Literal" in used,
        runtime_imports=tuple(sorted(runtime_imports, key=lambda n: (not n.isupper(), n))),
        model_imports=tuple(sorted(used & (set(model_exports) - {"JsonValue"}))),
        methods=tuple(methods),
        example_call=f"client.{first.name}({example_args})",
        client_args="" if app.base_url else 'base_url="http://127.0.0.1:7860"',
        generator_version=__version__,
    )


def _tuple(parts: list[str]) -> str:
    return f"tuple[{', '.join(parts)}]"


def _outputs_src(positions: tuple[int, ...] | None) -> str:
    """Wire positions, or None when the client must read them from the app's /config."""
    return "None" if positions is None else _tuple_src([str(i) for i in positions])


def _tuple_src(items: list[str]) -> str:
    """A tuple display without a trailing comma, which black would explode one per line."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _params(
    ep: Endpoint,
    annotate: Callable[..., str],
    models: Mapping[str, ModelDef],
) -> tuple[PyParam, ...]:
    """Wire order is kept; past a defaulted input, a required one makes the rest keyword-only."""
    # a parameter must not shadow what the method body uses: runtime helpers, call options
    scope = NameScope(PY_RESERVED | _MODULE_NAMES | _CALL_OPTIONS)
    last_required = max((p.position for p in ep.parameters if p.default is None), default=-1)
    first_default = min((p.position for p in ep.parameters if p.default is not None), default=-1)
    marker_at = first_default if 0 <= first_default < last_required else -1
    params = []
    for p in ep.parameters:
        ref = p.type
        default_src = ""
        if p.default is not None:
            value = p.default.value
            if not conforms(value, ref, models):
                ref = union([ref, infer(value)])
            default_src = py_literal(value)
        name = scope.claim(snake(p.wire_name, "param"))
        params.append(
            PyParam(
                name=name,
                annotation=annotate(ref, input_=True),
                default_src=default_src,
                keyword_only_marker=p.position == marker_at,
                doc=py_docstring_body(input_text(p, name)),
            )
        )
    return tuple(params)


def _example_src(p: Parameter, param: PyParam, models: Mapping[str, ModelDef]) -> str:
    """For snippets: the default, else the app's example if it fits the type, else ``...``."""
    if param.default_src:
        return param.default_src
    return py_literal(p.example) if conforms(p.example, p.type, models) else "..."


def _endpoint_doc(ep: Endpoint, submit_name: str) -> str:
    lines = [endpoint_text(ep)]
    if ep.generator:
        lines.append(f"It streams: iterate ``{submit_name}(...)`` for each output as it comes.")
    return py_docstring_body("\n\n".join(lines))
