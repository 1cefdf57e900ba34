"""`crosspost ingest`: JSONL and CSV corpora through the crawl's store and matcher."""

from __future__ import annotations

import csv
import gzip
import json
import random

import pytest
from click.testing import CliRunner
from conftest import rows

from crawler.cli import cli

WORDS = ["government", "minister", "said", "report", "talks", "border", "agreement", "election", "officials", "city", "council", "police", "market", "energy", "prices", "week", "statement", "president", "summit", "military", "forces", "aid", "water", "farmers", "drought", "school", "teachers", "union", "strike", "hospital", "doctors", "vaccine", "court", "judge", "ruling", "company", "shares", "investors", "bank", "inflation", "rates", "housing", "rent", "protest", "capital", "region", "army", "villagers", "river", "bridge", "flood", "storm", "coast", "fishermen", "harbour", "port", "trade", "sanctions", "embassy"]


def story(seed: int, words: int = 300) -> str:
    rng = random.Random(seed)
    paragraphs = []
    while words > 0:
        n = min(words, rng.randint(30, 70))
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        words -= n
    return "\n".join(paragraphs)


def ingest(*args: str):
    return CliRunner().invoke(cli, ["ingest", "--silent", *args], catch_exceptions=False)


def write_jsonl(path, records, raw_lines=()):
    with open(path, "wb") as f:
        f.writelines(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n" for record in records)
        f.writelines(line + b"\n" for line in raw_lines)
    return path


@pytest.fixture
def corpus():
    origin = story(1)
    return [
        {"url": "https://www.southfront.org/news/libya-talks?utm_source=feed", "text": origin,
         "title": "Libya talks", "published_at": "2020-10-27T10:00:00+02:00",
         "outlet": "South Front"},
        {"url": "https://www.globalresearch.ca/libya-talks/5730000", "text":
         origin + "\nThe original source of this article is South Front",
         "published_at": "2020-10-28", "outlet": "globalresearch.ca"},
        {"url": "https://eurasia.example.com/libya", "text": "\n".join(origin.split("\n")[:2])},
        {"url": "https://independent.example.org/libya", "text": story(2)},
    ]  # fmt: skip


def test_jsonl_articles_are_stored_with_crawl_identity_and_matched(tmp_path, corpus):
    db = tmp_path / "c.db"
    result = ingest("--db", str(db), str(write_jsonl(tmp_path / "c.jsonl", corpus)))
    assert result.exit_code == 0, result.output
    assert "4 read, 4 stored" in result.output
    articles = {r["url"]: r for r in rows(db, "select * from articles")}
    # The crawl's canonical form: tracking parameters dropped, host kept.
    origin = articles["https://www.southfront.org/news/libya-talks"]
    assert origin["outlet"] == "southfront.org" and origin["title"] == "Libya talks"
    assert origin["published_at"] == "2020-10-27T08:00:00+00:00"
    assert rows(db, "select name from outlets where domain = 'southfront.org'")[0]["name"] == "South Front"
    copy = articles["https://www.globalresearch.ca/libya-talks/5730000"]
    assert copy["outlet"] == "globalresearch.ca" and copy["published_at"] == "2020-10-28"
    [credit] = rows(db, "select * from attributions where article_id = ?", (copy["id"],))
    assert credit["kind"] == "original-source" and credit["name"] == "South Front"
    ids = {url: r["id"] for url, r in articles.items()}
    found = {(r["a"], r["b"]): r["kind"] for r in rows(db, "select * from matches")}
    assert found[(ids["https://www.globalresearch.ca/libya-talks/5730000"], origin["id"])] == "near-duplicate"
    assert found[(ids["https://eurasia.example.com/libya"], origin["id"])] == "excerpt"
    independent = ids["https://independent.example.org/libya"]
    assert not [p for p in found if independent in p]
    [job] = rows(db, "select * from crawls")
    assert job["command"] == "ingest" and job["finish_reason"] == "finished"
    assert json.loads(job["stats"])["stored"] == 4


def test_second_ingest_stores_nothing_twice(tmp_path, corpus):
    db, path = tmp_path / "c.db", write_jsonl(tmp_path / "c.jsonl", corpus + corpus[:1])
    tables = ("articles", "captures", "matches", "attributions", "signatures", "outlets")

    def counts():
        return {t: rows(db, f"select count(*) n from {t}")[0]["n"] for t in tables}

    first = ingest("--db", str(db), str(path))
    assert first.exit_code == 0 and "4 stored" in first.output and "1 already stored" in first.output
    before = counts()
    again = ingest("--db", str(db), str(path))
    assert again.exit_code == 0 and "0 stored" in again.output and "5 already stored" in again.output
    assert counts() == before


def test_changed_text_updates_the_article_in_place(tmp_path, corpus):
    db = tmp_path / "c.db"
    ingest("--db", str(db), str(write_jsonl(tmp_path / "a.jsonl", corpus)))
    changed = [{**corpus[3], "text": corpus[0]["text"] + "\nA closing line of its own."}]
    result = ingest("--db", str(db), str(write_jsonl(tmp_path / "b.jsonl", changed)))
    assert "1 updated" in result.output
    assert len(rows(db, "select id from articles")) == 4
    [row] = rows(db, "select id from articles where url = 'https://independent.example.org/libya'")
    assert rows(db, "select * from matches where a = ? or b = ?", (row["id"], row["id"]))


def test_bad_lines_are_reported_with_line_numbers_and_the_rest_ingested(tmp_path, corpus):
    db = tmp_path / "c.db"
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        corpus[:2],
        [
            b'{"url": "https://a.example.com/x", "text": "caf\xe9 au lait ' + b"word " * 60 + b'"}',
            b'{"url": "https://a.example.com/y", "text": ',
            b"",
            b'["not", "an", "object"]',
            b'{"text": "no url at all"}',
            b'{"url": "not a url", "text": "' + b"word " * 60 + b'"}',
            b'{"url": "https://a.example.com/empty", "text": "   "}',
            json.dumps({"url": "https://a.example.com/last", "text": story(3)}).encode(),
        ],
    )
    result = ingest("--db", str(db), str(path))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "bad.jsonl line 3: invalid UTF-8 (byte 0xe9" in result.output
    assert "bad.jsonl line 4: malformed JSON" in result.output
    assert "bad.jsonl line 6: not a JSON object" in result.output
    assert "bad.jsonl line 7: no url" in result.output
    assert "bad.jsonl line 8: bad URL" in result.output
    assert "bad.jsonl line 9: empty text" in result.output
    assert "3 stored" in result.output and "6 skipped" in result.output
    urls = {r["url"] for r in rows(db, "select url from articles")}
    assert "https://a.example.com/last" in urls


