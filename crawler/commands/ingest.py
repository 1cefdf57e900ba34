"""``crosspost ingest``: load an existing corpus (JSONL, CSV, WARC) into the store."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from typing import TYPE_CHECKING

import click

from crawler.commands.options import db_option, open_store
from crawler.ingest.inputs import FORMATS, IngestError, InputFile
from crawler.ingest.pool import start_workers
from crawler.ingest.records import MAX_RECORD_BYTES
from crawler.store import StoreError
from crawler.workers import end_pool

if TYPE_CHECKING:
    from crawler.ingest.ingester import Summary

_SHOWN_PROBLEMS = 20
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20,
          "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}  # fmt: skip


class ByteSize(click.ParamType):
    """A size in bytes: ``16777216``, ``64K``, ``16M``, ``1GiB`` (binary multiples)."""

    name = "SIZE"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower().replace(" ", "")
        number = text.rstrip("kmgib")
        unit = text[len(number):]
        try:
            size = int(float(number) * _UNITS[unit])
        except (ValueError, KeyError):
            self.fail(f"{value!r} is not a size (e.g. 16M, 512K, 1G)", param, ctx)
        if size < 1024:
            self.fail(f"{value!r} is too small: at least 1K", param, ctx)
        return size


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False), metavar="FILE...")
@db_option()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Format of every FILE (default: from each file name).")
@click.option("--no-match", is_flag=True, help="Store the articles without matching them.")
@click.option("--jobs", type=click.IntRange(min=1), default=min(2, os.cpu_count() or 1),
              show_default=True, help="Worker processes that extract and parse articles.")
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Articles stored and matched per transaction.")
@click.option("--max-record-size", type=ByteSize(), default=MAX_RECORD_BYTES,
              show_default="16M",
              help="Largest record read (a JSONL line, a CSV row, a WARC page); a larger one "
                   "is reported as a problem with its line number and passed over.")
@click.option("--silent", is_flag=True, help="No progress bar.")
@click.option("--from-redis", "redis_url", metavar="URL",
              help="Instead of files: be the one writer of a distributed crawl, storing the "
                   "pages its workers send through this Redis (see docs/scaling.md).")
@click.option("--redis-prefix", default="crosspost", show_default=True, metavar="PREFIX",
              help="With --from-redis: prefix of the distributed crawl's Redis keys.")
@click.option("--idle-exit", type=click.FloatRange(min=0), default=0, show_default=True,
              metavar="SECONDS",
              help="With --from-redis: stop once nothing has been left to store or crawl "
                   "for this long (0: run until interrupted).")
@click.option("--index-in-redis", is_flag=True,
              help="With --from-redis: keep the LSH index in Redis, shared by processes.")
def ingest(files, db_path, fmt, no_match, jobs, batch_size, max_record_size, silent, redis_url,
           redis_prefix, idle_exit, index_in_redis) -> None:
    """Store and match the articles of existing corpus files.

    JSONL (one JSON object per line) and CSV (with a header row) give articles as records
    with a `url` and a `text` or an `html` column, optionally `title`, `published_at`,
    `outlet` (a domain or a display name), `author` and `fetched_at`. `html` is extracted
    like a crawled page; `text` is stored as given. WARC files (.warc, .warc.gz) give their
    HTML responses, extracted like crawled pages. Any file may be gzipped (.jsonl.gz).
    Ingesting a file again stores nothing twice. Bad records are reported with their line
    numbers and skipped; the exit status is 1 when no record at all could be read.
    """
    if redis_url:
        if files:
            raise click.UsageError("give FILE... or --from-redis URL, not both")
        from crawler.distributed.commands import ingest_from_redis

        return ingest_from_redis(db_path, redis_url, redis_prefix, match=not no_match,
                                 idle_exit=idle_exit, index_in_redis=index_in_redis,
                                 batch_size=min(batch_size, 100))
    if not files:
        raise click.UsageError("give at least one FILE (or --from-redis URL)")
    try:
        inputs = [InputFile(path, fmt, max_record_bytes=max_record_size) for path in files]
    except IngestError as exc:
        raise click.ClickException(str(exc)) from None
    # The workers start first: their start-up overlaps the loading of everything below.
    pool = start_workers(jobs, sum(f.size for f in inputs))
    try:
        summary = _ingest(inputs, db_path, jobs, batch_size, not no_match, silent, pool)
    finally:
        if pool is not None:
            end_pool(pool)
    _report(summary, matched=not no_match)
    if not sum(f.records for f in inputs):
        names = ", ".join(f.name for f in inputs)
        raise click.ClickException(
            f"no record could be read from {names}"
            + (": see the problems above" if summary.read else ": no records found")
        )


def _ingest(inputs: list[InputFile], db_path: str, jobs: int, batch_size: int, match: bool,
            silent: bool, pool: ProcessPoolExecutor | None) -> Summary:  # fmt: skip
    # Imported here: extraction and matching take a second to load, which every other
    # command and `crosspost --help` would pay for.
    from crawler.ingest.ingester import Ingester

    store = open_store(db_path)
    show = not silent and sys.stderr.isatty()
    bar = (
        click.progressbar(length=sum(f.size for f in inputs), label="ingesting",
                          file=sys.stderr, show_pos=False)  # fmt: skip
        if show
        else nullcontext()
    )
    try:
        ingester = Ingester(store, jobs=jobs, batch_size=batch_size, match=match, pool=pool)
        with bar as progress:
            return ingester.run(inputs, progress.update if show else None)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except BrokenProcessPool:
        raise click.ClickException(
            "a worker process died (out of memory?); what was stored so far is kept: "
            "run the same ingest again to continue (try --jobs 1 or a smaller --batch-size)"
        ) from None
    finally:
        store.close()


def _report(summary: Summary, matched: bool) -> None:
    skipped = sum(summary.skipped.values())
    click.echo(
        f"ingest finished: {summary.read} read, {summary.stored} stored, "
        f"{summary.updated} updated, {summary.unchanged} already stored, {skipped} skipped"
    )
    for reason, count in summary.skipped.most_common():
        click.echo(f"  skipped {count}: {reason}")
    if matched:
        line = f"matches: {summary.matches} found"
        if summary.dropped_matches:
            line += f" ({summary.dropped_matches} dropped: they shared only outlet boilerplate)"
        if summary.too_short_to_match:
            line += f"; {summary.too_short_to_match} articles too short to match"
        click.echo(line)
    for problem in summary.problems[:_SHOWN_PROBLEMS]:
        click.echo(f"  {problem}", err=True)
    if skipped > _SHOWN_PROBLEMS:
        click.echo(f"  … and {skipped - _SHOWN_PROBLEMS} more skipped records", err=True)
