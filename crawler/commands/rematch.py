"""``crosspost rematch``: re-sign and re-match the whole store, e.g. with new parameters."""

from __future__ import annotations

import dataclasses
import sys
from contextlib import nullcontext

import click

from crawler.commands.options import db_option, open_store, plural
from crawler.decisions import refresh as refresh_decisions
from crawler.store import StoreError
from dedupe.verify import Thresholds

_THRESHOLD_NAMES = tuple(f.name for f in dataclasses.fields(Thresholds))


def _thresholds(base: Thresholds, pairs: tuple[str, ...]) -> Thresholds:
    values = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in _THRESHOLD_NAMES:
            raise click.BadParameter(
                f"expected NAME=VALUE with NAME one of {', '.join(_THRESHOLD_NAMES)}, got {pair!r}",
                param_hint="--threshold",
            )
        kind = type(getattr(base, name))
        try:
            values[name] = kind(raw)
        except ValueError:
            raise click.BadParameter(
                f"{name} takes {'a whole number' if kind is int else 'a number'}, got {raw!r}",
                param_hint="--threshold",
            ) from None
    try:
        thresholds = dataclasses.replace(base, **values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--threshold") from None
    if thresholds.lsh >= 1.0:
        raise click.BadParameter(
            f"lsh must be below 1, got {thresholds.lsh}", param_hint="--threshold"
        )
    return thresholds


@click.command()
@db_option()
@click.option("--num-perm", type=click.IntRange(16, 1024), default=None,
              help="MinHash permutations (default: the store's, initially 128).")
@click.option("--shingle-size", type=click.IntRange(1, 64), default=None,
              help="Words per shingle (default: the store's, initially 5).")
@click.option("--threshold", "threshold_pairs", multiple=True, metavar="NAME=VALUE",
              help="A decision threshold (repeatable): " + ", ".join(_THRESHOLD_NAMES) + ".")
@click.option("--silent", is_flag=True, help="No progress bar.")
def rematch(db_path, num_perm, shingle_size, threshold_pairs, silent) -> None:
    """Re-sign every stored article and match the whole store again.

    Use it after changing the signature parameters (a store refuses signatures made with
    other ones), the thresholds, or after a crosspost upgrade that changed how texts are
    shingled. Every match is then verified again under the boilerplate learnt from the
    outlets' articles. The new parameters are recorded in the store and used by later
    crawls and ingests. Interrupted, it leaves a store that the next run completes.
    """
    # Imported here: the matcher (datasketch, scipy) takes seconds to load.
    from crawler.matching import (
        PARAMS_KEY,
        THRESHOLDS_KEY,
        rematch_store,
        stored_params,
        stored_thresholds,
    )

    store = open_store(db_path)
    try:
        params = stored_params(store.get_state(PARAMS_KEY))
        changes = {k: v for k, v in (("num_perm", num_perm), ("shingle_size", shingle_size)) if v}
        try:
            params = dataclasses.replace(params, **changes)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        base = stored_thresholds(store.get_state(THRESHOLDS_KEY)) or Thresholds()
        thresholds = _thresholds(base, threshold_pairs)
        total = store.db["articles"].count
        show = not silent and sys.stderr.isatty()
        bar = (
            click.progressbar(length=total, label="rematching", file=sys.stderr)
            if show
            else nullcontext()
        )
        with bar as progress:
            counts = rematch_store(
                store, params, thresholds, progress=progress.update if show else None
            )
        refresh_decisions(store, "rematch", force=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(
        f"rematched {plural(counts['articles'], 'article')} ({counts['indexed']} long enough "
        f"to match) with num_perm={params.num_perm}, shingle_size={params.shingle_size}: "
        f"{plural(counts['matches'], 'match', 'matches')}"
        + (f", {counts['dropped']} dropped as shared boilerplate" if counts["dropped"] else "")
    )
