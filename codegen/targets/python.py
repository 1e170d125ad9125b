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
from codegen.naming import PY_RESERVED, NameScope, pascal, py_method_names, py_package, snake
from codegen.pymodels import typed_dicts
from codegen.targets.describe import endpoint_text, input_text, outputs_text
from codegen.typemap import (
    conforms,
    fitting_default,
    input_file_spec,
    models_with_files,
    py_annotation,
    shaped,
    tuple_spec,
)

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
class PyResultField:
    name: str
    annotation: str
    doc: str


@dataclass(frozen=True, slots=True)
class PyResult:
    """The NamedTuple a multi-output endpoint returns: equal to the plain tuple, but named."""

    name: str
    doc: str
    fields: tuple[PyResultField, ...]


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
    results: tuple[PyResult, ...]
    model_exports: tuple[str, ...]
    package_exports: tuple[str, ...]
    uses_literal: bool
    runtime_imports: tuple[str, ...]
    model_imports: tuple[str, ...]
    methods: tuple[PyMethod, ...]
    endpoints_src: str  # for call(): each endpoint's name -> its method and parameter names
    example_call: str
    client_args: str  # what ``Client(...)`` needs in examples
    generator_version: str
    version: str  # the package's own, MAJOR.MINOR.PATCH


_MAX_PACKAGE_NAME = 40
# what the MCP server (the mcp target) imports beside the client: a package of the same
# name would shadow the SDK, or be the server script itself
_MCP_MODULES = frozenset(["mcp", "server", "_mcp_runtime"])


def package_name(app: App, override: str | None) -> str:
    """From ``--name``, the Space id or the title: words kept whole up to 40 characters; never
    a name that would shadow a module (``naming.py_package``)."""
    if override:
        return py_package(override)
    base = app.space_id.split("/", 1)[1] if app.space_id else app.title
    name = snake(base, "gradio_app")
    if len(name) > _MAX_PACKAGE_NAME:
        name = name[: _MAX_PACKAGE_NAME + 1].rsplit("_", 1)[0] or name[:_MAX_PACKAGE_NAME]
    name = py_package(name)
    return name + "_client" if name in _MCP_MODULES else name


