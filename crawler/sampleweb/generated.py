"""A generated sample web of any size, for benchmarks and re-crawl tests.

``GeneratedWeb(articles=5000, outlets=5, edition=1)`` is a set of WordPress-like outlets on
``gen<N>.test`` hosts: robots.txt with a sitemap index, post sitemaps with ``<lastmod>``, an
RSS feed, article pages linking each other, and every tenth article of outlets 1.. a credited
copy of an article of outlet 0. Pages carry ETag/Last-Modified and answer 304.

``edition`` models the web a while later: edition 2 changes the text of every 25th article
(newer ``lastmod``) and adds 2% new articles, so a re-crawl has something to find.

    python -m crawler.sampleweb.generated --articles 5000 --edition 1 --port 0

prints ``http://127.0.0.1:PORT`` (a forward proxy for the ``gen*.test`` hosts) and serves until
interrupted. Run it in its own process when measuring a crawler.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import signal
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SITEMAP_SIZE = 1000
FEED_SIZE = 20
_EPOCH = datetime(2021, 1, 1, tzinfo=UTC)
_WORDS = (
    "government minister talks ceasefire border energy pipeline market prices export sanctions "
    "election parliament coalition vote protest police court ruling investigation report "
    "agency officials statement spokesman region province capital city village residents "
    "drought harvest farmers wheat supply shortage factory workers strike union wages "
    "inflation bank rates currency bonds investors shares company profits losses shipping "
    "port tanker route canal military drills exercise troops base airfield missile drone "
    "satellite launch rocket scientists study vaccine trial hospital patients doctors "
    "school teachers students budget deficit reform tax pension health water power grid "
    "storm flood wildfire emergency rescue aid convoy refugees camp negotiators summit"
).split()


class Article:
    __slots__ = ("outlet", "n", "title", "paragraphs", "published", "modified", "origin")

    def __init__(self, outlet: int, n: int, title: str, paragraphs: list[str],
                 published: datetime, origin: Article | None = None) -> None:
        self.outlet, self.n, self.title, self.paragraphs = outlet, n, title, paragraphs
        self.published = self.modified = published
        self.origin = origin

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/story-{self.n}/"

    def url(self) -> str:
        return f"http://{host(self.outlet)}{self.path}"


def host(outlet: int) -> str:
    return f"gen{outlet}.test"


def outlet_name(outlet: int) -> str:
    return f"Generated Outlet {outlet}"


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(45, 70))]
        words[0] = words[0].capitalize()
        out.append(" ".join(words) + ".")
    return out


class GeneratedWeb:
    """The articles and rendered pages of a generated web (deterministic for a seed)."""

    def __init__(self, articles: int = 5000, outlets: int = 5, edition: int = 1,
                 seed: int = 7) -> None:
        rng = random.Random(seed)
        self.outlets = outlets
        self.edition = edition
        per_outlet = max(1, articles // outlets)
        self.by_outlet: dict[int, list[Article]] = {o: [] for o in range(outlets)}
        n = 0
        for i in range(per_outlet):
            for o in range(outlets):
                n += 1
                published = _EPOCH + timedelta(hours=n)
                origins = self.by_outlet[0]
                if o > 0 and i % 10 == 5 and origins:
                    origin = origins[(i * 7 + o) % len(origins)]
                    credit = (f'The original source of this article is <a href="{origin.url()}">'
                              f"{outlet_name(0)}</a>")
                    article = Article(o, n, origin.title, [*origin.paragraphs, credit],
                                      published + timedelta(hours=3), origin)
                else:
                    title = " ".join(rng.choice(_WORDS) for _ in range(7)).capitalize()
                    article = Article(o, n, title, _paragraphs(rng, 6), published)
                self.by_outlet[o].append(article)
        if edition >= 2:
            later = _EPOCH + timedelta(days=3650)
            for o, items in self.by_outlet.items():
                for article in items[::25]:
                    article.paragraphs = [*article.paragraphs[:-1],
                                          "Update: this article was corrected after publication."]
                    article.modified = later
                for k in range(max(1, len(items) // 50)):
                    n += 1
                    fresh = Article(o, n, f"New story {n}", _paragraphs(rng, 6),
                                    later + timedelta(hours=k))
                    items.append(fresh)
        self.by_path = {(a.outlet, a.path): a for items in self.by_outlet.values() for a in items}

    def all_articles(self) -> list[Article]:
        return [a for items in self.by_outlet.values() for a in items]

    # -- rendering ------------------------------------------------------------------------
    def article_html(self, a: Article) -> str:
        items = self.by_outlet[a.outlet]
        idx = items.index(a) if len(items) < 64 else (a.n // self.outlets) % len(items)
        related = [items[(idx + k) % len(items)] for k in (1, 2, 3, 5, 8)]
        links = "".join(f'<li><a href="{r.path}">{escape(r.title)}</a></li>' for r in related)
        body = "".join(f"<p>{p}</p>" for p in a.paragraphs)
        name = outlet_name(a.outlet)
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(a.title)} - {name}</title>"
            f'<link rel="canonical" href="{a.url()}">'
            f'<meta property="og:site_name" content="{name}">'
            f'<meta property="og:title" content="{escape(a.title)}">'
            f'<meta property="article:published_time" content="{a.published.isoformat()}">'
            f'<link rel="alternate" type="application/rss+xml" href="/feed/">'
            f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":'
            f'"{escape(a.title)}","datePublished":"{a.published.isoformat()}",'
            f'"dateModified":"{a.modified.isoformat()}"}}</script></head>'
            f'<body><header><nav><a href="/">{name}</a> <a href="/about/">About</a></nav></header>'
            f"<main><article><h1>{escape(a.title)}</h1>"
            f'<p class="byline">By Staff Writer, {a.published:%d %B %Y}</p>{body}</article>'
            f"<aside><h2>Related</h2><ul>{links}</ul></aside></main>"
            f"<footer><p>Copyright {name}. All rights reserved.</p></footer></body></html>"
        )

    def home_html(self, outlet: int) -> str:
        latest = self.by_outlet[outlet][-10:]
        links = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in latest)
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{outlet_name(outlet)}'
                f"</title></head><body><ul>{links}</ul></body></html>")

    def sitemap_index(self, outlet: int) -> str:
        items = self.by_outlet[outlet]
        parts = []
        for k in range(0, len(items), SITEMAP_SIZE):
            chunk = items[k:k + SITEMAP_SIZE]
            last = max(a.modified for a in chunk)
            parts.append(f"<sitemap><loc>http://{host(outlet)}/post-sitemap{k // SITEMAP_SIZE + 1}"
                         f".xml</loc><lastmod>{last.isoformat()}</lastmod></sitemap>")
        return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(parts) + "</sitemapindex>")

    def sitemap(self, outlet: int, n: int) -> str | None:
        chunk = self.by_outlet[outlet][(n - 1) * SITEMAP_SIZE:n * SITEMAP_SIZE]
        if not chunk:
            return None
        urls = "".join(f"<url><loc>{a.url()}</loc><lastmod>{a.modified.isoformat()}</lastmod></url>"
                       for a in chunk)
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + "</urlset>")

    def feed(self, outlet: int) -> str:
        items = "".join(
            f"<item><title>{escape(a.title)}</title><link>{a.url()}</link>"
            f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
            for a in reversed(self.by_outlet[outlet][-FEED_SIZE:])
        )
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>{outlet_name(outlet)}</title>{items}</channel></rss>")

    @lru_cache(maxsize=None)
    def respond(self, hostname: str, path: str) -> tuple[int, bytes, str, datetime | None]:
        """(status, body, content type, last modified) for a request."""
        if not (hostname.startswith("gen") and hostname.endswith(".test")):
            return 502, b"not a generated outlet\n", "text/plain", None
        try:
            outlet = int(hostname[3:-5])
        except ValueError:
            return 404, b"not found\n", "text/plain", None
        if outlet not in self.by_outlet:
            return 404, b"not found\n", "text/plain", None
        xml = "application/xml; charset=utf-8"
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            text = f"User-agent: *\nDisallow: /private/\nSitemap: http://{hostname}/sitemap_index.xml\n"
            return 200, text.encode(), "text/plain", None
        if path == "/sitemap_index.xml":
            last = max(a.modified for a in self.by_outlet[outlet])
            return 200, self.sitemap_index(outlet).encode(), xml, last
        if path.startswith("/post-sitemap") and path.endswith(".xml"):
            body = self.sitemap(outlet, int(path[len("/post-sitemap"):-4] or 1))
            if body is not None:
                return 200, body.encode(), xml, None
        if path == "/feed/":
            return 200, self.feed(outlet).encode(), "application/rss+xml; charset=utf-8", None
        if path == "/":
            return 200, self.home_html(outlet).encode(), html, None
        article = self.by_path.get((outlet, path))
        if article is not None:
            return 200, self.article_html(article).encode(), html, article.modified
        return 404, b"<html><body>Not found</body></html>", html, None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        hostname = (parts.hostname or (self.headers.get("Host") or "").split(":")[0]).lower()
        status, body, ctype, modified = self.server.web.respond(hostname, parts.path or "/")
        self.server.hits += 1
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"' if status == 200 else None
        if etag and self._not_modified(etag, modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        if modified:
            self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
        self.end_headers()
        self.wfile.write(body)

    def _not_modified(self, etag: str, modified: datetime | None) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in {t.strip() for t in inm.split(",")}
        ims = self.headers.get("If-Modified-Since")
        if ims and modified:
            try:
                return modified <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False


class GeneratedWebServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], web: GeneratedWeb) -> None:
        super().__init__(address, _Handler)
        self.web = web
        self.hits = 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.sampleweb.generated",
                                     description="Serve a generated sample web on loopback.")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--outlets", type=int, default=5)
    parser.add_argument("--edition", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    web = GeneratedWeb(args.articles, args.outlets, args.edition)
    server = GeneratedWebServer(("127.0.0.1", args.port), web)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
