"""``quirks.test``: one fault per path, for tests of bad input. Not linked from any outlet.

=====================  ==================================================================
Path                   Behaviour
=====================  ==================================================================
``/``                  200, an index of the paths below
``/cp1251/``           200, Russian text encoded in windows-1251, declared only by
                       ``<meta charset="windows-1251">`` (Content-Type has no charset)
``/wrong-charset/``    200, header says ``charset=iso-8859-1`` but the body is UTF-8
                       (with ``<meta charset="utf-8">``)
``/binary/``           200 ``text/html`` whose body is 4 KiB of binary noise (fixed seed)
``/empty/``            200 ``text/html`` with an empty body
``/huge/``             200 ``text/html``, 20 MiB generated on the fly (``?mb=N`` to change,
                       at most 64)
``/report.pdf``        200 ``application/pdf``, a small PDF-like body
``/loop/a``            302 → ``/loop/b`` → 302 → ``/loop/a`` … (endless redirect loop)
``/slow/``             200; headers and the first bytes at once, then the body stalls for
                       ``?seconds=N`` (default 10, at most 30) before finishing
``/flaky/``            500 on the first request, 200 afterwards; counted per server and per
                       query string, so ``/flaky/?k=1`` and ``/flaky/?k=2`` fail once each
``/rate-limited/``     429 with ``Retry-After: 1`` on the first request (per query string),
                       200 afterwards
``/always-429/``       429 with ``Retry-After: 1`` every time
=====================  ==================================================================
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs

from .site import HTML, Response, redirect, text_response

HOST = "quirks.test"
BASE = f"http://{HOST}"
HUGE_MB = 20
MAX_HUGE_MB = 64
SLOW_DEFAULT = 10.0
SLOW_MAX = 30.0

PATHS: dict[str, str] = {
    "index": "/",
    "cp1251": "/cp1251/",
    "wrong_charset": "/wrong-charset/",
    "binary": "/binary/",
    "empty": "/empty/",
    "huge": "/huge/",
    "pdf": "/report.pdf",
    "redirect_loop": "/loop/a",
    "slow": "/slow/",
    "flaky": "/flaky/",
    "rate_limited": "/rate-limited/",
    "always_429": "/always-429/",
}

CP1251_TITLE = "Новости дня: переговоры продолжаются"
CP1251_TEXT = (
    "Переговоры о прекращении огня продолжились в среду. Стороны обменялись "
    "предложениями, но договориться о сроках пока не удалось."
)
WRONG_CHARSET_TITLE = "Café society — “quoted” and naïve"


def _page(title: str, body: str, meta: str = '<meta charset="utf-8">') -> str:
    return (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{title}</title></head>\n"
        f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>\n"
    )


def _huge(total: int) -> Iterator[bytes]:
    head = b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Huge page</title></head><body>\n'
    tail = b"</body></html>\n"
    para = b"<p>" + b"All work and no play makes a very long page. " * 20 + b"</p>\n"
    yield head
    left = total - len(head) - len(tail)
    block = para * (65536 // len(para))
    while left > 0:
        chunk = block[:left]
        left -= len(chunk)
        yield chunk
    yield tail


def huge_length(mb: int) -> int:
    return mb * 1024 * 1024


class Quirks:
    """Per-server state (fail-once counters) and the fault responses."""

    def __init__(self, stop: threading.Event) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, int] = {}
        self._stop = stop

    def _count(self, key: str) -> int:
        with self._lock:
            self._seen[key] = self._seen.get(key, 0) + 1
            return self._seen[key]

    def respond(self, path: str, query: str) -> Response:
        q = parse_qs(query)
        if path == "/":
            items = "".join(
                f'<li><a href="{p}">{name}</a></li>' for name, p in PATHS.items() if p != "/"
            )
            return text_response(200, _page("Quirks", f"<ul>{items}</ul>"), HTML)
        if path == "/cp1251/":
            body = _page(CP1251_TITLE, CP1251_TEXT, '<meta charset="windows-1251">')
            return Response(200, body.encode("cp1251"), "text/html")
        if path == "/wrong-charset/":
            body = _page(WRONG_CHARSET_TITLE, "Résumé of the día: “smart quotes” — em dashes.")
            return Response(200, body.encode("utf-8"), "text/html; charset=iso-8859-1")
        if path == "/binary/":
            return Response(200, random.Random(1251).randbytes(4096), HTML)
        if path == "/empty/":
            return Response(200, b"", HTML)
        if path == "/huge/":
            mb = _int(q, "mb", HUGE_MB, 1, MAX_HUGE_MB)
            return Response(
                200, content_type=HTML, stream=_huge(huge_length(mb)), length=huge_length(mb)
            )
        if path == "/report.pdf":
            body = (
                b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                b"trailer << /Root 1 0 R >>\n%%EOF\n"
            )
            return Response(200, body, "application/pdf")
        if path == "/loop/a":
            return redirect(302, f"{BASE}/loop/b")
        if path == "/loop/b":
            return redirect(302, f"{BASE}/loop/a")
        if path == "/slow/":
            seconds = min(_float(q, "seconds", SLOW_DEFAULT), SLOW_MAX)
            first = _page("Slow page", "This page took its time. " * 20).encode()
            rest = b"<!-- done -->\n"
            return Response(
                200,
                content_type=HTML,
                stream=iter([first, rest]),
                length=len(first) + len(rest),
                stall=lambda: self._stop.wait(seconds),
            )
        if path == "/flaky/":
            if self._count(f"flaky?{query}") == 1:
                return text_response(500, "Internal Server Error\n")
            return text_response(200, _page("Flaky page", "Worked on the second try."), HTML)
        if path == "/rate-limited/":
            if self._count(f"rate?{query}") == 1:
                r = text_response(429, "Too Many Requests\n")
                r.headers.append(("Retry-After", "1"))
                return r
            return text_response(200, _page("Rate limited page", "Thanks for waiting."), HTML)
        if path == "/always-429/":
            r = text_response(429, "Too Many Requests\n")
            r.headers.append(("Retry-After", "1"))
            return r
        return text_response(404, "Not Found\n")


def _int(q: dict, name: str, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(q[name][0])))
    except (KeyError, ValueError):
        return default


def _float(q: dict, name: str, default: float) -> float:
    try:
        return max(0.0, float(q[name][0]))
    except (KeyError, ValueError):
        return default
