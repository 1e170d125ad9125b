"""The one language-neutral model of a Gradio app that every target renders from.

It holds wire names only; identifiers are made per language in ``naming``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]
JsonScalar = None | bool | int | float | str


class TypeKind(enum.Enum):
    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    NULL = "null"
    LITERAL = "literal"
    LIST = "list"
    TUPLE = "tuple"
    DICT = "dict"
    UNION = "union"
    OBJECT = "object"
    FILE = "file"
    ANY = "any"


@dataclass(frozen=True, slots=True)
class TypeRef:
    kind: TypeKind
    args: tuple[TypeRef, ...] = ()
    literals: tuple[JsonScalar, ...] = ()
    model: str | None = None  # key into App.models for OBJECT


@dataclass(frozen=True, slots=True)
class ModelDef:
    """A named object type; its fields keep the wire keys, in the schema's order."""

    name: str
    fields: tuple[tuple[str, TypeRef], ...]
    required: frozenset[str]


@dataclass(frozen=True, slots=True)
class Default:
    """Wraps a default so that "the default is null" differs from "no default"."""

    value: JsonValue


@dataclass(frozen=True, slots=True)
class Parameter:
    wire_name: str
    position: int
    type: TypeRef
    default: Default | None
    label: str
    component: str
    description: str
    example: JsonValue = None
    # a 3.x Image: the file travels inline as a base64 data URL string, not uploaded
    inline_file: bool = False


@dataclass(frozen=True, slots=True)
class Output:
    index: int
    label: str
    component: str
    type: TypeRef
    description: str


@dataclass(frozen=True, slots=True)
class Endpoint:
    api_name: str  # wire name, without the leading slash
    description: str
    parameters: tuple[Parameter, ...]
    outputs: tuple[Output, ...]
    # where each output sits in the wire data, which also holds hidden gr.State slots
    wire_outputs: tuple[int, ...] | None  # None: unknown without /config
    fn_index: int | None  # the app's dependency id; the cancel route takes only this
    generator: bool = False  # known from /config only
    # wire positions of hidden inputs (gr.State and the like) that the data must carry as
    # null; None: unknown without /config
    state_inputs: tuple[int, ...] | None = None


class Protocol(enum.Enum):
    """How a client calls the app; ``docs/protocols.md`` spells out each one's wire format."""

    # Gradio 4.x-6.x: POST {prefix}/call/{api_name} {"data", "session_hash"} -> {"event_id"};
    # results on the session's stream GET {prefix}/queue/data?session_hash=
    QUEUE = "queue"
    # Gradio 3.x: POST /run/{api_name} {"data", "fn_index", "session_hash"} -> {"data", ...}
    ONESHOT = "oneshot"


class Level(enum.Enum):
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    level: Level
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.value}: {self.where}: {self.message}"


@dataclass(frozen=True, slots=True)
class App:
    title: str
    description: str
    gradio_version: str
    base_url: str  # where the schema came from; "" for a file with no known origin
    space_id: str | None
    api_prefix: str  # "/gradio_api" on 5.x and later, "" before
    endpoints: tuple[Endpoint, ...]
    protocol: Protocol = Protocol.QUEUE
    models: tuple[ModelDef, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    mcp_server: bool = False  # the app serves MCP at {api_prefix}/mcp/ (known from /config)
