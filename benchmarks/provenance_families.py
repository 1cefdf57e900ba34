"""Who copied whom on the ArticleComparisons wire copies: ingest the corpus with the real
``crosspost ingest`` into a temporary store, read the decisions (``crawler.records.load_all``
then ``graph.decide_provenance``) and score them against benchmarks/labels/wire_families.csv.

Scores: the share of ``copied_from`` links with evidence *between their two articles* (their
own verified match over the matcher's thresholds, or a credit on the copy naming the source),
the decided families that merge different labelled stories, and origin accuracy (the agency
named as origin when copies credit it; the in-store original when the corpus holds it).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.provenance_credits import MULTIOUTLET, ac_url
from benchmarks.provenance_labels import (
    FamilyLabel,
    load_family_labels,
    ratio,
    same_party,
    stories_merged,
)

REPO = Path(__file__).resolve().parents[1]
CROSSPOST = Path(sys.executable).with_name("crosspost")
# Pages of news.google.com are listings of other outlets' headlines, not articles.
EXCLUDED_PUBLISHERS = {"news.google.com"}
#: Where an agency's own articles live: if the corpus holds one, it is the in-store origin.
HOME = {
    "AP": "apnews.com", "Reuters": "reuters.com", "AFP": "afp.com", "CNN": "cnn.com",
    "Bloomberg": "bloomberg.com", "The Washington Post": "washingtonpost.com",
    "New York Post": "nypost.com",
}  # fmt: skip
NOT_AVAILABLE = "not available"


def write_corpus(path: Path) -> dict[str, str]:
    """The corpus as ingest JSONL (url, text, outlet, fetched_at); returns url -> key."""
    csv.field_size_limit(sys.maxsize)
    keys = {}
    with open(path, "w", encoding="utf-8") as out:
        for corpus in ("helsinki", "census", "spotify"):
            with open(MULTIOUTLET / f"{corpus}_articles.csv", newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    if row["publisher"] in EXCLUDED_PUBLISHERS:
                        continue
                    key = f"{corpus}:{row['id']}"
                    url = ac_url(key, row["publisher"])
                    keys[url] = key
                    out.write(json.dumps({
                        "url": url, "text": row["text"].replace(" ### ", "\n"),
                        "fetched_at": row["scrape_time"],
                    }) + "\n")  # fmt: skip
    return keys


def ingest(db: Path, corpus: Path) -> float:
    started = time.monotonic()
    command = [str(CROSSPOST), "ingest", str(corpus), "--db", str(db), "--silent", "--jobs", "1"]
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=1200, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"crosspost ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.monotonic() - started


def _thresholds() -> tuple[float, float]:
    from dedupe.verify import Thresholds

    t = Thresholds()
    return t.near_duplicate, t.containment


def run() -> dict:
    labels = load_family_labels()
    with tempfile.TemporaryDirectory(prefix="crosspost-bench-") as tmp:
        corpus, db = Path(tmp) / "corpus.jsonl", Path(tmp) / "bench.db"
        url_key = write_corpus(corpus)
        seconds = ingest(db, corpus)
        from crawler.records import load_all
        from crawler.store import Store

        store = Store(str(db))
        try:
            evidence = load_all(store)
            started = time.monotonic()
            prov = evidence.provenance()
            decide_seconds = time.monotonic() - started
            ids = {url: i for url, i in store.db.execute("select url, id from articles")}
            pair_rows = list(
                store.db.execute(
                    "select a, b, jaccard, containment_a_in_b, containment_b_in_a from matches"
                )
            )
            credits: dict[str, list[tuple]] = {}
            by_id = {i: url for url, i in ids.items()}
            for article_id, kind, name, url, outlet in store.db.execute(
                "select article_id, kind, name, url, outlet from attributions"
            ):
                credits.setdefault(by_id.get(article_id, ""), []).append((kind, name, url, outlet))
        finally:
            store.db.close()
    result = score(prov, url_key, labels, pair_rows, ids, credits)
    result["ingest_seconds"] = round(seconds, 1)
    result["decide_seconds"] = round(decide_seconds, 2)
    return result


def score(
    prov,
    url_key: dict[str, str],
    labels: dict[str, FamilyLabel],
    pair_rows,
    ids,
    credits: dict[str, list[tuple]],
) -> dict:
    """Evidence per link, merged stories, origin accuracy, from the decided ``prov``."""
    near, contain = _thresholds()
    verified: set[frozenset] = set()
    for a, b, jaccard, c_ab, c_ba in pair_rows:
        if (jaccard or 0) >= near or max(c_ab or 0, c_ba or 0) >= contain:
            verified.add(frozenset((a, b)))
    external = getattr(prov, "external", None)
    links = with_text = with_credit = 0
    bare = []
    for family, link in prov.links():
        if link.copied_from is None:
            continue
        links += 1
        source = link.copied_from
        ext = (external or {}).get(source) if external is not None else None
        pair = frozenset((ids.get(link.url), ids.get(source)))
        if ext is None and None not in pair and pair in verified:
            with_text += 1
            continue
        if _credits_source(credits.get(link.url, []), source, ext, prov):
            with_credit += 1
            continue
        bare.append({
            "copy": url_key.get(link.url, link.url), "copied_from": url_key.get(source, source),
            "basis": list(link.basis), "confidence": round(link.confidence, 2),
        })  # fmt: skip
    # An article the decisions place in several families (a roundup, a page carrying two
    # stories) is a copy in each by design; only the other members can merge stories.
    bridges = set(getattr(prov, "bridges", {}) or {})
    families = [[url_key.get(m, m) for m in f.members if m not in bridges] for f in prov.families]
    merged = stories_merged(families, labels)
    origins = origin_accuracy(prov, url_key, labels)
    return {
        "articles": len(url_key),
        "families": len(prov.families),
        "links": links,
        "links_with_text": with_text,
        "links_with_credit": with_credit,
        "links_with_evidence": ratio(with_text + with_credit, links),
        "links_without_evidence": bare,
        "families_merging_stories": len(merged),
        "bridge_articles": len(bridges),
        "merged_stories": [sorted(s) for s in merged],
        "labelled_stories": len({lb.labelled_story for lb in labels.values()} - {None}),
        **origins,
    }


def _credits_source(rows: list[tuple], source: str, ext, prov) -> bool:
    """Whether a credit stored for the copy names ``source`` (an article or an outside origin)."""
    if ext is not None:
        names = [ext.name, ext.outlet, ext.url]
        return any(
            same_party(n, (name, outlet, url)) for _, name, url, outlet in rows for n in names if n
        )
    article = prov.articles.get(source)
    outlet = getattr(article, "outlet", None)
    return any(url == source or (outlet and o == outlet) for _, _, url, o in rows)


def origin_accuracy(prov, url_key: dict[str, str], labels: dict[str, FamilyLabel]) -> dict:
    """Per labelled story whose copies credit its agency: does its family's origin name it?"""
    key_url = {k: u for u, k in url_key.items()}
    has_external = hasattr(prov, "external") and all(
        hasattr(f, "external") for f in prov.families[:1]
    )
    stories: dict[str, list[FamilyLabel]] = {}
    for label in labels.values():
        if label.labelled_story and label.agency and label.key in key_url:
            stories.setdefault(label.labelled_story, []).append(label)
    rows, right, checked, baseline = [], 0, 0, 0
    under_hits = under_total = 0
    for story, members in sorted(stories.items()):
        agency = members[0].agency
        home = [m for m in members if m.publisher.split("/")[0] == HOME.get(agency)]
        crediting = [m for m in members if m.credits]
        if not home and not crediting:
            continue  # nothing a reader sees names the origin: no ground truth
        # What crosspost answered before origins outside the store: the earliest member.
        earliest = min(
            (key_url[m.key] for m in members),
            key=lambda u: (getattr(prov.articles.get(u), "first_seen", None) or "", u),
        )
        baseline += bool(home) and earliest in {key_url[m.key] for m in home}
        fams = Counter(prov.family_of.get(key_url[m.key]) for m in members)
        fams.pop(None, None)
        if not fams:
            rows.append({"story": story, "agency": agency, "decided": "no family", "right": False})
            checked += 1
            continue
        family = prov.families[fams.most_common(1)[0][0]]
        ext = getattr(family, "external", None)
        if home:
            expected = {key_url[m.key] for m in home}
            ok = family.origin in expected
            decided = url_key.get(family.origin, family.origin)
        elif not has_external:
            rows.append({"story": story, "agency": agency, "decided": NOT_AVAILABLE, "right": None})
            continue
        else:
            ok = ext is not None and same_party(agency, (ext.name, ext.outlet, ext.url))
            decided = (
                f"{ext.name} (outside the store)"
                if ext
                else url_key.get(family.origin, family.origin)
            )
            for m in crediting:
                link = family.links.get(key_url[m.key])
                if link is not None:
                    under_total += 1
                    under_hits += link.copied_from == family.origin
        checked += 1
        right += bool(ok)
        rows.append(
            {
                "story": story,
                "agency": agency,
                "members": len(members),
                "crediting": len(crediting),
                "decided": decided,
                "right": bool(ok),
            }
        )
    return {
        "origin_stories": checked,
        "origin_right": right,
        "origin_accuracy": ratio(right, checked),
        "baseline_origin_accuracy": ratio(baseline, checked),
        "origin_external_available": has_external,
        "crediting_copies_under_origin": ratio(under_hits, under_total),
        "origins": rows,
    }
