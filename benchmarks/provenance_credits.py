"""Run the real ingest path on the labelled pages and score the credits it stores.

Each page goes through ``crawler.ingest.ingester.prepare``: HTML pages (fundus, trafilatura)
are decoded the way WARC ingest decodes a body and extracted like a crawled page; text
records (FakeNewsCorpus, ArticleComparisons) are parsed as ``crosspost ingest`` parses a
``text`` column. What ``prepare`` returns under ``attributions`` is what the store keeps.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.provenance_labels import (
    COMPLETE_DATASETS,
    CONSTRUCTED_FILE,
    CreditLabel,
    Found,
    Page,
    PageScore,
    load_credit_labels,
    ratio,
    same_form,
    score_page,
)

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FUNDUS = DATA / "fundus_parser_testdata" / "test_data"
TRAFILATURA = DATA / "trafilatura_eval_en"
FAKENEWS = DATA / "fakenewscorpus_sample" / "news_sample.csv"
MULTIOUTLET = DATA / "articlecomparisons_multioutlet"


def ac_url(key: str, publisher: str) -> str:
    """The URL an ArticleComparisons article is ingested under (the corpus gives none)."""
    corpus, ident = key.split(":")
    return f"https://{publisher.rstrip('/')}/{corpus}/{ident}"


def _record_inputs(pages: dict[tuple[str, str], Page]) -> list[tuple[tuple[str, str], dict]]:
    """(page, the fields of its ingest record) for every labelled page whose data is here."""
    csv.field_size_limit(sys.maxsize)
    fakenews: dict[str, dict] = {}
    if FAKENEWS.exists():
        with open(FAKENEWS, newline="", encoding="utf-8") as fh:
            fakenews = {row["id"]: row for row in csv.DictReader(fh)}
    multi: dict[str, dict] = {}
    for corpus in ("helsinki", "census", "spotify"):
        path = MULTIOUTLET / f"{corpus}_articles.csv"
        if path.exists():
            with open(path, newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    multi[f"{corpus}:{row['id']}"] = row
    out = []
    for key, page in pages.items():
        if page.dataset == "fundus":
            path = FUNDUS / page.file_id
            if path.exists():
                out.append((key, {"url": page.url, "html_path": str(path), "gz": True}))
        elif page.dataset == "trafilatura_eval_en":
            path = TRAFILATURA / page.file_id
            if path.exists():
                url = (
                    page.url
                    if page.url.startswith("http")
                    else f"https://{Path(page.file_id).stem}/"
                )
                out.append((key, {"url": url, "html_path": str(path), "gz": False}))
        elif page.dataset == "fakenewscorpus_sample" and page.file_id in fakenews:
            row = fakenews[page.file_id]
            out.append((key, {"url": row["url"], "text": row["content"]}))
        elif page.dataset.startswith("articlecomparisons_") and page.file_id in multi:
            row = multi[page.file_id]
            out.append(
                (
                    key,
                    {
                        "url": ac_url(page.file_id, row["publisher"]),
                        "text": row["text"].replace(" ### ", "\n"),
                    },
                )
            )
    return out


def _found_on(fields: dict) -> tuple[list[dict], str | None]:
    """The credits the ingest path stores for one record, or the reason it stored none."""
    from crawler.ingest.ingester import prepare
    from crawler.ingest.records import Record
    from crawler.ingest.warc import decode_html

    if "html_path" in fields:
        raw = Path(fields["html_path"]).read_bytes()
        if fields["gz"]:
            raw = gzip.decompress(raw)
        _, html = decode_html(None, raw)
        record = Record(
            source=fields["url"], url=fields["url"], html=html, body=raw, content_type="text/html"
        )
    else:
        record = Record(source=fields["url"], url=fields["url"], text=fields["text"])
    try:
        _capture, article, problem = prepare(record)
    except Exception as exc:  # noqa: BLE001 - a parser crash is a measured failure, not a benchmark crash
        return [], f"crash: {type(exc).__name__}: {exc}"
    if article is None:
        return [], str(problem) if problem else "no article"
    return [dict(hit) for hit in article.get("attributions") or []], None


def _as_found(hit: dict) -> Found:
    return Found(
        name=str(hit.get("name") or ""),
        outlet=hit.get("outlet"),
        url=hit.get("url"),
        kind=hit.get("kind"),
        form=hit.get("form"),
    )


def _parse_all(inputs: list[tuple[tuple[str, str], dict]], jobs: int) -> dict:
    results: dict[tuple[str, str], tuple[list[dict], str | None]] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for (key, _), result in zip(
            inputs, pool.map(_found_on, [f for _, f in inputs], chunksize=8)
        ):
            results[key] = result
    return results


def run(jobs: int = 2, pages: dict[tuple[str, str], Page] | None = None) -> dict:
    pages = pages if pages is not None else load_credit_labels()
    return score(pages, _parse_all(_record_inputs(pages), jobs))


def load_constructed(path: Path = CONSTRUCTED_FILE) -> tuple[dict, list]:
    """The hand-written multilingual set: one page per row, its text in the row."""
    pages: dict[tuple[str, str], Page] = {}
    inputs = []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = CreditLabel(
                "constructed",
                row["id"],
                "",
                row["party"],
                row["form"],
                row["language"],
                row["is_credit"] == "1",
                row["note"],
            )
            page = Page("constructed", row["id"], "", row["language"])
            (page.credits if label.is_credit else page.lookalikes).append(label)
            pages[label.page] = page
            url = f"https://news-{row['language']}.example.org/{row['id']}"
            inputs.append((label.page, {"url": url, "text": row["text"]}))
    return pages, inputs


def run_constructed(jobs: int = 2) -> dict:
    """The same scores on the constructed set (languages and forms the real data lacks)."""
    pages, inputs = load_constructed()
    return score(pages, _parse_all(inputs, jobs), complete=("constructed",))


def score(
    pages: dict[tuple[str, str], Page], results: dict, complete: tuple[str, ...] = COMPLETE_DATASETS
) -> dict:
    """Tables of recall by form and language, precision, false credits, from per-page hits."""
    form_hit, form_total, form_exact = Counter(), Counter(), Counter()
    lang_hit, lang_total = Counter(), Counter()
    lang_correct, lang_found = Counter(), Counter()
    data_hit, data_total = Counter(), Counter()
    false_by_like: Counter = Counter()
    false_examples, misses, unread = [], [], []
    forms_reported = False
    found_total = correct_total = 0
    for key, page in sorted(pages.items()):
        if key not in results:
            continue
        hits_raw, problem = results[key]
        if problem:
            unread.append({"page": f"{page.dataset}:{page.file_id}", "problem": problem[:160]})
        found = [_as_found(h) for h in hits_raw]
        forms_reported = forms_reported or any(f.form for f in found)
        result: PageScore = score_page(page, found)
        for label, hit in result.recalled:
            form_total[label.form] += 1
            lang_total[label.language] += 1
            data_total[page.dataset] += 1
            if hit is not None:
                form_hit[label.form] += 1
                lang_hit[label.language] += 1
                data_hit[page.dataset] += 1
                if same_form(label.form, hit.form):
                    form_exact[label.form] += 1
            else:
                misses.append(
                    {
                        "page": f"{page.dataset}:{page.file_id}",
                        "party": label.party,
                        "form": label.form,
                        "language": label.language,
                        "note": label.note[:140],
                    }
                )
        if page.dataset not in complete:
            continue  # positives only: recall, not precision
        lang_found[page.language] += len(found)
        lang_correct[page.language] += len(result.correct)
        found_total += len(found)
        correct_total += len(result.correct)
        for hit, like in result.false:
            false_by_like[like.form if like else "unlabelled"] += 1
            false_examples.append(
                {
                    "page": f"{page.dataset}:{page.file_id}",
                    "name": hit.name[:60],
                    "kind": hit.kind,
                    "form": hit.form,
                    "outlet": hit.outlet,
                    "lookalike": f"{like.form}: {like.note[:100]}" if like else None,
                }
            )
    return {
        "pages": len(results),
        "pages_unread": unread,
        "forms_reported": forms_reported,
        "by_form": {
            form: {
                "found": form_hit[form],
                "labelled": form_total[form],
                "recall": ratio(form_hit[form], form_total[form]),
                "form_agrees": form_exact[form] if forms_reported else None,
            }
            for form in sorted(form_total, key=lambda f: -form_total[f])
        },
        "by_language": {
            lang: {
                "found": lang_hit[lang],
                "labelled": lang_total[lang],
                "recall": ratio(lang_hit[lang], lang_total[lang]),
                "hits": lang_found[lang],
                "correct": lang_correct[lang],
                "precision": ratio(lang_correct[lang], lang_found[lang]),
            }
            for lang in sorted(set(lang_total) | set(lang_found), key=lambda l: -lang_total[l])
        },
        "by_dataset": {
            d: {
                "found": data_hit[d],
                "labelled": data_total[d],
                "recall": ratio(data_hit[d], data_total[d]),
            }
            for d in sorted(data_total)
        },
        "recall": ratio(sum(form_hit.values()), sum(form_total.values())),
        "found": found_total,
        "correct": correct_total,
        "precision": ratio(correct_total, found_total),
        "false_credits": len(false_examples),
        "false_by_lookalike": dict(false_by_like.most_common()),
        "false_examples": false_examples,
        "misses": misses,
    }


def group_misses(misses: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for miss in misses:
        grouped[miss["form"]].append(miss)
    return grouped


if __name__ == "__main__":  # a quick look while labelling: python -m benchmarks.provenance_credits
    print(json.dumps(run(), indent=1, ensure_ascii=False)[:4000])
