"""Publication times as evidence: parsing, and how strong each kind of date is.

Who was first is decided on the strongest date an article has: a date from the page itself
beats a date another page states for it ("South Front 27 October 2020"), which beats a
sitemap or feed ``lastmod``, which beats the time the crawler first saw the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .records import Article

# Rank 0 is the strongest. The labels double as ``basis`` entries in provenance decisions.
PAGE, STATED, LASTMOD, FIRST_SEEN, NO_DATE = 0, 1, 2, 3, 4
LABELS = {
    PAGE: "published_at",
    STATED: "stated_date",
    LASTMOD: "lastmod",
    FIRST_SEEN: "first_seen",
    NO_DATE: "no_date",
}
_WEAK_SOURCES = {"sitemap", "lastmod", "feed", "rss", "atom", "sitemap_lastmod"}
_STATED_SOURCES = {"stated", "stated_date", "attribution"}
_TEXT_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y/%m/%d")


@dataclass(frozen=True, slots=True)
class TimeEvidence:
    """A point in time (UTC), how strong the evidence is (module ranks), and its precision.

    A date without a time (``day_only``) means "some time that day": it is stored as midnight
    but only counts as earlier than another time when the whole day is.
    """

    when: datetime | None
    rank: int
    day_only: bool = False

    @property
    def latest(self) -> datetime | None:
        if self.when is None or not self.day_only:
            return self.when
        return self.when + timedelta(days=1) - timedelta(microseconds=1)

    def before(self, other: TimeEvidence) -> bool:
        """Whether this time is certainly earlier than ``other`` (both dated)."""
        if self.when is None or other.when is None:
            return False
        return self.latest < other.when

    @property
    def label(self) -> str:
        return LABELS[self.rank]

    def sort_key(self) -> tuple[int, float, int]:
        """Earliest first; articles without any date last."""
        if self.when is None:
            return (1, 0.0, self.rank)
        return (0, self.when.timestamp(), self.rank)


NO_TIME = TimeEvidence(None, NO_DATE)


def parse_time(value: str | None) -> datetime | None:
    """Parse an ISO-8601 date or timestamp (or "27 October 2020") to an aware UTC datetime.

    Returns ``None`` for anything unparseable: a bad date is missing evidence, not an error.
    """
    return parse_time_precision(value)[0]


def parse_time_precision(value: str | None) -> tuple[datetime | None, bool]:
    """Like :func:`parse_time`, also telling whether the value was a date without a time."""
    if not value or not isinstance(value, str):
        return None, False
    text = value.strip()
    day_only = False
    try:
        when = datetime.fromisoformat(text)
        day_only = len(text) <= 10
    except ValueError:
        when = None
        for fmt in _TEXT_FORMATS:
            try:
                when = datetime.strptime(text, fmt)
                day_only = True
                break
            except ValueError:
                continue
        if when is None:
            return None, False
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC), day_only
    return when.astimezone(UTC), day_only


def date_rank(date_source: str | None) -> int:
    """Rank of a ``published_at`` value by the source that gave it."""
    source = (date_source or "").strip().lower()
    if source in _WEAK_SOURCES:
        return LASTMOD
    if source in _STATED_SOURCES:
        return STATED
    return PAGE


def best_time(article: Article, stated: list[str] | None = None) -> TimeEvidence:
    """The strongest time evidence for ``article``; ``stated`` are dates other pages give it."""
    candidates: list[TimeEvidence] = []
    when, day_only = parse_time_precision(article.published_at)
    if when is not None:
        candidates.append(TimeEvidence(when, date_rank(article.date_source), day_only))
    for value in stated or ():
        when, day_only = parse_time_precision(value)
        if when is not None:
            candidates.append(TimeEvidence(when, STATED, day_only))
    when, day_only = parse_time_precision(article.first_seen)
    if when is not None:
        candidates.append(TimeEvidence(when, FIRST_SEEN, day_only))
    if not candidates:
        return NO_TIME
    # Strongest rank wins; among equals (several stated dates) the earliest.
    return min(candidates, key=lambda t: (t.rank, t.when))


def lag_hours(source: TimeEvidence, copy: TimeEvidence) -> float | None:
    """Hours from the source's time to the copy's time (negative when the copy is dated first)."""
    if source.when is None or copy.when is None:
        return None
    if source.day_only or copy.day_only:
        # Compare at the coarser precision: a day-only date has no hour to subtract.
        return float((copy.when.date() - source.when.date()).days * 24)
    return round((copy.when - source.when).total_seconds() / 3600.0, 2)


def iso(when: datetime | None, day_only: bool = False) -> str | None:
    """ISO-8601 text in UTC with a ``Z``, or ``YYYY-MM-DD`` for a date without a time."""
    if when is None:
        return None
    when = when.astimezone(UTC)
    if day_only:
        return when.date().isoformat()
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def time_iso(time: TimeEvidence) -> str | None:
    """ISO text of a :class:`TimeEvidence` at its own precision."""
    return iso(time.when, time.day_only)
