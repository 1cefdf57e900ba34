"""Benchmark: milliseconds per article of the credit parser on real pages, against an earlier
version of the same parser in the same run.

    python benchmarks/bench_credits.py                  # every page; baseline: the previous
                                                        # commit that changed the parser
    python benchmarks/bench_credits.py --quick          # a sample of each corpus
    python benchmarks/bench_credits.py --baseline REV   # any git revision as the baseline
    python benchmarks/bench_credits.py --ingest 3000    # also the ingest benchmark's corpus

The pages are the fundus test pages and the trafilatura evaluation pages (HTML: extracted
once, untimed, as ingest extracts them) and the FakeNewsCorpus sample (text records). What is
timed is what extraction spends on credits for one article: ``find_attributions`` on the text
and the page's HTML as ``read_page`` made it, and ``attribution_lines`` on the text (one call
to ``credits_with_lines`` in versions that have it, as extraction makes). The
baseline is ``crawler/extract/credits`` at REV, taken out with ``git archive`` and imported
under another name; both versions run on the same pages, interleaved, best of three passes.
The last column counts pages where the two versions' results differ (it should be 0 when
only speed changed). ``--ingest N`` adds N records of ``bench_ingest``'s generated corpus,
read as ``crosspost ingest`` reads a text record (its credits and credit lines, from the text
alone).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.common import DATA, require  # noqa: E402

FUNDUS = DATA / "fundus_parser_testdata" / "test_data"
TRAFILATURA = DATA / "trafilatura_eval_en"
FAKENEWS = DATA / "fakenewscorpus_sample" / "news_sample.csv"
PACKAGE = "crawler/extract/credits"
QUICK = 40  # pages per corpus with --quick


def fundus_pages(limit: int | None) -> list[dict[str, Any]]:
    pages = []
    for meta in sorted(FUNDUS.glob("*/meta.info")):
        for name, info in sorted(json.loads(meta.read_text(encoding="utf-8")).items()):
            path = meta.parent / name
            if path.exists():
                html = gzip.open(path).read().decode("utf-8", "replace")
                pages.append({"url": info["url"], "html": html})
    return pages[:limit] if limit else pages


def trafilatura_pages(limit: int | None) -> list[dict[str, Any]]:
    index = json.loads((TRAFILATURA / "evaldata_en.json").read_text(encoding="utf-8"))
    pages = []
    for url, entry in sorted(index.items()):
        path = TRAFILATURA / entry["path"]
        if path.exists():
            pages.append({"url": url, "html": path.read_bytes().decode("utf-8", "replace")})
    return pages[:limit] if limit else pages


def fakenews_texts(limit: int | None) -> list[dict[str, Any]]:
    csv.field_size_limit(1 << 30)
    with open(FAKENEWS, newline="", encoding="utf-8") as fh:
        rows = [{"url": r["url"], "text": r["content"]} for r in csv.DictReader(fh) if r["content"]]
    return rows[:limit] if limit else rows


def ingest_texts(n: int, into: Path) -> list[dict[str, Any]]:
    """The first n records of the ingest benchmark's corpus, as ingest reads their text."""
    from benchmarks.bench_ingest import generate

    path = into / "ingest.jsonl"
    generate(path, n)
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    return [{"url": r["url"], "text": r["text"].replace("\r\n", "\n").strip()} for r in records]


