"""Files both ways: local files, bytes and URLs prepared for one upload, 3.x's data URLs and
file dicts, and where a downloaded file may go."""

from __future__ import annotations

import base64
import mimetypes
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from ._config import _Config
from ._errors import LimitExceededError, ProtocolError

FILE_META = {"_type": "gradio.FileData"}


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _is_file_data(value: object) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("path"), str)


_MAGIC = (
    (b"\x89PNG", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF8", ".gif"),
    (b"%PDF", ".pdf"),
    (b"ID3", ".mp3"),
    (b"OggS", ".ogg"),
    (b"fLaC", ".flac"),
)


def _sniff_suffix(head: bytes) -> str:
    """A file suffix for raw bytes, so the app can tell an image or a sound by its name."""
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"WEBP"):
        return ".wav" if head[8:12] == b"WAVE" else ".webp"
    if head[4:8] == b"ftyp":
        return ".mp4"
    return next((suffix for magic, suffix in _MAGIC if head.startswith(magic)), "")


class _Uploads:
    """Collects the local files of one call so that a single request uploads them all.

    ``legacy`` (Gradio 3.x) sends files as ``{"name": <server path>, "is_file": true, ...}``
    instead of FileData ``{"path": ..., "meta": ...}``.
    """

    def __init__(self, legacy: bool = False) -> None:
        self.files: list[tuple[str, bytes | Path]] = []
        self.slots: list[dict[str, Any]] = []
        self._key = "name" if legacy else "path"
        self._legacy = legacy

    def prepare_all(self, data: list[Any], specs: Sequence[Any]) -> list[Any]:
        """One value per input; an input without a spec carries no file."""
        return [self.prepare(v, specs[i] if i < len(specs) else None) for i, v in enumerate(data)]

    def prepare(self, value: Any, spec: Any) -> Any:
        if spec is None or value is None:
            return value
        if spec == "file":
            return self._file(value)
        if spec == "data_url":
            return _data_url(value)
        kind, inner = spec[0], spec[1]
        if kind == "list" and isinstance(value, list | tuple):
            return [self.prepare(v, inner) for v in value]
        if kind == "tuple" and isinstance(value, list | tuple):
            return [self.prepare(v, s) for v, s in zip(value, inner, strict=False)]
        if kind == "fields" and isinstance(value, Mapping):
            return {k: self.prepare(v, inner.get(k)) for k, v in value.items()}
        if kind == "values" and isinstance(value, Mapping):
            return {k: self.prepare(v, inner) for k, v in value.items()}
        return value

    def _slot(self, name: str, at: str | None = None) -> dict[str, Any]:
        slot: dict[str, Any] = (
            {"data": None, "is_file": True, "orig_name": name}
            if self._legacy
            else {"orig_name": name, "meta": FILE_META}
        )
        if at is not None:
            slot[self._key] = at
        return slot

    def _file(self, value: Any) -> Any:
        if _is_file_data(value):
            if not self._legacy:
                return {**value, "meta": FILE_META}
            given = str(value["path"])
            return self._slot(str(value.get("orig_name") or Path(given).name), given)
        if isinstance(value, str) and _is_url(value):
            name = value.rsplit("/", 1)[-1].split("?")[0] or "file"
            return {**self._slot(name, value), **({} if self._legacy else {"url": value})}
        if isinstance(value, bytes | bytearray):
            name = "file" + _sniff_suffix(bytes(value[:16]))
            self.files.append((name, bytes(value)))
        elif isinstance(value, str | os.PathLike):
            path = Path(os.fspath(value))
            if not path.is_file():
                raise FileNotFoundError(f"{path} is not a file (and not an http(s) URL)")
            name = path.name
            self.files.append((name, path))
        else:
            raise TypeError(f"cannot send {type(value).__name__} as a file")
        slot = self._slot(name)
        self.slots.append(slot)
        return slot

    def multipart(self) -> list[tuple[str, tuple[str, bytes]]]:
        return [
            ("files", (name, data if isinstance(data, bytes) else data.read_bytes()))
            for name, data in self.files
        ]

    def fill(self, paths: object) -> None:
        if (
            not isinstance(paths, list)
            or len(paths) != len(self.slots)
            or not all(isinstance(p, str) for p in paths)
        ):
            shown = f"{len(paths)} items" if isinstance(paths, list) else str(paths)[:100]
            raise ProtocolError(
                f"upload answered {shown} for {len(self.slots)} files, not a list of paths"
            )
        for slot, path in zip(self.slots, paths, strict=True):
            slot[self._key] = str(path)


