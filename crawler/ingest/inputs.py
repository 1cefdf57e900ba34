"""Reading corpus files (JSONL, CSV, WARC) as a stream of article records.

A malformed record becomes a `Problem` with its line number, never an exception: one bad line
must not stop a corpus of millions. What happens to the records is `crawler.ingest.ingester`'s job.
"""

from __future__ import annotations

import csv
import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from crawler.ingest.lines import BoundedLines, RecordTooLarge
from crawler.ingest.records import (
    MAX_RECORD_BYTES,
    IngestError,
    MissingColumns,
    Problem,
    Record,
    UnknownFormat,
)

FORMATS = ("jsonl", "csv", "warc")
COLUMNS = "url and text or html (optional: title, published_at, outlet, author, fetched_at)"
_OPTIONAL = ("title", "published_at", "outlet", "author", "fetched_at")
# WARC records read whole that hold no page to extract: the file was readable.
_READ_BUT_NOT_PAGES = ("redirect", "not a success", "not HTML", "listing page")
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
    how many bytes of the file have been consumed (for progress).

    No record is held whole beyond ``max_record_bytes``: lines are read in bounded chunks,
    and a longer one (a JSONL line, a CSV row, a WARC page) is passed over to its end and
    reported as a problem with its line number."""

    def __init__(
        self, path: str | Path, fmt: str | None = None, *,
        max_record_bytes: int = MAX_RECORD_BYTES,
    ) -> None:  # fmt: skip
        self.path = Path(path)
        if not self.path.is_file():
            raise IngestError(f"{path}: no such file")
        self.format = fmt or detect_format(self.path)
        if self.format not in FORMATS:
            raise UnknownFormat(f"{path}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        self.size = self.path.stat().st_size
        self.name = self.path.name
        self.max_record_bytes = max_record_bytes
        self.records = 0  # records read so far (not problems)
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
        try:
            stream = self._open()
            head = stream.read(65536)
            # Old Mac exports end lines with a bare CR: split there, as the csv module would.
            self._newline = b"\r" if b"\r" in head and b"\n" not in head else b"\n"
            stream.seek(0)
            lines = BoundedLines(stream, self.max_record_bytes, newline=self._newline)
            raw = next(lines, None)
        except RecordTooLarge:
            raise IngestError(
                f"{self.path}: the first line is longer than {_size(self.max_record_bytes)}: "
                "not a CSV header row"
            ) from None
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise IngestError(f"{self.path}: cannot read the CSV header: {exc}") from None
        finally:
            self._raw.close()
            self._raw = None
        raw = raw.removeprefix(_BOM) if raw is not None else b""
        if not raw.strip():
            raise MissingColumns(
                f"{self.path}: the file is empty; a CSV needs a header row with {COLUMNS}"
            )
        header = raw.decode("utf-8", "surrogateescape")
        if _looks_binary(header):
            raise IngestError(
                f"{self.path}: this is not a CSV text file (its first line holds binary data); "
                f"a CSV needs a header row with {COLUMNS}"
            )
        try:
            columns = [c.strip() for c in next(csv.reader([header]), [])]
        except csv.Error as exc:
            raise IngestError(f"{self.path}: cannot read the CSV header: {exc}") from None
        missing = [] if "url" in columns else ["url"]
        if "text" not in columns and "html" not in columns:
            missing.append("text or html")
        if missing:
            raise MissingColumns(
                f"{self.path}: missing column(s): {', '.join(missing)}. A CSV needs a header "
                f"row with {COLUMNS}; this file's columns are: {_shown_columns(columns)}"
            )
        return columns

    def __iter__(self) -> Iterator[Record | Problem]:
        for item in self._items():
            if isinstance(item, Record) or item.reason in _READ_BUT_NOT_PAGES:
                self.records += 1
            yield item

    def _items(self) -> Iterator[Record | Problem]:
        stream = self._open()
        try:
            if self.format == "jsonl":
                yield from self._jsonl(stream)
            elif self.format == "csv":
                yield from self._csv(stream)
            else:
                from crawler.ingest.warc import read_warc

                yield from read_warc(stream, self.name, max_body_bytes=self.max_record_bytes)
        except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
            yield Problem(f"{self.name}", "unreadable file", f"stopped reading: {exc}")
        finally:
            if self._raw is not None:
                self._raw.close()

    def _too_large(self, exc: RecordTooLarge) -> Problem:
        return Problem(
            f"{self.name} line {exc.line}", "record too large",
            f"{_size(exc.size)}{'' if exc.complete else ' (cut off at the end of the file)'}; "
            f"the limit is {_size(self.max_record_bytes)} (--max-record-size)",
        )  # fmt: skip

    def _jsonl(self, stream: BinaryIO) -> Iterator[Record | Problem]:
        lines = BoundedLines(stream, self.max_record_bytes)
        while True:
            try:
                raw = next(lines)
            except StopIteration:
                return
            except RecordTooLarge as exc:
                yield self._too_large(exc)
                continue
            source = f"{self.name} line {lines.number}"
            if lines.number == 1:
                raw = raw.removeprefix(_BOM)
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
            except RecursionError:
                yield Problem(source, "malformed JSON", "nested too deeply")
                continue
            if not isinstance(data, dict):
                yield Problem(source, "not a JSON object", f"a JSON {type(data).__name__}")
                continue
            yield _record(source, data)

    def _csv(self, stream: BinaryIO) -> Iterator[Record | Problem]:
        # surrogateescape keeps invalid bytes visible per row instead of failing the file.
        lines = BoundedLines(stream, self.max_record_bytes, csv=True, newline=self._newline)
        # The record cap is enforced on lines; the csv module's own field limit is global
        # and far lower by default (128 KiB), so it only needs to be no stricter.
        csv.field_size_limit(max(csv.field_size_limit(), self.max_record_bytes))
        try:
            next(lines)  # the header, checked when the file was opened
        except (StopIteration, RecordTooLarge):
            return
        reader = csv.reader(lines)
        columns = self.columns
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except RecordTooLarge as exc:
                yield self._too_large(exc)
                continue
            except csv.Error as exc:
                yield Problem(f"{self.name} line {lines.number}", "malformed CSV", str(exc))
                continue
            lines.end_record()
            source = f"{self.name} line {lines.number}"
            if not values or not any(v.strip() for v in values):
                continue
            if not all(_is_utf8(v) for v in values):
                yield Problem(source, "invalid UTF-8", "undecodable bytes in a field")
                continue
            yield _record(source, dict(zip(columns, values, strict=False)))


_BOM = b"\xef\xbb\xbf"


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def _looks_binary(text: str) -> bool:
    """NUL, undecodable bytes or many control characters: not a text header."""
    odd = sum(1 for c in text if (c < " " and c not in "\t\r\n") or "\udc80" <= c <= "\udcff")
    return "\0" in text or (odd > 2 and odd > len(text) // 20)


def _printable(value: str) -> str:
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in value)


def _shown_columns(columns: list[str]) -> str:
    """The columns as a message may show them: printable, short, at most a dozen."""
    shown = [_printable(c[:40]) for c in columns[:12]]
    more = f" … ({len(columns)} in all)" if len(columns) > 12 else ""
    return (", ".join(shown) + more) or "(none)"


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
    for name in ("url", "text", "html", *_OPTIONAL):
        value = data.get(name)
        if isinstance(value, str) and not _is_utf8(value):
            # A lone surrogate ("\ud800" in JSON) cannot be stored or matched: the record
            # goes, the rest of its batch stays.
            return Problem(source, "invalid text", f"{name} holds a lone surrogate (an unpaired \\u escape)")
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
