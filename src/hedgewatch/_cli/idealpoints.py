"""CLI commands ``hedgewatch idealpoints fit | show | wildcard | forecast``: a thin layer
over :mod:`hedgewatch.idealpoints`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hedgewatch._cli import _options as opt
from hedgewatch.errors import ParameterError

console = Console()
_sessions = opt.sessions


def _bridges(path: Path | None) -> pd.DataFrame | str | None:
    if path is None:
        return "store"
    from hedgewatch.sources.bridges import read_bridges

    return read_bridges(path)


def _fit(
    sessions: str | None,
    dims: int,
    bridges: Path | None,
    store: str | None,
    max_iter: int,
    quiet: bool,
    titles: bool = True,
):
    from hedgewatch.workflows import fit_unga

    with Progress(
        TextColumn("[bold]fitting ideal points"),
        BarColumn(),
        TextColumn("cycle {task.completed:.0f}/{task.total:.0f}  log-post {task.fields[lp]}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("fit", total=max_iter, lp="")

        def progress(it: int, lp: float) -> None:
            bar.update(task, completed=it, lp=f"{lp:,.1f}")

        return fit_unga(
            sessions=_sessions(sessions),
            bridges=_bridges(bridges),
            store=store,
            title_bridging=titles,
            callback=progress,
            n_dims=dims,
            max_iter=max_iter,
        )


def _load(
    result: Path | None, sessions: str | None, dims: int, bridges: Path | None, store: str | None
):
    if result is not None:
        from hedgewatch.errors import DataFormatError, ParameterError
        from hedgewatch.idealpoints import IdealPointResult
        from hedgewatch.sources._io import read_parquet

        what = "an ideal-point result written by 'hedgewatch idealpoints fit --out'"
        table = read_parquet(result, what)
        try:
            return IdealPointResult.from_table(table)
        except ParameterError:
            raise DataFormatError(result, f"not {what}", hint="Fit again with --out") from None
    return _fit(sessions, dims, bridges, store, 500, quiet=False)


def _points_table(frame: pd.DataFrame, title: str) -> Table:
    table = Table(title=escape(title))
    for col in ("country", "session", "year", "ideal point", "interval", "votes"):
        table.add_column(col, justify="left" if col == "country" else "right")
    for _, r in frame.iterrows():
        table.add_row(
            escape(str(r["country"])),
            str(r["session"]),
            str(r["year"]),
            f"{r['ideal_point']:+.2f}",
            f"{r['lower']:+.2f}..{r['upper']:+.2f}",
            str(r["n_votes"]),
        )
    return table


Sessions = Annotated[
    str | None,
    typer.Option("--sessions", help="Sessions to fit, e.g. '1-50' (default all)."),
]
Dims = Annotated[int, typer.Option("--dims", help="Dimensions: 1 (BSV) or 2.")]
Bridges = Annotated[
    Path | None,
    typer.Option(
        "--bridges", help="Bridges CSV (rcid1, rcid2); default: the store's bridges table, if any."
    ),
]
StorePath = Annotated[
    str | None, typer.Option("--store", help="Store path (default: the user store).")
]
Result = Annotated[
    Path | None,
    typer.Option(
        "--result",
        help="Read a fit saved by 'fit --out' instead of fitting (or reading the store's cache).",
    ),
]


def fit_cmd(
    sessions: Sessions = None,
    dims: Dims = 1,
    bridges: Bridges = None,
    store: StorePath = None,
    max_iter: Annotated[
        int, typer.Option("--max-iter", min=1, help="Most accelerated cycles.")
    ] = 500,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FILE", help="Also write the fit here (Parquet)."),
    ] = None,
    titles: Annotated[
        bool,
        typer.Option(
            "--title-bridges/--no-title-bridges",
            help="Also bridge roll calls with identical titles.",
        ),
    ] = True,
) -> None:
    """Fit the model to the votes in the store (cached there) and print its fit."""
    from hedgewatch.idealpoints import overall_fit
    from hedgewatch.store import votes

    t0 = time.perf_counter()
    out = opt.output(out, "--out")
    res = _fit(sessions, dims, bridges, store, max_iter, quiet=False, titles=titles)
    fit = overall_fit(res, votes(sessions=_sessions(sessions), store=store))
    info = res.info
    console.print(
        f"{info['n_votes']:,} votes, {info['n_roll_calls']:,} roll calls "
        f"({info['n_items']:,} parameter groups), {res.points['country'].nunique()} states; "
        f"{info['n_iter']} cycles, converged={info['converged']}, "
        f"fit {info['seconds']:.1f} s (this command {time.perf_counter() - t0:.1f} s)"
    )
    console.print(
        f"accuracy {fit['accuracy']:.3f} (majority-vote null {fit['null_accuracy']:.3f}), "
        f"APRE {fit['apre']:.3f}, log-loss {fit['log_loss']:.3f}"
    )
    for note in info.get("notes", []):
        console.print(f"note: {escape(note)}")
    if out is not None:
        res.to_table().to_parquet(out)
        console.print(f"wrote {escape(str(out))}")


def show_cmd(
    countries: Annotated[list[str], typer.Argument(help="ISO3 codes, e.g. PRK CHN RUS USA.")],
    plot: opt.Plot = None,
    last: Annotated[int, typer.Option("--last", min=1, help="Sessions to list per country.")] = 5,
    sessions: Sessions = None,
    dims: Dims = 1,
    bridges: Bridges = None,
    store: StorePath = None,
    result: Result = None,
    png: Annotated[Path | None, typer.Option("--png", hidden=True)] = None,
) -> None:
    """Show countries' ideal points (latest sessions) and optionally plot them."""
    from hedgewatch.idealpoints import plot_ideal_points

    if png is not None:
        opt.deprecated_flag("--png", "--plot")
        plot = plot or png
    plot = opt.output(plot, "--plot")
    codes = opt.countries(countries, "COUNTRIES")
    res = _load(result, sessions, dims, bridges, store)
    known = sorted(set(res.points["country"]))
    missing = [c for c in codes if c not in known]
    if missing:
        shown = ", ".join(known[:30]) + (" ..." if len(known) > 30 else "")
        raise opt.fail("COUNTRIES", f"countries in the fit ({shown})", " ".join(missing))
    frame = res.to_frame()
    rows = pd.concat([frame[frame["country"] == c].tail(last) for c in codes])
    console.print(_points_table(rows, "Ideal points (higher = closer to the US-led order)"))
    if plot is not None:
        plot_ideal_points(res, codes).savefig(plot, dpi=150)
        console.print(f"wrote {escape(str(plot))}")