def test_tiny_huge_and_non_latin_texts(tmp_path):
    db = tmp_path / "c.db"
    rng = random.Random(4)
    chinese = "".join(rng.choice("中国政府今天宣布新的经济政策北京上海市场价格水电") for _ in range(600))
    arabic = " ".join(rng.choice(["الحكومة", "قالت", "الوزير", "الانتخابات", "المدينة", "السوق", "الأسعار", "الجيش"]) for _ in range(300))
    huge = story(6, words=1_700_000 // 6)  # about 10 MB of text
    records = [
        {"url": "https://one.example.com/word", "text": "Hello"},
        {"url": "https://cn.example.com/a", "text": chinese},
        {"url": "https://cn-copy.example.net/a", "text": chinese + "。来源：新华社"},
        {"url": "https://ar.example.com/a", "text": arabic},
        {"url": "https://ar-copy.example.net/a", "text": arabic},
        {"url": "https://big.example.com/a", "text": huge},
    ]  # fmt: skip
    result = ingest("--db", str(db), str(write_jsonl(tmp_path / "t.jsonl", records)))
    assert result.exit_code == 0, result.output
    assert "6 stored" in result.output
    assert "1 articles too short to match" in result.output
    stored = {r["url"]: r for r in rows(db, "select id, url, length(text) n from articles")}
    assert stored["https://big.example.com/a"]["n"] == len(huge.strip())
    pairs = {(r["a"], r["b"]) for r in rows(db, "select a, b from matches")}
    for url in ("https://cn-copy.example.net/a", "https://ar-copy.example.net/a"):
        origin = url.replace("-copy", "").replace(".net", ".com")
        assert (stored[url]["id"], stored[origin]["id"]) in pairs
    word = stored["https://one.example.com/word"]["id"]
    assert not [p for p in pairs if word in p]


def test_csv_with_text_and_html_columns(tmp_path, corpus):
    db = tmp_path / "c.db"
    path = tmp_path / "c.csv"
    paragraphs = "".join(f"<p>{p}</p>" for p in corpus[0]["text"].split("\n"))
    html = (
        "<html><head><title>Libya talks</title>"
        '<link rel="canonical" href="https://www.southfront.org/news/libya-talks">'
        '<meta property="article:published_time" content="2020-10-27T08:00:00+00:00">'
        f"</head><body><article><h1>Libya talks</h1>{paragraphs}</article></body></html>"
    )
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["url", "title", "text", "html", "outlet"])
        writer.writeheader()
        # An AMP variant: its declared canonical URL on the same outlet is its identity.
        writer.writerow({"url": "https://www.southfront.org/news/libya-talks/amp/", "html": html})
        writer.writerow({"url": corpus[1]["url"], "text": corpus[1]["text"], "title": "Copy"})
        writer.writerow({"url": "https://www.southfront.org/short", "html": "<p>Too short</p>"})
    result = ingest("--db", str(db), str(path))
    assert result.exit_code == 0, result.output
    assert "2 stored" in result.output and "not an article" in result.output
    articles = {r["url"]: r for r in rows(db, "select * from articles")}
    origin = articles["https://www.southfront.org/news/libya-talks"]
    assert origin["fetched_url"] == "https://www.southfront.org/news/libya-talks/amp/"
    assert origin["published_at"].startswith("2020-10-27")
    assert rows(db, "select count(*) n from matches")[0]["n"] == 1
    # The page that is not an article is kept as a capture, once.
    skipped = rows(db, "select reason from captures where outcome = 'skipped'")
    assert len(skipped) == 1 and "too short" in skipped[0]["reason"]
    ingest("--db", str(db), str(path))
    assert len(rows(db, "select id from captures where outcome = 'skipped'")) == 1


