"""Provenance lookup: where did this article (or this pasted text) first appear, who ran it.

The service behind ``crosspost lookup`` and the HTTP API. Both answer with the Lookup JSON of
DESIGN.md (``query``, ``found``, ``article``, ``origin``, ``copies``, ``conflicts``), built by
:func:`graph.lookup` over the story family loaded from the store.

    with Store(path, readonly=True) as store:
        lookup_url(store, "https://www.globalresearch.ca/some-story/5728069?utm_source=x")
        lookup_text(writable_store, "pasted paragraphs ...")

A URL is found by its canonical form first, then among the URLs actually fetched for an
article (``articles.fetched_url``, every capture's URL and final URL: AMP, mobile and
redirected variants end there), then by the page's declared ``rel=canonical``, then by the
http/https, www/no-www and trailing-slash variants of all of these. Extra answer keys:
``found_by`` (which of these matched) and, for a URL that was fetched but holds no article,
``reason``.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import graph
from crawler import decisions
from crawler.store import Store
from crawler.urls import BadURL, canonical_url, check_url

if TYPE_CHECKING:
    from crawler.matching import StoreMatcher

logger = logging.getLogger(__name__)

__all__ = [
    "BadURL",
    "ProvenanceError",
    "find_article",
    "lookup_text",
    "lookup_url",
    "render_text",
    "text_index",
    "url_variants",
]

#: Pasted texts shorter than this cannot be matched reliably (a few shingles match anything).
MIN_TEXT_CHARS = 100
#: How much of a pasted text the answer repeats as its ``query``.
QUERY_ECHO_CHARS = 200


class ProvenanceError(Exception):
    """A lookup that cannot be answered (the message says why)."""


def render_text(result: dict[str, Any]) -> str:
    """A readable rendering of a :func:`lookup_url` or :func:`lookup_text` answer."""
    head = ""
    if result.get("reason") and not result.get("found"):
        return (
            f"Not an article: {result.get('query')}\n"
            f"The page was fetched but holds no article ({result['reason']}).\n"
        )
    if "matches" in result:
        matches = result["matches"]
        if not matches:
            return "Not found: no stored article contains this text.\n"
        noun = "article" if len(matches) == 1 else "articles"
        lines = [f"The text appears in {len(matches)} stored {noun}:"]
        for m in matches:
            lines.append(
                f"  {m['outlet']}  {(m.get('published_at') or 'undated')[:16]}  "
                f"sim {m['similarity']:.2f}  text in article {m['containment']:.2f}  {m['url']}"
            )
        head = "\n".join(lines) + "\n\n"
    return head + graph.render_text(result)


# -- finding the article ------------------------------------------------------------------
def _flip_scheme(parts) -> list:
    other = "https" if parts.scheme == "http" else "http"
    return [parts, parts._replace(scheme=other)]


def _flip_www(parts) -> list:
    host = parts.netloc
    if host.lower().startswith("www."):
        return [parts, parts._replace(netloc=host[4:])]
    return [parts, parts._replace(netloc="www." + host)]


def _flip_slash(parts) -> list:
    path = parts.path or "/"
    if path == "/":
        return [parts]
    if path.endswith("/"):
        return [parts, parts._replace(path=path.rstrip("/"))]
    return [parts, parts._replace(path=path + "/")]


def _amp_stripped(parts) -> list:
    """The page an AMP or mobile variant stands for: ``/amp/`` suffix, ``?amp=1``, ``amp.``
    and ``m.``/``mobile.`` hosts."""
    found = []
    path = parts.path
    for suffix in ("/amp/", "/amp"):
        if path.endswith(suffix) and len(path) > len(suffix):
            found.append(parts._replace(path=path[: -len(suffix)] + "/"))
    if parts.query:
        kept = "&".join(
            q
            for q in parts.query.split("&")
            if q.split("=", 1)[0].lower() not in ("amp", "outputtype")
        )
        if kept != parts.query:
            found.append(parts._replace(query=kept))
    host = parts.netloc
    for prefix in ("amp.", "m.", "mobile."):
        if host.lower().startswith(prefix):
            found.append(parts._replace(netloc=host[len(prefix) :]))
    return found


def url_variants(url: str) -> list[str]:
    """``url`` and the forms the same article may be stored under, most likely first:
    as given, canonical, then http/https × www/no-www × trailing slash, then AMP/mobile
    stand-ins. Every form is also given canonicalised."""
    url = check_url(url)
    seeds = [url]
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    parts = parts._replace(fragment="")
    bases = [parts, *_amp_stripped(parts)]
    for base in bases:
        for a in _flip_scheme(base):
            for b in _flip_www(a):
                for c in _flip_slash(b):
                    seeds.append(urlunsplit(c))
    out: list[str] = []
    for seed in seeds:
        forms = [seed]
        try:
            forms.append(canonical_url(seed))
        except BadURL:
            pass
        for form in forms:
            if form not in out:
                out.append(form)
    return out


def _first_hit(store: Store, sql: str, candidates: list[str]) -> tuple[int, str] | None:
    """The article id for the earliest candidate (in order of preference) that ``sql`` finds."""
    marks = ",".join("?" * len(candidates))
    rows = store.db.execute(sql.format(marks=marks), candidates).fetchall()
    if not rows:
        return None
    rank = {c: i for i, c in enumerate(candidates)}
    best = min(rows, key=lambda r: rank.get(r[1], len(rank)))
    return best[0], best[1]


_ARTICLE_BY: dict[str, str | None] = {
    "url": "select id, url from articles where url in ({marks})",
    "fetched_url": "select id, fetched_url from articles where fetched_url in ({marks})",
    "capture": None,  # see _capture_hit
    "declared_canonical": (
        "select id, declared_canonical from articles where declared_canonical in ({marks})"
    ),
}


def find_article(store: Store, url: str) -> tuple[int, str] | None:
    """``(article id, how it was found)`` for ``url`` or any of its variants, else None.

    ``how`` is ``url``, ``fetched_url``, ``capture`` or ``declared_canonical``, suffixed
    ``+variant`` when only a scheme/www/slash/AMP variant of the URL matched.
    """
    # The URL as given and its canonical form find almost every stored article; the
    # variants cost a dozen canonicalisations, so they are made only when those miss.
    given = check_url(url)
    exact = [given]
    try:
        if canonical_url(given) != given:
            exact.append(canonical_url(given))
    except BadURL:
        pass
    found = _search(store, exact, "")
    if found is None:
        variants = url_variants(given)
        found = _search(store, [v for v in variants if v not in exact], "+variant")
    return found


def _search(store: Store, candidates: list[str], suffix: str) -> tuple[int, str] | None:
    if not candidates:
        return None
    for how, sql in _ARTICLE_BY.items():
        hit = _capture_hit(store, candidates) if sql is None else _first_hit(store, sql, candidates)
        if hit is not None:
            return hit[0], how + suffix
    return None


def _capture_hit(store: Store, candidates: list[str]) -> tuple[int, str] | None:
    marks = ",".join("?" * len(candidates))
    rows = store.db.execute(
        f"select article_id, url from captures where article_id is not null and url in ({marks}) "
        f"union all select article_id, final_url from captures "
        f"where article_id is not null and final_url in ({marks})",
        candidates + candidates,
    ).fetchall()
    if not rows:
        return None
    rank = {c: i for i, c in enumerate(candidates)}
    best = min(rows, key=lambda r: rank.get(r[1], len(rank)))
    return best[0], best[1]


def _not_article_reason(store: Store, url: str) -> str | None:
    """Why a fetched URL holds no article (the latest capture's reason), if it was fetched."""
    variants = url_variants(url)[:2]
    marks = ",".join("?" * len(variants))
    row = store.db.execute(
        f"select outcome, reason, status from captures where url in ({marks}) "
        f"or final_url in ({marks}) order by id desc limit 1",
        variants + variants,
    ).fetchone()
    if row is None:
        return None
    outcome, reason, status = row
    if reason:
        return reason
    return f"{outcome} (HTTP {status})" if status else outcome


# -- answers -------------------------------------------------------------------------------
def _answer(store: Store, article_id: int, query: str) -> dict[str, Any]:
    # The stored decisions, as stats, exports and the views read them (decided now when
    # the store has none current: ``decided`` says which).
    prov, url, decided = decisions.family(store, article_id)
    result = graph.lookup(prov, url, query=query)
    result["decided"] = decided.as_dict()
    return result


def lookup_url(store: Store, url: str) -> dict[str, Any]:
    """The Lookup JSON for ``url`` as the user gave it.

    Raises :class:`crawler.urls.BadURL` for a malformed or non-http(s) URL. An unknown URL
    answers ``found: false``; one that was fetched but is not an article also carries
    ``reason``.
    """
    query = url
    hit = find_article(store, url)
    if hit is None:
        result = graph.not_found(query)
        reason = _not_article_reason(store, url)
        if reason:
            result["reason"] = reason
        return result
    article_id, how = hit
    result = _answer(store, article_id, query)
    result["found_by"] = how
    return result


def text_index(store: Store) -> StoreMatcher:
    """The near-duplicate index over the store, for :func:`lookup_text`. Building it reads
    every stored signature: a long-running caller (the HTTP API) builds it once and passes it
    to each lookup. The store must be writable (the index records its parameters)."""
    if store.readonly:
        raise ProvenanceError("looking up text needs the database opened for writing")
    # Imported here: the matcher brings datasketch and SciPy, which a URL lookup never needs
    # and which cost a command-line lookup half a second.
    from crawler.matching import StoreMatcher

    return StoreMatcher(store)


def _match_rows(store: Store, matches: Iterable) -> list[dict[str, Any]]:
    rows = []
    for m in matches:
        art = store.db.execute(
            "select url, outlet, title, published_at from articles where id = ?", [m.key_b]
        ).fetchone()
        if art is None:
            continue
        rows.append(
            {
                "article_id": m.key_b,
                "url": art[0],
                "outlet": art[1],
                "title": art[2],
                "published_at": art[3],
                "similarity": round(float(m.jaccard), 3),
                # share of the pasted text found in the article, and the other way round
                "containment": round(float(m.containment_a_in_b), 3),
                "containment_article_in_text": round(float(m.containment_b_in_a), 3),
                "kind": m.kind,
            }
        )
    rows.sort(key=lambda r: (-max(r["similarity"], r["containment"]), r["url"]))
    return rows


def lookup_text(store: Store, text: str, *, matcher: StoreMatcher | None = None) -> dict[str, Any]:
    """Where a pasted text appears: the stored articles that carry it (``matches``, with
    similarity and containment), and the Lookup JSON of the best match's story family
    (its origin and copies). ``found`` is false when no stored article carries the text."""
    text = (text or "").strip()
    query = textwrap.shorten(text, QUERY_ECHO_CHARS, placeholder=" …") if text else ""
    if len(text) < MIN_TEXT_CHARS:
        raise ProvenanceError(
            f"text too short to look up ({len(text)} characters; give at least "
            f"{MIN_TEXT_CHARS}, a paragraph or more)"
        )
    matcher = matcher or text_index(store)
    rows = _match_rows(store, matcher.match_text(text))
    if not rows:
        result = graph.not_found(query)
        result["matches"] = []
        return result
    result = _answer(store, rows[0]["article_id"], query)
    origin_of: dict[int, tuple[str | None, str | None]] = {}
    for row in rows:
        article_id = row.pop("article_id")
        if article_id not in origin_of:
            family, _url, _decided = decisions.family(store, article_id)
            fam = family.family(row["url"])
            if fam is None:
                origin_of[article_id] = (row["url"], None)
            elif fam.external is not None:  # outside the store: its link, if any, and name
                origin_of[article_id] = (fam.external.url, fam.external.name)
            else:
                origin_of[article_id] = (fam.origin, None)
        row["family_origin"], name = origin_of[article_id]
        if name is not None:
            row["family_origin_name"] = name
    result["matches"] = rows
    result["found_by"] = "text"
    return result
