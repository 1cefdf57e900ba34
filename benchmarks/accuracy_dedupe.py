"""Accuracy of the dedupe Matcher on real multi-outlet news.

    python benchmarks/accuracy_dedupe.py            # evaluate against the committed labels
    python benchmarks/accuracy_dedupe.py --relabel  # regenerate the automatic labels

Data: ../shared/data/articlecomparisons_multioutlet (Helsinki summit, census, Spotify:
680 articles, 75+ outlets, real wire copies and same-event non-copies) and
../shared/data/semeval2022_task8_news_similarity/articles_subset (same-story pairs).

Labels (benchmarks/labels/multioutlet_pairs.csv, ids and decisions only) are made
independently of the matcher: words are ``\\w+`` runs of the raw lower-cased text; a
publisher's paragraphs repeated verbatim in 3+ of its articles and shorter than 40 words
are dropped; the *coverage* of a pair is the share of the smaller text's word positions
covered by some 8-word run that also occurs in the other text. Coverage >= 0.6 is a copy,
< 0.4 is not; pairs in between, and pairs where the automatic label and the matcher
disagree, were read and decided by hand ("manual" rows, with the reason). Pairs that
share no 8-word run at all are not copies and are not listed. Pages of news.google.com
are aggregator listings (headlines and snippets of other outlets), not articles, and pairs
involving them are excluded.
"""

from __future__ import annotations

import argparse
import collections
import csv
import itertools
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import LABELS, SEMEVAL, Article, load_multioutlet
from dedupe import Matcher, overlap

LABEL_FILE = LABELS / "multioutlet_pairs.csv"
EXCLUDED_PUBLISHERS = {"news.google.com"}
_WORD = re.compile(r"\w+")
RUN = 8


def _label_words(articles: list[Article]) -> dict[str, list[str]]:
    repeated = collections.Counter()
    for a in articles:
        for p in {p.strip() for p in a.text.split("\n")}:
            repeated[(a.publisher, p)] += 1
    out = {}
    for a in articles:
        words: list[str] = []
        for p in a.text.split("\n"):
            p = p.strip()
            if repeated[(a.publisher, p)] >= 3 and len(p.split()) < 40:
                continue
            words.extend(_WORD.findall(p.lower()))
        out[a.key] = words
    return out


def _coverage(small: list[str], large_runs: set[tuple[str, ...]]) -> float:
    if not small:
        return 0.0
    covered = [False] * len(small)
    for i in range(len(small) - RUN + 1):
        if tuple(small[i : i + RUN]) in large_runs:
            covered[i : i + RUN] = [True] * RUN
    return sum(covered) / len(small)


def relabel(articles: list[Article]) -> None:
    """Write automatic labels for every same-corpus pair sharing an 8-word run, keeping
    the manual decisions already in the file."""
    manual = {}
    if LABEL_FILE.exists():
        with open(LABEL_FILE, newline="") as f:
            for row in csv.DictReader(f):
                if row["method"] == "manual":
                    manual[(row["key_a"], row["key_b"])] = row
    words = _label_words(articles)
    runs = {k: {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)} for k, w in words.items()}
    corpus = {a.key: a.corpus for a in articles}
    postings = collections.defaultdict(list)
    for key, grams in runs.items():
        for g in grams:
            postings[g].append(key)
    pairs = set()
    for keys in postings.values():
        if len(keys) <= 100:
            pairs.update(
                (a, b) for a, b in itertools.combinations(sorted(keys), 2) if corpus[a] == corpus[b]
            )
    rows = []
    for a, b in sorted(pairs):
        small, large = (a, b) if len(words[a]) <= len(words[b]) else (b, a)
        cov = _coverage(words[small], runs[large])
        if (a, b) in manual:
            rows.append({**manual[(a, b)], "coverage": f"{cov:.3f}"})
            continue
        if cov >= 0.6:
            label, reason = "copy", "coverage>=0.6"
        elif cov < 0.4:
            if cov < 0.1:
                continue  # a shared quote or stock phrase: obviously not a copy
            label, reason = "not-copy", "coverage<0.4"
        else:
            label, reason = "review", "0.4<=coverage<0.6"
        rows.append(
            {"key_a": a, "key_b": b, "label": label, "method": "auto",
             "coverage": f"{cov:.3f}", "reason": reason}
        )  # fmt: skip
    listed = {(r["key_a"], r["key_b"]) for r in rows}
    rows.extend(r for pair, r in manual.items() if pair not in listed)
    LABELS.mkdir(parents=True, exist_ok=True)
    with open(LABEL_FILE, "w", newline="") as f:
        writer = csv.DictWriter(f, ["key_a", "key_b", "label", "method", "coverage", "reason"])
        writer.writeheader()
        writer.writerows(rows)
    counts = collections.Counter(r["label"] for r in rows)
    print(f"wrote {len(rows)} pairs to {LABEL_FILE}: {dict(counts)}", file=sys.stderr)


def load_labels() -> dict[tuple[str, str], dict[str, str]]:
    if not LABEL_FILE.exists():
        sys.exit(f"Error: {LABEL_FILE} missing; run with --relabel")
    with open(LABEL_FILE, newline="") as f:
        return {(r["key_a"], r["key_b"]): r for r in csv.DictReader(f)}


