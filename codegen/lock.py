"""``gradio-codegen.lock``: what a folder was generated from, so it can be made again offline.

The lock names the source (and the route prefix a live app answered under), the app's Gradio
version, the generator version and options, the formatter that shaped the Python files, the
sha256 of every file the generator wrote, and a seal. The schemas it read are saved beside it
(``openapi.json``, ``info.json``, ``config.json``), so ``regen`` needs no network, and the
files it lists are the only ones a later run may replace or delete. The text is sorted JSON
with relative paths and no timestamps: the same inputs give the same bytes.

The seal lets a run skip rendering. It hashes the generator build (``build_stamp``) with the
rest of the lock, so only this build can have written it, and a lock edited or merged by
hand (a file's hash, the Gradio version) breaks it. When the lock a run would write is the
folder's lock byte for byte and every listed file is as written, a run of this build makes
the same bytes again (``unchanged``). The seal is a shortcut, not output: a lock that differs
from the planned one in its seal alone is kept as it is (``keep_lock``). So is one that
differs in its seal and the formatter it names, while every file is the same: the formatter
record says what shaped the bytes, and the same bytes are no change.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Any

from codegen import __version__
from codegen.errors import SourceError
from codegen.literals import escape_surrogates
from codegen.render import templates_dir
from codegen.source import RawSchema
from codegen.write import PlannedFile, check_paths

LOCK_NAME = "gradio-codegen.lock"
LOCK_VERSION = 1
# RawSchema field -> the file it is saved as, beside the lock
SCHEMA_FILES = {"openapi": "openapi.json", "info": "info.json", "config": "config.json"}
# the libraries whose versions can change what the generator makes of the same inputs
# (the formatter has a field of its own)
SHAPING_LIBRARIES = ("datamodel-code-generator", "jinja2", "openapi-pydantic", "pydantic")

Options = Mapping[str, str | None]


@dataclass(frozen=True, slots=True)
class Lock:
    source: str  # as given; a file path relative to the output folder
    origin: str
    space_id: str | None
    name_hint: str
    api_prefix: str | None  # the prefix a live app answered under; None when read from files
    gradio_version: str
    generator_version: str
    formatter: str | None  # e.g. "ruff 0.17.6 + black 26.10.1"; None in a lock made before
    options: Mapping[str, str | None]
    schemas: Mapping[str, str]  # file name -> sha256
    files: Mapping[str, str]  # relative path -> sha256
    targets: tuple[str, ...] | None = None  # the targets chosen; None: all of them
    package_version: str | None = None  # the generated package's; None in a lock made before

    def owned(self) -> frozenset[PurePosixPath]:
        """Every path the generator wrote into the folder, the lock included."""
        names = [LOCK_NAME, *self.schemas, *self.files]
        return frozenset(PurePosixPath(n) for n in names)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def build_stamp() -> str:
    """A hash of everything besides the inputs that shapes the output: the generator's own
    files, the libraries it parses, models and renders with, and Python's version."""
    python = f"python {sys.version_info.major}.{sys.version_info.minor}"
    libraries = (python, *(f"{lib} {version(lib)}" for lib in SHAPING_LIBRARIES))
    return files_stamp(Path(__file__).resolve().parent, templates_dir(), libraries)


def files_stamp(package: Path, templates: Path, lines: Sequence[str]) -> str:
    """Code, runtimes and templates, named as a checkout names them (so a wheel, which keeps
    the templates inside the package, and its checkout agree); a file that cannot matter
    (bytecode, a hidden editor file) is left out."""
    digest = hashlib.sha256("".join(f"{line}\n" for line in lines).encode())
    for label, root in (("codegen", package), ("templates", templates)):
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            skipped = any(p == "__pycache__" or p.startswith(".") for p in rel.parts)
            inner = root == package and templates in (path, *path.parents)
            if skipped or inner or path.suffix == ".pyc" or not path.is_file():
                continue
            data = path.read_bytes()
            digest.update(f"{label}/{rel.as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


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
    package_version: str | None = None,
) -> list[PlannedFile]:
    """The saved schemas and the lock that lists them and ``files``.

    ``targets`` is written only when chosen, so a lock of all targets keeps its old bytes.
    """
    saved = saved_files(raw)
    hashes = file_hashes(files)
    text = lock_text(
        raw, source, options, gradio_version, saved, hashes, formatter, targets, package_version
    )
    return [*saved, PlannedFile(PurePosixPath(LOCK_NAME), text)]


def file_hashes(files: Sequence[PlannedFile]) -> dict[str, str]:
    """Each file's sha256, as the lock lists them."""
    return {str(f.relpath): sha256(f.text) for f in files}


def saved_files(raw: RawSchema) -> list[PlannedFile]:
    """The schemas as saved beside the lock."""
    return [
        PlannedFile(PurePosixPath(name), _json_text(doc))
        for field, name in SCHEMA_FILES.items()
        if (doc := getattr(raw, field)) is not None
    ]