def build(app: App, name: str | None = None, version: str = "0.1.0") -> PyPackage:
    package = package_name(app, name)
    model_scope, class_names, input_names = model_names(app)
    models = {m.name: m for m in app.models}

    names = py_method_names(e.api_name for e in app.endpoints)
    endpoint_names = {api: call for api, (call, _) in names.items()}
    submit_names = {api: submit for api, (_, submit) in names.items()}
    consts = NameScope(_MODULE_NAMES | {"_ENDPOINTS"})

    def annotate(ref: TypeRef, *, input_: bool) -> str:
        names = {**class_names, **input_names} if input_ else class_names
        return py_annotation(ref, names.__getitem__, py_literal, input_=input_)

    def names_in(annotation: str) -> set[str]:
        return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation))

    methods = []
    results = []
    for ep in app.endpoints:
        params = _params(ep, annotate, models)
        outputs = [annotate(o.type, input_=False) for o in ep.outputs]
        returns = "None" if not outputs else outputs[0] if len(outputs) == 1 else ""
        if len(outputs) > 1:
            class_name = model_scope.claim(pascal(ep.api_name, "Endpoint") + "Result")
            result = _result(ep, outputs, class_name)
            results.append(result)
            returns = result.name
        spec_name = consts.claim("_" + endpoint_names[ep.api_name].upper().strip("_"))
        file_specs = [py_literal(input_file_spec(p, models)) for p in ep.parameters]
        tuples = [py_literal(tuple_spec(o.type, models)) for o in ep.outputs]
        spec_src = (
            f"EndpointSpec(api_name={py_literal(ep.api_name)}, "
            f"outputs={_outputs_src(ep.wire_outputs)}, "
            f"file_specs={_tuple_src(file_specs)}, "
            f"fn_index={py_literal(ep.fn_index)}, "
            f"state_inputs={_outputs_src(ep.state_inputs)}"
            + (
                f", output_tuples={_tuple_src(tuples)})"
                if any(t != "None" for t in tuples)
                else ")"
            )
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
                unpack="nothing"
                if not outputs
                else "first"
                if len(outputs) == 1
                else f"{returns}._make",
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
    model_exports = (
        "FileData",
        "FileInput",
        "JsonValue",
        *sorted([*class_names.values(), *input_names.values(), *(r.name for r in results)]),
    )
    unpackers = {m.unpack for m in methods} & {"first", "nothing"}
    runtime_imports = sorted(
        {
            "DEFAULT_MAX_MESSAGE_BYTES",
            "DEFAULT_RETRIES",
            "DEFAULT_TIMEOUT",
            "AsyncJob",
            "AsyncRuntime",
            "EndpointSpec",
            "Endpoints",
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
        models_src=typed_dicts(app.models, class_names, input_names),
        results=tuple(results),
        model_exports=model_exports,
        package_exports=tuple(sorted({*model_exports, *_RUNTIME_EXPORTS, "AsyncClient", "Client"})),
        uses_literal="Literal" in used,
        runtime_imports=tuple(sorted(runtime_imports, key=lambda n: (not n.isupper(), n))),
        model_imports=tuple(sorted(used & (set(model_exports) - {"JsonValue"}))),
        methods=tuple(methods),
        endpoints_src=_endpoints_src(app, methods),
        example_call=f"client.{first.name}({example_args})",
        client_args="" if app.base_url else 'base_url="http://127.0.0.1:7860"',
        generator_version=__version__,
        version=version,
    )


# a NamedTuple's field may not start with "_", nor shadow what tuples have
_RESULT_RESERVED = PY_RESERVED | frozenset(["count", "index"])


def _result(ep: Endpoint, annotations: list[str], name: str) -> PyResult:
    """Field names from the output labels, through the naming layer; unlabelled ones by index."""
    scope = NameScope(_RESULT_RESERVED)
    fields = []
    for o, annotation in zip(ep.outputs, annotations, strict=True):
        what = (o.label or f"output {o.index}") + (f" ({o.component})" if o.component else "")
        fields.append(
            PyResultField(
                name=scope.claim(snake(o.label, f"output_{o.index}")),
                annotation=annotation,
                doc=py_docstring_body(what + (f": {o.description}" if o.description else "")),
            )
        )
    return PyResult(
        name=name,
        doc=py_docstring_body(f"The outputs of /{ep.api_name}, in order; equal to their tuple."),
        fields=tuple(fields),
    )


def model_names(app: App) -> tuple[NameScope, dict[str, str], dict[str, str]]:
    """The class of each model and of each input twin (by model name), and the scope that
    named them, which names the result NamedTuples next."""
    scope = NameScope(PY_RESERVED | _MODULE_NAMES | {"Model"}, suffix="Model", joiner="")
    class_names = {m.name: scope.claim(pascal(m.name, "Model")) for m in app.models}
    models = {m.name: m for m in app.models}
    input_names = {
        name: scope.claim(class_names[name] + "Input") for name in sorted(input_models(app, models))
    }
    return scope, class_names, input_names


def input_models(app: App, models: Mapping[str, ModelDef]) -> frozenset[str]:
    """The models an input reaches that hold files: each gets an input twin."""
    with_files = models_with_files(models)
    reached: set[str] = set()
    todo = [p.type for ep in app.endpoints for p in ep.parameters]
    while todo:
        ref = todo.pop()
        todo.extend(ref.args)
        model = models.get(ref.model or "")
        if model is not None and model.name not in reached:
            reached.add(model.name)
            todo.extend(t for _, t in model.fields)
    return frozenset(reached & with_files)


def _endpoints_src(app: App, methods: list[PyMethod]) -> str:
    """``{"greet": ("greet", {"Your name": "your_name"})}``: what ``call()`` looks up."""
    items = []
    for ep, m in zip(app.endpoints, methods, strict=True):
        params = ", ".join(
            f"{py_literal(p.wire_name)}: {py_literal(pp.name)}"
            for p, pp in zip(ep.parameters, m.params, strict=True)
        )
        items.append(f"{py_literal(ep.api_name)}: ({py_literal(m.name)}, {{{params}}})")
    return "{" + ", ".join(items) + "}"


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
    fitted = [fitting_default(p, models) for p in ep.parameters]
    last_required = max(
        (p.position for p, f in zip(ep.parameters, fitted, strict=True) if not f[1]), default=-1
    )
    first_default = min(
        (p.position for p, f in zip(ep.parameters, fitted, strict=True) if f[1]), default=-1
    )
    marker_at = first_default if 0 <= first_default < last_required else -1
    params = []
    for p, (ref, has_default) in zip(ep.parameters, fitted, strict=True):
        default_src = ""
        if has_default and p.default is not None:
            default_src = py_literal(shaped(p.default.value, tuple_spec(ref, models)))
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
    if not conforms(p.example, p.type, models):
        return "..."
    return py_literal(shaped(p.example, tuple_spec(p.type, models)))


def _endpoint_doc(ep: Endpoint, submit_name: str) -> str:
    lines = [endpoint_text(ep)]
    if ep.generator:
        lines.append(f"It streams: iterate ``{submit_name}(...)`` for each output as it comes.")
    return py_docstring_body("\n\n".join(lines))
