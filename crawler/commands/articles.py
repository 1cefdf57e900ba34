"""``crosspost articles``: the stored articles themselves (or the pages that failed), as JSONL
or CSV, streamed."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from crawler.commands.export import check_window, window_options
from crawler.commands.options import db_option, existing_store

FORMATS = ("jsonl", "csv")


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    """stdout, or FILE written beside itself and renamed when complete: an interrupted or
    failed export never leaves a half-written FILE."""
    if path is None or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(partial, target)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """A CSV row: credits as a JSON list, the family's fields as ``family_*`` columns."""
    row = {k: v for k, v in record.items() if k not in ("credits", "family")}
    if "credits" in record:
        row["credits"] = json.dumps(record["credits"], ensure_ascii=False)
    family = record.get("family")
    if "family" in record:
        from crawler.store.exports import FAMILY_COLUMNS

        for column in FAMILY_COLUMNS:
            value = (family or {}).get(column)
            if isinstance(value, list):
                value = ",".join(map(str, value))
            row[column if column.startswith("family") else f"family_{column}"] = value
    return row


def _write(records: Iterator[dict[str, Any]], fmt: str, out: IO[str], header: list[str]) -> int:
    n = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        writer.writeheader()
    for record in records:
        if writer is None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            writer.writerow(_flat(record))
        n += 1
    return n


def _warn_if_stale(store) -> None:
    # The family columns are read as stored; deciding again here would hold the whole
    # store in memory, which is what the writers (crawl, ingest, rematch) already do.
    from crawler.decisions import status

    note = status(store).note()
    if note:
        click.echo(f"Warning: the family columns may be out of date ({note}); "
                   "'crosspost rematch' decides them again", err=True)


@click.command()
@db_option()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from -o FILE's name, else jsonl).")
@click.option("-o", "--output", "output", metavar="FILE",
              help="Write to FILE (written whole or not at all) instead of stdout.")
@window_options
@click.option("--outlet", "outlets", multiple=True, metavar="DOMAIN_OR_NAME",
              help="Only this outlet's articles (repeatable).")
@click.option("--no-text", is_flag=True, help="Leave out the article text.")
@click.option("--failed", is_flag=True,
              help="List the pages that failed or were skipped, with the reason, instead.")
def articles(db_path, fmt, output, since, until, outlets, no_text, failed) -> None:
    """Write the stored articles with their metadata, credits and family.

    One record per article: its URL, outlet, title, author, dates, language and text; its
    credits (the lines naming a source: kind, sentence, name, link); and its family (the
    story's origin, the article it was copied from, the basis and confidence of that
    decision, the lag). JSONL nests credits and family; CSV gives credits as a JSON list and
    the family as family_* columns. --since/--until select by publication date (undated
    articles are then left out). With --failed: the pages not stored as articles (errors,
    skipped pages, pages not fetched), each URL's latest attempt, with the reason,
    selected by fetch date.
    """
    from crawler.store.exports import (
        ARTICLE_COLUMNS,
        FAILED_COLUMNS,
        article_rows,
        failed_pages,
        resolve_outlets,
    )

    check_window(since, until)
    fmt = fmt or ("csv" if output and output.lower().endswith(".csv") else "jsonl")
    with existing_store(db_path) as store:
        try:
            domains = resolve_outlets(store, outlets) if outlets else None
        except LookupError as exc:
            raise click.BadParameter(str(exc), param_hint="--outlet") from None
        if not failed:
            _warn_if_stale(store)
        if failed:
            records = failed_pages(store, since=since, until=until, outlets=domains)
            header = list(FAILED_COLUMNS)
        else:
            records = article_rows(store, since=since, until=until, outlets=domains,
                                   text=not no_text)
            columns = [c for c in ARTICLE_COLUMNS if c != "text" or not no_text]
            header = list(_flat(dict.fromkeys(columns) | {"credits": [], "family": None}))
        with _output(output) as out:
            n = _write(records, fmt, out, header)
    what = "page" if failed else "article"
    click.echo(f"{n} {what}{'' if n == 1 else 's'} written"
               + (f" to {output}" if output and output != "-" else ""), err=True)
