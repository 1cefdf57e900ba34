"""Loading the store's evidence as :mod:`graph` records, for provenance, exports and stats.

Attributions are resolved to outlets again at read time: a credit that named an outlet the
store had not seen yet when the copy was crawled ("Newswire Press") resolves once the outlet's
pages are in the store. Each credit carries what the decision needs about the credited
party: the credit's ``form`` (byline, dateline, sign-off, provider-label, metadata, footer
...), the party's ``source_kind`` (wire, syndicator, aggregator, outlet, print), the name as
written, the linked URL, and whether the store holds articles of the credited outlet.
Columns a store does not have yet read as unknown (``None``).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from functools import cached_property

from crawler.extract.credits import OutletDirectory
from crawler.extract.credits.registry import shared_registry
from crawler.store import Store
from graph import Article, Attribution, Match, Provenance, decide_provenance

_ARTICLE_COLUMNS = (
    "a.id, a.url, a.outlet, a.title, a.published_at, a.date_source, a.first_seen, "
    "a.declared_canonical, o.name as outlet_name"
)


# The distinct (outlet, sitename) pairs by index seeks: for each outlet, the next sitename
# after the last one found. A plain DISTINCT reads every article's index entry, which is
# most of a lookup's time on a store of a million articles.
_SITENAMES = """
with recursive pairs(outlet, sitename) as (
  select domain, (select min(sitename) from articles where outlet = domain) from outlets
  union all
  select outlet, (select min(a.sitename) from articles a
                  where a.outlet = pairs.outlet and a.sitename > pairs.sitename)
  from pairs where sitename is not null
)
select outlet, sitename from pairs where sitename is not null
"""


def _freshness(store: Store) -> tuple[int, int]:
    # data_version changes when another connection commits; total_changes when this one writes.
    version = store.db.execute("pragma data_version").fetchone()[0]
    return version, store.db.conn.total_changes


def outlet_directory(store: Store) -> OutletDirectory:
    """Every outlet name the store knows: outlet display names and the sitenames of pages.
    Kept on the store until the database changes, so that a server's lookups build it once."""
    key = _freshness(store)
    cached = getattr(store, "_outlet_directory", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    directory = OutletDirectory()
    for domain, name in store.db.execute("select domain, name from outlets"):
        directory.add_domain(domain)
        if name:
            directory.add(name, domain)
    for domain, name in store.db.execute(_SITENAMES):
        directory.add(name, domain)
    registry = store.get_state("outlets.registry") or []
    for entry in registry:
        directory.add_entry(entry)  # names, aliases and, with a kind, the credits registry
    store._outlet_directory = (key, directory)
    return directory


#: Columns naming the credited party's kind, newest first (stores written by older versions
#: have none).
_KIND_COLUMNS = ("source_kind", "party_kind", "credited_kind")
_PARTY_KINDS = {"wire", "syndicator", "aggregator"}
# Attribution kinds of older stores that name a wire agency by their form alone.
_WIRE_KINDS = {"wire-dateline", "wire", "dateline"}


def _columns(store: Store, table: str) -> set[str]:
    return {row[1] for row in store.db.execute(f"pragma table_info({table})")}


def outlet_kinds(store: Store) -> dict[str, str]:
    """What each outlet is (wire, syndicator, aggregator), from the registry of agencies,
    the outlets file and the outlets table, later ones winning."""
    kinds: dict[str, str] = {}
    for source in shared_registry().sources:
        if source.outlet and source.kind in _PARTY_KINDS:
            kinds.setdefault(source.outlet, source.kind)
    for entry in store.get_state("outlets.registry") or []:
        kind = entry.get("kind")
        for domain in entry.get("domains") or []:
            if kind:
                kinds[domain] = kind
    if "kind" in _columns(store, "outlets"):
        for domain, kind in store.db.execute("select domain, kind from outlets where kind is not null"):
            kinds[domain] = kind
    return kinds


class Evidence:
    """Articles, matches and attributions read from the store, keyed by article id."""

    def __init__(self, store: Store, *, like: Evidence | None = None) -> None:
        """``like``: an earlier Evidence of the same store whose outlet lookups to share
        (the decisions read a large store a batch of stories at a time)."""
        self.store = store
        self.directory = like.directory if like is not None else outlet_directory(store)
        self.urls: dict[int, str] = {}
        self.articles: list[Article] = []
        self.matches: list[Match] = []
        self.attributions: list[Attribution] = []
        self._in_store: dict[str, bool] = like._in_store if like is not None else {}
        if like is not None:
            for name in ("outlet_kinds", "attribution_sql"):  # cached properties, if computed
                if name in like.__dict__:
                    self.__dict__[name] = like.__dict__[name]

    @cached_property
    def outlet_kinds(self) -> dict[str, str]:
        return outlet_kinds(self.store)

    @cached_property
    def attribution_sql(self) -> str:
        """The attributions query, with the columns this store has."""
        columns = _columns(self.store, "attributions")
        form = "form" if "form" in columns else "null"
        kind = next((c for c in _KIND_COLUMNS if c in columns), "null")
        # The registry's display name ("Associated Press") beats the name as written ("AP").
        name = "coalesce(source_name, name)" if "source_name" in columns else "name"
        return (
            f"select article_id, kind, sentence, {name}, url, outlet, stated_date, "
            f"{form}, {kind} from attributions"
        )

    def outlet_in_store(self, outlet: str | None) -> bool | None:
        """Whether the store holds any article of ``outlet``."""
        if not outlet:
            return None
        if outlet not in self._in_store:
            row = self.store.db.execute(
                "select 1 from articles where outlet = ? limit 1", [outlet]
            ).fetchone()
            self._in_store[outlet] = row is not None
        return self._in_store[outlet]

    def _add_articles(self, rows: Iterable) -> None:
        for row in rows:
            article_id, url = row[0], row[1]
            if article_id in self.urls:
                continue
            self.urls[article_id] = url
            self.articles.append(
                Article(url=url, outlet=row[2], title=row[3], published_at=row[4],
                        date_source=row[5], first_seen=row[6], declared_canonical=row[7],
                        outlet_name=row[8], outlet_kind=self.outlet_kinds.get(row[2]))
            )

    def _add_matches(self, rows: Iterable) -> None:
        for a, b, jaccard, c_ab, c_ba, kind in rows:
            if a in self.urls and b in self.urls:
                self.matches.append(Match(self.urls[a], self.urls[b], jaccard, c_ab, c_ba, kind))

    def _add_attributions(self, rows: Iterable) -> None:
        for article_id, kind, sentence, name, url, outlet, stated_date, form, party in rows:
            if article_id not in self.urls:
                continue
            if not outlet:
                outlet = self.directory.resolve(url or name or "")
            party = party or self.outlet_kinds.get(outlet or "")
            if not party and kind in _WIRE_KINDS and outlet:
                party = "wire"
            self.attributions.append(
                Attribution(article=self.urls[article_id], kind=kind, sentence=sentence,
                            outlet=outlet, url=url, stated_date=stated_date, form=form,
                            source_kind=party, name=name,
                            source_in_store=self.outlet_in_store(outlet))
            )

    def provenance(self) -> Provenance:
        return decide_provenance(self.articles, self.matches, self.attributions)


_MATCH_SQL = "select a, b, jaccard, containment_a_in_b, containment_b_in_a, kind from matches"


def load_all(store: Store) -> Evidence:
    """Everything in the store."""
    evidence = Evidence(store)
    evidence._add_articles(store.db.execute(
        f"select {_ARTICLE_COLUMNS} from articles a left join outlets o on o.domain = a.outlet"
    ))
    evidence._add_matches(store.db.execute(_MATCH_SQL))
    evidence._add_attributions(store.db.execute(evidence.attribution_sql))
    return evidence


def load_ids(store: Store, ids: Iterable[int], *, like: Evidence | None = None) -> Evidence:
    """The articles ``ids``, the matches among them and their credits, each read in the
    store's own order (as :func:`load_all` reads them): deciding a set of whole story
    families this way gives the decisions the whole store gives them."""
    wanted = json.dumps(sorted(ids))
    evidence = Evidence(store, like=like)
    chosen = "(select value from json_each(?))"
    evidence._add_articles(store.db.execute(
        f"select {_ARTICLE_COLUMNS} from articles a left join outlets o on o.domain = a.outlet "
        f"where a.id in {chosen} order by a.id", [wanted]))
    evidence._add_matches(store.db.execute(
        f"{_MATCH_SQL} where a in {chosen} order by rowid", [wanted]))
    evidence._add_attributions(store.db.execute(
        f"{evidence.attribution_sql} where article_id in {chosen} order by id", [wanted]))
    return evidence


def family_ids(store: Store, article_id: int, limit: int = 5000) -> set[int]:
    """The article ids connected to ``article_id`` by text matches or attribution links."""
    seen = {article_id}
    queue = deque([article_id])
    db = store.db
    while queue and len(seen) < limit:
        current = queue.popleft()
        neighbours = [r[0] for r in db.execute(
            "select b from matches where a = ? union select a from matches where b = ?",
            [current, current])]
        # the sources this article credits by link, and the articles that credit it
        neighbours += [r[0] for r in db.execute(
            "select s.id from attributions t join articles s on s.url = t.url "
            "where t.article_id = ?", [current])]
        neighbours += [r[0] for r in db.execute(
            "select t.article_id from attributions t join articles a on a.url = t.url "
            "where a.id = ?", [current])]
        for other in neighbours:
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return seen


def load_family(store: Store, article_id: int) -> Evidence:
    """Only the story family of one article: what a lookup needs, fast on a large store."""
    ids = sorted(family_ids(store, article_id))
    marks = ",".join("?" * len(ids))
    evidence = Evidence(store)
    evidence._add_articles(store.db.execute(
        f"select {_ARTICLE_COLUMNS} from articles a left join outlets o on o.domain = a.outlet "
        f"where a.id in ({marks})", ids))
    evidence._add_matches(store.db.execute(f"{_MATCH_SQL} where a in ({marks})", ids))
    evidence._add_attributions(
        store.db.execute(f"{evidence.attribution_sql} where article_id in ({marks})", ids)
    )
    return evidence
