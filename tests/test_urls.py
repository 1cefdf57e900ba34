"""Article and outlet identity."""

import pytest

from crawler.urls import BadURL, canonical_url, outlet_of


@pytest.mark.parametrize(
    "variant",
    [
        "http://southfront.test/a-story/",
        "HTTP://SouthFront.TEST/a-story/",
        "http://southfront.test:80/a-story/",
        "http://southfront.test/a-story/#comments",
        "http://southfront.test/a-story/?utm_source=twitter&utm_medium=social",
        "http://southfront.test/a-story/?fbclid=abc123",
    ],
)
def test_variants_share_one_canonical_url(variant):
    assert canonical_url(variant) == "http://southfront.test/a-story/"


def test_query_is_sorted_and_kept():
    assert canonical_url("http://a.test/p?b=2&a=1") == "http://a.test/p?a=1&b=2"


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.globalresearch.ca/some-article/5728999", "globalresearch.ca"),
        ("https://southfront.org/x/", "southfront.org"),
        ("http://news.bbc.co.uk/1/hi/world.stm", "bbc.co.uk"),
        ("http://www.globalresearch.test/x", "globalresearch.test"),
        ("http://127.0.0.1:8080/x", "127.0.0.1"),
    ],
)
def test_outlet_is_registered_domain(url, outlet):
    assert outlet_of(url) == outlet


@pytest.mark.parametrize(
    "bad", ["", "   ", "ftp://example.com/x", "mailto:a@b.c", "http://", "not a url",
            "http://example.com:99999/", "javascript:alert(1)", "http://exa mple.com/x",
            "http://[::1/", "http://[zz]/story"],
)
def test_bad_urls_are_refused_with_a_reason(bad):
    with pytest.raises(BadURL) as info:
        canonical_url(bad)
    assert str(info.value)
