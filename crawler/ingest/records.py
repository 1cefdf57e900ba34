"""What corpus readers yield: an article-to-be (:class:`Record`) or a reason it cannot be one
(:class:`Problem`), and the errors that stop a whole file (:class:`IngestError`)."""

from __future__ import annotations

from dataclasses import dataclass

# The largest record read (a JSONL line, a CSV row, a WARC page body): 16 MiB holds any real
# article page many times over; `crosspost ingest --max-record-size` changes it.
MAX_RECORD_BYTES = 16 * 1024 * 1024


class IngestError(Exception):
    """A file cannot be ingested at all (unknown format, missing columns, unreadable)."""


class UnknownFormat(IngestError):
    """The file's format cannot be told from its name."""


class MissingColumns(IngestError):
    """A CSV file lacks the columns an article needs."""


@dataclass
class Record:
    """One article-to-be as read from a file; ``source`` says where (``file line N``)."""

    source: str
    url: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    published_at: str | None = None
    outlet: str | None = None
    author: str | None = None
    fetched_at: str | None = None
    # WARC responses keep what the crawl keeps of a fetched page.
    status: int | None = None
    content_type: str | None = None
    headers: dict[str, str] | None = None
    body: bytes | None = None
    encoding: str | None = None


@dataclass
class Problem:
    """A record that could not be ingested: ``reason`` groups, ``detail`` explains."""

    source: str
    reason: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.source}: {self.reason}" + (f" ({self.detail})" if self.detail else "")
        # Details quote what the file held (a URL, a content type): never raw control bytes.
        return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