def wildcard_cmd(
    state: Annotated[str, typer.Argument(help="The state to test, e.g. PRK.")],
    peers: Annotated[
        str,
        typer.Option("--peers", help="Comma-separated peers to rank against."),
    ] = "CHN,RUS,CUB,IRN,SYR,VEN,BLR",
    since: Annotated[
        int | None, typer.Option("--since", help="First session pooled (default: all).")
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="Surprising votes to list.")
    ] = 10,
    sessions: Sessions = None,
    store: StorePath = None,
    result: Result = None,
    n: Annotated[int | None, typer.Option("--n", hidden=True)] = None,
) -> None:
    """Rank how predictable a state's votes are and list its least expected votes."""
    from hedgewatch.idealpoints import predictability, rank_predictability, surprising_votes
    from hedgewatch.store import roll_calls, votes

    if n is not None:
        opt.deprecated_flag("--n", "--top")
        top = n
    country = opt.country(state, "STATE")
    peer_list = opt.countries([p.strip() for p in peers.split(",") if p.strip()], "--peers")
    res = _load(result, sessions, 1, None, store)
    v = votes(sessions=_sessions(sessions), store=store)
    table = predictability(res, v)
    span = None if since is None else range(since, int(table["session"].max()) + 1)
    ranks = rank_predictability(table, country, peers=peer_list, sessions=span)
    _print_ranks(ranks, country)
    sv = surprising_votes(res, v, country, n=top, roll_calls=roll_calls(store=store), sessions=span)
    t = Table(title=escape(f"Votes of {country} least expected from its position"))
    for col in ("date", "resolution", "title", "vote", "expected", "p"):
        t.add_column(col, overflow="fold")
    for _, r in sv.iterrows():
        t.add_row(
            str(r["date"])[:10],
            escape(_text(r["resolution"])),
            escape(_text(r["title"])[:80]),
            r["vote"],
            r["expected_vote"],
            f"{r['probability']:.2g}",
        )
    console.print(t)


