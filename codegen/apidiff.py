"""What changed between two versions of an app's API, and whether callers break.

It compares two ``ir.App`` models, never text, so a reformatted schema or a new Gradio
release that serves the same API says nothing. ``diff_apps`` is pure; the ``as_*`` functions
only present its result.

Breaking: an endpoint removed (or made private, which looks the same from outside) or
renamed; an input removed, renamed, reordered or newly required; an input type narrowed or
a choice removed; the outputs' count, order or types changed. Non-breaking: a new endpoint,
a new input with a default, a type widened, a choice added, a default or a description
changed.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from codegen.ir import App, Endpoint, JsonScalar, ModelDef, Output, Parameter, TypeKind, TypeRef
from codegen.literals import py_literal
from codegen.typemap import py_annotation


class Severity(enum.Enum):
    BREAKING = "breaking"
    NON_BREAKING = "non-breaking"


@dataclass(frozen=True, slots=True)
class Change:
    severity: Severity
    kind: str  # stable identifier for tools, e.g. "input-removed"
    endpoint: str  # wire name, without the slash
    message: str

    def __str__(self) -> str:
        return f"{self.severity.value}: /{self.endpoint}: {self.message}"


def diff_apps(old: App, new: App) -> tuple[Change, ...]:
    """Every API change from ``old`` to ``new``, breaking ones first, then by endpoint."""
    types = _Types(old, new)
    before = {e.api_name: e for e in old.endpoints}
    after = {e.api_name: e for e in new.endpoints}
    changes: list[Change] = []
    removed = [before[n] for n in sorted(before.keys() - after.keys())]
    added = [after[n] for n in sorted(after.keys() - before.keys())]
    for gone in removed:
        twin = next((e for e in added if types.same_signature(gone, e)), None)
        if twin is not None:
            added.remove(twin)
            changes.append(
                _breaking(
                    "endpoint-renamed", gone.api_name, f"endpoint renamed to /{twin.api_name}"
                )
            )
        else:
            changes.append(
                _breaking("endpoint-removed", gone.api_name, "endpoint removed or made private")
            )
    changes += [_fine("endpoint-added", e.api_name, "endpoint added") for e in added]
    for name in sorted(before.keys() & after.keys()):
        changes += _endpoint_changes(before[name], after[name], types)
    order = {Severity.BREAKING: 0, Severity.NON_BREAKING: 1}
    return tuple(sorted(changes, key=lambda c: (order[c.severity], c.endpoint)))


def breaking(changes: Sequence[Change]) -> bool:
    return any(c.severity is Severity.BREAKING for c in changes)


def bump(version: str, changes: Sequence[Change], files_changed: bool) -> str:
    """The generated package's next version (``MAJOR.MINOR.PATCH``): a breaking API change
    bumps the major, any other API change the minor, a change of the generated files alone
    (a new generator, other options) the patch; nothing changed keeps it."""
    major, minor, patch = (int(part) for part in version.split("."))
    if breaking(changes):
        return f"{major + 1}.0.0"
    if changes:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}" if files_changed else version


def _breaking(kind: str, endpoint: str, message: str) -> Change:
    return Change(Severity.BREAKING, kind, endpoint, message)


def _fine(kind: str, endpoint: str, message: str) -> Change:
    return Change(Severity.NON_BREAKING, kind, endpoint, message)


def _endpoint_changes(old: Endpoint, new: Endpoint, types: _Types) -> list[Change]:
    name = old.api_name
    changes = _input_changes(old, new, types)
    changes += _output_changes(old, new, types)
    if old.description != new.description:
        changes.append(_fine("endpoint-description-changed", name, "description changed"))
    return changes


def _input_changes(old: Endpoint, new: Endpoint, types: _Types) -> list[Change]:
    name = old.api_name
    before = {p.wire_name: p for p in old.parameters}
    after = {p.wire_name: p for p in new.parameters}
    pairs = [(before[w], after[w]) for w in before if w in after]
    gone = [p for p in old.parameters if p.wire_name not in after]
    fresh = [p for p in new.parameters if p.wire_name not in before]
    changes: list[Change] = []
    for p in gone:
        twin = next(
            (q for q in fresh if q.position == p.position and types.equal(p.type, q.type)), None
        )
        if twin is None:
            changes.append(_breaking("input-removed", name, f"input {p.wire_name!r} removed"))
            continue
        fresh.remove(twin)
        pairs.append((p, twin))
        changes.append(
            _breaking("input-renamed", name, f"input {p.wire_name!r} renamed to {twin.wire_name!r}")
        )
    for q in fresh:
        if q.default is None:
            changes.append(
                _breaking("input-added-required", name, f"new required input {q.wire_name!r}")
            )
        else:
            changes.append(
                _fine(
                    "input-added-optional",
                    name,
                    f"new input {q.wire_name!r} (default {_value(q.default.value)})",
                )
            )
    was = [p.wire_name for p, _ in sorted(pairs, key=lambda pq: pq[0].position)]
    now = [p.wire_name for p, _ in sorted(pairs, key=lambda pq: pq[1].position)]
    if was != now:
        changes.append(
            _breaking(
                "inputs-reordered", name, f"inputs reordered: {', '.join(was)} -> {', '.join(now)}"
            )
        )
    for p, q in sorted(pairs, key=lambda pq: pq[1].position):
        changes += _parameter_changes(name, p, q, types)
    return changes


def _parameter_changes(name: str, old: Parameter, new: Parameter, types: _Types) -> list[Change]:
    label = f"input {new.wire_name!r}"
    changes = _type_changes(name, label, old.type, new.type, types)
    if old.default is not None and new.default is None:
        changes.append(_breaking("input-now-required", name, f"{label} lost its default"))
    elif old.default is None and new.default is not None:
        changes.append(
            _fine(
                "input-now-optional",
                name,
                f"{label} got a default ({_value(new.default.value)})",
            )
        )
    elif old.default is not None and new.default is not None and old.default != new.default:
        changes.append(
            _fine(
                "input-default-changed",
                name,
                f"{label} default {_value(old.default.value)} -> {_value(new.default.value)}",
            )
        )
    renamed = old.wire_name != new.wire_name  # its label usually follows; that is no news
    if old.description != new.description or (old.label != new.label and not renamed):
        changes.append(_fine("input-description-changed", name, f"{label} description changed"))
    return changes


def _type_changes(name: str, label: str, old: TypeRef, new: TypeRef, types: _Types) -> list[Change]:
    """For an input, narrowing breaks callers and widening does not."""
    if old.kind is TypeKind.LITERAL and new.kind is TypeKind.LITERAL:
        lost = [v for v in old.literals if not _has(new.literals, v)]
        won = [v for v in new.literals if not _has(old.literals, v)]
        out = []
        if lost:
            out.append(_breaking("choice-removed", name, f"{label} lost choices {_values(lost)}"))
        if won:
            out.append(_fine("choice-added", name, f"{label} gained choices {_values(won)}"))
        return out
    widens = types.widens(old, new)
    narrows = types.narrows(old, new)
    shift = f"{label} type {types.shift(old, new, input_=True)}"
    if widens and narrows:
        return []
    if widens:
        return [_fine("input-type-widened", name, shift)]
    if narrows:
        return [_breaking("input-type-narrowed", name, shift)]
    return [_breaking("input-type-changed", name, shift)]


def _output_changes(old: Endpoint, new: Endpoint, types: _Types) -> list[Change]:
    """Callers unpack outputs by position, so any change in count, order or type breaks them."""
    name = old.api_name
    if len(old.outputs) != len(new.outputs):
        return [
            _breaking(
                "output-count-changed",
                name,
                f"outputs {len(old.outputs)} -> {len(new.outputs)}: "
                f"{_output_list(old.outputs)} -> {_output_list(new.outputs)}",
            )
        ]
    pairs = list(zip(old.outputs, new.outputs, strict=True))
    mismatched = [(o, n) for o, n in pairs if not types.equal(o.type, n.type)]
    if mismatched and _is_permutation(old.outputs, new.outputs, types):
        return [
            _breaking(
                "output-order-changed",
                name,
                f"outputs reordered: {_output_list(old.outputs)} -> {_output_list(new.outputs)}",
            )
        ]
    changes = [
        _breaking(
            "output-type-changed",
            name,
            f"output {n.index} ({n.label or n.component}) type "
            f"{types.shift(o.type, n.type, input_=False)}",
        )
        for o, n in mismatched
    ]
    changes += [
        _fine("output-label-changed", name, f"output {n.index} label {o.label!r} -> {n.label!r}")
        for o, n in pairs
        if o.label != n.label
    ]
    return changes


def _is_permutation(old: Sequence[Output], new: Sequence[Output], types: _Types) -> bool:
    left = list(new)
    for o in old:
        match = next((n for n in left if types.equal(o.type, n.type)), None)
        if match is None:
            return False
        left.remove(match)
    return True


def _output_list(outputs: Sequence[Output]) -> str:
    return "(" + ", ".join(o.label or o.component or str(o.index) for o in outputs) + ")"


def _has(values: Sequence[JsonScalar], v: JsonScalar) -> bool:
    return any(v == x and type(v) is type(x) for x in values)


def _value(v: object) -> str:
    return json.dumps(v, ensure_ascii=False)[:60]


def _values(vs: Sequence[JsonScalar]) -> str:
    return ", ".join(_value(v) for v in vs)


class _Types:
    """Type questions across the two apps, whose models share no names."""

    def __init__(self, old: App, new: App) -> None:
        self._old = {m.name: m for m in old.models}
        self._new = {m.name: m for m in new.models}

    def widens(self, old: TypeRef, new: TypeRef) -> bool:
        """Every value of ``old`` is still a value of ``new``."""
        return _Accepts(self._new, self._old).check(new, old)

    def narrows(self, old: TypeRef, new: TypeRef) -> bool:
        """Every value of ``new`` was already a value of ``old``."""
        return _Accepts(self._old, self._new).check(old, new)

    def equal(self, old: TypeRef, new: TypeRef) -> bool:
        return self.widens(old, new) and self.narrows(old, new)

    def shift(self, old: TypeRef, new: TypeRef, *, input_: bool) -> str:
        """``old -> new``, naming the model field that differs when the spellings agree."""
        before, after = _show(old, input_), _show(new, input_)
        if before != after:
            return f"{before} -> {after}"
        checks = (_Accepts(self._new, self._old), _Accepts(self._old, self._new))
        checks[0].check(new, old)
        checks[1].check(old, new)
        return f"{before} changed ({checks[0].why or checks[1].why or 'structure'} differs)"

    def same_signature(self, old: Endpoint, new: Endpoint) -> bool:
        return (
            [p.wire_name for p in old.parameters] == [p.wire_name for p in new.parameters]
            and all(
                self.equal(p.type, q.type)
                for p, q in zip(old.parameters, new.parameters, strict=True)
            )
            and len(old.outputs) == len(new.outputs)
            and all(
                self.equal(o.type, n.type) for o, n in zip(old.outputs, new.outputs, strict=True)
            )
        )


def _show(ref: TypeRef, input_: bool) -> str:
    """Python spelling; model names only hint at the structure they stand for."""
    return py_annotation(ref, str, py_literal, input_=input_)


class _Accepts:
    def __init__(self, wide: Mapping[str, ModelDef], narrow: Mapping[str, ModelDef]) -> None:
        self.wide = wide
        self.narrow = narrow
        self.assumed: set[tuple[str, str]] = set()  # recursive models: assume, then verify
        self.why = ""  # the first model field that did not fit, to explain same-named types

    def check(self, w: TypeRef, n: TypeRef) -> bool:
        if w.kind is TypeKind.ANY:
            return True
        if n.kind is TypeKind.UNION:
            return all(self.check(w, a) for a in n.args)
        if n.kind is TypeKind.LITERAL and len(n.literals) > 1:
            return all(self.check(w, TypeRef(TypeKind.LITERAL, literals=(v,))) for v in n.literals)
        if w.kind is TypeKind.UNION:
            return any(self.check(a, n) for a in w.args)
        if n.kind is TypeKind.LITERAL:
            return all(_scalar_fits(v, w) for v in n.literals)
        match w.kind:
            case TypeKind.FLOAT:
                return n.kind in (TypeKind.FLOAT, TypeKind.INT)
            case TypeKind.LIST:
                items = n.args if n.kind is TypeKind.TUPLE else n.args[:1]
                return n.kind in (TypeKind.LIST, TypeKind.TUPLE) and all(
                    self.check(w.args[0], a) for a in items
                )
            case TypeKind.TUPLE:
                return (
                    n.kind is TypeKind.TUPLE
                    and len(n.args) == len(w.args)
                    and all(self.check(a, b) for a, b in zip(w.args, n.args, strict=True))
                )
            case TypeKind.DICT:
                return n.kind is TypeKind.DICT and self.check(w.args[1], n.args[1])
            case TypeKind.OBJECT:
                return n.kind is TypeKind.OBJECT and self._model(w.model or "", n.model or "")
            case _:
                return w.kind is n.kind

    def _model(self, w_name: str, n_name: str) -> bool:
        """An object fits when the wide model knows all its keys and requires no others."""
        if (w_name, n_name) in self.assumed:
            return True
        w, n = self.wide.get(w_name), self.narrow.get(n_name)
        if w is None or n is None:
            return w_name == n_name
        self.assumed.add((w_name, n_name))
        fields = dict(w.fields)
        for key in sorted(w.required - n.required):
            self.why = self.why or f"{w_name}.{key} required"
            return False
        for key, ref in n.fields:
            if key not in fields or not self.check(fields[key], ref):
                self.why = self.why or f"{n_name}.{key}"
                return False
        return True


def _scalar_fits(v: JsonScalar, w: TypeRef) -> bool:
    if w.kind is TypeKind.LITERAL:
        return _has(w.literals, v)
    if v is None:
        return w.kind is TypeKind.NULL
    if isinstance(v, bool):
        return w.kind is TypeKind.BOOL
    if isinstance(v, int):
        return w.kind in (TypeKind.INT, TypeKind.FLOAT)
    if isinstance(v, float):
        return w.kind is TypeKind.FLOAT
    return w.kind is TypeKind.STR


def as_text(changes: Sequence[Change]) -> str:
    if not changes:
        return "no API changes\n"
    counts = _counts(changes)
    lines = [str(c) for c in changes]
    lines.append(f"{counts['breaking']} breaking, {counts['non-breaking']} non-breaking")
    return "\n".join(lines) + "\n"


def as_markdown(changes: Sequence[Change]) -> str:
    """A PR comment: a headline, then one table row per change."""
    if not changes:
        return "### API changes\n\nNo API changes.\n"
    counts = _counts(changes)
    lines = [
        "### API changes",
        "",
        f"**{counts['breaking']} breaking**, {counts['non-breaking']} non-breaking.",
        "",
        "| | endpoint | change |",
        "|---|---|---|",
    ]
    for c in changes:
        mark = "breaking" if c.severity is Severity.BREAKING else "ok"
        lines.append(f"| {mark} | `/{_cell(c.endpoint)}` | {_cell(c.message)} |")
    return "\n".join(lines) + "\n"


def as_json(changes: Sequence[Change]) -> str:
    doc = {
        "breaking": breaking(changes),
        "counts": _counts(changes),
        "changes": [
            {
                "severity": c.severity.value,
                "kind": c.kind,
                "endpoint": c.endpoint,
                "message": c.message,
            }
            for c in changes
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _counts(changes: Sequence[Change]) -> dict[str, int]:
    return {s.value: sum(c.severity is s for c in changes) for s in Severity}


def _cell(text: str) -> str:
    """Table cells: no pipes or newlines from the app's text break the table."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
