"""Lines of a corpus file read in bounded chunks: memory follows the record cap, never the
longest line (a 200 MB JSONL line, or a gzip stream that inflates to gigabytes without a
newline, is passed over chunk by chunk and reported, not read whole)."""

from __future__ import annotations

from typing import BinaryIO

_CHUNK = 1 << 20
_QUOTE = b'"'


class RecordTooLarge(Exception):
    """A record (a line, or a CSV record spread over lines) is longer than the cap. ``line``
    is where it started, ``size`` how many bytes were passed over, ``complete`` whether it
    ended (False: the file, or a damaged stream, ended first)."""

    def __init__(self, line: int, size: int, complete: bool) -> None:
        super().__init__(f"line {line}: {size} bytes")
        self.line, self.size, self.complete = line, size, complete


class BoundedLines:
    """Iterates the lines of a binary stream (with their line ends); no record is held
    beyond ``max_bytes``. A longer record is consumed to its end and reported by raising
    :class:`RecordTooLarge` from ``__next__``; iteration then goes on after it, so the
    ``csv`` module's reader, which starts afresh after an error from its input, reads on.

    ``csv=True``: a record is the lines up to one that closes every quote (a quoted field
    may hold newlines), lines are ``str`` (UTF-8, undecodable bytes as surrogate escapes),
    and the caller calls :meth:`end_record` after each row the reader gives. ``newline``
    is where lines end (``b"\\r"`` for old Mac exports)."""

    def __init__(
        self, stream: BinaryIO, max_bytes: int, *, csv: bool = False, newline: bytes = b"\n"
    ) -> None:
        self.stream = stream
        self.newline = newline
        self.max_bytes = max_bytes
        self.csv = csv
        self.number = 0
        self._buffer = bytearray()
        self._start = 0
        self._eof = False
        self._record_start = 0
        self._record_bytes = 0
        self._quotes = 0

    def __iter__(self) -> BoundedLines:
        return self

    def end_record(self) -> None:
        self._record_bytes = self._quotes = 0

    def __next__(self) -> bytes | str:
        if self._record_bytes == 0:
            self._record_start = self.number + 1
        line = self._line()
        if line is None:
            self._skip_rest()
        self._record_bytes += len(line)
        if self.csv:
            self._quotes += line.count(_QUOTE)
        ended = not self.csv or self._quotes % 2 == 0
        if self._record_bytes > self.max_bytes:
            if not ended:
                self._skip_rest()
            size, self._record_bytes, self._quotes = self._record_bytes, 0, 0
            raise RecordTooLarge(self._record_start, size, True)
        if ended:
            self.end_record()
        return line.decode("utf-8", "surrogateescape") if self.csv else line

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            self._eof = True
            return False
        del self._buffer[: self._start]
        self._start = 0
        self._buffer += chunk
        return True

    def _line(self) -> bytes | None:
        """The next whole line, or None (nothing consumed) when it cannot fit the record."""
        while True:
            end = self._buffer.find(self.newline, self._start)
            if end >= 0:
                line = bytes(self._buffer[self._start : end + 1])
                self._start = end + 1
                self.number += 1
                return line
            if len(self._buffer) - self._start > self.max_bytes - self._record_bytes:
                return None
            if not self._fill():
                if len(self._buffer) > self._start:
                    line = bytes(self._buffer[self._start :])
                    self._start = len(self._buffer)
                    self.number += 1
                    return line
                raise StopIteration

    def _skip_rest(self) -> None:
        """Pass over the rest of the current record, chunk by chunk, and raise."""
        size, quotes = self._record_bytes, self._quotes
        self._record_bytes = self._quotes = 0
        while True:
            buffer, position = self._buffer, self._start
            while (end := buffer.find(self.newline, position)) >= 0:
                if self.csv:
                    quotes += buffer.count(_QUOTE, position, end + 1)
                size += end + 1 - position
                position = end + 1
                self.number += 1
                if not self.csv or quotes % 2 == 0:
                    self._start = position
                    raise RecordTooLarge(self._record_start, size, True)
            if self.csv:
                quotes += buffer.count(_QUOTE, position)
            size += len(buffer) - position
            buffer.clear()
            self._start = 0
            if not self._fill():
                if size:
                    self.number += 1
                raise RecordTooLarge(self._record_start, size, False)