def run_matcher(articles: list[Article], matcher: Matcher) -> tuple[dict, dict]:
    """Matches found online (at add time, in scrape order) and after a final `rematch`
    of every article with the boilerplate learnt from the whole corpus."""
    online = {}
    for a in articles:
        for m in matcher.add(a.key, a.text, a.publisher):
            online[tuple(sorted((m.key_a, m.key_b)))] = m
    final = {}
    for a in articles:
        for m in matcher.rematch(a.key):
            final[tuple(sorted((m.key_a, m.key_b)))] = m
    return online, final


def evaluate_multioutlet(show_errors: bool) -> list[tuple[str, str]]:
    articles = load_multioutlet()
    publisher = {a.key: a.publisher for a in articles}
    labels = load_labels()
    excluded = {
        p for p in labels
        if publisher[p[0]] in EXCLUDED_PUBLISHERS or publisher[p[1]] in EXCLUDED_PUBLISHERS
    }  # fmt: skip
    positives = {p for p, r in labels.items() if r["label"] == "copy" and p not in excluded}
    undecided = {p for p, r in labels.items() if r["label"] == "review"}
    matcher = Matcher()
    started = time.perf_counter()
    online, found = run_matcher(articles, matcher)
    elapsed = time.perf_counter() - started
    rows = [
        ("articles", str(len(articles))),
        ("labelled copy pairs", str(len(positives))),
        ("labelled not-copy pairs (listed)", str(sum(r["label"] == "not-copy" for r in labels.values()))),
        ("undecided (review) pairs, ignored", str(len(undecided))),
        ("excluded aggregator pairs", str(len(excluded))),
        ("add + rematch time", f"{elapsed:.1f} s"),
    ]  # fmt: skip
    for name, result in (("online", online), ("after rematch", found)):
        predicted = {
            p for p in result
            if publisher[p[0]] not in EXCLUDED_PUBLISHERS
            and publisher[p[1]] not in EXCLUDED_PUBLISHERS and p not in undecided
        }  # fmt: skip
        tp = len(predicted & positives)
        fp = sorted(predicted - positives)
        fn = sorted(positives - predicted)
        kinds = collections.Counter(result[p].kind for p in predicted & positives)
        rows += [
            (f"{name}: matches / TP / FP / FN", f"{len(predicted)} / {tp} / {len(fp)} / {len(fn)}"),
            (f"{name}: precision", f"{tp / len(predicted):.3f}" if predicted else "n/a"),
            (f"{name}: recall", f"{tp / len(positives):.3f}" if positives else "n/a"),
            (f"{name}: kinds of true matches", ", ".join(f"{k}={v}" for k, v in sorted(kinds.items()))),
        ]  # fmt: skip
    matched_review = sum(1 for p in undecided if p in found)
    rows.append(("undecided pairs the matcher reports", f"{matched_review} / {len(undecided)}"))
    _table("ArticleComparisons (helsinki + census + spotify)", rows)
    if show_errors:
        for name, pairs in (("false positive", fp), ("false negative", fn)):
            for p in pairs:
                m = found.get(p)
                detail = f"J={m.jaccard} c={m.containment}" if m else _explain(matcher, p)
                print(f"{name}: {p[0]} {p[1]} cov={labels.get(p, {}).get('coverage')} {detail}")
    return fp + fn


def _explain(matcher: Matcher, pair: tuple[str, str]) -> str:
    a, b = matcher._shingles_for(pair[0]), matcher._shingles_for(pair[1])
    if a is None or b is None:
        return "unknown key"
    ov = overlap(a, b)
    return f"J={ov.jaccard:.3f} c={max(ov.containment_a_in_b, ov.containment_b_in_a):.3f} sizes={ov.size_a},{ov.size_b}"


def evaluate_semeval() -> None:
    path = SEMEVAL / "articles_subset" / "articles.jsonl"
    if not path.exists():
        print(f"(skipped SemEval: {path} not found)")
        return
    articles = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            articles[str(rec["id"])] = rec
    with open(SEMEVAL / "articles_subset" / "pairs.csv", newline="") as f:
        pairs = [row["pair_id"].split("_") for row in csv.DictReader(f)]
    # Texts copied from one AP story (shared verbatim text) versus independent reports.
    copies = {("1484452604", "1484380370"), ("1502772737", "1502868502")}
    rows = []
    false_matches = independent = 0
    for a, b in pairs:
        matcher = Matcher()
        matcher.add(a, articles[a]["text"], articles[a].get("source_url"))
        result = matcher.add(b, articles[b]["text"], articles[b].get("source_url"))
        m = result[0] if result else None
        is_copy = (a, b) in copies
        if not is_copy:
            independent += 1
            false_matches += m is not None
        verdict = f"{m.kind} J={m.jaccard} c={m.containment}" if m else "no match"
        rows.append((f"{a}_{b} ({'shared AP text' if is_copy else 'independent'})", verdict))
    rows.append(
        ("false-match rate on independent same-story pairs", f"{false_matches}/{independent}")
    )
    _table("SemEval-2022 task 8 text subset (all pairs: same story, Overall=1)", rows)


def _table(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n{title}\n" + "-" * (width + 30))
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--relabel", action="store_true", help="regenerate automatic labels")
    parser.add_argument("--errors", action="store_true", help="list false positives/negatives")
    args = parser.parse_args()
    if args.relabel:
        relabel(load_multioutlet())
    evaluate_multioutlet(args.errors)
    evaluate_semeval()


if __name__ == "__main__":
    main()
