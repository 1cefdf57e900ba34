"""Reading corpus files (JSONL, CSV, WARC) as a stream of article records.

A malformed record becomes a `Problem` with its line number, never an exception: one bad line
must not stop a corpus of millions. What happens to the records is `crawler.ingest.ingester`'s job.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from crawler.ingest.records import IngestError, MissingColumns, Problem, Record, UnknownFormat

FORMATS = ("jsonl", "csv", "warc")
COLUMNS = "url and text or html (optional: title, published_at, outlet, author, fetched_at)"
_OPTIONAL = ("title", "published_at", "outlet", "author", "fetched_at")
_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv",
    ".warc": "warc", ".arc": "warc",
}  # fmt: skip


# -- reading ---------------------------------------------------------------------------------


def detect_format(path: str | Path) -> str:
    """``jsonl``, ``csv`` or ``warc`` from the file name (a ``.gz`` suffix is allowed)."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    raise UnknownFormat(
        f"{path}: cannot tell the format from the file name; name it .jsonl, .csv, .warc or "
        ".warc.gz (each may be gzipped), or pass --format"
    )


class InputFile:
    """One input file, read as a stream of `Record` and `Problem` items; ``position`` is
    how many bytes of the file have been consumed (for progress)."""

    def __init__(self, path: str | Path, fmt: str | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise IngestError(f"{path}: no such file")
        self.format = fmt or detect_format(self.path)
        if self.format not in FORMATS:
            raise UnknownFormat(f"{path}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        self.size = self.path.stat().st_size
        self.name = self.path.name
        self._raw: BinaryIO | None = None
        if self.format == "csv":
            self.columns = self._check_csv_header()

    @property
    def position(self) -> int:
        try:
            return self._raw.tell() if self._raw is not None and not self._raw.closed else self.size
        except (OSError, ValueError):
            return 0

    def _open(self) -> BinaryIO:
        raw = open(self.path, "rb")
        self._raw = raw
        if self.path.suffix.lower() == ".gz" and self.format != "warc":
            return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
        return raw

    def _check_csv_header(self) -> list[str]:
        stream = self._open()
        try:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
            header = next(csv.reader(text), None)
        except (OSError, csv.Error) as exc:
            raise IngestError(f"{self.path}: cannot read the CSV header: {exc}") from None
        finally:
            self._raw.close()
            self._raw = None
        if header is None:
            return []
        columns = [c.strip() for c in header]
        missing = [] if "url" in columns else ["url"]
        if "text" not in columns and "html" not in columns:
            missing.append("text or html")
        if missing:
            raise MissingColumns(
                f"{self.path}: missing column(s): {', '.join(missing)}. A CSV needs a header "
                f"row with {COLUMNS}; this file's columns are: {', '.join(columns) or '(none)'}"
            )
        return columns

    def __iter__(self) -> Iterator[Record | Problem]:
        stream = self._open()
        try:
            if self.format == "jsonl":
                yield from self._jsonl(stream)
            elif self.format == "csv":
                yield from self._csv(stream)
            else:
                from crawler.ingest.warc import read_warc

                yield from read_warc(stream, self.name)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            yield Problem(f"{self.name}", "unreadable file", f"stopped reading: {exc}")
        finally:
            if self._raw is not None:
                self._raw.close()

    def _jsonl(self, stream: BinaryIO) -> Iterator[Record | Problem]:
        for number, raw in enumerate(stream, 1):
            source = f"{self.name} line {number}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Problem(source, "invalid UTF-8", f"byte 0x{raw[exc.start]:02x} at column {exc.start + 1}")
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Problem(source, "malformed JSON", f"{exc.msg} at column {exc.colno}")
                continue
            if not isinstance(data, dict):
                yield Problem(source, "not a JSON object", f"a JSON {type(data).__name__}")
                continue
            yield _record(source, data)

    def _csv(self, stream: BinaryIO) -> Iterator[Record | Problem]:
        # surrogateescape keeps invalid bytes visible per row instead of failing the file.
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.DictReader(text)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Problem(f"{self.name} line {reader.line_num}", "malformed CSV", str(exc))
                continue
            source = f"{self.name} line {reader.line_num}"
            bad = next((v for v in row.values() if isinstance(v, str) and not _is_utf8(v)), None)
            if bad is not None:
                yield Problem(source, "invalid UTF-8", "undecodable bytes in a field")
                continue
            yield _record(source, {k.strip(): v for k, v in row.items() if k is not None})


def _is_utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _field(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        value = json.dumps(value) if isinstance(value, dict | list) else str(value)
    value = value.strip()
    return value or None


def _record(source: str, data: dict[str, Any]) -> Record | Problem:
    url = _field(data, "url")
    if not url:
        return Problem(source, "no url")
    text, html = data.get("text"), data.get("html")
    if not isinstance(text, str | type(None)) or not isinstance(html, str | type(None)):
        return Problem(source, "text or html is not a string")
    if not (text and text.strip()) and not (html and html.strip()):
        return Problem(source, "empty text", "neither text nor html has content")
    return Record(
        source=source, url=url, text=text if text and text.strip() else None,
        html=html if html and html.strip() else None,
        **{name: _field(data, name) for name in _OPTIONAL},
    )  # fmt: skip
