"""Files both ways: local files, bytes and URLs prepared for one upload, 3.x's data URLs and
file dicts, and where a downloaded file may go."""

from __future__ import annotations

import base64
import mimetypes
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ._config import _Config
from ._errors import GradioClientError

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

    def fill(self, paths: Sequence[Any]) -> None:
        if len(paths) != len(self.slots):
            raise GradioClientError(
                f"upload answered {len(paths)} paths for {len(self.slots)} files"
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


def _file_url(config: _Config, file: Mapping[str, Any] | str) -> tuple[str, str]:
    if isinstance(file, str):
        url = file
        name = file.split("?", 1)[0].rsplit("/", 1)[-1]
    else:
        path = str(file["path"])
        url = file.get("url") or config.url("/file=" + quote(path))
        name = str(file.get("orig_name") or path.replace("\\", "/").rsplit("/", 1)[-1])
    if not _is_url(str(url)):
        url = config.base_url + "/" + str(url).lstrip("/")
    name = Path(name).name
    return str(url), name if name not in ("", ".", "..") else "download"


def _target(dest: str | os.PathLike[str], name: str) -> Path:
    path = Path(dest)
    if path.is_dir() or os.fspath(dest).endswith(("/", os.sep)):
        path = path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