def forecast_cmd(
    state: Annotated[str, typer.Argument(help="The state to test, e.g. PRK.")],
    peers: Annotated[
        str,
        typer.Option("--peers", help="Comma-separated peers to rank against."),
    ] = "CHN,RUS,CUB,IRN,SYR,VEN,BLR",
    start: opt.From = None,
    end: opt.To = None,
    dims: Dims = 1,
    history: Annotated[
        int | None,
        typer.Option("--history", min=1, help="Sessions fitted before each origin (default all)."),
    ] = None,
    top: opt.Top = 15,
    csv: opt.Csv = None,
    plot: opt.Plot = None,
    store: StorePath = None,
) -> None:
    """Forecast every session from the sessions before it and rank how predictable the
    state is out of sample, against three simple rules (its own last vote, the last
    majority, its bloc's majority)."""
    from hedgewatch.idealpoints import calibration_table, plot_calibration
    from hedgewatch.store import coverage
    from hedgewatch.workflows import forecast_unga

    country = opt.country(state, "STATE")
    peer_list = opt.countries([p.strip() for p in peers.split(",") if p.strip()], "--peers")
    lo, hi = opt.span(start, end, opt.year)
    csv, plot = opt.output(csv, "--csv"), opt.output(plot, "--plot")
    years = coverage(store=store).sessions.assign(y=lambda d: d["first_date"].dt.year)
    first = 1992 if lo is None else lo
    origins = [
        int(s)
        for s, y in zip(years["session"], years["session"] + 1945, strict=True)
        if y >= first and (hi is None or y <= hi)
    ]
    if not origins:
        raise opt.fail("--from", "a span with sessions to forecast", f"{start}-{end}")
    with Progress(
        TextColumn("[bold]forecasting sessions"),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f}  session {task.fields[s]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("forecast", total=len(origins), s="")

        def progress(done: int, total: int, origin: int) -> None:
            bar.update(task, completed=done, s=origin)

        summ = forecast_unga(
            origins=origins, n_dims=dims, history=history, store=store, callback=progress
        )
    ranks = summ.rank(country, peers=peer_list)
    me = ranks[ranks["is_target"]]
    if me.empty or int(me["n_votes"].iloc[0]) == 0:
        raise ParameterError(f"{country!r} has no forecast vote in sessions {origins}.")
    r = me.iloc[0]
    by_skill = ranks.loc[ranks["rank_peers"].notna(), "skill"].rank(method="min")
    n_peers = int(ranks["rank_peers"].notna().sum())
    console.print(
        f"{escape(country)}, {dims}-D, sessions {origins[0]}-{origins[-1]} forecast out of "
        f"sample ({int(r['n_votes'])} votes): log-loss {r['log_loss']:.3f}, Brier "
        f"{r['brier']:.3f}, accuracy {r['accuracy']:.3f}; best rule {r['best_baseline']} "
        f"(log-loss {r[f'log_loss_{r.best_baseline}']:.3f}), skill {r['skill']:+.3f}; rank "
        f"{r['rank_all']} of {len(ranks)} states and {r['rank_peers']} of {n_peers} peers by "
        f"log-loss, {int(by_skill[ranks['is_target']].iloc[0])} of {n_peers} peers by skill "
        "(1 = least predictable)"
    )
    cols = ["country", "n_votes", "log_loss", "brier", "accuracy", "best_baseline", "skill"]
    shown = ranks[ranks["rank_peers"].notna()].sort_values("rank_peers").head(top)
    t = Table(title="Out-of-sample predictability (1 = least predictable)")
    for c in ("rank", *cols):
        t.add_column(c)
    for _, row in shown.iterrows():
        t.add_row(
            str(row["rank_peers"]),
            *[f"{row[c]:.3f}" if isinstance(row[c], float) else escape(str(row[c])) for c in cols],
        )
    console.print(t)
    if csv is not None:
        ranks.to_csv(csv, index=False)
        console.print(f"wrote {escape(str(csv))}")
    if plot is not None:
        table = calibration_table(summ.calibration, countries=[country])
        plot_calibration({f"{dims}-D": table}, title=f"{country}: calibration").savefig(
            plot, dpi=150
        )
        console.print(f"wrote {escape(str(plot))}")


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    ip = typer.Typer(
        help="Dynamic ideal points (Bailey, Strezhnev & Voeten 2017) and the "
        "'rational wildcard' predictability test.",
        no_args_is_help=True,
    )
    app.add_typer(ip, name="idealpoints")
    ip.command("fit")(fit_cmd)
    ip.command("show")(show_cmd)
    ip.command("wildcard")(wildcard_cmd)
    ip.command("forecast")(forecast_cmd)


def _text(value: Any) -> str:
    return "—" if pd.isna(value) else str(value)


def _print_ranks(ranks: pd.DataFrame, country: str) -> None:
    n = len(ranks)
    me = ranks[ranks["is_target"]]
    if me.empty:
        raise ParameterError(f"{country!r} has no scored votes in the chosen sessions.")
    r = me.iloc[0]
    n_peers = int(ranks["rank_peers"].notna().sum())
    console.print(
        f"{escape(country)}: log-loss {r['log_loss']:.3f}, accuracy {r['accuracy']:.3f}, "
        f"APRE {r['apre']:.3f} over {r['n_votes']} votes; rank {r['rank_all']} of {n} states "
        f"and {r['rank_peers']} of {n_peers} with its peers (1 = least predictable)"
    )