def _data_url(value: Any) -> Any:
    """A 3.x Image input: the file itself, base64-encoded; URLs and app files go as their URL."""
    if _is_file_data(value):
        return value.get("url") or value["path"]
    if isinstance(value, str) and (_is_url(value) or value.startswith("data:")):
        return value
    if isinstance(value, bytes | bytearray):
        data, name = bytes(value), "file" + _sniff_suffix(bytes(value[:16]))
    elif isinstance(value, str | os.PathLike):
        path = Path(os.fspath(value))
        if not path.is_file():
            raise FileNotFoundError(f"{path} is not a file (and not an http(s) URL)")
        data, name = path.read_bytes(), path.name
    else:
        raise TypeError(f"cannot send {type(value).__name__} as a file")
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _from_legacy(value: Any, config: _Config) -> Any:
    """3.x file results (``{"name", "is_file", ...}``) as FileData, so ``download`` takes them."""
    if isinstance(value, list):
        return [_from_legacy(v, config) for v in value]
    if not isinstance(value, Mapping):
        return value
    path = value.get("name")
    if isinstance(path, str) and "is_file" in value:
        return {
            "path": path,
            "url": path if _is_url(path) else config.url("/file=" + quote(path)),
            "orig_name": value.get("orig_name") or path.replace("\\", "/").rsplit("/", 1)[-1],
            "size": value.get("size"),
            "meta": FILE_META,
        }
    return {k: _from_legacy(v, config) for k, v in value.items()}


DEFAULT_MAX_DOWNLOAD_BYTES = 10 * 2**30
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _file_url(config: _Config, file: Mapping[str, Any] | str) -> tuple[str, str]:
    """Where a file is fetched, and the plain name it is saved under: no folders, no
    control characters (a NUL, a terminal escape), never empty, ``.`` or ``..``."""
    if isinstance(file, str):
        url = file
        name = file.split("?", 1)[0].rsplit("/", 1)[-1]
    else:
        path = str(file["path"])
        url = file.get("url") or config.url("/file=" + quote(path))
        name = str(file.get("orig_name") or path.replace("\\", "/").rsplit("/", 1)[-1])
    if not _is_url(str(url)):
        url = config.base_url + "/" + str(url).lstrip("/")
    name = _CONTROL.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()[:200]
    return str(url), name if name not in ("", ".", "..") else "download"


class _Saving:
    """A download on its way to disk, as ``download()`` promises: into a folder (one that
    exists, or a path ending in a separator) it goes to a fresh subfolder of it, so a name the
    server chose replaces nothing; to any other path it goes as that file, replacing one only
    with ``overwrite``. Bytes go to a temporary file beside the target, which becomes the
    file only once all came; a failure removes it (and the fresh subfolder). More than
    ``max_bytes`` is a LimitExceededError."""

    def __init__(
        self, dest: str | os.PathLike[str], name: str, overwrite: bool, max_bytes: int
    ) -> None:
        path = Path(dest)
        self._folder: Path | None = None
        if path.is_dir() or os.fspath(dest).endswith(("/", os.sep)):
            path.mkdir(parents=True, exist_ok=True)
            self._folder = Path(tempfile.mkdtemp(prefix="download-", dir=path))
            self.target = self._folder / name
        else:
            if path.exists() and not overwrite:
                raise FileExistsError(f"{path} exists: pass overwrite=True to replace it")
            path.parent.mkdir(parents=True, exist_ok=True)
            self.target = path
        self._overwrite = overwrite
        self._max_bytes = max_bytes
        self._size = 0
        fd, partial = tempfile.mkstemp(
            prefix=f".{self.target.name[:50]}.", suffix=".part", dir=self.target.parent
        )
        self._partial = Path(partial)
        self._out = os.fdopen(fd, "wb")

    def expect(self, response: httpx.Response) -> None:
        """A declared length over the limit fails before any byte is read."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise self._too_big(response.request.url)

    def write(self, chunk: bytes, url: object) -> None:
        self._size += len(chunk)
        if self._size > self._max_bytes:
            raise self._too_big(url)
        self._out.write(chunk)

    def _too_big(self, url: object) -> LimitExceededError:
        return LimitExceededError(f"{url} is larger than max_bytes ({self._max_bytes})")

    def __enter__(self) -> _Saving:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self._out.close()
        try:
            if kind is None:
                if self._overwrite:
                    os.replace(self._partial, self.target)
                else:
                    os.link(self._partial, self.target)  # fails, replacing nothing, if taken
        except BaseException:
            kind = BaseException
            raise
        finally:
            self._partial.unlink(missing_ok=True)
            if kind is not None and self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
