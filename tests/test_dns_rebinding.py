"""DNS rebinding against the fetch guard, with a real DNS server in a private network namespace.

``tests/rebinding_lab.py`` runs inside ``unshare -n -m`` (a network namespace with only
loopback and a bind-mounted /etc/resolv.conf): its DNS server on 127.0.0.1:53 answers the
same name differently from one query to the next, and a target HTTP server on 127.0.0.1 and
::1 stands for the operator's internal network. ``crosspost lookup --fetch`` and
``crosspost serve --allow-fetch`` run for real against those names; the target's log must
stay empty. A crawl of an outlet on loopback whose article credits such a name must not
follow the credit. Before the guarded resolver, ``pair`` and ``first3`` fetched and stored the
internal page (Scrapy connected to the address of its own, unchecked, A query).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

CASES = [
    "pair",         # A with AAAA (getaddrinfo) → public; A alone (gethostbyname) → 127.0.0.1
    "first1",       # first answer public, then 127.0.0.1
    "first2",
    "first3",
    "first4",
    "v6",           # A public, AAAA ::1
    "pair:api",     # the same through crosspost serve --allow-fetch
    "first3:api",
    "loop:api",     # a name that simply resolves to 127.0.0.1, through the API
    "loop:proxy",   # always 127.0.0.1, with a loopback proxy configured
    "pub:proxy",    # always public, with a loopback proxy: the proxy is asked
    "loop:crawl",   # a crawled article credits a page on a name that resolves to 127.0.0.1
    "first1:crawl",  # ... to a name that rebinds to 127.0.0.1 after the first answer
    "loop:crawl-allowed",  # the same with CROSSPOST_FETCH_ALLOW_HOSTS naming that host
]
ATTACKS = [c for c in CASES if not c.endswith("-allowed")]


def _namespaces_work() -> str | None:
    if sys.platform != "linux":
        return "network namespaces are Linux only"
    if not shutil.which("unshare") or not shutil.which("ip"):
        return "unshare or ip is not installed"
    probe = subprocess.run(
        ["unshare", "-n", "-m", "sh", "-c",
         "ip link set lo up && mount --bind /dev/null /etc/hostname"],
        capture_output=True, text=True, timeout=20, check=False)
    if probe.returncode != 0:
        return f"unshare -n -m is not permitted here ({probe.stderr.strip()[:200]})"
    return None


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    why = _namespaces_work()
    if why:
        pytest.skip(why)
    out = tmp_path_factory.mktemp("rebinding") / "results.json"
    done = subprocess.run(
        ["unshare", "-n", "-m", sys.executable, str(ROOT / "tests" / "rebinding_lab.py"),
         str(out), *CASES],
        capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.mark.parametrize("case", ATTACKS)
def test_the_internal_target_is_never_requested(lab, case):
    run = lab[case]
    assert run["target_hits"] == [], run


@pytest.mark.parametrize("case", [c for c in ATTACKS if ":" not in c])
def test_the_cli_fetch_fails_with_a_clear_error(lab, case):
    run = lab[case]
    assert run["rc"] != 0, run
    last = run["stderr"].strip().splitlines()[-1]
    assert last.startswith("Error: ") and "Traceback" not in run["stderr"], last
    # the DNS server really was asked: the attack ran
    assert run["dns"], run


def test_a_rebinding_answer_is_refused_at_connection_time(lab):
    """first3: the URL checks saw a public address; the connection would have gone to
    127.0.0.1. The resolver Scrapy connects with refuses it and says so."""
    stderr = lab["first3"]["stderr"]
    assert "loopback address 127.0.0.1" in stderr


@pytest.mark.parametrize("case", ["pair:api", "first3:api", "loop:api"])
def test_the_api_answers_without_fetching_the_target(lab, case):
    run = lab[case]
    assert run["status"] in (400, 502), run
    body = json.loads(run["body"])
    # over HTTP the rule is given, never the address a name resolved to
    assert "127.0.0.1" not in body["error"]["message"] and "::1" not in body["error"]["message"]


def test_a_refused_name_is_not_sent_to_the_proxy(lab):
    run = lab["loop:proxy"]
    assert run["rc"] != 0 and run["proxy_hits"] == [], run
    assert "loopback" in run["stderr"]


def test_a_public_name_goes_through_the_loopback_proxy(lab):
    """The proxy on loopback is the operator's choice: the guard lets Scrapy connect to it."""
    run = lab["pub:proxy"]
    assert run["rc"] == 0, run["stderr"][-2000:]
    assert any("/news/payroll-" in hit for hit in run["proxy_hits"]), run


@pytest.mark.parametrize("case", ["loop:crawl", "first1:crawl"])
def test_a_credit_to_an_internal_name_is_not_followed(lab, case):
    run = lab[case]
    assert run["rc"] == 0, run["stderr"][-2000:]
    assert run["outlet_hits"], run  # the crediting article was crawled
    assert len(run["credits"]) == 1, run["credits"]  # and nothing else was stored
    assert "forbidden URL" in run["stderr"]


def test_an_allowed_host_is_followed(lab):
    """The control: the operator's setting lets the same credit through (so the tests
    above can fail)."""
    run = lab["loop:crawl-allowed"]
    assert run["rc"] == 0, run["stderr"][-2000:]
    assert any("/news/payroll-" in hit for hit in run["target_hits"]), run
    assert len(run["credits"]) == 2, run["credits"]


def test_the_api_gives_the_rule_not_the_address(lab):
    run = lab["loop:api"]
    assert run["status"] == 400, run
    message = json.loads(run["body"])["error"]["message"]
    assert message.startswith("refusing to fetch this URL: ") and "not public" in message
    assert "127.0.0.1" not in message
