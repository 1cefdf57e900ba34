"""Read-only access to the store for the HTTP server.

The server never writes. Each worker thread keeps its own read-only SQLite connection (a
connection cannot be shared between threads), and WAL lets those readers run while a crawl
writes to the same file. Whole-store answers (outlet tables, the outlet graph) need every
article's provenance decided, which is slow on a big store: that result is cached and
recomputed only when the store has changed.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

import graph
from crawler import decisions
from crawler.decisions import Decided
from crawler.decisions.figures import add_originals_copied
from crawler.matching import BOILERPLATE_KEY, PARAMS_KEY
from crawler.store import Store, StoreError
from dedupe.boilerplate import BoilerplateModel
from dedupe.matcher import Matcher
from dedupe.signature import SignatureParams, deserialize

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Articles' text is long; search answers carry a snippet of it, never all of it.
SNIPPET_TOKENS = 24
# Control characters mark the highlighted words in FTS snippets; they never occur in
# extracted text, and are removed before the snippet leaves the server.
_HL_START, _HL_END = "\x02", "\x03"
_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


class ReaderError(Exception):
    """A read the server cannot answer (the message says why)."""


class UnknownOutlet(ReaderError):
    """No outlet with this domain is in the store."""


class BadSearch(ReaderError):
    """A search query that holds nothing to search for."""


class TooLarge(ReaderError):
    """An answer that would be too big to send; the message says how to get it otherwise."""


def fts_query(text: str) -> str:
    """A safe FTS5 query for user text: every word becomes a quoted phrase, so operators,
    quotes and column filters in the input are searched for as words instead of being
    parsed (a parse error would otherwise surface as a server error)."""
    words = _FTS_TOKEN.findall(text)
    if not words:
        raise BadSearch("the search holds no words")
    return " ".join('"' + word.replace('"', '""') + '"' for word in words[:32])


def split_highlights(snippet: str) -> tuple[str, list[list[int]]]:
    """Plain snippet text and the ``[start, end)`` character ranges of the matched words."""
    text: list[str] = []
    ranges: list[list[int]] = []
    length = 0
    start = None
    for char in snippet:
        if char == _HL_START:
            start = length
        elif char == _HL_END:
            if start is not None:
                ranges.append([start, length])
            start = None
        else:
            text.append(char)
            length += 1
    return "".join(text), ranges


class TextIndex:
    """The near-duplicate index over the store, built read-only, for pasted-text lookups.

    :func:`crawler.lookup.lookup_text` needs only ``match_text``. The matcher reads
    article texts through its own store connection, so the index and that store are used
    from one dedicated thread only (see :class:`StoreReader.in_text_thread`).
    """

    def __init__(self, store: Store) -> None:
        saved = store.get_state(PARAMS_KEY)
        params = SignatureParams.from_dict(saved) if saved else SignatureParams()
        model = store.get_state(BOILERPLATE_KEY)
        self.matcher = Matcher(
            params,
            boilerplate=BoilerplateModel.from_dict(model) if model else None,
            get_text=store.text_of,
        )
        self.matcher.load_many(
            (article_id, deserialize(blob, params), outlet)
            for article_id, blob, outlet, _hash in store.signatures()
            if blob
        )
        self.fingerprint = _fingerprint(store, "signatures")

    def match_text(self, text: str, outlet: str | None = None) -> list:
        return self.matcher.match(text, outlet)


def _fingerprint(store: Store, *tables: str) -> tuple:
    """Cheap figures that change whenever rows are added to, removed from or replaced in
    the store's evidence tables."""
    parts: list[Any] = []
    queries = {
        "articles": "select count(*), max(id), max(last_seen) from articles",
        "matches": "select count(*), max(found_at) from matches",
        "attributions": "select count(*), max(id) from attributions",
        "signatures": "select count(*), max(rowid) from signatures",
    }
    for table in tables:
        parts.extend(store.db.execute(queries[table]).fetchone())
    return tuple(parts)