def test_csv_missing_columns_is_a_clear_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,body,publisher\n1,some text,example.com\n", encoding="utf-8")
    result = ingest("--db", str(tmp_path / "c.db"), str(path))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "missing column(s): url, text or html" in result.output
    assert "id, body, publisher" in result.output


def test_csv_invalid_utf8_row_is_reported_and_the_rest_ingested(tmp_path, corpus):
    path = tmp_path / "mixed.csv"
    with open(path, "wb") as f:
        f.write(b"url,text\n")
        f.write(b"https://a.example.com/bad,caf\xe9 " + b"word " * 50 + b"\n")
        f.write(f'{corpus[0]["url"]},"{corpus[0]["text"]}"\n'.encode())
    result = ingest("--db", str(tmp_path / "c.db"), str(path))
    assert result.exit_code == 0, result.output
    assert "mixed.csv line 2: invalid UTF-8" in result.output
    assert "1 stored" in result.output


def test_gzipped_jsonl(tmp_path, corpus):
    path = tmp_path / "c.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for record in corpus:
            f.write(json.dumps(record) + "\n")
    result = ingest("--db", str(tmp_path / "c.db"), str(path))
    assert result.exit_code == 0 and "4 stored" in result.output, result.output


@pytest.mark.parametrize("name", ["notes.txt", "data"])
def test_unknown_file_type_is_a_clear_error(tmp_path, name):
    path = tmp_path / name
    path.write_text("hello\n")
    result = ingest("--db", str(tmp_path / "c.db"), str(path))
    assert result.exit_code == 1
    assert "cannot tell the format" in result.output and "--format" in result.output


def test_missing_file_and_explicit_format(tmp_path, corpus):
    result = ingest("--db", str(tmp_path / "c.db"), str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 1 and "no such file" in result.output
    path = write_jsonl(tmp_path / "export.dat", corpus)
    result = ingest("--db", str(tmp_path / "c.db"), "--format", "jsonl", str(path))
    assert result.exit_code == 0 and "4 stored" in result.output


def test_many_batches_use_worker_processes_and_keep_input_order(tmp_path):
    records = [{"url": f"https://o{i % 7}.example.com/{i}", "text": story(100 + i // 2, 120)}
               for i in range(60)]  # fmt: skip
    db = tmp_path / "c.db"
    path = write_jsonl(tmp_path / "m.jsonl", records)
    result = ingest("--db", str(db), "--batch-size", "8", "--jobs", "2", str(path))
    assert result.exit_code == 0, result.output
    assert "60 stored" in result.output
    ids = [r["url"] for r in rows(db, "select url from articles order by id")]
    assert ids == [r["url"] for r in records]
    # Records 2k and 2k+1 share their text: each pair is one match, the later one as a.
    pairs = {(r["a"], r["b"]) for r in rows(db, "select a, b from matches")}
    assert pairs == {(i + 2, i + 1) for i in range(0, 60, 2)}
