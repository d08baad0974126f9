"""CLI commands for dated statements: ``hedgewatch statements import`` and ``hedgewatch sync``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hedgewatch._cli import _options as opt


def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Corpus files or manifest directories.")],
    actor: Annotated[
        str | None, typer.Option("--actor", help="Country for records without one (feeds).")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Default source name.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Default language code (en, ru, ...).")
    ] = None,
    quarantine: Annotated[
        Path | None,
        typer.Option("--quarantine", help="Write rejected records here (CSV) instead of failing."),
    ] = None,
) -> None:
    """Import statements atomically; near-duplicates are marked, nothing is dropped."""
    from hedgewatch._cli._progress import progress_on_stderr
    from hedgewatch.workflows import import_statements

    quarantine = opt.output(quarantine, "--quarantine")

    with progress_on_stderr() as progress:
        rep = import_statements(
            files,
            actor=actor,
            source=source,
            language=language,
            quarantine=quarantine,
            progress=progress,
        )
    typer.echo(
        f"read {rep.read}, new {rep.new}, rejected {rep.rejected}"
        + (f" (written to {', '.join(rep.quarantined)})" if rep.quarantined else "")
        + f", near-duplicates {rep.duplicates}, statements in store {rep.total}"
    )


def sync_cmd(
    countries: Annotated[list[str], typer.Argument(help="Two or more countries, e.g. RUS PRK.")],
    window: Annotated[str, typer.Option("--window", help="Largest lag, e.g. 3d or 1w.")] = "3d",
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="First day (2015-01-31, or a year)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Last day (default: the latest).")
    ] = None,
    quiet: Annotated[
        str, typer.Option("--quiet", help="Silence before a mention counts as taking it up.")
    ] = "14d",
    method: Annotated[
        str, typer.Option("--method", help="Narratives: auto | phrases | tfidf | concepts.")
    ] = "auto",
    null: Annotated[str, typer.Option("--null", help="Null model: shuffle | shift.")] = "shuffle",
    block: Annotated[
        str, typer.Option("--block", help="Shuffled block length (7-day units).")
    ] = "1w",
    n_perm: Annotated[int, typer.Option("--n-perm", help="Null draws.")] = 999,
    seed: opt.Seed = 0,
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="Narratives and events shown.")
    ] = 10,
    csv: Annotated[
        Path | None, typer.Option("--csv", metavar="FILE", help="Write all events here.")
    ] = None,
) -> None:
    """Narratives the countries take up within WINDOW days of each other, beyond chance."""
    import pandas as pd

    from hedgewatch._cli._progress import progress_on_stderr
    from hedgewatch.statements import synchronisation
    from hedgewatch.store import statements

    codes = opt.countries(countries, "COUNTRIES", at_least=2)
    start, end = opt.span(start, end, opt.date)
    csv = opt.output(csv, "--csv")
    # load a little before --from so that onsets near its start have context
    ctx = None if start is None else pd.Timestamp(start) - pd.Timedelta(days=120)
    with progress_on_stderr() as progress:
        progress("loading statements", 0, 0)
        df = statements(codes, start=ctx, end=end)
        r = synchronisation(
            df,
            codes,
            window=window,
            start=start,
            end=end,
            quiet=quiet,
            method=method,
            null=null,
            block=block,
            n_perm=n_perm,
            seed=seed,
            progress=progress,
        )
    typer.echo(
        f"{r.start:%Y-%m-%d} to {r.end:%Y-%m-%d}, window {r.window} d, quiet {r.quiet} d, "
        f"narratives: {r.method}, null: {r.null} ({r.n_null} draws)"
    )
    for o in r.overall.itertuples():
        typer.echo(
            f"{o.country_a}-{o.country_b}: {o.observed} synchronised onsets, {o.expected:.1f} "
            f"expected by chance (ratio {o.ratio:.2f}), p = {o.p_value:.3f}"
        )
    typer.echo("narrative | onsets a/b | observed | expected | p | q")
    for s in r.summary.head(top).itertuples():
        typer.echo(
            f"{s.label} | {s.onsets_a}/{s.onsets_b} | {s.observed} | {s.expected:.2f} | "
            f"{s.p_value:.3f} | {s.q_value:.3f}"
        )
    typer.echo("events:")
    for e in r.events.head(top).itertuples():
        typer.echo(
            f"{e.country_a} {e.date_a:%Y-%m-%d}, {e.country_b} {e.date_b:%Y-%m-%d}: {e.label!r} "
            f"(q = {e.q_value:.3f})"
        )
    if csv is not None:
        r.events.to_csv(csv, index=False)
        typer.echo(f"{len(r.events)} events written to {csv}")


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    statements = typer.Typer(
        help="Import corpora of dated official statements (CSV, JSONL, Parquet, RSS/Atom, "
        "manifest directories).",
        no_args_is_help=True,
    )
    app.add_typer(statements, name="statements")
    statements.command("import")(import_cmd)
    app.command("sync")(sync_cmd)
