"""Lines of a corpus file read in bounded chunks: memory follows the record cap, never the
longest line (a 200 MB JSONL line, or a gzip stream that inflates to gigabytes without a
newline, is passed over chunk by chunk and reported, not read whole)."""

from __future__ import annotations

from typing import BinaryIO

_CHUNK = 1 << 20


class RecordTooLarge(Exception):
    """A line (or a CSV record spread over lines) is longer than the cap. ``line`` is where
    it started, ``size`` how many bytes were passed over, ``complete`` whether it ended with
    a newline (False: the file, or a damaged stream, ended first)."""

    def __init__(self, line: int, size: int, complete: bool) -> None:
        super().__init__(f"line {line}: {size} bytes")
        self.line, self.size, self.complete = line, size, complete


class BoundedLines:
    """Iterates the lines of a binary stream (with their line ends), each at most
    ``max_bytes``. A longer line is consumed to its end and reported by raising
    :class:`RecordTooLarge` from ``__next__``; iteration then goes on with the next line,
    so the ``csv`` module's reader, which restarts after an error from its input, can read
    through it. ``decode=True`` yields ``str`` (UTF-8, undecodable bytes kept as
    surrogate escapes). ``record_bytes`` is the size of the lines read since the caller last
    reset it: a CSV record spread over many short lines is capped as a whole."""

    def __init__(self, stream: BinaryIO, max_bytes: int, *, decode: bool = False) -> None:
        self.stream = stream
        self.max_bytes = max_bytes
        self.decode = decode
        self.number = 0
        self.record_bytes = 0
        self._buffer = bytearray()
        self._start = 0
        self._eof = False
        self._record_start = 0

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> bytes | str:
        line = self._line()
        if self.record_bytes == 0:
            self._record_start = self.number
        if self.record_bytes + len(line) > self.max_bytes:
            size = self.record_bytes + len(line)
            self.record_bytes = 0
            raise RecordTooLarge(self._record_start, size, True)
        self.record_bytes += len(line)
        return line.decode("utf-8", "surrogateescape") if self.decode else line

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

    def _line(self) -> bytes:
        while True:
            end = self._buffer.find(b"\n", self._start)
            if end >= 0:
                line = bytes(self._buffer[self._start : end + 1])
                self._start = end + 1
                self.number += 1
                return line
            pending = len(self._buffer) - self._start
            if pending > self.max_bytes:
                self._skip_long_line()
            if not self._fill():
                if len(self._buffer) > self._start:
                    line = bytes(self._buffer[self._start :])
                    self._start = len(self._buffer)
                    self.number += 1
                    return line
                raise StopIteration

    def _skip_long_line(self) -> None:
        self.number += 1
        started = self.number
        size = len(self._buffer) - self._start
        self._buffer.clear()
        self._start = 0
        self.record_bytes = 0
        while self._fill():
            end = self._buffer.find(b"\n")
            if end >= 0:
                size += end + 1
                self._start = end + 1
                raise RecordTooLarge(started, size, True)
            size += len(self._buffer)
            self._buffer.clear()
        raise RecordTooLarge(started, size, False)
