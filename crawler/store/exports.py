"""The stored articles as records (metadata, credits, family), and the pages that were not
stored as articles with the reason why: what ``crosspost articles`` writes.

Both stream from one SQLite cursor, so memory stays flat however large the store. The family
columns come from the stored provenance decisions (table ``decisions``: the row the lookup
shows first); :data:`FAMILY_SOURCE` is the one place that says where they are read from.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from crawler.store.database import Store
from crawler.urls import BadURL, outlet_of
from graph.timing import parse_time_precision

logger = logging.getLogger(__name__)

ARTICLE_COLUMNS = (
    "url", "outlet", "outlet_name", "title", "author", "published_at", "date_source",
    "language", "sitename", "description", "fetched_url", "declared_canonical",
    "first_seen", "last_seen", "text_hash", "text",
)
FAMILY_COLUMNS = (
    "family_id", "role", "origin_url", "origin_outlet", "origin_name", "origin_kind",
    "copied_from", "copied_from_outlet", "basis", "confidence", "attributed", "credit",
    "text_kind", "similarity", "containment", "lag_hours", "lag_hours_from_origin",
)
CREDIT_FIELDS = ("kind", "form", "sentence", "name", "url", "outlet", "stated_date")
FAILED_COLUMNS = ("url", "final_url", "outcome", "reason", "status", "content_type",
                  "fetched_at", "crawl_id")
FAILED_OUTCOMES = ("error", "skipped", "not-fetched")

# The family of each article: its first decision row (the family a lookup shows first).
FAMILY_SOURCE = """
    left join decisions d on d.rowid = (
        select rowid from decisions where article_id = a.id
        order by coalesce(primary_family, 0) desc, family_id limit 1)
"""


def _columns(store: Store, table: str) -> set[str]:
    return {row[1] for row in store.db.execute(f"pragma table_info({table})")}


def _credits_sql(store: Store) -> str:
    present = _columns(store, "attributions")
    fields = ", ".join(f"'{f}', {f if f in present else 'null'}" for f in CREDIT_FIELDS)
    return (f"(select json_group_array(json_object({fields})) from attributions "
            f"where article_id = a.id)")


def _family_sql(store: Store) -> tuple[str, str]:
    present = _columns(store, "decisions")
    if not present:
        return ", ".join(f"null as {c}" for c in FAMILY_COLUMNS), ""
    select = ", ".join(f"d.{c} as {c}" if c in present else f"null as {c}" for c in FAMILY_COLUMNS)
    return select, FAMILY_SOURCE


def resolve_outlets(store: Store, names: Iterable[str]) -> list[str]:
    """The domains ``names`` mean (a domain, a URL or a display name); LookupError names an
    unknown one with the store's outlets that look alike."""
    domains = []
    for name in names:
        wanted = name.strip()
        try:
            wanted_domain = outlet_of(wanted if "/" in wanted else f"https://{wanted}/")
        except BadURL:
            wanted_domain = wanted.lower()
        row = store.db.execute(
            "select domain from outlets where domain = ? or lower(name) = lower(?)",
            [wanted_domain, wanted]).fetchone()
        if row is None:
            like = [r[0] for r in store.db.execute(
                "select domain from outlets where domain like ? or name like ? limit 5",
                [f"%{wanted_domain.split('.')[0]}%", f"%{wanted}%"])]
            hint = f"; did you mean {', '.join(like)}?" if like else ""
            raise LookupError(f"no outlet {name!r} in the store{hint}")
        domains.append(row[0])
    return domains


def _in_window(value: str | None, since: datetime | None, until: datetime | None) -> bool:
    if since is None and until is None:
        return True
    when, _ = parse_time_precision(value) if value else (None, False)
    if when is None:
        return False  # undated: outside any window
    return (since is None or when >= since) and (until is None or when <= until)


def article_rows(
    store: Store, *, since: datetime | None = None, until: datetime | None = None,
    outlets: list[str] | None = None, text: bool = True,
) -> Iterator[dict[str, Any]]:
    """Every stored article as a dict: its columns, ``credits`` (a list) and ``family`` (a
    dict, or None when no decision names it)."""
    family_select, family_join = _family_sql(store)
    columns = [c for c in ARTICLE_COLUMNS if text or c != "text"]
    select = ", ".join("o.name as outlet_name" if c == "outlet_name" else f"a.{c} as {c}"
                       for c in columns)
    where, params = "", []
    if outlets:
        where = f"where a.outlet in ({', '.join('?' for _ in outlets)})"
        params = list(outlets)
    sql = (f"select {select}, {_credits_sql(store)} as credits, {family_select} "
           f"from articles a left join outlets o on o.domain = a.outlet {family_join} "
           f"{where} order by a.id")
    cursor = store.db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        record = dict(zip(names, row))
        if not _in_window(record["published_at"], since, until):
            continue
        yield _shape(record, columns)


def _shape(record: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    out = {c: record[c] for c in columns}
    credits = json.loads(record["credits"] or "[]")
    out["credits"] = [{k: v for k, v in c.items() if v is not None} for c in credits]
    family = {c: record[c] for c in FAMILY_COLUMNS}
    if family["role"] is None:
        out["family"] = None
    else:
        family["basis"] = json.loads(family["basis"]) if family["basis"] else []
        if family["attributed"] is not None:
            family["attributed"] = bool(family["attributed"])
        out["family"] = family
    return out


def failed_pages(
    store: Store, *, since: datetime | None = None, until: datetime | None = None,
    outlets: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every page fetched (or tried) that was not stored as an article for a reason other
    than being a listing: errors, skipped pages and pages never fetched, newest capture
    of each URL only."""
    wanted = set(outlets or ())
    marks = ", ".join("?" for _ in FAILED_OUTCOMES)
    sql = (f"select {', '.join(FAILED_COLUMNS)} from captures c where outcome in ({marks}) "
           f"and id = (select max(id) from captures where url = c.url) order by id")
    for row in store.db.execute(sql, list(FAILED_OUTCOMES)):
        record = dict(zip(FAILED_COLUMNS, row))
        if wanted:
            try:
                if outlet_of(record["url"]) not in wanted:
                    continue
            except BadURL:
                continue
        if _in_window(record["fetched_at"], since, until):
            yield record
