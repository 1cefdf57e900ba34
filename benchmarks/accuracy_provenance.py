"""Who-copied-whom accuracy: credits on real pages, and wire families and their origins.

    python benchmarks/accuracy_provenance.py [--json] [--jobs N] [--only credits|families]

Labels (benchmarks/labels/, see README.md there) were made by reading the pages:
``credits_pages.csv`` (every credit a reader sees on 875 pages of fundus, the trafilatura
evaluation set, FakeNewsCorpus and ArticleComparisons, with its form and language, and the
look-alikes that are not credits) and ``wire_families.csv`` (the ArticleComparisons articles
grouped into wire stories, the agency, which copies credit it and how).

Credits are scored by running the real ingest path (``crawler.ingest.ingester.prepare``) on
each page; families by ingesting the ArticleComparisons corpus with ``crosspost ingest``
into a temporary store and reading the decisions. Fields the code does not have yet (a
credit's ``form``, an origin outside the store) are reported as "not available".
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.provenance_credits import DATA
from benchmarks.provenance_labels import CREDITS_FILE, FAMILIES_FILE

NA = "not available"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def print_credits(report: dict) -> None:
    print(
        f"Credits: {report['pages']} labelled pages read through the ingest path "
        f"({len(report['pages_unread'])} yield no article)"
    )
    print(
        f"  recall {_pct(report['recall'])}   precision {_pct(report['precision'])} "
        f"({report['correct']}/{report['found']} credits found on fully labelled pages)"
    )
    agrees = "form agrees" if report["forms_reported"] else f"form agrees ({NA})"
    print(f"\n  {'form':<16}{'labelled':>9}{'found':>7}{'recall':>9}  {agrees}")
    for form, row in report["by_form"].items():
        form_ok = "-" if row["form_agrees"] is None else f"{row['form_agrees']}/{row['labelled']}"
        print(
            f"  {form:<16}{row['labelled']:>9}{row['found']:>7}{_pct(row['recall']):>9}  {form_ok}"
        )
    print(
        f"\n  {'language':<10}{'labelled':>9}{'found':>7}{'recall':>9}{'credits found':>15}"
        f"{'correct':>9}{'precision':>11}"
    )
    for lang, row in report["by_language"].items():
        if not row["labelled"] and not row["hits"]:
            continue
        print(
            f"  {lang:<10}{row['labelled']:>9}{row['found']:>7}{_pct(row['recall']):>9}"
            f"{row['hits']:>15}{row['correct']:>9}{_pct(row['precision']):>11}"
        )
    quiet = [
        lang
        for lang, row in report["by_language"].items()
        if not row["labelled"] and not row["hits"]
    ]
    if quiet:
        print(f"  (pages with no credit and nothing found: {', '.join(quiet)})")
    print(f"\n  {'dataset':<32}{'labelled':>9}{'found':>7}{'recall':>9}")
    for name, row in report["by_dataset"].items():
        print(f"  {name:<32}{row['labelled']:>9}{row['found']:>7}{_pct(row['recall']):>9}")
    print(
        f"\nFalse credits: {report['false_credits']} "
        f"({', '.join(f'{k} {v}' for k, v in report['false_by_lookalike'].items()) or 'none'})"
    )
    for row in report["false_examples"][:25]:
        like = f"  [{row['lookalike']}]" if row["lookalike"] else ""
        print(f"  {row['page'][:58]:<58} {row['kind'] or '-':<15} {row['name'][:40]!r}{like}")
    print(f"\nMissed credits: {len(report['misses'])}")
    for row in report["misses"][:40]:
        print(
            f"  {row['page'][:58]:<58} {row['form']:<12} {row['language']:<3} {row['party'][:30]}"
        )


def print_constructed(report: dict) -> None:
    print(
        "\nConstructed multilingual set (hand-written, NOT real data: forms and languages the "
        "real pages lack)"
    )
    print(
        f"  recall {_pct(report['recall'])}   precision {_pct(report['precision'])}   "
        f"false credits {report['false_credits']}"
    )
    print(f"  {'language':<10}{'labelled':>9}{'found':>7}{'recall':>9}{'false':>7}")
    false_by_lang: dict[str, int] = {}
    for row in report["false_examples"]:
        lang = row["page"].split(":")[1].split("-")[0]
        false_by_lang[lang] = false_by_lang.get(lang, 0) + 1
    for lang, row in report["by_language"].items():
        print(
            f"  {lang:<10}{row['labelled']:>9}{row['found']:>7}{_pct(row['recall']):>9}"
            f"{false_by_lang.get(lang, 0):>7}"
        )
    for row in report["misses"]:
        print(f"  missed  {row['page']:<28} {row['form']:<10} {row['party']}")
    for row in report["false_examples"]:
        print(f"  false   {row['page']:<28} {row['kind'] or '-':<15} {row['name'][:40]!r}")


def print_families(report: dict) -> None:
    print(
        f"\nWire families (ArticleComparisons, {report['articles']} articles ingested in "
        f"{report['ingest_seconds']} s, decided in {report['decide_seconds']} s)"
    )
    print(f"  families {report['families']}   copied_from links {report['links']}")
    print(
        f"  {'copied_from links with evidence between the two articles':<62}"
        f"{_pct(report['links_with_evidence']):>8}"
    )
    print(f"  {'  their own verified text match':<62}{report['links_with_text']:>8}")
    print(f"  {'  a credit on the copy naming the source':<62}{report['links_with_credit']:>8}")
    print(
        f"  {'  neither (time or other members only)':<62}{len(report['links_without_evidence']):>8}"
    )
    for row in report["links_without_evidence"][:10]:
        print(f"    {row['copy']} copied_from {row['copied_from']}  basis {','.join(row['basis'])}")
    print(
        f"  {'families that merge different labelled stories':<62}"
        f"{report['families_merging_stories']:>8}  (of {report['labelled_stories']} stories)"
    )
    print(
        f"  {'  articles the decisions place in several families (bridges)':<62}"
        f"{report.get('bridge_articles', 0):>8}"
    )
    for stories in report["merged_stories"]:
        print(f"    {' + '.join(stories)}")
    if not report["origin_external_available"]:
        print(f"  origins outside the store: {NA}")
    print(
        f"\n  {'origin accuracy':<62}{_pct(report['origin_accuracy']):>8}  "
        f"({report['origin_right']}/{report['origin_stories']} stories)"
    )
    print(
        f"  {'  baseline: the earliest member as origin (same run)':<62}"
        f"{_pct(report['baseline_origin_accuracy']):>8}"
    )
    print(
        f"  {'crediting copies linked straight to the credited origin':<62}"
        f"{_pct(report['crediting_copies_under_origin']):>8}"
    )
    print(f"\n  {'story':<28}{'agency':<20}{'members':>8}{'credit':>7}  decided origin")
    for row in report["origins"]:
        mark = "ok" if row["right"] else ("--" if row["right"] is None else "WRONG")
        print(
            f"  {row['story']:<28}{row['agency']:<20}{row.get('members', ''):>8}"
            f"{row.get('crediting', ''):>7}  {row['decided']} {mark}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for extraction")
    parser.add_argument("--only", choices=("credits", "families"), help="run one part")
    args = parser.parse_args(argv)
    for path in (CREDITS_FILE, FAMILIES_FILE):
        if not path.exists():
            print(f"Error: labels missing: {path}", file=sys.stderr)
            return 2
    if not DATA.exists():
        print(
            f"Error: {DATA} not found; this benchmark reads the real data in ../shared/data",
            file=sys.stderr,
        )
        return 2
    from benchmarks import provenance_credits, provenance_families

    report: dict = {}
    started = time.monotonic()
    if args.only != "families":
        report["credits"] = provenance_credits.run(jobs=max(1, args.jobs))
        report["constructed"] = provenance_credits.run_constructed(jobs=max(1, args.jobs))
    if args.only != "credits":
        report["families"] = provenance_families.run()
    report["seconds"] = round(time.monotonic() - started, 1)
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
        return 0
    if "credits" in report:
        print_credits(report["credits"])
        print_constructed(report["constructed"])
    if "families" in report:
        print_families(report["families"])
    print(f"\n({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
