"""Index files: named numpy arrays in one file, written atomically and opened as memory maps.

A restart should not rebuild the candidate indexes from every stored signature (deserialise,
hash every band, sort every posting: about 13 s per 100,000 articles). The indexes are numpy
arrays already (:mod:`dedupe.postings`), so they are saved as they are and mapped back:

    data of each array, 64-byte aligned | header (JSON) | crc32 of header | header length | magic

The header, at the end, names each array's dtype, shape, offset and crc32, plus the caller's
``meta`` (what the index was built from, so the caller can tell a stale file). A file is
written under a temporary name, flushed to disk, then renamed over the old one: a reader sees
the old file or the new one, never half of one, and a crash while writing leaves the old one
(and a temporary file that the next write removes). A truncated or corrupted file fails the
checks of :func:`read_index` with :class:`IndexFileError`.

The arrays come back as views of one private (copy-on-write) mapping of the file: pages are
read when used and shared with the page cache; an array the caller changes in place gets
private copies of the pages it writes, and the file is never written through the mapping.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["IndexFileError", "read_index", "write_index"]

MAGIC = b"CPXIDX01"
_TRAILER = struct.Struct("<IQ8s")  # header crc32, header length, magic
_ALIGN = 64

Arrays = Mapping[str, "np.ndarray | Sequence[np.ndarray]"]


class IndexFileError(ValueError):
    """The index file is missing, truncated, corrupt or of another format."""


def _parts(value: np.ndarray | Sequence[np.ndarray]) -> tuple[np.dtype, list[np.ndarray]]:
    if isinstance(value, np.ndarray):
        return value.dtype, [value.reshape(-1)]
    parts = list(value)
    if not parts:
        # An empty list of parts (an index with no run yet) is saved as an empty array.
        return np.dtype(np.uint8), []
    dtype = parts[0].dtype
    if any(p.dtype != dtype or p.ndim != 1 for p in parts):
        raise ValueError("the parts of one array must be one-dimensional and of one dtype")
    return dtype, parts


def _remove_leftovers(path: Path) -> None:
    for leftover in path.parent.glob(f".{path.name}.tmp-*"):
        try:
            leftover.unlink()
        except OSError:
            pass


def write_index(path: str | Path, meta: dict[str, Any], arrays: Arrays) -> int:
    """Write ``arrays`` (each an array or a list of one-dimensional parts, concatenated)
    and ``meta`` (JSON-able) to ``path`` atomically; returns the bytes written."""
    path = Path(path)
    _remove_leftovers(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    entries: dict[str, dict[str, Any]] = {}
    try:
        with open(tmp, "wb") as out:
            for name, value in arrays.items():
                dtype, parts = _parts(value)
                out.write(b"\0" * (-out.tell() % _ALIGN))
                offset, crc, count = out.tell(), 0, 0
                for part in parts:
                    data = np.ascontiguousarray(part).view(np.uint8)
                    out.write(data.data)
                    crc = zlib.crc32(data.data, crc)
                    count += len(part)
                shape = [count] if isinstance(value, Sequence) else list(value.shape)
                entries[name] = {"dtype": dtype.str, "shape": shape, "offset": offset,
                                 "crc32": crc}  # fmt: skip
            header = json.dumps({"meta": meta, "arrays": entries}).encode("utf-8")
            out.write(header)
            out.write(_TRAILER.pack(zlib.crc32(header), len(header), MAGIC))
            out.flush()
            os.fsync(out.fileno())
            size = out.tell()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    # The rename itself must reach the disk before the caller forgets what it replaced.
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return size


def read_index(
    path: str | Path, *, verify: bool = True
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The ``meta`` and arrays of an index file, arrays as copy-on-write memory maps.
    ``verify`` checks every array's crc32 (reads the whole file once). Raises
    :class:`IndexFileError` for a file that is not a whole, intact index file."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < _TRAILER.size:
                raise IndexFileError(f"{path} is too short to be an index file")
            mapped = mmap.mmap(f.fileno(), 0, flags=mmap.MAP_PRIVATE,
                               prot=mmap.PROT_READ | mmap.PROT_WRITE)  # fmt: skip
    except OSError as exc:
        raise IndexFileError(f"cannot read {path}: {exc}") from exc
    crc, length, magic = _TRAILER.unpack_from(mapped, size - _TRAILER.size)
    start = size - _TRAILER.size - length
    if magic != MAGIC or start < 0:
        raise IndexFileError(f"{path} is not a whole index file (truncated or another format)")
    header = bytes(mapped[start : size - _TRAILER.size])
    if zlib.crc32(header) != crc:
        raise IndexFileError(f"{path}: the header is corrupt")
    try:
        parsed = json.loads(header)
        buffer = np.frombuffer(mapped, dtype=np.uint8)
        arrays = {}
        for name, entry in parsed["arrays"].items():
            dtype = np.dtype(entry["dtype"])
            shape = tuple(int(n) for n in entry["shape"])
            nbytes = dtype.itemsize * int(np.prod(shape, dtype=np.int64))
            offset = int(entry["offset"])
            if offset < 0 or offset + nbytes > start:
                raise IndexFileError(f"{path}: array {name} lies outside the data")
            raw = buffer[offset : offset + nbytes]
            if verify and zlib.crc32(raw) != entry["crc32"]:
                raise IndexFileError(f"{path}: array {name} is corrupt (crc32 differs)")
            arrays[name] = raw.view(dtype).reshape(shape)
        return parsed["meta"], arrays
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, IndexFileError):
            raise
        raise IndexFileError(f"{path}: unreadable header ({exc})") from exc