def lock_text(
    raw: RawSchema,
    source: str,
    options: Options,
    gradio_version: str,
    saved: Sequence[PlannedFile],
    hashes: Mapping[str, str],
    formatter: str,
    targets: Sequence[str] | None,
    package_version: str | None = None,
) -> str:
    """The lock, given the saved schemas and the sha256 of each generated file."""
    lock: dict[str, Any] = {
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
        "files": dict(hashes),
    }
    if raw.api_prefix is not None:  # written only for a live app, so file locks keep their bytes
        lock["source"]["api_prefix"] = raw.api_prefix
    if targets is not None:
        lock["targets"] = list(targets)
    if package_version is not None:
        lock["package_version"] = package_version
    unsealed = _json_text(lock, sort=True)
    return _sealed(lock, sha256(f"{build_stamp()}\n{unsealed}"))


def _sealed(lock: dict[str, Any], seal: str | None) -> str:
    """The lock's text with ``seal`` (None: with none, as locks were before seals)."""
    generator = {k: v for k, v in lock["generator"].items() if k != "seal"}
    if seal is not None:
        generator["seal"] = seal
    return _json_text({**lock, "generator": generator}, sort=True)


def unchanged(
    folder: Path,
    previous: Lock,
    raw: RawSchema,
    source: str,
    options: Options,
    formatter: str,
    targets: Sequence[str] | None,
    executable: Callable[[PurePosixPath], bool],
) -> bool:
    """True when this build would make the folder's bytes again: its lock is, byte for
    byte, the lock this run would write (the same inputs, the same formatter, sealed by this
    build), and the saved schemas and every file the lock lists are as a run writes them:
    the same bytes, regular files with no link in their way, executable (0o755) where
    ``executable`` says so and without an executable bit anywhere else."""
    saved = saved_files(raw)
    args = (raw, source, options, previous.gradio_version, saved, previous.files)
    text = lock_text(*args, formatter, targets, previous.package_version)
    expected = PlannedFile(PurePosixPath(LOCK_NAME), text)
    for f in (expected, *saved):
        path = folder.joinpath(*f.relpath.parts)
        if _bytes(path) != f.text.encode("utf-8") or not _mode_as_written(path, False):
            return False
    paths = [PurePosixPath(rel) for rel in previous.files]
    folders = {folder.joinpath(*p.parts[:i]) for p in paths for i in range(1, len(p.parts))}
    if any(f.is_symlink() for f in folders):
        return False
    for rel, digest in zip(paths, previous.files.values(), strict=True):
        path = folder.joinpath(*rel.parts)
        data = _bytes(path)
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            return False
        if not _mode_as_written(path, executable(rel)):
            return False
    return True


def _mode_as_written(path: Path, executable: bool) -> bool:
    """As a run leaves it: an executable file 0o755 exactly, any other without an x bit."""
    mode = path.stat().st_mode & 0o777
    return mode == 0o755 if executable else not mode & 0o111


def keep_lock(files: Sequence[PlannedFile], folder: Path) -> list[PlannedFile]:
    """``files`` with the folder's own lock in place of the planned one when the two differ
    only in the seal and the formatter named: a new generator build that makes the same
    bytes (another library or formatter version, a change to the generator that does not
    touch the output) is nothing to write, nor a drift for ``--check``. Any other difference,
    a reformatted lock included, is one; so is any file that another formatter shaped
    otherwise, since the lock hashes every file."""
    old = _bytes(folder / LOCK_NAME)
    if old is None:
        return list(files)
    try:
        doc = json.loads(old.decode("utf-8"))
        seal = doc["generator"].get("seal")
    except (ValueError, KeyError, TypeError, AttributeError):
        return list(files)  # a damaged lock is replaced
    seal = seal if isinstance(seal, str) else None
    kept = PlannedFile(PurePosixPath(LOCK_NAME), old.decode("utf-8"))

    def as_old(text: str) -> str:
        planned = json.loads(text)
        planned.pop("formatter", None)
        if "formatter" in doc:
            planned["formatter"] = doc["formatter"]
        return _sealed(planned, seal)

    return [kept if f.relpath == kept.relpath and as_old(f.text) == kept.text else f for f in files]


def _bytes(path: Path) -> bytes | None:
    """A regular file's bytes; None for a link, a folder, a pipe or nothing."""
    try:
        return path.read_bytes() if stat.S_ISREG(path.lstat().st_mode) else None
    except OSError:
        return None


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
            api_prefix=None if source.get("api_prefix") is None else str(source["api_prefix"]),
            gradio_version=str(doc["gradio_version"]),
            generator_version=str(doc["generator"]["version"]),
            formatter=None if doc.get("formatter") is None else str(doc["formatter"]),
            options={str(k): None if v is None else str(v) for k, v in doc["options"].items()},
            schemas={str(k): str(v) for k, v in doc["schemas"].items()},
            files={str(k): str(v) for k, v in doc["files"].items()},
            targets=None if doc.get("targets") is None else tuple(map(str, doc["targets"])),
            package_version=None
            if doc.get("package_version") is None
            else str(doc["package_version"]),
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
        docs["openapi"],
        docs["info"],
        docs["config"],
        lock.origin,
        lock.space_id,
        lock.name_hint,
        lock.api_prefix,
    )
