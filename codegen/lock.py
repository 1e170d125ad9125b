"""``gradio-codegen.lock``: what a folder was generated from, so it can be made again offline.

The lock names the source, the app's Gradio version, the generator version and options, the
formatter that shaped the Python files, and the sha256 of every file the generator wrote. The
schemas it read are saved beside it (``openapi.json``, ``info.json``, ``config.json``), so
``regen`` needs no network, and the files it lists are the only ones a later run may replace
or delete. The text is sorted JSON with relative paths and no timestamps: the same inputs
give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from codegen import __version__
from codegen.errors import SourceError
from codegen.literals import escape_surrogates
from codegen.source import RawSchema
from codegen.write import PlannedFile, check_paths

LOCK_NAME = "gradio-codegen.lock"
LOCK_VERSION = 1
# RawSchema field -> the file it is saved as, beside the lock
SCHEMA_FILES = {"openapi": "openapi.json", "info": "info.json", "config": "config.json"}

Options = Mapping[str, str | None]


@dataclass(frozen=True, slots=True)
class Lock:
    source: str  # as given; a file path relative to the output folder
    origin: str
    space_id: str | None
    name_hint: str
    gradio_version: str
    generator_version: str
    formatter: str | None  # e.g. "ruff 0.17.6 + black 26.10.1"; None in a lock made before
    options: Mapping[str, str | None]
    schemas: Mapping[str, str]  # file name -> sha256
    files: Mapping[str, str]  # relative path -> sha256
    targets: tuple[str, ...] | None = None  # the targets chosen; None: all of them

    def owned(self) -> frozenset[PurePosixPath]:
        """Every path the generator wrote into the folder, the lock included."""
        names = [LOCK_NAME, *self.schemas, *self.files]
        return frozenset(PurePosixPath(n) for n in names)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_label(src: str, out_dir: Path) -> str:
    """What the lock records as the source: files relative to the folder, URLs without
    credentials, Space ids as they are."""
    if src.startswith(("http://", "https://")):
        scheme, _, rest = src.partition("://")
        host, slash, route = rest.partition("/")
        return f"{scheme}://{host.rpartition('@')[2]}{slash}{route}"
    path = Path(src)
    if path.exists():
        return Path(os.path.relpath(path.resolve(), out_dir.resolve())).as_posix()
    return src


def lock_files(
    raw: RawSchema,
    source: str,
    options: Options,
    gradio_version: str,
    files: Sequence[PlannedFile],
    formatter: str,
    targets: Sequence[str] | None = None,
) -> list[PlannedFile]:
    """The saved schemas and the lock that lists them and ``files``.

    ``targets`` is written only when chosen, so a lock of all targets keeps its old bytes.
    """
    saved = [
        PlannedFile(PurePosixPath(name), _json_text(doc))
        for field, name in SCHEMA_FILES.items()
        if (doc := getattr(raw, field)) is not None
    ]
    lock = {
        "lock_version": LOCK_VERSION,
        "source": {
            "given": source,
            "origin": raw.origin,
            "space_id": raw.space_id,
            "name_hint": raw.name_hint,
        },
        "gradio_version": gradio_version,
        "generator": {"name": "gradio-codegen", "version": __version__},
        "formatter": formatter,
        "options": dict(options),
        "schemas": {str(f.relpath): sha256(f.text) for f in saved},
        "files": {str(f.relpath): sha256(f.text) for f in files},
    }
    if targets is not None:
        lock["targets"] = list(targets)
    return [*saved, PlannedFile(PurePosixPath(LOCK_NAME), _json_text(lock, sort=True))]


def _json_text(doc: Mapping[str, Any], *, sort: bool = False) -> str:
    """Schemas keep the app's key order, which carries the parameters' order.

    Lone surrogates (valid JSON escapes, but no UTF-8 file can hold them) stay escaped.
    """
    return escape_surrogates(json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=sort)) + "\n"


def read_lock(folder: Path) -> Lock | None:
    """The folder's lock, or None when it has none; a damaged lock is an error."""
    path = folder / LOCK_NAME
    if not path.is_file():
        return None
    hint = f"restore {LOCK_NAME} from version control, or delete it and generate again"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        source = doc["source"]
        lock = Lock(
            source=str(source["given"]),
            origin=str(source["origin"]),
            space_id=None if source["space_id"] is None else str(source["space_id"]),
            name_hint=str(source["name_hint"]),
            gradio_version=str(doc["gradio_version"]),
            generator_version=str(doc["generator"]["version"]),
            formatter=None if doc.get("formatter") is None else str(doc["formatter"]),
            options={str(k): None if v is None else str(v) for k, v in doc["options"].items()},
            schemas={str(k): str(v) for k, v in doc["schemas"].items()},
            files={str(k): str(v) for k, v in doc["files"].items()},
            targets=None if doc.get("targets") is None else tuple(map(str, doc["targets"])),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SourceError(f"{path} is not a readable gradio-codegen lock ({exc})", hint) from exc
    if doc.get("lock_version") != LOCK_VERSION:
        raise SourceError(f"{path} has lock_version {doc.get('lock_version')!r}", hint)
    bad = [n for n in lock.schemas if n not in SCHEMA_FILES.values()]
    if bad:
        raise SourceError(f"{path} lists unknown schema files {bad}", hint)
    check_paths([PlannedFile(p, "") for p in lock.owned()])  # a lock must not point outside
    return lock


def saved_schema(folder: Path, lock: Lock) -> RawSchema:
    """The schemas saved beside the lock, as they were fetched; each must match its hash."""
    docs: dict[str, dict[str, Any] | None] = dict.fromkeys(SCHEMA_FILES)
    for field, name in SCHEMA_FILES.items():
        if name not in lock.schemas:
            continue
        path = folder / name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(
                f"cannot read {path}: {exc}", f"restore it; {LOCK_NAME} lists it"
            ) from exc
        if sha256(text) != lock.schemas[name]:
            raise SourceError(
                f"{path} was changed after it was fetched (its sha256 differs from {LOCK_NAME})",
                "restore it, or generate again from the app",
            )
        docs[field] = json.loads(text)
    if docs["openapi"] is None and docs["info"] is None:
        raise SourceError(f"{folder} holds no saved schema", "generate again from the app")
    return RawSchema(
        docs["openapi"], docs["info"], docs["config"], lock.origin, lock.space_id, lock.name_hint
    )
