"""Fetching unknown URLs through the API: off by default; with ``--allow-fetch`` only
through the fetch guard, so the API cannot be used to reach private addresses (SSRF).

The full list of address notations is tested on the guard itself (tests/test_fetchguard.py);
here a sample goes through the whole HTTP path. The server's fetches are pointed at a closed
loopback proxy, so even a guard mistake could not send a request off this machine.
"""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from serve_tools import free_port, get_json, server

FORBIDDEN = [
    "http://127.0.0.1:{port}/",
    "http://localhost/admin",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.5.4/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "https://metadata.google.internal/computeMetadata/v1/",
]


@pytest.fixture(scope="module")
def fetching_api(full_crawl, tmp_path_factory):
    db = tmp_path_factory.mktemp("fetch") / "fetch.db"
    shutil.copy(full_crawl[0], db)
    dead = f"http://127.0.0.1:{free_port()}"
    with server(db, "--allow-fetch",
                env={"http_proxy": dead, "https_proxy": dead, "HTTP_PROXY": dead,
                     "HTTPS_PROXY": dead}) as url:
        yield url


def _ask(api, url):
    return get_json(f"{api}api/provenance?fetch=true&url={quote(url, safe='')}", timeout=60)


@pytest.mark.parametrize("target", FORBIDDEN)
def test_forbidden_addresses_are_refused_with_400(fetching_api, target):
    port = fetching_api.rsplit(":", 1)[1].strip("/")
    status, body = _ask(fetching_api, target.format(port=port))
    assert status == 400, body
    message = body["error"]["message"]
    assert message.startswith("refusing to fetch this URL: "), message


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1:25/",
                                    "ftp://10.0.0.1/"])
def test_other_schemes_are_refused_with_400(fetching_api, target):
    status, body = _ask(fetching_api, target)
    assert status == 400 and "http" in body["error"]["message"]


def test_known_urls_are_answered_without_fetching(fetching_api):
    from crawler.sampleweb import truth

    status, body = _ask(fetching_api, truth.FLAGSHIP_COPY_URL)
    assert status == 200 and body["found"] and "fetched" not in body


def test_fetching_is_off_by_default(full_crawl):
    with server(full_crawl[0]) as api:
        status, body = _ask(api, "http://169.254.169.254/latest/meta-data/")
        assert status == 404 and "does not fetch" in body["error"]["message"]