def with_text(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """HTML pages with the text extraction gives them (pages that are no article are left out)."""
    from crawler.extract.page import NotAnArticle, extract_article

    out = []
    for page in pages:
        try:
            page["text"] = extract_article(page["html"], page["url"])["text"]
        except NotAnArticle:
            continue
        out.append(page)
    return out


def previous_revision() -> str | None:
    """The parser as it was before its latest change (the previous commit that changed it)."""
    try:
        revs = subprocess.run(
            ["git", "log", "-n", "2", "--format=%H", "--", PACKAGE],
            cwd=REPO, capture_output=True, text=True, check=True, timeout=30,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return revs[1] if len(revs) == 2 else None


def load_baseline(rev: str, into: Path) -> ModuleType:
    """``crawler/extract/credits`` at ``rev``, importable as ``credits_baseline``."""
    archive = subprocess.run(
        ["git", "archive", rev, PACKAGE], cwd=REPO, capture_output=True, check=True, timeout=60
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / PACKAGE).rename(into / "credits_baseline")
    sys.path.insert(0, str(into))
    return importlib.import_module("credits_baseline")


def clear_caches(package: ModuleType) -> None:
    """Forget line caches between passes, so a pass never reuses the one before."""
    for name in ("scan", "cues"):
        module = sys.modules.get(f"{package.__name__}.{name}")
        for value in vars(module).values() if module else ():
            if hasattr(value, "cache_clear") and value.__module__ == module.__name__:
                value.cache_clear()


def run(package: ModuleType, items: list[dict[str, Any]]) -> tuple[float, list[Any]]:
    """Seconds spent on credits for every item, and the results."""
    pages = [package.read_page(i["html"], i["url"]) if "html" in i else None for i in items]
    clear_caches(package)
    results = []
    start = time.perf_counter()
    both = getattr(package, "credits_with_lines", None)  # one scan for both, where it exists
    for item, page in zip(items, pages, strict=True):
        if both is not None:
            hits, lines = both(item["text"], page, item["url"])
        else:
            hits = package.find_attributions(item["text"], page, item["url"])
            lines = package.attribution_lines(item["text"])
        results.append((hits, lines))
    elapsed = time.perf_counter() - start
    return elapsed, [([asdict(h) for h in hits], lines) for hits, lines in results]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} pages of each corpus")
    parser.add_argument("--baseline", help="git revision of the baseline parser")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--ingest", type=int, default=0, metavar="N",
                        help="also N records of the ingest benchmark's generated corpus")
    args = parser.parse_args(argv)
    for path in (FUNDUS, TRAFILATURA, FAKENEWS):
        require(path)
    limit = QUICK if args.quick else None

    import crawler.extract.credits as current

    rev = args.baseline or previous_revision()
    with tempfile.TemporaryDirectory() as tmp:
        baseline = None
        if rev:
            try:
                baseline = load_baseline(rev, Path(tmp))
            except (subprocess.SubprocessError, OSError) as exc:
                print(f"no baseline: cannot take {PACKAGE} at {rev}: {exc}", file=sys.stderr)
        corpora = {
            "fundus (HTML)": with_text(fundus_pages(limit)),
            "trafilatura_eval_en (HTML)": with_text(trafilatura_pages(limit)),
            "fakenewscorpus (text)": fakenews_texts(limit),
        }
        if args.ingest:
            corpora["bench_ingest corpus (text)"] = ingest_texts(args.ingest, Path(tmp))
        label = rev[:10] if baseline and rev else "none"
        print(f"credit parser, ms per article; baseline {PACKAGE} at {label}")
        print(f"{'corpus':<28} {'pages':>5} {'baseline':>9} {'now':>9} {'speed-up':>9} {'differ':>7}")
        totals = [0, 0.0, 0.0]
        for name, items in corpora.items():
            best_now = best_base = float("inf")
            now_out = base_out = None
            for _ in range(args.passes):
                if baseline:
                    took, base_out = run(baseline, items)
                    best_base = min(best_base, took)
                took, now_out = run(current, items)
                best_now = min(best_now, took)
            n = max(len(items), 1)
            differ = (
                sum(a != b for a, b in zip(now_out or [], base_out or [], strict=True))
                if baseline
                else "-"
            )
            base_ms = f"{1000 * best_base / n:9.2f}" if baseline else f"{'-':>9}"
            speed = f"{best_base / best_now:8.2f}x" if baseline and best_now else f"{'-':>9}"
            print(f"{name:<28} {len(items):>5} {base_ms} {1000 * best_now / n:9.2f} {speed} {differ!s:>7}")
            totals[0] += len(items)
            totals[1] += best_base if baseline else 0.0
            totals[2] += best_now
        n = max(totals[0], 1)
        base_ms = f"{1000 * totals[1] / n:9.2f}" if baseline else f"{'-':>9}"
        speed = f"{totals[1] / totals[2]:8.2f}x" if baseline and totals[2] else f"{'-':>9}"
        print(f"{'all':<28} {totals[0]:>5} {base_ms} {1000 * totals[2] / n:9.2f} {speed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
