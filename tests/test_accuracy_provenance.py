"""The who-copied-whom benchmark scores hand-made cases right, and its labelled sets are
well-formed and consistent with each other (and with the data, when ../shared/data is here)."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.provenance_credits import score
from benchmarks.provenance_families import origin_accuracy
from benchmarks.provenance_families import score as score_families
from benchmarks.provenance_labels import (
    CONSTRUCTED_FILE,
    CREDIT_FORMS,
    CREDITS_FILE,
    NON_CREDIT_FORMS,
    CreditLabel,
    FamilyLabel,
    Found,
    Page,
    load_credit_labels,
    load_family_labels,
    party_key,
    same_form,
    same_party,
    score_page,
    stories_merged,
)
from graph.decisions import CopyLink, ExternalOrigin, Family, Provenance
from graph.records import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _label(
    party: str,
    form: str,
    credit: bool = True,
    lang: str = "en",
    page: str = "p1",
    dataset: str = "fundus",
) -> CreditLabel:
    return CreditLabel(dataset, page, "", party, form, lang, credit, "")


def _found(
    name: str, outlet: str | None = None, kind: str = "byline", form: str | None = None
) -> Found:
    return Found(name=name, outlet=outlet, url=None, kind=kind, form=form)


def test_one_party_many_names():
    assert same_party("Associated Press", ["The Associated Press"])
    assert same_party("AP", [None, "apnews.com"])
    assert same_party("dpa", ["Deutsche Presse-Agentur"])
    assert same_party("Anadolu Ajansı", ["Anadolu Ajansi"])
    assert same_party("新华社", ["新华社"])
    assert same_party("European Southern Observatory; eso.org", ["http://www.eso.org/x", "eso.org"])
    assert same_party("SID", ["sid/dpa"])  # one statement naming two agencies names each
    assert same_party("silveristhenew.com", ["https://silveristhenew.com/2018/01/x/"])
    # short names never match inside other names
    assert not same_party("AP", ["APA"])
    assert not same_party("AFP", ["Reuters"])
    assert not same_party("Reuters", [None, "", None])
    assert party_key("www.Example.com/path") == "examplecom"
    assert same_form("footer", "source-url") and same_form("courtesy", "footer")
    assert not same_form("byline", "dateline") and not same_form("byline", None)


def test_page_score_counts_found_missed_and_false_credits():
    page = Page("fundus", "p1", "", "de")
    page.credits = [
        _label("dpa", "byline"),
        _label("dpa", "copyright"),
        _label("Reuters", "footer"),
    ]
    page.lookalikes = [_label("AFP", "photo", credit=False)]
    found = [_found("Deutsche Presse-Agentur"), _found("AFP", kind="wire-dateline")]
    result = score_page(page, found)
    assert [hit is not None for _, hit in result.recalled] == [True, True, False]
    assert [f.name for f in result.correct] == ["Deutsche Presse-Agentur"]
    assert [(f.name, like.form) for f, like in result.false] == [("AFP", "photo")]


def test_report_tables_by_form_language_and_precision_on_complete_sets_only():
    de = Page("fundus", "a", "", "de", credits=[_label("dpa", "byline", lang="de", page="a")])
    en = Page(
        "trafilatura_eval_en",
        "b",
        "",
        "en",
        credits=[_label("Grist", "footer", page="b", dataset="trafilatura_eval_en")],
    )
    ac = Page(
        "articlecomparisons_multioutlet",
        "c",
        "",
        "en",
        credits=[_label("AP", "dateline", page="c", dataset="articlecomparisons_multioutlet")],
    )
    pages = {
        ("fundus", "a"): de,
        ("trafilatura_eval_en", "b"): en,
        ("articlecomparisons_multioutlet", "c"): ac,
    }
    results = {
        ("fundus", "a"): (
            [
                {"name": "dpa", "outlet": None, "kind": "byline", "form": "byline"},
                {"name": "Foto Huebner", "kind": "copyright"},
            ],
            None,
        ),
        ("trafilatura_eval_en", "b"): ([], None),
        # only a recall set: its unlabelled extra find is not counted as a false credit
        ("articlecomparisons_multioutlet", "c"): (
            [{"name": "AP", "kind": "wire-dateline"}, {"name": "Yahoo"}],
            None,
        ),
    }
    report = score(pages, results)
    assert report["by_form"]["byline"] == {
        "found": 1,
        "labelled": 1,
        "recall": 1.0,
        "form_agrees": 1,
    }
    assert report["by_form"]["footer"]["recall"] == 0.0
    assert report["by_language"]["de"]["precision"] == 0.5
    assert report["recall"] == pytest.approx(2 / 3)
    assert (report["found"], report["correct"], report["false_credits"]) == (2, 1, 1)
    assert report["false_examples"][0]["name"] == "Foto Huebner"
    assert [m["party"] for m in report["misses"]] == ["Grist"]


def _link(url, source, basis=("text",)):
    return CopyLink(
        url=url,
        copied_from=source,
        basis=basis,
        confidence=0.9,
        attributed=False,
        attribution=None,
        match=None,
        lag_hours=None,
    )


def test_family_scores_evidence_merges_and_origins():
    urls = {f"https://o{i}.test/{i}": f"helsinki:{i}" for i in range(1, 6)}
    u1, u2, u3, u4, u5 = urls
    agency = ExternalOrigin(
        key="external:apnews.com",
        name="Associated Press",
        outlet="apnews.com",
        kind="wire",
        url=None,
        credited_by=(u1, u2),
    )
    wire = Family(
        id=0,
        origin=agency.key,
        origin_basis=("attribution",),
        origin_confidence=0.8,
        members=(agency.key, u1, u2, u3),
        links={
            u1: _link(u1, agency.key, ("attribution",)),
            u2: _link(u2, agency.key, ("attribution",)),
            u3: _link(u3, u1),
        },  # u3 shares text with u1 only through u2: no evidence
        external=agency,
    )
    local = Family(
        id=1,
        origin=u4,
        origin_basis=("text",),
        origin_confidence=0.7,
        members=(u4, u5),
        links={u5: _link(u5, u4)},
    )
    prov = Provenance(
        articles={
            u: Article(url=u, outlet=u.split("/")[2], first_seen=f"2018-07-1{i}")
            for i, u in enumerate(urls)
        },
        families=[wire, local],
        family_of={agency.key: 0, u1: 0, u2: 0, u3: 0, u4: 1, u5: 1},
        times={},
        external={agency.key: agency},
    )
    labels = {
        "helsinki:1": FamilyLabel("helsinki:1", "o1.test", "ap-a", "AP", ("dateline",), ""),
        "helsinki:2": FamilyLabel("helsinki:2", "o2.test", "ap-a", "AP", ("byline",), ""),
        "helsinki:3": FamilyLabel("helsinki:3", "o3.test", "ap-b", "AP", (), ""),
        "helsinki:4": FamilyLabel("helsinki:4", "cnn.com", "cnn-c", "CNN", (), ""),
        "helsinki:5": FamilyLabel("helsinki:5", "o5.test", "cnn-c", "CNN", ("dateline",), ""),
    }
    ids = {u: i for i, u in enumerate(urls, start=1)}
    pairs = [(2, 1, 0.9, 0.9, 0.9), (3, 2, 0.7, 0.8, 0.8), (5, 4, 0.2, 0.3, 0.9)]
    credits = {
        u1: [("wire-dateline", "AP", None, "apnews.com")],
        u2: [("byline", "The Associated Press", None, None)],
    }
    report = score_families(prov, urls, labels, pairs, ids, credits)
    assert (report["links"], report["links_with_credit"], report["links_with_text"]) == (4, 2, 1)
    assert [row["copy"] for row in report["links_without_evidence"]] == ["helsinki:3"]
    assert report["merged_stories"] == [["ap-a", "ap-b"]]
    # ap-a: copies credit AP and the origin is AP outside the store; ap-b has no credit, so no
    # ground truth; cnn-c: cnn.com's own article is in the store and is the origin
    rows = {row["story"]: row["right"] for row in report["origins"]}
    assert rows == {"ap-a": True, "cnn-c": True}
    assert report["crediting_copies_under_origin"] == 1.0
    wrong = origin_accuracy(
        Provenance(
            articles=prov.articles,
            families=[local, wire],
            family_of={u1: 1, u2: 1, u4: 0, u5: 0},
            times={},
            external={},
        ),
        urls,
        {k: v for k, v in labels.items() if v.story == "ap-a"},
    )
    assert wrong["origin_right"] == 1 and wrong["origin_stories"] == 1


def test_stories_merged_ignores_unlabelled_and_independent_members():
    labels = {
        k: FamilyLabel(k, "x", story, "AP", (), "")
        for k, story in [("a", "s1"), ("b", "s1"), ("c", ""), ("d", "independent"), ("e", "s2")]
    }
    assert stories_merged([["a", "b", "c", "d"], ["a", "e"]], labels) == [{"s1", "s2"}]


# -- the labelled files --------------------------------------------------------------------


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_credit_labels_are_well_formed():
    rows = _rows(CREDITS_FILE)
    assert len(rows) > 500
    datasets = {
        "fundus",
        "trafilatura_eval_en",
        "fakenewscorpus_sample",
        "articlecomparisons_multioutlet",
        "articlecomparisons_pages",
    }
    assert {r["dataset"] for r in rows} == datasets
    per_page = Counter((r["dataset"], r["file_id"]) for r in rows)
    for r in rows:
        assert r["is_credit"] in ("0", "1"), r
        if r["is_credit"] == "1":
            assert r["form"] in CREDIT_FORMS and r["party"].strip(), r
        else:
            assert r["form"] in NON_CREDIT_FORMS, r
        if r["form"] == "none":
            # a page marked "no credit" has no other rows
            assert per_page[(r["dataset"], r["file_id"])] == 1 and not r["party"], r
        assert 2 <= len(r["language"]) <= 3 and r["language"].isalpha(), r
    assert len({tuple(r.values()) for r in rows}) == len(rows), "duplicate rows"
    pages = load_credit_labels()
    positives = Counter(label.language for page in pages.values() for label in page.credits)
    assert positives["en"] > 100 and positives["de"] > 10
    assert sum(positives.values()) > 300


def test_family_labels_agree_with_credit_labels():
    families = load_family_labels()
    assert len(families) >= 650
    by_story: dict[str, set[str]] = {}
    for label in families.values():
        assert set(label.credits) <= set(CREDIT_FORMS), label
        if label.labelled_story:
            by_story.setdefault(label.labelled_story, set()).add(label.agency)
        else:
            assert not label.credits, label
    assert all(len(agencies) == 1 for agencies in by_story.values()), by_story
    assert sum(1 for label in families.values() if label.credits) > 150
    # every ArticleComparisons credit row comes from the family labels, form for form
    ac = [r for r in _rows(CREDITS_FILE) if r["dataset"] == "articlecomparisons_multioutlet"]
    for r in ac:
        assert r["form"] in families[r["file_id"]].credits, r


def test_constructed_set_covers_the_languages_the_real_data_lacks():
    rows = _rows(CONSTRUCTED_FILE)
    langs = {r["language"] for r in rows if r["is_credit"] == "1"}
    assert {"es", "fr", "de", "pt", "it", "ru", "ar", "zh", "hi", "ur", "tr"} <= langs
    assert all("constructed" in r["note"] and r["text"].strip() for r in rows)
    assert any(r["is_credit"] == "0" for r in rows)


@pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not here (real-data checks)")
def test_labels_point_at_real_pages():
    pages = load_credit_labels()
    fundus = [p for p in pages.values() if p.dataset == "fundus"]
    assert fundus and all(
        (DATA / "fundus_parser_testdata" / "test_data" / p.file_id).exists() for p in fundus
    )
    traf = [p for p in pages.values() if p.dataset == "trafilatura_eval_en"]
    assert traf and all((DATA / "trafilatura_eval_en" / p.file_id).exists() for p in traf)
    keys = set()
    for corpus in ("helsinki", "census", "spotify"):
        with open(
            DATA / "articlecomparisons_multioutlet" / f"{corpus}_articles.csv",
            newline="",
            encoding="utf-8",
        ) as fh:
            csv.field_size_limit(1 << 30)
            keys |= {f"{corpus}:{row['id']}" for row in csv.DictReader(fh)}
    assert set(load_family_labels()) == keys
    # a labelled byline is on the page it is labelled for
    page = pages[("fundus", "de/BSZ_2024_05_16.html.gz")]
    with gzip.open(DATA / "fundus_parser_testdata" / "test_data" / page.file_id) as fh:
        html = fh.read().decode("utf-8")
    assert "Soldwisch, dpa" in html
