"""The writer of a distributed crawl trusts nothing it reads from Redis (a real redis-server).

Hostile entries in the items stream (invalid Unicode, missing fields, zlib bombs, forged
replacements, wrong HMACs) go to the dead-letter stream with their reason; the writer keeps
storing the good ones and a restart does not meet them again. A pickle planted in the shared
LSH index is never unpickled.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import resource
import threading
import time
import zlib
from pathlib import Path

import pytest
import redis
from scrapy import Request

from crawler.distributed.connection import Keys
from crawler.distributed.leases import LeaseQueue
from crawler.distributed.stream import GROUP, encode_item
from crawler.distributed.worker import RedisOutletSpider
from crawler.distributed.writer import RedisWriter
from crawler.items import PageItem
from crawler.store import Store

pytestmark = pytest.mark.filterwarnings("error::scrapy.exceptions.ScrapyDeprecationWarning")


def story(n: int, words: str = "harbour cranes and grain ships") -> str:
    return "\n".join(f"Paragraph {p} of story {n} about {words}, figure {p * n + 7}."
                     for p in range(12))  # fmt: skip


def item(n: int, *, text: str | None = None, fetched_at: str = "2024-01-01T00:00:00+00:00",
         lease: str | None = None) -> tuple[PageItem, dict]:  # fmt: skip
    url = f"http://trust{n % 3}.test/story-{n}/"
    text = text or story(n)
    page = PageItem(url=url, final_url=url, status=200, headers={"Content-Type": "text/html"},
                    body=f"<html>{text}</html>".encode(), content_type="text/html",
                    fetched_at=fetched_at, frontier_url=lease or f"{url} x{n}")  # fmt: skip
    article = {"url": url, "fetched_url": url, "outlet": f"trust{n % 3}.test", "title": f"S{n}",
               "text": text, "text_hash": hashlib.sha1(text.encode()).hexdigest(),
               "attributions": [], "attribution_lines": []}  # fmt: skip
    return page, article


def fields_of(n: int, **changes) -> dict[str, bytes]:
    """An entry of story ``n`` with its JSON edited: ``page__x`` / ``article__x`` set a key
    (None deletes it); raw JSON text replaces a whole part."""
    fields = encode_item(*item(n), None)
    for name, value in changes.items():
        part, _, key = name.partition("__")
        data = json.loads(fields[part])
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
        fields[part] = json.dumps(data).encode()
    return fields


def zlib_bomb(chunks: int = 2048) -> bytes:
    """~2 MB of zlib data that inflates to ``chunks`` MiB of zeros (2 GiB), built in
    milliseconds: after a full flush every MiB of zeros compresses to the same bytes."""
    packer, zeros = zlib.compressobj(9), bytes(1024 * 1024)
    first = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    adler = ((chunks * len(zeros)) % 65521) << 16 | 1  # Adler-32 of that many zero bytes
    return first + again * (chunks - 1) + b"\x03\x00" + adler.to_bytes(4, "big")


def texts(db: Path) -> dict[str, str]:
    with Store(db) as store:
        return {r[0]: r[1] for r in store.db.execute("select url, text from articles")}


def dead(client: redis.Redis, keys: Keys) -> list[str]:
    return [f[b"reason"].decode() for _, f in client.xrange(keys.dead)]


def drained(client: redis.Redis, keys: Keys) -> bool:
    return client.xlen(keys.items) == 0 and client.xpending(keys.items, GROUP)["pending"] == 0


def run_writer(url: str, prefix: str, db: Path, **options) -> dict:
    with Store(db) as store:
        return RedisWriter(store, url, prefix, **options).run(idle_exit=0.5, max_seconds=60)


def test_hostile_entries_are_dead_lettered_and_the_writer_keeps_going(redis_url, tmp_path):
    client, keys = redis.Redis.from_url(redis_url), Keys("hostile")
    db = tmp_path / "w.db"
    bomb = zlib_bomb()
    assert 2_000_000 < len(bomb) < 3 * 1024 * 1024
    probe = zlib.decompressobj()
    assert len(probe.decompress(bomb, 64 * 1024**2)) == 64 * 1024**2 and probe.unconsumed_tail
    surrogate = encode_item(*item(2), None)
    surrogate["article"] = surrogate["article"].replace(b'"title": "S2"', b'"title": "\\ud800x"')
    assert b"\\ud800" in surrogate["article"]
    page_surrogate = fields_of(12)
    page_surrogate["page"] = page_surrogate["page"].replace(b'"encoding": null',
                                                            b'"encoding": "\\udfff"')  # fmt: skip
    hostile = {
        "lone surrogate": surrogate,
        "lone surrogate in page": page_surrogate,
        "no text": fields_of(3, article__text=None),
        "blank text": fields_of(4, article__text="   "),
        "zlib bomb": {**encode_item(*item(5), None), "body": bomb},
        "not zlib": {**encode_item(*item(6), None), "body": b"plain bytes"},
        "not JSON": {**encode_item(*item(7), None), "page": b"{'url':"},
        "javascript URL": fields_of(8, page__url="javascript:alert(1)"),
        "other outlet": fields_of(9, article__outlet="victim.test"),
        "status text": fields_of(10, page__status="200"),
        "nested": fields_of(11, page__hints=json.loads("[" * 50 + "]" * 50)),
        "unknown page field": fields_of(13, page__evil=1),
        "no page": {"reason": b"x"},
    }
    client.xadd(keys.items, encode_item(*item(0), None))
    for fields in hostile.values():
        client.xadd(keys.items, fields)
    client.xadd(keys.items, encode_item(*item(1), None))

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary = run_writer(redis_url, "hostile", db)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200, f"the writer grew by {grown_mb:.0f} MB"  # the bomb was not inflated

    assert summary["reason"] == "finished"
    assert summary["items"] == summary["articles"] == 2
    assert summary["malformed"] == len(hostile)
    assert sorted(texts(db)) == ["http://trust0.test/story-0/", "http://trust1.test/story-1/"]
    reasons = dead(client, keys)
    assert len(reasons) == len(hostile)
    expected = ["lone surrogate", "lone surrogate", "no text", "no text", "inflates past",
                "not zlib", "not UTF-8|not JSON", "not an http(s) URL", "not the outlet",
                "not an HTTP status", "nested too deeply", "unknown fields", "no page field"]  # fmt: skip
    for reason, wanted in zip(reasons, expected, strict=True):
        assert any(w in reason for w in wanted.split("|")), (reason, wanted)
    # The dead letter keeps the entry for inspection, the bomb cut to 64 KB.
    entry = client.xrange(keys.dead)[4][1]
    assert len(entry[b"x-body"]) == 64 * 1024 and entry[b"truncated"] == b"body"
    assert drained(client, keys)

    # An entry a dead writer had read stays pending: the next writer claims it, refuses it,
    # and neither crashes nor leaves it pending for the one after.
    client.xadd(keys.items, surrogate)
    assert client.xreadgroup(GROUP, "dead-writer", {keys.items: ">"}, count=5)
    again = run_writer(redis_url, "hostile", db)
    assert again["reason"] == "finished" and again["malformed"] == 1
    assert drained(client, keys)
    assert run_writer(redis_url, "hostile", db)["malformed"] == 0


def test_a_forged_entry_does_not_replace_a_stored_text(redis_url, tmp_path):
    client, keys = redis.Redis.from_url(redis_url), Keys("forge")
    db = tmp_path / "w.db"
    url = item(0)[0].url
    client.xadd(keys.items, encode_item(*item(0), None))
    assert run_writer(redis_url, "forge", db)["articles"] == 1
    original = texts(db)[url]

    forged = story(0, "a forged statement the outlet never made")
    # No lease; a lease id for this URL that the frontier never issued; a real lease for
    # another URL.
    client.xadd(
        keys.items, encode_item(*item(0, text=forged, fetched_at="2030-01-01T00:00:00"), None)
    )
    client.xadd(keys.items, encode_item(*item(0, text=forged, lease=f"{url} abc123"), None))
    spider = RedisOutletSpider()
    queue = LeaseQueue(client, spider, keys, lease_seconds=60)
    queue.push(Request("http://trust1.test/story-1/"))
    other = queue.pop()[0]
    queue.ack(other)  # fetched and sent: the frontier is empty, the ledger keeps the lease
    client.xadd(keys.items, encode_item(*item(0, text=forged, lease=other), None))
    summary = run_writer(redis_url, "forge", db)
    assert summary["malformed"] == 3 and summary["items"] == 0
    assert texts(db)[url] == original
    assert all("would replace the text of stored article" in r for r in dead(client, keys))

    # A real re-fetch: leased by the frontier, newer than the stored one. An older fetch
    # under a valid lease is refused (a replayed entry).
    queue.push(Request(url))
    lease = queue.pop()[0]
    queue.ack(lease)
    old = encode_item(
        *item(0, text=forged, lease=lease, fetched_at="2023-06-01T00:00:00+00:00"), None
    )
    client.xadd(keys.items, old)
    newer = story(0, "a correction the outlet published")
    client.xadd(keys.items, encode_item(*item(0, text=newer, lease=lease,
                                              fetched_at="2024-02-01T00:00:00+00:00"), None))  # fmt: skip
    summary = run_writer(redis_url, "forge", db)
    assert summary["malformed"] == 1 and summary["replaced"] == 1
    assert "older fetch" in dead(client, keys)[-1]
    assert texts(db)[url] == newer
    with Store(db) as store:  # the earlier text is kept as a version
        assert store.db.execute("select text from article_versions").fetchone()[0] == original
    assert client.zscore(keys.issued, lease) is None  # a lease replaces once
    assert drained(client, keys)


def test_with_a_shared_key_only_signed_entries_are_stored(redis_url, tmp_path, monkeypatch):
    client, keys = redis.Redis.from_url(redis_url), Keys("signed")
    good = encode_item(*item(0), None, hmac_key=b"k1", prefix="signed")
    tampered = encode_item(*item(1), None, hmac_key=b"k1", prefix="signed")
    tampered["article"] = tampered["article"].replace(b'"S1"', b'"Forged"')
    entries = [
        good,
        encode_item(*item(2), None, hmac_key=b"k2", prefix="signed"),  # wrong key
        encode_item(*item(3), None),  # unsigned
        tampered,
        encode_item(*item(4), None, hmac_key=b"k1", prefix="other-crawl"),  # replayed across
    ]
    for fields in entries:
        client.xadd(keys.items, fields)
    monkeypatch.setenv("CROSSPOST_REDIS_HMAC_KEY", "k1")  # what `crosspost ingest` reads
    summary = run_writer(redis_url, "signed", tmp_path / "w.db")
    assert summary["items"] == 1 and summary["malformed"] == 4
    assert list(texts(tmp_path / "w.db")) == [item(0)[0].url]
    assert all(r.startswith("HMAC missing or wrong") for r in dead(client, keys))
    assert drained(client, keys)


class Planted:
    """A pickle whose loading creates a file: what an attacker would put in Redis."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def test_a_pickle_planted_in_the_shared_index_never_runs(redis_url, tmp_path):
    client, keys = redis.Redis.from_url(redis_url), Keys("planted")
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Planted(marker))
    db = tmp_path / "w.db"
    client.xgroup_create(keys.items, GROUP, id="0", mkstream=True)
    client.xadd(keys.items, encode_item(*item(0), None))
    summary: dict = {}

    def run() -> None:
        with Store(db) as store:
            writer = RedisWriter(store, redis_url, "planted", index_in_redis=True)
            holder.append(writer)
            summary.update(writer.run(idle_exit=0, max_seconds=60))

    holder: list[RedisWriter] = []
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    # Story 0 is in the shared index once its key and every band's bucket are written (the
    # key list may be written before the buckets).
    while not client.hexists(keys.lsh + b"_keys", b"i:1") or sum(
        client.type(key) == b"set" for key in client.scan_iter(match=keys.lsh + b"*")
    ) < 10:
        assert time.monotonic() < deadline and thread.is_alive(), "the writer did not store"
        time.sleep(0.05)
    # Into every bucket and key list of the index the writer queries.
    planted = 0
    for key in client.scan_iter(match=keys.lsh + b"*"):
        if client.type(key) == b"set":
            client.sadd(key, payload, b"i:999999", b"s:\xff")
            planted += 1
        elif client.type(key) == b"hash":
            client.hset(key, payload, payload)
    assert planted >= 10
    # A republished copy of story 0: its query reads the planted buckets.
    copy = item(0)
    copy[0].url = copy[0].final_url = copy[1]["url"] = copy[1]["fetched_url"] = (
        "http://copier.test/0/"
    )
    copy[1]["outlet"] = "copier.test"
    client.xadd(keys.items, encode_item(*copy, None))
    while holder[0].counts["items"] < 2:
        assert time.monotonic() < deadline and thread.is_alive(), "the writer stopped"
        time.sleep(0.05)
    holder[0].stop()
    thread.join(timeout=30)
    assert not thread.is_alive() and summary["reason"] == "stopped"
    assert not marker.exists(), "a pickle read from Redis was loaded"
    assert summary["matches"] == 1  # the real candidate still matched; planted ones ignored
    assert client.hget(keys.lsh + b"_keys", b"i:1") is not None  # keys are plain bytes
