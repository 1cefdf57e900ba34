"""``crosspost stats``: who copies whom, how fast, and whether they say so.

Tables of the top (source, republisher) pairs and of every outlet, as text, JSON or CSV,
computed by :mod:`graph.stats` over the store's provenance decisions; ``--plot DIR`` draws
the charts of :mod:`graph.plots` (matplotlib, the ``plots`` extra).
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from pathlib import Path

import click

from crawler.commands.export import check_window, load_provenance, window_options
from crawler.commands.options import db_option

PLOTS_HINT = "pip install 'crosspost[plots]'"
PLOT_FILES = {"outlets": "outlets.png", "lag": "lag.png", "time": "over-time.png"}
DEFAULT_TOP = 20


def hours(value: float | None) -> str:
    """A lag for people: ``45 min``, ``5.2 h``, ``2.8 d``; ``-`` when unknown."""
    if value is None:
        return "-"
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value < 1:
        return f"{sign}{value * 60:.0f} min"
    if value < 48:
        return f"{sign}{value:.1f} h"
    return f"{sign}{value / 24:.1f} d"


def lag_column(values: list[float | None]) -> list[str]:
    """Lags of one column in one unit: hours, or days when one of them is two days or more."""
    known = [abs(v) for v in values if v is not None]
    days = bool(known) and max(known) >= 48
    return ["-" if v is None else f"{v / 24:.1f} d" if days else f"{v:.1f} h" for v in values]


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *map(line, rows)]


def render_text(report: dict, names: dict[str, str] | None = None) -> str:
    """The report as readable tables; ``names`` maps domains to display names.

    Names come from scraped pages: control characters (terminal escapes) are taken out.
    """
    from graph.clean import clean_text

    total = report["summary"]
    names = {domain: clean_text(name) or domain for domain, name in (names or {}).items()}
    out = []
    window = report["window"]
    if window["since"] or window["until"]:
        out.append(f"Dated {window['since'] or '…'} to {window['until'] or '…'}")
    out.append(
        f"{total['articles']} articles, {total['families']} story families, "
        f"{total['copies']} republications ({total['unattributed_copies']} uncredited)"
        + (f", {total['families_with_conflicts']} families with conflicting evidence"
           if total["families_with_conflicts"] else "")
    )
    if "pairs" in report:
        out += ["", "Who copies whom (origin -> republisher)"]
        if report["pairs"]:
            lags = lag_column([p["median_lag_hours"] for p in report["pairs"]])
            rows = [
                [names.get(p["source"], p["source"]), "->",
                 names.get(p["copied_by"], p["copied_by"]), str(p["republications"]),
                 percent(p["attribution_rate"]), lag]
                for p, lag in zip(report["pairs"], lags)
            ]
            out += _table(["original", "", "republished by", "articles", "credited",
                           "median lag"], rows, {3, 4, 5})
        else:
            out.append("(no republications found)")
    if "outlets" in report:
        out += ["", "Outlets"]
        if report["outlets"]:
            lags = lag_column([r["median_lag_hours"] for r in report["outlets"]])
            rows = [
                [names.get(r["outlet"], r["outlet"]), r["outlet"], str(r["articles"]), str(r["originals"]),
                 str(r["copies"]), str(r["copied_by_others"]), percent(r["attribution_rate"]), lag]
                for r, lag in zip(report["outlets"], lags)
            ]
            out += _table(["outlet", "domain", "articles", "originals", "copies",
                           "copied by others", "credits source", "median lag"], rows,
                          set(range(2, 8)))
        else:
            out.append("(no articles dated in this window)" if window["since"] or window["until"]
                       else "(no articles in the store)")
    return "\n".join(out)


def build_report(prov, *, since: datetime | None, until: datetime | None,
                 top: int | None, table: str) -> tuple[dict, dict[str, str]]:
    """The report (``window``, ``summary``, ``pairs``, ``outlets``) and outlet display names."""
    from crawler.decisions.figures import add_originals_copied
    from graph import outlet_rows, pair_rows, summary

    report: dict = {
        "window": {"since": since.isoformat() if since else None,
                   "until": until.isoformat() if until else None},
        "summary": summary(prov, since=since, until=until),
    }
    outlets = add_originals_copied(outlet_rows(prov, since=since, until=until), prov,
                                   since=since, until=until)
    if table in ("all", "pairs"):
        report["pairs"] = pair_rows(prov, since=since, until=until, limit=top)
    if table in ("all", "outlets"):
        report["outlets"] = outlets if top is None else outlets[:top]
    return report, {row["outlet"]: row["name"] for row in outlets}


def _require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401 - only checking that it is there
    except ImportError:
        raise click.ClickException(
            f"--plot needs matplotlib, which is not installed: {PLOTS_HINT}"
        ) from None


def plot_dir(folder: Path) -> Path:
    """``folder``, created if its parent exists (a missing parent is more likely a typo)."""
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"--plot needs a directory, and {folder} is a file")
    if not folder.parent.is_dir():
        raise click.ClickException(f"directory does not exist: {folder.parent}")
    folder.mkdir(exist_ok=True)
    return folder


def write_plots(prov, folder: Path, *, since: datetime | None,
                until: datetime | None) -> list[Path]:
    """The three charts in ``folder``: outlet graph, lag distribution, republications over time."""
    from graph import PlotError, add_communities, outlet_graph
    from graph.plots import plot_lag_histogram, plot_outlet_graph, plot_republications_over_time

    graph = outlet_graph(prov, since=since, until=until)
    add_communities(graph)
    try:
        return [
            plot_outlet_graph(graph, folder / PLOT_FILES["outlets"]),
            plot_lag_histogram(prov, folder / PLOT_FILES["lag"], since=since, until=until),
            plot_republications_over_time(prov, folder / PLOT_FILES["time"], since=since,
                                          until=until),
        ]
    except PlotError as exc:
        message = str(exc)
        if "matplotlib" in message:
            message = f"--plot needs matplotlib, which is not installed: {PLOTS_HINT}"
        raise click.ClickException(message) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write charts to {folder}: {exc}") from None


@click.command()
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print the tables as one JSON object.")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print one table as CSV: the outlets, or the pairs with --table pairs.")
@click.option("--table", type=click.Choice(["all", "pairs", "outlets"]), default="all",
              show_default=True, help="Which tables to print.")
@click.option("--top", type=click.IntRange(min=0), default=None,
              help=f"Rows per table (0: all). Default {DEFAULT_TOP} for text, all for JSON/CSV.")
@window_options
@click.option("--plot", "plot", metavar="DIR", type=click.Path(path_type=Path),
              help="Also draw PNG charts into DIR: " + ", ".join(PLOT_FILES.values()) + ".")
def stats(db_path: str, as_json: bool, as_csv: bool, table: str, top: int | None,
          since: datetime | None, until: datetime | None, plot: Path | None) -> None:
    """Who copies whom, and per outlet: articles, originals, copies, credit rate, lag.

    "copies" are an outlet's articles republished from another outlet; "credits source"
    is the share of them that name their source where readers see it; "median lag" is how
    long after the source they appeared.
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    check_window(since, until)
    if plot is not None:
        _require_matplotlib()
        folder = plot_dir(plot)
    if top is None:
        top = None if (as_json or as_csv) else DEFAULT_TOP
    elif top == 0:
        top = None
    if as_csv and table == "all":
        table = "outlets"

    prov, _directory = load_provenance(db_path)
    if not prov.articles:
        click.echo(f"note: {db_path} holds no articles yet "
                   "(crawl some outlets first: crosspost crawl URL...)", err=True)
    report, names = build_report(prov, since=since, until=until, top=top, table=table)

    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    elif as_csv:
        rows = report[table]
        columns = list(rows[0]) if rows else _empty_columns(table)
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        click.echo(render_text(report, names))

    if plot is not None:
        for path in write_plots(prov, folder, since=since, until=until):
            click.echo(f"wrote {path}", err=True)


def _empty_columns(table: str) -> list[str]:
    if table == "pairs":
        return ["source", "copied_by", "republications", "attributed", "attribution_rate",
                "median_lag_hours", "p90_lag_hours"]
    return ["outlet", "name", "articles", "originals", "copies", "attributed_copies",
            "attribution_rate", "copied_by_others", "median_lag_hours",
            "originals_copied_by_others"]
