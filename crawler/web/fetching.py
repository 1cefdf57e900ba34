"""Fetching an unknown URL on a user's request, when the server allows it (``--allow-fetch``).

The URL is checked by the fetch guard here first (http(s) only; no private, loopback,
link-local, multicast or reserved address in any notation, after DNS), so a refused URL is
answered at once. The fetch itself runs ``crosspost lookup URL --fetch --json`` in a
subprocess: Scrapy's reactor cannot run inside the server, and that command re-checks the
guard on every request and redirect, checks every address it connects to (DNS rebinding),
and applies its own size and time limits. It stores the fetched page, so this is the one
path on which the server causes a write.

A refusal tells the HTTP client the rule, never an address learnt from DNS: that would map
the operator's internal network for whoever asks (``intranet-db.example.org`` → 10.20.30.40).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from crawler.crawl.fetchguard import RESOLVES_TO_NON_PUBLIC, ForbiddenURL, check_fetch_url

#: At most this many fetches run at once; more are answered 503.
MAX_CONCURRENT_FETCHES = 2
#: A fetch (robots.txt, redirects, extraction, matching) that takes longer is abandoned.
FETCH_TIMEOUT_SECONDS = 90


class FetchRefused(Exception):
    """The URL may not be fetched (the fetch guard's reason)."""


class FetchFailed(Exception):
    """The fetch was tried and failed (unreachable, timeout, error status)."""


class FetchBusy(Exception):
    """Too many fetches are running."""


_REFUSED = re.compile(r"(?:forbidden URL|refusing to fetch) \S+(?: \(redirected from \S+\))?: (.*)$")


def _refusal(message: str) -> str | None:
    """The rule behind a refusal reported by ``crosspost lookup --fetch``, or None when
    ``message`` is not a refusal."""
    if "resolves to a" in message:
        return f"refusing to fetch this URL: {RESOLVES_TO_NON_PUBLIC}"
    found = _REFUSED.search(message)
    if found:
        # the other reasons name only what the URL or a redirect's Location itself says
        return f"refusing to fetch this URL: {found.group(1)}"
    return None


class Fetcher:
    """Guarded one-URL fetches into the store at ``db_path``."""

    def __init__(self, db_path: str | Path, *, timeout: float = FETCH_TIMEOUT_SECONDS) -> None:
        self.db_path = str(db_path)
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(MAX_CONCURRENT_FETCHES)

    @staticmethod
    def check(url: str) -> None:
        try:
            check_fetch_url(url)
        except ForbiddenURL as exc:
            raise FetchRefused(f"refusing to fetch this URL: {exc.rule}") from None

    def lookup(self, url: str) -> dict[str, Any]:
        """Fetch ``url`` (guarded) and answer its Lookup JSON. Blocking."""
        self.check(url)
        if not self._slots.acquire(blocking=False):
            raise FetchBusy("too many fetches are running; try again in a minute")
        try:
            done = subprocess.run(
                [sys.executable, "-m", "crawler", "lookup", url, "--fetch", "--json",
                 "--db", self.db_path],
                capture_output=True, text=True, timeout=self.timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            raise FetchFailed(f"the fetch took longer than {self.timeout:.0f} s") from None
        finally:
            self._slots.release()
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
            message = lines[-1].removeprefix("Error: ") if lines else "the fetch failed"
            refused = _refusal(message)
            if refused:
                raise FetchRefused(refused)
            raise FetchFailed(message)
        try:
            return json.loads(done.stdout)
        except ValueError:
            raise FetchFailed("the fetch gave no answer") from None
