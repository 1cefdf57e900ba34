"""Publication dates from a page, each with the source that gave it.

Dates decide who published first, so every date carries where it came from. Several sources
are read (JSON-LD, meta tags, microdata, the article header's ``<time>``, htmldate, the URL
path) and combined: a day that two independent sources agree on beats a lone one, and among
equals the more reliable kind of source wins. Values are normalised to UTC ISO-8601 when the
page gives a time with its offset, and kept as a bare day otherwise.

trafilatura's metadata date is htmldate run with ``original_date=True``, so it is not counted
as a separate vote: agreeing with itself would look like two sources. htmldate runs here with
the same settings trafilatura uses.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "report",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "liveblogposting",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
    "posting",
    "videoobject",
    "webpage",
}
EARLIEST = date(1995, 1, 1)
# Lower is more trusted when sources disagree without a majority; measured on real pages
# (benchmarks/accuracy_dates.py).
PRIORITY = ("jsonld", "meta", "microdata", "time", "htmldate", "url")
_META_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "published_time",
    "article.published",
    "article_date_original",
    "datepublished",
    "date.published",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "publication-date",
    "pubdate",
    "pub_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
    "original-publish-date",
    "citation_publication_date",
    "rnews:datepublished",
    "date",
    "iso-8601-publish-date",
    "article:post_date",
    "bt:pubdate",
)
_META_RANK = {name: i for i, name in enumerate(_META_NAMES)}
_ISOISH = re.compile(
    r"(?P<y>(?:19|20)\d{2})-?(?P<m>[01]\d)-?(?P<d>[0-3]\d)"
    r"(?:[T ](?P<H>[0-2]\d):?(?P<M>[0-5]\d)(?::?(?P<S>[0-5]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-][01]\d(?::?[0-5]\d)?)?)?"
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?([01]\d)[/-]?([0-3]\d)(?:/|[-_]|\.html?|$)")


@dataclass(frozen=True)
class DateEvidence:
    """An ISO-8601 date (``YYYY-MM-DD`` or UTC timestamp) and the source that stated it.

    ``agree`` lists the other sources that gave the same day.
    """

    value: str
    source: str
    agree: tuple[str, ...] = ()

    @property
    def day(self) -> str:
        return self.value[:10]


@dataclass(frozen=True)
class _Candidate:
    source: str
    moment: datetime | None  # aware, when the page gave a time and an offset
    local_day: date  # the day as written on the page
    rank: int = 0  # order within a source (which meta tag)

    def evidence(self, agree: tuple[str, ...] = ()) -> DateEvidence:
        if self.moment is not None:
            value = self.moment.astimezone(UTC).isoformat()
        else:
            value = self.local_day.isoformat()
        return DateEvidence(value, self.source, agree)


def parse_datetime(value: str | None) -> tuple[datetime | None, date] | None:
    """(aware moment or None, local day) from an ISO-like string; None when no date is found."""
    if not value or not isinstance(value, str):
        return None
    m = _ISOISH.search(value.strip())
    if not m:
        return None
    try:
        day = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if not (m["H"] and m["tz"]):
        return None, day
    tz = m["tz"]
    if tz in ("Z", "UTC", "GMT"):
        offset = timedelta(0)
    else:
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        offset = -offset if tz[0] == "-" else offset
    try:
        moment = datetime(
            day.year,
            day.month,
            day.day,
            int(m["H"]),
            int(m["M"]),
            int(m["S"] or 0),
            tzinfo=timezone(offset),
        )
    except ValueError:
        return None, day
    return moment, day


def _candidate(source: str, value: str | None, rank: int = 0) -> _Candidate | None:
    parsed = parse_datetime(value)
    if parsed is None:
        return None
    return _Candidate(source, parsed[0], parsed[1], rank)


def _jsonld_objects(tree) -> list[dict]:
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            # Some sites leave raw control characters inside strings.
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", script))
            except ValueError:
                continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(reversed(obj))
            elif isinstance(obj, dict):
                found.append(obj)
                for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                    if isinstance(obj.get(key), (dict, list)):
                        stack.append(obj[key])
    return found


def _types(obj: dict) -> set[str]:
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return {t.lower() for t in types if isinstance(t, str)}


def jsonld_published(tree) -> str | None:
    """``datePublished`` of the page's article object in JSON-LD (``@graph`` included)."""
    best = None
    for obj in _jsonld_objects(tree):
        value = obj.get("datePublished") or obj.get("dateCreated")
        if not isinstance(value, str) or not value.strip():
            continue
        types = _types(obj)
        # An article object beats a WebPage, which may carry the page's creation date.
        if types & (_ARTICLE_TYPES - {"webpage"}):
            return value.strip()
        if best is None:
            best = value.strip()
    return best


