"""Synthetic record sets with a fixed seed, for benchmarks and chart previews.

Outlets have very different sizes (a few big publishers, many small sites); stories start at
one outlet and are republished by others after a heavy-tailed lag; some republishers
credit their source more often than others; a share of copies copy a copy (chains).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from .records import Article, Attribution, Match

_START = datetime(2020, 1, 1, tzinfo=UTC)


def synthetic_records(
    articles: int,
    matches: int,
    *,
    outlets: int = 60,
    seed: int = 7,
    days: int = 365,
) -> tuple[list[Article], list[Match], list[Attribution]]:
    """About ``articles`` articles, ``matches`` match records and one attribution per credited copy."""
    rng = random.Random(seed)
    names = [f"outlet{i:03d}.test" for i in range(outlets)]
    size = [1.0 / (i + 1) ** 0.9 for i in range(outlets)]  # Zipf-like outlet sizes
    credit_rate = [rng.choice((0.05, 0.3, 0.6, 0.95)) for _ in range(outlets)]
    # Republishers tend to copy the same few sources: each outlet has favourite sources.
    favourites = [rng.sample(range(outlets), k=min(4, outlets)) for _ in range(outlets)]
    result: list[Article] = []
    found: list[Match] = []
    credits: list[Attribution] = []
    counter = 0

    def new_article(outlet: int, when: datetime) -> Article:
        nonlocal counter
        counter += 1
        url = f"https://{names[outlet]}/{when:%Y/%m/%d}/story-{counter}"
        article = Article(
            url,
            names[outlet],
            f"Story {counter}",
            when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "jsonld",
            None,
            names[outlet].split(".")[0].title(),
        )
        result.append(article)
        return article

    while len(found) < matches and len(result) < articles:
        origin_outlet = rng.choices(range(outlets), weights=size)[0]
        when = _START + timedelta(minutes=rng.randrange(days * 24 * 60))
        origin = new_article(origin_outlet, when)
        members = [(origin, origin_outlet)]
        for _ in range(min(int(rng.paretovariate(1.6)), 8)):
            if len(found) >= matches:
                break
            copier = (
                rng.choice(favourites[origin_outlet])
                if rng.random() < 0.7
                else rng.randrange(outlets)
            )
            if copier == origin_outlet:
                continue
            source, source_outlet = members[-1] if rng.random() < 0.15 else members[0]
            lag = timedelta(hours=rng.lognormvariate(2.5, 1.3))
            copy = new_article(copier, datetime.fromisoformat(source.published_at) + lag)
            similarity = round(rng.uniform(0.55, 0.99), 3)
            found.append(
                Match(
                    copy.url,
                    source.url,
                    similarity,
                    round(min(1.0, similarity + rng.uniform(0, 0.1)), 3),
                    round(min(1.0, similarity + rng.uniform(0, 0.1)), 3),
                )
            )
            if rng.random() < credit_rate[copier]:
                credits.append(
                    Attribution(
                        copy.url,
                        "original-source",
                        f"The original source of this article is {names[source_outlet]}",
                        names[source_outlet],
                        source.url if rng.random() < 0.6 else None,
                    )
                )
            members.append((copy, copier))
    while len(result) < articles:
        outlet = rng.choices(range(outlets), weights=size)[0]
        new_article(outlet, _START + timedelta(minutes=rng.randrange(days * 24 * 60)))
    return result, found, credits
