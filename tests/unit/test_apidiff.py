"""API diff: a table of IR edits and their classification, then real schema pairs."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from codegen.apidiff import Change, Severity, as_json, as_markdown, as_text, breaking, diff_apps
from codegen.ir import App, Default, Endpoint, ModelDef, Output, Parameter, TypeKind, TypeRef
from codegen.parse import parse
from codegen.source import read_source
from tests.paths import corpus

STR = TypeRef(TypeKind.STR)
INT = TypeRef(TypeKind.INT)
FLOAT = TypeRef(TypeKind.FLOAT)
NULL = TypeRef(TypeKind.NULL)


def lit(*values: str) -> TypeRef:
    return TypeRef(TypeKind.LITERAL, literals=values)


def opt(t: TypeRef) -> TypeRef:
    return TypeRef(TypeKind.UNION, args=(t, NULL))


def p(name: str, pos: int, t: TypeRef = STR, default: object = "no default") -> Parameter:
    d = None if default == "no default" else Default(default)  # type: ignore[arg-type]
    return Parameter(name, pos, t, d, name, "Textbox", "")


def o(index: int, t: TypeRef = STR, label: str = "out") -> Output:
    return Output(index, label, "Textbox", t, "")


def ep(name: str, params: tuple[Parameter, ...] = (), outs: tuple[Output, ...] = ()) -> Endpoint:
    return Endpoint(name, "", params, outs or (o(0),), None, None)


def app(*endpoints: Endpoint, models: tuple[ModelDef, ...] = ()) -> App:
    return App("t", "", "6.31.0", "", None, "/gradio_api", endpoints, models=models)


BASE = ep("greet", (p("name", 0), p("mode", 1, lit("a", "b"), "a")), (o(0),))


def with_params(*params: Parameter) -> App:
    return app(replace(BASE, parameters=params))


def with_outputs(*outputs: Output) -> App:
    return app(replace(BASE, outputs=outputs))


CASES: list[tuple[str, App, set[tuple[str, Severity]]]] = [
    ("same", app(BASE), set()),
    (
        "endpoint removed",
        app(ep("other", (p("x", 0, INT),))),
        {
            ("endpoint-removed", Severity.BREAKING),
            ("endpoint-added", Severity.NON_BREAKING),
        },
    ),
    (
        "endpoint renamed",
        app(replace(BASE, api_name="hello")),
        {
            ("endpoint-renamed", Severity.BREAKING),
        },
    ),
    ("endpoint added", app(BASE, ep("new")), {("endpoint-added", Severity.NON_BREAKING)}),
    (
        "description",
        app(replace(BASE, description="Says hi")),
        {
            ("endpoint-description-changed", Severity.NON_BREAKING),
        },
    ),
    (
        "input removed",
        with_params(p("mode", 0, lit("a", "b"), "a")),
        {
            ("input-removed", Severity.BREAKING),
        },
    ),
    (
        "input renamed",
        with_params(p("who", 0), p("mode", 1, lit("a", "b"), "a")),
        {
            ("input-renamed", Severity.BREAKING),
        },
    ),
    (
        "new required input",
        with_params(*BASE.parameters, p("extra", 2, INT)),
        {
            ("input-added-required", Severity.BREAKING),
        },
    ),
    (
        "new input with default",
        with_params(*BASE.parameters, p("extra", 2, INT, 3)),
        {
            ("input-added-optional", Severity.NON_BREAKING),
        },
    ),
    (
        "new input with default in the middle",
        with_params(p("name", 0), p("extra", 1, INT, 3), p("mode", 2, lit("a", "b"), "a")),
        {("input-added-optional", Severity.NON_BREAKING)},
    ),
    (
        "inputs reordered",
        with_params(p("mode", 0, lit("a", "b"), "a"), p("name", 1)),
        {
            ("inputs-reordered", Severity.BREAKING),
        },
    ),
    (
        "type narrowed",
        with_params(p("name", 0, lit("x", "y")), BASE.parameters[1]),
        {
            ("input-type-narrowed", Severity.BREAKING),
        },
    ),
    (
        "type widened",
        with_params(p("name", 0, opt(STR)), BASE.parameters[1]),
        {
            ("input-type-widened", Severity.NON_BREAKING),
        },
    ),
    (
        "type changed",
        with_params(p("name", 0, INT), BASE.parameters[1]),
        {
            ("input-type-changed", Severity.BREAKING),
        },
    ),
    (
        "choice removed",
        with_params(p("name", 0), p("mode", 1, lit("a"), "a")),
        {
            ("choice-removed", Severity.BREAKING),
        },
    ),
    (
        "choice added",
        with_params(p("name", 0), p("mode", 1, lit("a", "b", "c"), "a")),
        {
            ("choice-added", Severity.NON_BREAKING),
        },
    ),
    (
        "default lost",
        with_params(p("name", 0), p("mode", 1, lit("a", "b"))),
        {
            ("input-now-required", Severity.BREAKING),
        },
    ),
    (
        "default gained",
        with_params(p("name", 0, STR, ""), BASE.parameters[1]),
        {
            ("input-now-optional", Severity.NON_BREAKING),
        },
    ),
    (
        "default changed",
        with_params(p("name", 0), p("mode", 1, lit("a", "b"), "b")),
        {
            ("input-default-changed", Severity.NON_BREAKING),
        },
    ),
    (
        "output added",
        with_outputs(o(0), o(1, INT, "n")),
        {
            ("output-count-changed", Severity.BREAKING),
        },
    ),
    ("output type", with_outputs(o(0, INT)), {("output-type-changed", Severity.BREAKING)}),
    (
        "output label",
        with_outputs(o(0, STR, "greeting")),
        {
            ("output-label-changed", Severity.NON_BREAKING),
        },
    ),
]


@pytest.mark.parametrize(("case", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_classification(case: str, new: App, expected: set[tuple[str, Severity]]) -> None:
    changes = diff_apps(app(BASE), new)
    assert {(c.kind, c.severity) for c in changes} == expected
    assert breaking(changes) == any(s is Severity.BREAKING for _, s in expected)


def test_int_to_float_widens_and_back_narrows() -> None:
    ints, floats = app(ep("n", (p("x", 0, INT),))), app(ep("n", (p("x", 0, FLOAT),)))
    assert [c.kind for c in diff_apps(ints, floats)] == ["input-type-widened"]
    assert [c.kind for c in diff_apps(floats, ints)] == ["input-type-narrowed"]


def test_output_order() -> None:
    old = with_outputs(o(0, STR, "text"), o(1, INT, "count"))
    new = with_outputs(o(0, INT, "count"), o(1, STR, "text"))
    kinds = [c.kind for c in diff_apps(old, new)]
    assert kinds == ["output-order-changed"]


def test_models_compare_by_structure_not_name() -> None:
    def obj(name: str) -> TypeRef:
        return TypeRef(TypeKind.OBJECT, model=name)

    old_model = ModelDef("Msg", (("role", STR), ("content", STR)), frozenset({"role"}))
    renamed = ModelDef("Message", old_model.fields, old_model.required)
    changed = ModelDef("Msg", (("role", STR), ("content", INT)), frozenset({"role"}))
    stricter = ModelDef("Msg", old_model.fields, frozenset({"role", "content"}))
    old = app(ep("chat", (p("m", 0, obj("Msg")),)), models=(old_model,))
    assert diff_apps(old, app(ep("chat", (p("m", 0, obj("Message")),)), models=(renamed,))) == ()
    [change] = diff_apps(old, app(ep("chat", (p("m", 0, obj("Msg")),)), models=(changed,)))
    assert change.kind == "input-type-changed"
    assert "Msg.content differs" in change.message
    [change] = diff_apps(old, app(ep("chat", (p("m", 0, obj("Msg")),)), models=(stricter,)))
    assert change.kind == "input-type-narrowed"


def test_breaking_changes_come_first_and_render() -> None:
    new = app(replace(BASE, description="new | text"), ep("added"))
    new = replace(new, endpoints=(*new.endpoints[:1], ep("gone")))
    changes = diff_apps(app(BASE, ep("gone2", (p("z", 0, INT),))), new)
    assert [c.severity for c in changes] == sorted(
        (c.severity for c in changes), key=lambda s: s is not Severity.BREAKING
    )
    text = as_text(changes)
    assert text.splitlines()[-1] == "1 breaking, 2 non-breaking"
    assert "breaking: /gone2: endpoint removed or made private" in text
    md = as_markdown(changes)
    assert md.startswith("### API changes") and "**1 breaking**" in md
    assert all(line.count("|") - line.count("\\|") == 4 for line in md.splitlines()[4:])
    doc = json.loads(as_json(changes))
    assert doc["breaking"] is True and doc["counts"] == {"breaking": 1, "non-breaking": 2}
    assert {c["kind"] for c in doc["changes"]} == {
        "endpoint-removed",
        "endpoint-added",
        "endpoint-description-changed",
    }


def test_no_changes_render() -> None:
    assert as_text(()) == "no API changes\n"
    assert "No API changes." in as_markdown(())
    assert json.loads(as_json(()))["changes"] == []
    assert str(Change(Severity.BREAKING, "k", "e", "m")) == "breaking: /e: m"


def corpus_diff(demo: str, old: str, new: str = "6.31.0") -> set[tuple[str, str, Severity]]:
    before = parse(read_source(str(corpus(old) / demo), None))
    after = parse(read_source(str(corpus(new) / demo), None))
    return {(c.kind, c.endpoint, c.severity) for c in diff_apps(before, after)}


def test_same_demo_across_6x_has_no_breaking_change() -> None:
    """6.5.1 and 6.31.0 serve the same API apart from the Image type's wording."""
    for demo in ("hello_world", "calculator", "count_generator", "kitchen_sink", "mcp_tools"):
        assert {c for c in corpus_diff(demo, "6.5.1") if c[2] is Severity.BREAKING} == set(), demo
    assert corpus_diff("hello_world", "6.5.1") == set()
    assert corpus_diff("kitchen_sink", "6.5.1") == {
        ("input-description-changed", ep, Severity.NON_BREAKING) for ep in ("fn", "predict")
    }


def test_video_payload_change_from_5x_to_6x_breaks() -> None:
    """5.x sends Video as {video, subtitles}; 6.x as a plain file."""
    assert corpus_diff("video_identity_2", "5.49.1") == {
        ("input-type-changed", "predict", Severity.BREAKING),
        ("output-type-changed", "predict", Severity.BREAKING),
        ("input-description-changed", "predict", Severity.NON_BREAKING),
    }


def test_chatbot_messages_and_renamed_chat_endpoint_from_5x_to_6x() -> None:
    changes = corpus_diff("chatbot_multimodal", "5.49.1")
    assert ("input-type-changed", "bot_response", Severity.BREAKING) in changes
    assert ("input-now-optional", "add_message", Severity.NON_BREAKING) in changes
    # the 6.x demo names its ChatInterface endpoint after the function
    assert corpus_diff("chatinterface_system_prompt", "5.49.1") == {
        ("endpoint-renamed", "chat", Severity.BREAKING)
    }