def _meta_candidates(tree) -> list[_Candidate]:
    found = []
    for el in tree.xpath("//meta[@content]"):
        key = (
            el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or ""
        ).lower()
        if key in _META_RANK:
            c = _candidate("meta", el.get("content"), _META_RANK[key])
            if c:
                found.append(c)
    found.sort(key=lambda c: c.rank)
    return found[:1]


def _microdata_candidates(tree) -> list[_Candidate]:
    for el in tree.xpath('//*[@itemprop="datePublished"][not(self::meta)]'):
        c = _candidate("microdata", el.get("datetime") or el.get("content") or el.text_content())
        if c:
            return [c]
    return []


def _time_candidates(tree) -> list[_Candidate]:
    # The first <time> of the article header, not of a teaser list or a comment.
    paths = (
        "//article//header//time[@datetime]",
        "//time[@pubdate][@datetime]",
        '//time[@datetime][contains(@class, "publish") or contains(@class, "posted") or contains(@class, "entry-date")]',
        "//article//time[@datetime]",
        "//main//time[@datetime]",
    )
    for path in paths:
        for el in tree.xpath(path):
            if re.search(
                r"modif|updat", el.get("class", "") + el.get("itemprop", ""), re.IGNORECASE
            ):
                continue
            c = _candidate("time", el.get("datetime"))
            if c:
                return [c]
    return []


def _url_candidate(url: str | None) -> list[_Candidate]:
    m = _URL_DATE.search(url or "")
    if not m:
        return []
    try:
        return [_Candidate("url", None, date(int(m[1]), int(m[2]), int(m[3])))]
    except ValueError:
        return []


def _htmldate_candidate(tree, url: str | None, upper: date) -> list[_Candidate]:
    try:
        found = find_date(
            tree, original_date=True, extensive_search=True, url=url, max_date=upper.isoformat()
        )
    except Exception as exc:
        logger.debug("htmldate failed on %s: %s", url, exc)
        return []
    c = _candidate("htmldate", found)
    return [c] if c else []


def date_candidates(
    html: str, url: str | None = None, tree=None, now: datetime | None = None
) -> list[_Candidate]:
    """Every plausible publication date on the page, one per source, sane ones only."""
    if tree is None:
        try:
            tree = lxml_html.fromstring(html)
        except (ValueError, etree.ParserError):
            return []
    upper = (now or datetime.now(UTC)).date() + timedelta(days=1)  # a page ahead of UTC
    found = _candidate("jsonld", jsonld_published(tree))
    candidates = [found] if found else []
    for collect in (_meta_candidates, _microdata_candidates, _time_candidates):
        candidates += collect(tree)
    candidates += _url_candidate(url)
    candidates += _htmldate_candidate(tree, url, upper)
    return [c for c in candidates if EARLIEST <= c.local_day <= upper]


def choose(candidates: list[_Candidate]) -> DateEvidence | None:
    """The day most sources agree on; ties go to the more trusted source."""
    if not candidates:
        return None
    by_day: dict[date, list[_Candidate]] = {}
    for c in candidates:
        by_day.setdefault(c.local_day, []).append(c)

    def best(group: list[_Candidate]) -> _Candidate:
        return min(group, key=lambda c: PRIORITY.index(c.source))

    def score(day: date) -> tuple[int, int]:
        return (len({c.source for c in by_day[day]}), -PRIORITY.index(best(by_day[day]).source))

    day = max(by_day, key=score)
    # The sources agree on the day; the most trusted one that also gives the time is reported.
    timed = [c for c in by_day[day] if c.moment is not None]
    chosen = best(timed or by_day[day])
    agree = tuple(sorted({c.source for c in by_day[day]} - {chosen.source}, key=PRIORITY.index))
    return chosen.evidence(agree)


def published_date(
    html: str, url: str | None = None, tree=None, now: datetime | None = None
) -> DateEvidence | None:
    """The page's own publication date, with its source; ``now`` bounds it (default: the clock)."""
    return choose(date_candidates(html, url, tree, now))
