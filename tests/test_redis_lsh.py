"""The LSH index in a real Redis finds what the in-memory one finds."""

from __future__ import annotations

from collections import Counter

import pytest
import redis

from crawler.distributed.lsh import clear_index, is_built, mark_built, storage_config_for
from crawler.sampleweb.generated import GeneratedWeb
from dedupe.matcher import Matcher

pytestmark = pytest.mark.filterwarnings("error::scrapy.exceptions.ScrapyDeprecationWarning")


def corpus() -> list[tuple[int, str, str]]:
    """Generated articles with their credited copies, plus excerpts of every seventh one."""
    texts = []
    for a in GeneratedWeb(articles=300, outlets=4).all_articles():
        texts.append((len(texts), "\n".join(a.paragraphs), f"gen{a.outlet}.test"))
        if a.n % 7 == 0:
            excerpt = "\n".join([*a.paragraphs[:3], "Read the rest on the original site."])
            texts.append((len(texts), excerpt, "digest.test"))
    return texts


def test_redis_lsh_finds_the_same_matches_as_in_memory(redis_url):
    client = redis.Redis.from_url(redis_url)
    basename = b"test:lsh"
    memory = Matcher()
    shared = Matcher(storage_config=storage_config_for(redis_url, basename))
    kinds: Counter[str] = Counter()
    for key, text, outlet in corpus():
        a, b = memory.add(key, text, outlet), shared.add(key, text, outlet)
        assert [(m.key_b, m.kind, m.jaccard) for m in a] == [
            (m.key_b, m.kind, m.jaccard) for m in b
        ], key
        if a.signature is not None:
            # The LSH candidates themselves are the same, not only the verified matches.
            assert sorted(memory.candidates(a.signature)) == sorted(shared.candidates(b.signature))
        kinds.update(m.kind for m in a)
    # Copies and excerpts (these only the anchor index proposes) were both found.
    assert kinds["near-duplicate"] >= 10 and kinds["excerpt"] >= 5, kinds

    # The keys datasketch stores are the article ids, and the index can be dropped whole.
    assert client.hlen(basename + b"_keys") == len(memory)
    mark_built(client, basename)
    assert is_built(client, basename)
    assert clear_index(client, basename) > len(memory)
    assert not is_built(client, basename)
    assert not list(client.scan_iter(match=b"test:lsh*"))


def test_storage_config_from_url():
    config = storage_config_for("redis://:s%40cret@10.0.0.5:6380/2", b"x:lsh")
    assert config == {"type": "redis", "basename": b"x:lsh",
                      "redis": {"host": "10.0.0.5", "port": 6380, "db": 2,
                                "password": "s@cret"}}  # fmt: skip
    assert storage_config_for("rediss://u:p@h/0", b"b")["redis"]["ssl"] is True