class StoreReader:
    """Everything the API reads, over per-thread read-only connections to one store file."""

    def __init__(self, path: str | Path, *, cache_seconds: float = 5.0) -> None:
        self.path = Path(path)
        Store(self.path, readonly=True).close()  # fail now, not on the first request
        self.cache_seconds = cache_seconds
        self._local = threading.local()
        self._lock = threading.Lock()
        self._whole: tuple[tuple, float, tuple[graph.Provenance, Decided]] | None = None
        self._text_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="text-index")
        self._text_store: Store | None = None
        self._text_index: TextIndex | None = None
        self._text_checked = 0.0

    # -- connections ----------------------------------------------------------------------
    def store(self) -> Store:
        """This thread's read-only store."""
        store = getattr(self._local, "store", None)
        if store is None:
            try:
                store = Store(self.path, readonly=True)
            except StoreError as exc:
                raise ReaderError(str(exc)) from None
            self._local.store = store
        return store

    def close(self) -> None:
        self._text_thread.shutdown(wait=False, cancel_futures=True)

    def health(self) -> dict[str, Any]:
        return {"status": "ok"}

    # -- whole-store provenance -----------------------------------------------------------
    def provenance(self) -> graph.Provenance:
        """The stored provenance decisions over the whole store (the server never writes:
        stale ones are decided in memory), reread when the store has changed."""
        return self._whole_store()[0]

    def decided(self) -> Decided:
        """Where the whole-store answers come from (stored decisions, or decided now)."""
        return self._whole_store()[1]

    def _whole_store(self) -> tuple[graph.Provenance, Decided]:
        now = time.monotonic()
        cached = self._whole
        if cached and now - cached[1] < self.cache_seconds:
            return cached[2]
        with self._lock:
            store = self.store()
            fingerprint = (*_fingerprint(store, "articles", "matches", "attributions"),
                           _decisions_state(store))
            cached = self._whole
            if cached and cached[0] == fingerprint:
                self._whole = (fingerprint, now, cached[2])
                return cached[2]
            started = time.monotonic()
            answer = decisions.whole_store(store)
            logger.info("provenance of the whole store read in %.1f s (%s)",
                        time.monotonic() - started,
                        "stored" if answer[1].stored else "decided now")
            self._whole = (fingerprint, time.monotonic(), answer)
            return answer

    def summary(self, examples: int = 2) -> dict[str, Any]:
        """What the store holds (articles, outlets, families, the last crawl) and example
        lookups taken from it: copies from the largest families, credited ones first."""
        prov, decided = self._whole_store()
        db = self.store().db
        last = db.execute(
            "select command, started_at, ended_at, finish_reason from crawls "
            "order by id desc limit 1").fetchone()
        families = sorted(prov.families, key=lambda f: (-len(f.members), f.id))
        picks: list[dict] = []
        for family in families:
            copies = [link for link in family.copies if link.url not in prov.uncrawled]
            if not copies:
                continue
            link = max(copies, key=lambda c: (bool(c.attributed), c.confidence))
            article = prov.articles[link.url]
            picks.append({"url": link.url, "title": article.title, "outlet": article.outlet,
                          "outlet_name": article.outlet_name or article.outlet,
                          "family_size": len(family.members)})  # fmt: skip
            if len(picks) >= examples:
                break
        outlets = db.execute("select count(*) from outlets").fetchone()[0]
        return {
            "articles": len(prov.articles) - len(prov.uncrawled),
            "outlets": outlets,
            "families": len(prov.families),
            "copies": sum(1 for _ in prov.links()),
            "last_crawl": None if last is None else {
                "command": last[0], "started_at": last[1], "ended_at": last[2],
                "finish_reason": last[3]},
            "examples": picks,
            "decided": decided.as_dict(),
        }

    # -- search ---------------------------------------------------------------------------
    def search(self, q: str, page: int, per_page: int, outlet: str | None = None) -> dict:
        match = fts_query(q)
        where = "articles_fts match ?"
        params: list[Any] = [match]
        if outlet:
            where += " and a.outlet = ?"
            params.append(outlet.lower())
        db = self.store().db
        total = db.execute(
            f"select count(*) from articles_fts join articles a on a.rowid = articles_fts.rowid "
            f"where {where}", params,
        ).fetchone()[0]
        rows = db.execute(
            f"select a.id, a.url, a.outlet, a.title, a.published_at, "
            f"snippet(articles_fts, 1, ?, ?, ' … ', {SNIPPET_TOKENS}) "
            f"from articles_fts join articles a on a.rowid = articles_fts.rowid "
            f"where {where} order by articles_fts.rank limit ? offset ?",
            [_HL_START, _HL_END, *params, per_page, (page - 1) * per_page],
        ).fetchall()
        results = []
        for article_id, url, outlet_, title, published_at, snippet in rows:
            text, highlights = split_highlights(snippet or "")
            results.append({
                "id": article_id, "url": url, "outlet": outlet_, "title": title,
                "published_at": published_at, "snippet": text, "highlights": highlights,
            })
        return {"query": q, "page": page, "per_page": per_page, "total": total,
                "pages": -(-total // per_page), "results": results}

    # -- outlets --------------------------------------------------------------------------
    def outlets(self) -> list[dict]:
        prov = self.provenance()
        rows = {row["outlet"]: row
                for row in add_originals_copied(graph.outlet_rows(prov), prov)}
        # outlets known only from links (no crawled article) are still listed, with zeros
        for domain, name in self.store().db.execute("select domain, name from outlets"):
            if domain not in rows:
                rows[domain] = {**_empty_outlet_row(domain), "name": name or domain}
        return sorted(rows.values(), key=lambda r: (-r["copies"], -r["articles"], r["outlet"]))

    def outlet(self, domain: str, limit: int = 20) -> dict:
        domain = domain.strip().lower()
        db = self.store().db
        known = db.execute("select domain, name, first_seen, last_seen from outlets "
                           "where domain = ?", [domain]).fetchone()
        prov = self.provenance()
        rows = add_originals_copied(graph.outlet_rows(prov), prov)
        row = next((r for r in rows if r["outlet"] == domain), None)
        if known is None:
            # a source outside the store (a wire agency its copies credit) has a row in the
            # outlets list, so its page answers too: who republishes it
            if row is None or row.get("articles"):
                raise UnknownOutlet(f"no outlet {domain!r} in the store")
            known = (domain, row["name"], None, None)
        row = dict(row or {**_empty_outlet_row(domain), "name": known[1] or domain})
        row.update({"first_seen": known[2], "last_seen": known[3]})
        names = dict(db.execute("select domain, coalesce(name, domain) from outlets"))
        names.update({r["outlet"]: r["name"] for r in rows})
        names.update({key: origin.name for key, origin in
                      (getattr(prov, "external", None) or {}).items()})
        pairs = [{**p, "source_name": names.get(p["source"]) or p["source"],
                  "copied_by_name": names.get(p["copied_by"]) or p["copied_by"]}
                 for p in graph.pair_rows(prov, limit=None)]
        recent = [
            {"url": url, "title": title, "published_at": published}
            for url, title, published in db.execute(
                "select url, title, published_at from articles where outlet = ? "
                "order by coalesce(published_at, first_seen) desc limit ?", [domain, limit])
        ]
        return {
            "outlet": row,
            "top_sources": [p for p in pairs if p["copied_by"] == domain][:limit],
            "top_republishers": [p for p in pairs if p["source"] == domain][:limit],
            "recent_articles": recent,
        }

    # -- graph ----------------------------------------------------------------------------
    def graph(self, level: str, max_nodes: int = 5000) -> dict:
        prov = self.provenance()
        built = graph.outlet_graph(prov) if level == "outlet" else graph.article_graph(prov)
        if built.number_of_nodes() > max_nodes:
            raise TooLarge(
                f"the {level} graph has {built.number_of_nodes()} nodes (at most {max_nodes} "
                f"are served); write it to a file with `crosspost export` instead"
            )
        cleaned = graph.clean_graph(built, "json", layout=built.number_of_nodes() <= 500)
        return nx.node_link_data(cleaned, edges="links")

    # -- pasted text ----------------------------------------------------------------------
    def in_text_thread(self, work: Callable[[Store, TextIndex], T]) -> T:
        """Run ``work(store, index)`` on the text-index thread (blocking; call it from a
        worker thread or wrap it in ``run_in_executor``)."""
        return self._text_thread.submit(self._with_index, work).result()

    def _with_index(self, work: Callable[[Store, TextIndex], T]) -> T:
        if self._text_store is None:
            self._text_store = Store(self.path, readonly=True)
        store = self._text_store
        now = time.monotonic()
        if self._text_index is None or now - self._text_checked > self.cache_seconds:
            self._text_checked = now
            if (self._text_index is None
                    or self._text_index.fingerprint != _fingerprint(store, "signatures")):
                self._text_index = TextIndex(store)
        return work(store, self._text_index)


def _empty_outlet_row(domain: str) -> dict:
    return {"outlet": domain, "name": domain, "articles": 0, "originals": 0, "copies": 0,
            "attributed_copies": 0, "attribution_rate": None, "copied_by_others": 0,
            "median_lag_hours": None, "originals_copied_by_others": 0}


def _decisions_state(store: Store) -> str | None:
    try:
        row = store.db.execute("select value from state where key = 'decisions'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None
