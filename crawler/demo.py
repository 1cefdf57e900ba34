"""``crosspost demo``: serve the bundled sample web on loopback, crawl it, show what was found.

The sample outlets use reserved ``.test`` hostnames that cannot resolve, and every request goes
through the sample web's own loopback proxy, so the demo never leaves the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from crawler.crawl.runner import crawl_summary, run_crawl
from crawler.sampleweb import truth
from crawler.store import Store

# Loopback needs no politeness delay; everything else stays as a real job would run.
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "WARNING",
}


# The sample outlets as a user would list them: names, aliases and start URLs.
SAMPLE_OUTLETS = Path(__file__).resolve().parents[1] / "examples" / "sample-outlets.toml"


# State key set in a store the demo created: the only stores it ever deletes or writes to.
DEMO_MARK = "demo_store"
DEFAULT_DB = "crosspost-demo.db"


class DemoError(RuntimeError):
    """The demo could not run (the sample web did not start, or the store is not its own)."""


def command_prefix() -> str:
    """How to type ``crosspost`` from where the user stands: the plain name when the shell
    finds this very program, else its path (``make demo`` runs ``.venv/bin/crosspost``
    without activating the virtualenv)."""
    program = Path(sys.argv[0])
    if program.name != "crosspost":  # python -m crawler
        return "crosspost" if shutil.which("crosspost") else f"{sys.executable} -m crawler"
    found = shutil.which("crosspost")
    if found and Path(found).resolve() == program.resolve():
        return "crosspost"
    if program.is_absolute():
        relative = os.path.relpath(program)
        program = Path(relative) if not relative.startswith("..") else program
    return str(program) if "/" in str(program) else f"./{program}"


@contextmanager
def sample_web_process(port: int = 0, timeout: float = 30) -> Iterator[str]:
    """Run ``python -m crawler.sampleweb`` and yield its proxy URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.sampleweb", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        line = ""
        while not line and time.monotonic() < deadline and proc.poll() is None:
            line = proc.stdout.readline().strip()
        if not line.startswith("http://"):
            err = proc.stderr.read() if proc.poll() is not None else ""
            raise DemoError(f"the sample web did not start: {err.strip() or 'no address printed'}")
        yield line
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def check_demo_store(db_path: str) -> None:
    """Refuse any existing file the demo did not create: a user's store (``$CROSSPOST_DB``
    pointing at it, say) is never wiped nor mixed with sample data."""
    path = Path(db_path)
    if not path.exists():
        return
    with Store(path, readonly=True) as store:  # refuses files that are not crosspost databases
        if store.get_state(DEMO_MARK) or path.name == DEFAULT_DB:
            return  # marked, or the demo's own file from before stores were marked
        articles = store.counts()["articles"]
    raise DemoError(
        f"{db_path} is a crosspost store the demo did not create ({articles} "
        f"{'article' if articles == 1 else 'articles'}); the demo never writes to it. "
        f"Pass --db with a new file (e.g. --db {DEFAULT_DB})"
    )


def _fresh(db_path: str) -> None:
    check_demo_store(db_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def _mark(db_path: str) -> None:
    check_demo_store(db_path)
    with Store(db_path) as store:
        store.set_state(DEMO_MARK, True)


def run_demo(db_path: str, *, port: int = 0, keep: bool = False,
             echo: Callable[..., None] = print) -> None:
    if keep:
        check_demo_store(db_path)
    else:
        _fresh(db_path)
    _mark(db_path)
    with sample_web_process(port) as proxy:
        starts = list(truth.start_urls())
        outlets = str(SAMPLE_OUTLETS) if SAMPLE_OUTLETS.exists() else None
        echo(f"Sample web: {len(starts)} outlets served through the loopback proxy {proxy}", err=True)
        echo(f"Crawling {outlets or ' '.join(starts)} into {db_path} ...", err=True)
        result = run_crawl([] if outlets else starts, db_path, settings=DEMO_SETTINGS,
                           proxy=proxy, outlets_file=outlets)
    summary = crawl_summary(db_path, result.crawl_id)
    from crawler.commands.options import outcome_counts

    echo(f"\nCrawl finished ({result.finish_reason}): {outcome_counts(summary['outcomes'])}")
    with Store(db_path, readonly=True) as store:
        _print_outlets(store, echo)
        _print_flagship(store, echo)
        _print_lookup(store, echo)
    _print_graph(db_path, echo)


def _print_lookup(store: Store, echo: Callable[..., None]) -> None:
    """What `crosspost lookup` answers for the Global Research copy."""
    from crawler.lookup import lookup_url, render_text

    echo(f"\nProvenance ({command_prefix()} lookup {truth.FLAGSHIP_COPY_URL} --db {store.path})")
    echo(render_text(lookup_url(store, truth.FLAGSHIP_COPY_URL)).rstrip())


def _print_graph(db_path: str, echo: Callable[..., None]) -> None:
    """Who copies whom (top pairs), and the outlet graph as GEXF next to the database."""
    from crawler.commands.stats import build_report, render_text
    from crawler.records import load_all
    from graph import add_communities, outlet_graph, write_graph

    with Store(db_path, readonly=True) as store:
        prov = load_all(store).provenance()
    report, names = build_report(prov, since=None, until=None, top=5, table="pairs")
    echo("\n" + render_text(report, names))
    graph = outlet_graph(prov)
    add_communities(graph)
    path = Path(db_path).with_suffix(".gexf")
    write_graph(graph, path)
    from crawler.commands.options import plural

    outlets, edges = plural(graph.number_of_nodes(), "outlet"), plural(graph.number_of_edges(), "edge")
    echo(f"\nRepublication graph (open in Gephi): {path} ({outlets}, {edges})")
    cmd = command_prefix()
    echo("\nTry next:")
    for line in (f"{cmd} stats --db {db_path}",
                 f"{cmd} lookup {truth.FLAGSHIP_ORIGIN_URL} --db {db_path}",
                 f"{cmd} articles --db {db_path} --format csv -o articles.csv",
                 f"{cmd} serve --db {db_path}"):
        echo(f"  {line}")
    if cmd.endswith("/crosspost"):
        venv = Path(cmd).parent
        echo(f"(or run 'source {venv}/activate' once, then type just 'crosspost')")


def _print_outlets(store: Store, echo: Callable[..., None]) -> None:
    echo("\nOutlets")
    echo(f"  {'outlet':<24} {'name':<30} {'articles':>8}")
    for row in store.db.query(
        "select o.domain, o.name, count(a.id) as n from outlets o "
        "left join articles a on a.outlet = o.domain group by o.domain order by n desc, o.domain"
    ):
        echo(f"  {row['domain']:<24} {row['name'] or '':<30} {row['n']:>8}")


def _print_flagship(store: Store, echo: Callable[..., None]) -> None:
    echo("\nThe sample crosspost (South Front -> Global Research)")
    for label, url in (("original", truth.FLAGSHIP_ORIGIN_URL), ("copy", truth.FLAGSHIP_COPY_URL)):
        row = store.article(url)
        if row is None:
            echo(f"  {label}: {url} was not stored")
            continue
        echo(f"  {label:<8} {row['title']}")
        echo(f"           outlet: {row['outlet']} ({row['sitename']})")
        echo(f"           published: {row['published_at']} (from {row['date_source']})")
        echo(f"           url: {row['url']}")
        lines = json.loads(row["attribution_lines"] or "[]")
        for line in lines:
            echo(f"           footer: {line}")
