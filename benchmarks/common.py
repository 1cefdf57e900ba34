"""Helpers shared by the dedupe benchmarks: where the real data lives, how to load it."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
LABELS = REPO / "benchmarks" / "labels"
MULTIOUTLET = DATA / "articlecomparisons_multioutlet"
SEMEVAL = DATA / "semeval2022_task8_news_similarity"
CORPORA = ("helsinki", "census", "spotify")


@dataclass(frozen=True)
class Article:
    key: str  # "<corpus>:<id>"
    corpus: str
    publisher: str
    scraped: str
    text: str  # paragraphs separated by newlines


def require(path: Path) -> None:
    if not path.exists():
        sys.exit(f"Error: {path} not found; the real-data benchmarks need ../shared/data")


def load_multioutlet(corpora: tuple[str, ...] = CORPORA) -> list[Article]:
    """The ArticleComparisons corpora, in scrape order. Their paragraphs are separated by
    " ### " in the CSV; they are turned into line breaks like trafilatura's output."""
    require(MULTIOUTLET)
    csv.field_size_limit(1 << 30)
    articles = []
    for corpus in corpora:
        with open(MULTIOUTLET / f"{corpus}_articles.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                articles.append(
                    Article(
                        key=f"{corpus}:{row['id']}",
                        corpus=corpus,
                        publisher=row["publisher"],
                        scraped=row["scrape_time"],
                        text=row["text"].replace(" ### ", "\n"),
                    )
                )
    articles.sort(key=lambda a: (a.scraped, a.key))
    return articles
