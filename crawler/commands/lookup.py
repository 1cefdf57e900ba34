"""``crosspost lookup``: where did this article, or this text, first appear, and who ran it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from crawler.commands.options import db_option, existing_store, open_store, with_scheme
from crawler.crawl.fetchguard import ForbiddenURL
from crawler.store import StoreError
from crawler.urls import BadURL, check_url


def _read_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {source}: {exc.strerror}", param_hint="--text"
        ) from None


def _fetch(url: str, db_path: str, allow_private: bool, allow_hosts: tuple[str, ...]) -> dict:
    from crawler.crawl.fetch import FetchError, fetch_and_lookup
    from crawler.crawl.runner import project_settings

    allow_private = allow_private or project_settings().getbool("CROSSPOST_FETCH_ALLOW_PRIVATE")
    if Path(db_path).exists():
        open_store(db_path).close()  # refuses a file that is not a crosspost database
    try:
        return fetch_and_lookup(url, db_path, allow_private=allow_private, allow_hosts=allow_hosts)
    except ForbiddenURL as exc:
        raise click.ClickException(str(exc)) from None
    except FetchError as exc:
        raise click.ClickException(f"cannot fetch {url}: {exc}") from None


@click.command()
@click.argument("url", required=False)
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the Lookup JSON instead of text.")
@click.option(
    "--text",
    "text_source",
    metavar="FILE|-",
    help="Look up where a pasted text appeared (a file, or - for stdin) instead of a URL.",
)
@click.option(
    "--fetch",
    is_flag=True,
    help="Fetch, store and match the URL now when the store does not know it.",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="With --fetch: allow private and loopback addresses (demos and tests only).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="HOST[:PORT]",
    help="With --fetch: a host (or .domain) to fetch whatever it resolves to (repeatable).",
)
def lookup(url, db_path, as_json, text_source, fetch, allow_private, allow_hosts) -> None:
    """Show where URL's story first appeared and every known copy.

    URL variants (http/https, www, tracking parameters, fragments, AMP pages) find the same
    article. An unknown URL answers "not found" (exit status 0) unless --fetch is given:
    then the page is fetched (robots.txt, user agent and proxy as for crawls; never from
    private, loopback or link-local addresses), stored, matched and answered. With --text,
    the stored articles carrying the text are listed with the origin of their story.
    """
    # Imported here: the provenance stack (dedupe, datasketch, scipy) takes seconds to load,
    # which every other command and `crosspost --help` would pay for.
    from crawler.lookup import ProvenanceError, lookup_text, lookup_url, render_text

    if (url is None) == (text_source is None):
        raise click.UsageError("give a URL or --text FILE|- (one of them)")
    if fetch and text_source is not None:
        raise click.UsageError("--fetch needs a URL, not --text")
    similar: list[str] = []
    try:
        if text_source is not None:
            text = _read_text(text_source)
            with existing_store(db_path, readonly=False) as store:
                result = lookup_text(store, text)
        else:
            url = with_scheme(url)
            try:
                check_url(url)
            except BadURL as exc:
                raise click.BadParameter(str(exc), param_hint="URL") from None
            if fetch:
                result = _fetch(url, db_path, allow_private, tuple(allow_hosts))
            else:
                with existing_store(db_path, readonly=True) as store:
                    result = lookup_url(store, url)
                    if not result.get("found") and not as_json:
                        similar = similar_urls(store, url)
    except (ProvenanceError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(result), nl=False)
        if text_source is None and not fetch and similar:
            click.echo("Stored URLs like it:")
            for candidate in similar:
                click.echo(f"  {candidate}")


def similar_urls(store, url: str, limit: int = 5) -> list[str]:
    """Stored articles with the same path on another host (a mistyped or moved outlet), or
    else on the same outlet, whose paths share the most words with the one asked for."""
    import re
    from urllib.parse import urlsplit

    from crawler.store.schema import URL_PATH
    from crawler.urls import outlet_of

    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    found: list[str] = []
    if len(path) > 1:
        found = [row[0] for row in store.db.execute(
            f"select url from articles where {URL_PATH} in (?, ?) limit ?",
            [path, f"{path}/", limit])]
    if found:
        return found
    try:
        outlet = outlet_of(url)
    except BadURL:
        return []
    words = set(re.findall(r"[a-z0-9]{3,}", path.lower()))
    candidates = [row[0] for row in store.db.execute(
        "select url from articles where outlet = ? order by id desc limit 2000", [outlet])]
    def shared(candidate: str) -> int:
        return len(words & set(re.findall(r"[a-z0-9]{3,}", urlsplit(candidate).path.lower())))

    alike = sorted((u for u in candidates if shared(u)), key=shared, reverse=True)
    return alike[:limit] or candidates[:3]
