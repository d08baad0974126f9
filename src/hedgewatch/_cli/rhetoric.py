"""CLI command for rhetoric: ``hedgewatch rhetoric PRK RUS CHN``."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Annotated, Any, cast

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hedgewatch._cli import _options as opt
from hedgewatch.errors import InsufficientDataError

if TYPE_CHECKING:
    from hedgewatch.rhetoric import TrendResult

console = Console()


def _safe(text: Any) -> str:
    """Corpus text is data: HTML-escaped, and rich markup escaped, before it is shown."""
    return escape(html.escape("" if text is None or pd.isna(text) else str(text)))


def _convergence_table(results: list[pd.DataFrame], last: int, backend: str) -> Table:
    what = "TF-IDF" if backend == "tfidf" else "sentence-embedding"
    table = Table(title=f"Speech similarity per year ({what} cosine, 95% bootstrap interval)")
    table.add_column("year")
    for r in results:
        table.add_column(f"{r['country_a'].iloc[0]}-{r['country_b'].iloc[0]}", justify="right")
    years = sorted(set().union(*(set(r["year"]) for r in results)))[-last:]
    for y in years:
        cells = []
        for r in results:
            row = r[r["year"] == y]
            cells.append(
                "—"
                if row.empty
                else f"{row['similarity'].iloc[0]:.3f} "
                f"[{row['lower'].iloc[0]:.3f}, {row['upper'].iloc[0]:.3f}]"
            )
        table.add_row(str(y), *cells)
    return table


def _trend(r: pd.DataFrame) -> TrendResult | None:
    from hedgewatch.rhetoric import convergence_trend

    try:
        return convergence_trend(r)
    except InsufficientDataError:
        return None


def _trend_table(results: list[pd.DataFrame]) -> Table:
    table = Table(title="Trend (OLS slope per decade, 95% CI) and change points (PELT)")
    for col in ("pair", "years", "mean", "slope/decade", "95% CI", "Kendall tau", "change points"):
        table.add_column(col, justify="left" if col == "pair" else "right")
    for r in results:
        tr = _trend(r)
        pair = f"{r['country_a'].iloc[0]}-{r['country_b'].iloc[0]}"
        span = f"{r['year'].min()}-{r['year'].max()}"
        if tr is None:
            table.add_row(pair, span, f"{r['similarity'].mean():.3f}", "—", "—", "—", "—")
            continue
        table.add_row(
            pair,
            span,
            f"{r['similarity'].mean():.3f}",
            f"{tr.slope_per_decade:+.4f}",
            f"[{tr.slope_lower:+.4f}, {tr.slope_upper:+.4f}]",
            f"{tr.kendall_tau:+.2f}",
            ", ".join(map(str, tr.change_points)) or "none",
        )
    return table


def _neighbours_table(nn: pd.DataFrame, code: str, year: int) -> Table:
    table = Table(title=f"Nearest rhetorical neighbours of {code} in {year} (TF-IDF)")
    for col in ("rank", "country", "name", "similarity"):
        table.add_column(col, justify="right" if col in ("rank", "similarity") else "left")
    for row in nn.itertuples():
        table.add_row(str(row.rank), _safe(row.country), _safe(row.name), f"{row.similarity:.3f}")
    return table


def _narratives_table(nar: pd.DataFrame, a: str, b: str, c: str | None) -> Table:
    title = f"What {a} shares with {b}" + (f" but not with {c}" if c else "")
    table = Table(title=title, show_lines=True)
    for col in ("term", "score", f"{a} says", f"{b} says"):
        table.add_column(col, overflow="fold")
    for row in nar.itertuples():
        ex_a = f"({row.example_a_year}) {_safe(row.example_a)}" if row.example_a else "—"
        ex_b = f"({row.example_b_year}) {_safe(row.example_b)}" if row.example_b else "—"
        table.add_row(_safe(row.term), f"{cast(float, row.score) * 1000:.2f}", ex_a, ex_b)
    table.caption = "score: contribution to the yearly cosine x 1000, mean over years"
    return table


def rhetoric_cmd(
    countries: Annotated[
        list[str],
        typer.Argument(help="Two or three states, the focal one first (e.g. PRK RUS CHN)."),
    ],
    start: Annotated[str, typer.Option("--from", metavar="YEAR", help="First year.")] = "2000",
    end: Annotated[
        str | None,
        typer.Option("--to", metavar="YEAR", help="Last year (default: the latest)."),
    ] = None,
    backend: Annotated[
        str,
        typer.Option(
            "--backend",
            help="tfidf, or embeddings (pip install 'hedgewatch\\[embeddings]').",
        ),
    ] = "tfidf",
    n_boot: opt.NBoot = 200,
    seed: opt.Seed = 0,
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="Shared-narrative terms to show.")
    ] = 10,
    last: Annotated[
        int, typer.Option("--last", min=1, help="Years shown in the yearly table.")
    ] = 10,
    plot: opt.Plot = None,
    boot: Annotated[int | None, typer.Option("--boot", hidden=True)] = None,
    terms: Annotated[int | None, typer.Option("--terms", hidden=True)] = None,
) -> None:
    """Rhetorical convergence of states in the UN General Debate.

    Similarity per year with bootstrap intervals, trend, change points, nearest
    neighbours and shared narratives.
    """
    from hedgewatch import rhetoric as rh
    from hedgewatch._cli._progress import progress_on_stderr
    from hedgewatch.workflows import compare_rhetoric

    if boot is not None:
        opt.deprecated_flag("--boot", "--n-boot")
        n_boot = boot
    if terms is not None:
        opt.deprecated_flag("--terms", "--top")
        top = terms
    codes = opt.countries(countries, "COUNTRIES", at_least=2, at_most=3)
    backend = opt.choice(backend, "--backend", ("tfidf", "embeddings"))
    first, final = opt.span(start, end, opt.year)
    plot = opt.output(plot, "--plot")
    with progress_on_stderr() as progress:
        res = compare_rhetoric(
            codes,
            start=first,
            end=final,
            backend=backend,
            n_boot=n_boot,
            n_terms=top,
            seed=seed,
            progress=progress,
        )
    results, nn, latest, nar = res.pairs(), res.neighbours, res.neighbours_year, res.narratives
    console.print(_convergence_table(results, last, backend))
    console.print(_trend_table(results))
    console.print(_neighbours_table(nn, codes[0], latest))
    console.print(_narratives_table(nar, codes[0], codes[1], codes[2] if len(codes) == 3 else None))
    if backend != "tfidf":
        console.print("Nearest neighbours and shared narratives use TF-IDF whatever the backend.")
    if plot is not None:
        fig = rh.plot_convergence(*results)
        fig.savefig(plot, dpi=150)
        console.print(f"Figure saved to {escape(str(plot))}")


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    app.command("rhetoric")(rhetoric_cmd)
