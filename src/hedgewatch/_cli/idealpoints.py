"""CLI commands ``hedgewatch idealpoints fit | show | wildcard``: a thin layer over
:mod:`hedgewatch.idealpoints`."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hedgewatch.errors import ParameterError

console = Console()


def _sessions(spec: str | None) -> list[int] | None:
    """``"1-50"`` or ``"46,47,50"`` -> session numbers."""
    if not spec:
        return None
    out: list[int] = []
    try:
        for part in spec.split(","):
            lo, _, hi = part.strip().partition("-")
            out.extend(range(int(lo), int(hi or lo) + 1))
    except ValueError:
        raise ParameterError(
            f"The '--sessions' option must look like '1-50' or '46,47,50'; got {spec!r}."
        ) from None
    return out


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
        from hedgewatch.idealpoints import IdealPointResult

        return IdealPointResult.from_table(pd.read_parquet(result))
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


_SESSIONS = typer.Option(None, "--sessions", help="Sessions to fit, e.g. '1-50' (default all).")
_DIMS = typer.Option(1, "--dims", help="Dimensions: 1 (BSV) or 2.")
_BRIDGES = typer.Option(
    None,
    "--bridges",
    help="Bridges CSV (rcid1, rcid2); default: the store's bridges table, if any.",
)
_STORE = typer.Option(None, "--store", help="Store path (default: the user store).")
_RESULT = typer.Option(
    None,
    "--result",
    help="Read a fit saved by 'fit --out' instead of fitting (or reading the store's cache).",
)


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    ip = typer.Typer(
        help="Dynamic ideal points (Bailey, Strezhnev & Voeten 2017) and the "
        "'rational wildcard' predictability test.",
        no_args_is_help=True,
    )
    app.add_typer(ip, name="idealpoints")

    @ip.command("fit")
    def fit_cmd(
        sessions: str = _SESSIONS,
        dims: int = _DIMS,
        bridges: Path = _BRIDGES,
        store: str = _STORE,
        max_iter: int = typer.Option(500, "--max-iter", help="Most accelerated cycles."),
        out: Path = typer.Option(None, "--out", help="Also write the fit to this Parquet file."),
        titles: bool = typer.Option(
            True,
            "--title-bridges/--no-title-bridges",
            help="Also bridge roll calls with identical titles.",
        ),
    ) -> None:
        """Fit the model to the votes in the store (cached there) and print its fit."""
        from hedgewatch.idealpoints import overall_fit
        from hedgewatch.store import votes

        t0 = time.perf_counter()
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

    @ip.command("show")
    def show_cmd(
        countries: list[str] = typer.Argument(..., help="ISO3 codes, e.g. PRK CHN RUS USA."),
        png: Path = typer.Option(None, "--png", help="Write a plot of the series here."),
        last: int = typer.Option(5, "--last", help="Sessions to list per country."),
        sessions: str = _SESSIONS,
        dims: int = _DIMS,
        bridges: Path = _BRIDGES,
        store: str = _STORE,
        result: Path = _RESULT,
    ) -> None:
        """Show countries' ideal points (latest sessions) and optionally plot them."""
        from hedgewatch.idealpoints import plot_ideal_points
        from hedgewatch.idealpoints.dynamic import check_countries

        res = _load(result, sessions, dims, bridges, store)
        codes = check_countries(res, countries, "countries")
        frame = res.to_frame()
        rows = pd.concat([frame[frame["country"] == c].tail(last) for c in codes])
        console.print(_points_table(rows, "Ideal points (higher = closer to the US-led order)"))
        if png is not None:
            plot_ideal_points(res, codes).savefig(png, dpi=150)
            console.print(f"wrote {escape(str(png))}")

    @ip.command("wildcard")
    def wildcard_cmd(
        country: str = typer.Argument("PRK", help="The state to test."),
        peers: str = typer.Option(
            "CHN,RUS,CUB,IRN,SYR,VEN,BLR", "--peers", help="Comma-separated peers to rank against."
        ),
        since: int = typer.Option(None, "--since", help="First session pooled (default: all)."),
        n: int = typer.Option(10, "--n", help="Surprising votes to list."),
        sessions: str = _SESSIONS,
        store: str = _STORE,
        result: Path = _RESULT,
    ) -> None:
        """Rank how predictable a state's votes are and list its least expected votes."""
        from hedgewatch.idealpoints import predictability, rank_predictability, surprising_votes
        from hedgewatch.store import roll_calls, votes

        res = _load(result, sessions, 1, None, store)
        v = votes(sessions=_sessions(sessions), store=store)
        table = predictability(res, v)
        span = None if since is None else range(since, int(table["session"].max()) + 1)
        peer_list = [p.strip() for p in peers.split(",") if p.strip()]
        ranks = rank_predictability(table, country, peers=peer_list, sessions=span)
        _print_ranks(ranks, country)
        sv = surprising_votes(
            res, v, country, n=n, roll_calls=roll_calls(store=store), sessions=span
        )
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


def _text(value: object) -> str:
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
