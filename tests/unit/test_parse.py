"""Real Gradio 6.31 captures and small synthetic schemas through ``read_source`` + ``parse``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from codegen.errors import SchemaError
from codegen.ir import App, Default, Endpoint, Level, Protocol, TypeKind
from codegen.parse import parse
from codegen.source import RawSchema, read_source
from tests.paths import SCHEMAS, corpus

CORPUS = corpus("6.31.0")


def _app(demo: str) -> App:
    return parse(read_source(str(CORPUS / demo / "openapi.json"), None))


def _ep(app: App, name: str) -> Endpoint:
    (ep,) = [e for e in app.endpoints if e.api_name == name]
    return ep


def _wire(ep: Endpoint) -> list[str]:
    return [p.wire_name for p in ep.parameters]


def _write(folder: Path, name: str, doc: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# -- real captures ----------------------------------------------------------------------


def test_hello_world() -> None:
    app = _app("hello_world")
    assert [e.api_name for e in app.endpoints] == ["predict"]
    ep = app.endpoints[0]
    assert _wire(ep) == ["name"]
    (p,) = ep.parameters
    assert p.type.kind is TypeKind.STR
    assert p.default is None
    assert p.component == "Textbox"
    assert p.example == "Hello!!"
    assert [o.label for o in ep.outputs] == ["output"]
    assert ep.outputs[0].type.kind is TypeKind.STR
    assert ep.description == ""  # nothing but the "Output must be fetched" note
    assert ep.wire_outputs is None  # no config.json: the client reads /config
    assert app.gradio_version == "6.31.0"
    assert app.base_url == ""
    assert app.api_prefix == "/gradio_api"


def test_calculator() -> None:
    app = _app("calculator")
    assert app.title == "Toy Calculator"
    ep = _ep(app, "predict")
    assert _wire(ep) == ["num1", "operation", "num2"]
    kinds = [p.type.kind for p in ep.parameters]
    assert kinds == [TypeKind.FLOAT, TypeKind.LITERAL, TypeKind.FLOAT]
    assert ep.parameters[1].type.literals == ("add", "subtract", "multiply", "divide")
    assert all(p.default is None for p in ep.parameters)
    assert len(ep.outputs) == 1 and ep.outputs[0].type.kind is TypeKind.FLOAT


def test_kitchen_sink() -> None:
    app = _app("kitchen_sink")
    assert [e.api_name for e in app.endpoints] == ["fn", "predict"]
    ep = _ep(app, "predict")
    assert _wire(ep)[:4] == ["text1", "text2", "num", "slider1"]
    assert len(ep.parameters) == 18
    assert [p.position for p in ep.parameters] == list(range(18))
    by_name = {p.wire_name: p for p in ep.parameters}
    assert by_name["text1"].default == Default("Lorem ipsum")
    assert by_name["text2"].default is None
    assert by_name["num"].default == Default(42)
    assert by_name["single_checkbox"].default == Default(False)
    assert by_name["checkboxes"].default == Default(["foo", "bar"])
    assert by_name["multi_dropdown"].default == Default([])
    assert by_name["im1"].type.kind is TypeKind.FILE
    assert by_name["video"].type.kind is TypeKind.FILE
    assert by_name["df1"].type.kind is TypeKind.OBJECT
    assert len(ep.outputs) == 13
    assert ep.outputs[0].label == "Textbox"
    assert [o.type.kind for o in ep.outputs[2:5]] == [TypeKind.FILE] * 3
    assert ep.wire_outputs is None
    assert any(p.type.kind is TypeKind.FILE for p in ep.parameters)
    # models are collected once for the whole app, however many endpoints use them
    names = [m.name for m in app.models]
    assert len(names) == len(set(names))
    assert {"DataframeData", "LabelData", "LabelConfidence"} <= set(names)
    assert "FileData" not in names and "ImageData" not in names


def test_mcp_tool_only_description_and_labels() -> None:
    app = _app("mcp_tool_only")
    ep = _ep(app, "slice_list")
    assert ep.description == "A tool that slices a list given a start and end index."
    assert _wire(ep) == ["lst", "start", "end"]
    assert [p.label for p in ep.parameters] == ["1st", "2nd", "3rd"]
    assert [p.type.kind for p in ep.parameters] == [TypeKind.LIST, TypeKind.INT, TypeKind.INT]
    assert [o.label for o in ep.outputs] == ["1st"]


def test_tabbed_interface_lite() -> None:
    app = _app("tabbed_interface_lite")
    assert [e.api_name for e in app.endpoints] == ["chat", "predict", "predict_1"]
    chat = _ep(app, "chat")
    assert _wire(chat) == ["param_0"]
    assert chat.parameters[0].label == ""
    assert chat.outputs[0].label == "Response"
    assert chat.outputs[0].type.kind is TypeKind.ANY
    assert _wire(_ep(app, "predict_1")) == ["name"]


def test_default_null_is_a_default() -> None:
    app = _app("interface_with_additional_inputs")
    ep = _ep(app, "predict")
    by_name = {p.wire_name: p for p in ep.parameters}
    assert by_name["prompt"].default is None
    assert by_name["seed"].default == Default(0)
    # parameter_has_default true with parameter_default null: "defaults to None"
    assert by_name["initial_image"].default == Default(None)
    assert by_name["initial_image"].default is not None
    assert [o.label for o in ep.outputs] == ["output 0", "output 1"]


def test_missing_config_leaves_positions_to_the_client() -> None:
    app = _app("hello_world")
    notes = [d for d in app.diagnostics if d.level is Level.INFO]
    assert any("config" in d.message for d in notes)
    assert all(e.wire_outputs is None for e in app.endpoints)


def test_undocumented_endpoints_are_left_out(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "calculator" / "openapi.json", tmp_path / "openapi.json")
    shutil.copy(CORPUS / "calculator" / "info_all_endpoints.json", tmp_path / "info.json")
    app = parse(read_source(str(tmp_path / "openapi.json"), None))
    assert [e.api_name for e in app.endpoints] == ["predict"]


def test_info_alone(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "kitchen_sink" / "info.json", tmp_path / "info.json")
    raw = read_source(str(tmp_path / "info.json"), None)
    assert raw.openapi is None and raw.info is not None
    app = parse(raw)
    ep = _ep(app, "predict")
    assert len(ep.parameters) == 18 and len(ep.outputs) == 13
    assert ep.parameters[0].default == Default("Lorem ipsum")
    assert any("no openapi.json" in d.message for d in app.diagnostics)


# -- openapi.json alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("demo", "endpoint", "kinds"),
    [
        ("hello_world", "predict", [TypeKind.STR]),
        ("calculator", "predict", [TypeKind.FLOAT]),
        ("interface_with_additional_inputs", "predict", [TypeKind.STR, TypeKind.FILE]),
        ("mcp_tool_only", "slice_list", [TypeKind.LIST]),
    ],
)
def test_openapi_alone_reads_outputs_from_prose(
    tmp_path: Path, demo: str, endpoint: str, kinds: list[TypeKind]
) -> None:
    shutil.copy(CORPUS / demo / "openapi.json", tmp_path / "openapi.json")
    raw = read_source(str(tmp_path / "openapi.json"), None)
    assert raw.info is None and raw.config is None
    app = parse(raw)
    ep = _ep(app, endpoint)
    assert [o.type.kind for o in ep.outputs] == kinds
    assert ep.wire_outputs is None
    # defaults are unknown without info.json: every input is required
    assert all(p.default is None for p in ep.parameters)
    warnings = [d for d in app.diagnostics if d.level is Level.WARNING]
    assert any("no info.json" in d.message for d in warnings)
    assert "Output must be fetched" not in ep.description
    assert "Returns an array" not in ep.description


def test_openapi_alone_keeps_parameter_order_and_description(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "mcp_tool_only" / "openapi.json", tmp_path / "openapi.json")
    app = parse(read_source(str(tmp_path / "openapi.json"), None))
    ep = _ep(app, "slice_list")
    assert _wire(ep) == ["lst", "start", "end"]
    assert ep.description == "A tool that slices a list given a start and end index."


# -- synthetic -------------------------------------------------------------------------------


def _raw(openapi: Any = None, info: Any = None, config: Any = None) -> RawSchema:
    return RawSchema(openapi, info, config, "", None, "app")


def test_fastapi_root_schema_is_rejected(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "FastAPI", "version": "0.1.0"},
        "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    path = _write(tmp_path, "openapi.json", doc)
    with pytest.raises(SchemaError) as exc:
        parse(read_source(str(path), None))
    assert exc.value.exit_code == 5
    assert "/gradio_api/openapi.json" in str(exc.value)


FASTAPI_ROOT = {
    "openapi": "3.1.0",
    "info": {"title": "FastAPI", "version": "0.1.0"},
    "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}},
}


def test_fastapi_root_schema_3_0_gets_the_specific_message() -> None:
    with pytest.raises(SchemaError) as exc:
        parse(_raw(openapi={**FASTAPI_ROOT, "openapi": "3.0.2"}))
    assert "FastAPI schema" in exc.value.message


def test_fastapi_root_schema_3_1_gets_the_specific_message() -> None:
    with pytest.raises(SchemaError) as exc:
        parse(_raw(openapi=FASTAPI_ROOT))
    assert "FastAPI schema" in exc.value.message


def test_not_openapi_is_a_schema_error() -> None:
    with pytest.raises(SchemaError):
        parse(_raw(openapi={"openapi": "3.0.2", "info": "nope", "paths": []}))


def test_info_without_named_endpoints_is_a_schema_error() -> None:
    with pytest.raises(SchemaError):
        parse(_raw(info={"named_endpoints": ["not", "a", "map"]}))


def _endpoint_spec(visibility: str, returns: int = 1) -> dict[str, Any]:
    return {
        "parameters": [
            {
                "label": "Name",
                "parameter_name": "name",
                "parameter_has_default": False,
                "parameter_default": None,
                "type": {"type": "string"},
                "component": "Textbox",
            }
        ],
        "returns": [
            {"label": f"out{i}", "type": {"type": "string"}, "component": "Textbox"}
            for i in range(returns)
        ],
        "api_visibility": visibility,
        "description": "",
    }


def test_no_public_endpoint_is_a_schema_error() -> None:
    info = {
        "named_endpoints": {
            "/a": _endpoint_spec("undocumented"),
            "/b": _endpoint_spec("private"),
            "/c": {**_endpoint_spec("public"), "api_visibility": None, "show_api": False},
        },
        "unnamed_endpoints": {},
    }
    with pytest.raises(SchemaError) as exc:
        parse(_raw(info=info))
    assert "public" in str(exc.value)


def test_openapi_without_calls_is_a_schema_error() -> None:
    doc = {"openapi": "3.0.2", "info": {"title": None, "version": "6.31.0"}, "paths": {}}
    with pytest.raises(SchemaError):
        parse(_raw(openapi=doc))


def _greet_app(tmp_path: Path, config: dict[str, Any]) -> App:
    info = {
        "named_endpoints": {"/greet": _endpoint_spec("public", returns=2)},
        "unnamed_endpoints": {},
    }
    _write(tmp_path, "info.json", info)
    _write(tmp_path, "config.json", config)
    raw = read_source(str(tmp_path / "info.json"), None)
    assert raw.config == config
    return parse(raw)


def test_config_maps_wire_outputs_around_hidden_state(tmp_path: Path) -> None:
    config = {
        "version": "6.31.0",
        "title": "Greeter",
        "components": [
            {"id": 1, "type": "textbox"},
            {"id": 2, "type": "state", "skip_api": True},
            {"id": 3, "type": "textbox"},
            {"id": 4, "type": "textbox"},
        ],
        "dependencies": [
            {"id": 0, "api_name": "other", "outputs": [3], "types": {"generator": False}},
            {"id": 7, "api_name": "greet", "outputs": [2, 3, 4], "types": {"generator": True}},
        ],
    }
    app = _greet_app(tmp_path, config)
    ep = _ep(app, "greet")
    assert ep.wire_outputs == (1, 2)
    assert ep.fn_index == 7
    assert ep.generator is True
    assert app.title == "Greeter"
    assert not any("config" in d.message for d in app.diagnostics)


def test_config_state_in_the_middle(tmp_path: Path) -> None:
    config = {
        "components": [{"id": 10}, {"id": 11, "skip_api": True}, {"id": 12}],
        "dependencies": [{"api_name": "/greet", "outputs": [10, 11, 12], "types": {}}],
    }
    ep = _ep(_greet_app(tmp_path, config), "greet")
    assert ep.wire_outputs == (0, 2)
    assert ep.fn_index == 0  # no id: the dependency's index
    assert ep.generator is False


def test_config_disagreeing_with_info_is_a_warning(tmp_path: Path) -> None:
    config = {
        "components": [{"id": 1}, {"id": 2}, {"id": 3}],
        "dependencies": [{"id": 5, "api_name": "greet", "outputs": [1, 2, 3]}],
    }
    app = _greet_app(tmp_path, config)
    ep = _ep(app, "greet")
    assert ep.wire_outputs == (0, 1)  # trusts info's two outputs
    assert any(d.level is Level.WARNING and d.where == "endpoint /greet" for d in app.diagnostics)


def test_parameter_fallback_names_and_json_only_defaults() -> None:
    spec = _endpoint_spec("public")
    spec["parameters"] = [
        {"label": "Shown", "type": {"type": "string"}},
        {"type": {"type": "number"}, "parameter_has_default": True, "parameter_default": 1.5},
    ]
    app = parse(_raw(info={"named_endpoints": {"/x": spec}}))
    ep = _ep(app, "x")
    assert _wire(ep) == ["Shown", "param_1"]
    assert ep.parameters[1].default == Default(1.5)


# -- every Gradio version: protocol, prefix, hidden inputs, 3.x specifics ------------------------

FIXTURES = SCHEMAS


@pytest.mark.parametrize(
    ("fixture", "protocol", "prefix", "why"),
    [
        ("hello_world_3.50.2", Protocol.ONESHOT, "", "Gradio 3.x"),
        ("hello_world_4.44.1", Protocol.QUEUE, "", "Gradio 4"),
        ("hello_world_5.49.1", Protocol.QUEUE, "/gradio_api", "Gradio 5"),
        ("hello_world_6.5.1", Protocol.QUEUE, "/gradio_api", "Gradio 6"),
        ("hello_world", Protocol.QUEUE, "/gradio_api", "Gradio 6"),
    ],
)
def test_protocol_and_prefix_follow_the_version(
    fixture: str, protocol: Protocol, prefix: str, why: str
) -> None:
    app = parse(read_source(str(FIXTURES / fixture), None))
    assert (app.protocol, app.api_prefix) == (protocol, prefix)
    notes = [d.message for d in app.diagnostics if d.message.startswith("protocol")]
    assert notes == [f"protocol {protocol.value} under {prefix or '/'!r}, from {why}"]


@pytest.mark.parametrize(
    ("version", "protocol", "prefix"),
    [
        ("3.50.2", Protocol.ONESHOT, ""),
        ("4.44.1", Protocol.QUEUE, ""),
        ("5.49.1", Protocol.QUEUE, "/gradio_api"),
    ],
)
def test_a_saved_info_json_alone_is_enough(
    tmp_path: Path, version: str, protocol: Protocol, prefix: str
) -> None:
    shutil.copy(FIXTURES / f"hello_world_{version}" / "info.json", tmp_path / "info.json")
    app = parse(read_source(str(tmp_path / "info.json"), None))
    assert (app.protocol, app.api_prefix) == (protocol, prefix)
    assert [e.api_name for e in app.endpoints] == ["predict"]
    assert app.endpoints[0].state_inputs is None  # no config: the client reads /config


def test_what_answered_a_live_fetch_wins() -> None:
    info = json.loads((FIXTURES / "hello_world_5.49.1" / "info.json").read_text())
    raw = RawSchema(None, info, None, "http://app.test", None, "app", api_prefix="")
    assert parse(raw).api_prefix == ""


def test_state_inputs_come_from_config_on_4x() -> None:
    app = parse(read_source(str(FIXTURES / "blocks_simple_squares_4.44.1"), None))
    ep = _ep(app, "increase")
    assert (ep.state_inputs, ep.wire_outputs, ep.fn_index) == ((0, 1), (1, 3), 0)


def test_3x_unnamed_events_files_and_defaults() -> None:
    squares = parse(read_source(str(FIXTURES / "blocks_simple_squares_3.50.2"), None))
    ep = _ep(squares, "fn_0")  # 3.x gives Blocks events no api_name: called by fn index
    assert (ep.fn_index, ep.state_inputs, ep.wire_outputs) == (0, (0, 1), (1, 3))
    hello = _ep(parse(read_source(str(FIXTURES / "hello_world_3.50.2"), None)), "predict")
    assert _wire(hello) == ["name"]  # the label: 3.x info has no parameter names
    assert hello.parameters[0].default == Default("")  # the component's value, from /config
    zipped = _ep(parse(read_source(str(FIXTURES / "zip_to_json_3.50.2"), None)), "predict")
    assert zipped.parameters[0].type.kind is TypeKind.FILE
    video = _ep(parse(read_source(str(FIXTURES / "video_identity_2_3.50.2"), None)), "predict")
    assert video.parameters[0].type.kind is TypeKind.FILE
    pair = video.outputs[0].type  # a 3.x video result is [video, subtitles]
    assert pair.kind is TypeKind.TUPLE and pair.args[0].kind is TypeKind.FILE


def test_an_endpoint_only_openapi_lists_is_read_from_it(tmp_path: Path) -> None:
    openapi = json.loads((FIXTURES / "hello_world_5.49.1" / "openapi.json").read_text())
    info = json.loads((FIXTURES / "hello_world_5.49.1" / "info.json").read_text())
    openapi["paths"]["/run/shout"] = openapi["paths"]["/run/predict"]
    app = parse(_raw(openapi=openapi, info=info))
    assert [e.api_name for e in app.endpoints] == ["predict", "shout"]
    assert _wire(_ep(app, "shout")) == ["name"] and _ep(app, "shout").parameters[0].default is None
    (line,) = [d.message for d in app.diagnostics if "info.json" in d.message]
    assert line.endswith("; /shout only in openapi.json: read from it, every input required")
