"""CLI commands for event data: ``hedgewatch events import|fetch|hedge|align|info``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hedgewatch._cli import _options as opt
from hedgewatch._cli._progress import progress_on_stderr
from hedgewatch._cli._tables import pivot_table
from hedgewatch.errors import HedgewatchError

console = Console()

ENGINES = ("duckdb", "dask")
FORMATS = ("auto", "gdelt", "dyad", "csv")
PERIODS = ("day", "week", "month", "quarter", "year")
MEASURES = ("weight", "cooperation", "goldstein")

_Engine = Annotated[
    str, typer.Option("--engine", help="duckdb (embedded, default) | dask (needs [distributed]).")
]
_Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
]
_Workers = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Threads (duckdb) or local Dask workers."),
]
_Dataset = Annotated[
    str | None, typer.Option("--dataset", help="Event dataset (default: the only one loaded).")
]
_By = Annotated[
    str, typer.Option("--by", metavar="PERIOD", help="day | week | month | quarter | year.")
]
_Measure = Annotated[str, typer.Option("--measure", "-m", help="weight | cooperation | goldstein.")]


def _fmt(x: object, digits: int = 3) -> str:
    if not isinstance(x, int | float) or x != x:  # None, NaN or not a number
        return "—"
    return f"{x:.{digits}f}"


def _unmapped_line(unmapped: pd.DataFrame) -> str:
    if unmapped.empty:
        return "every actor country code mapped to a state"
    top = ", ".join(f"{r.code} ({r.kind}) {r.slots}" for r in unmapped.head(8).itertuples())
    more = f", and {len(unmapped) - 8} more" if len(unmapped) > 8 else ""
    return f"actor codes that are not a state: {top}{more}"


def import_cmd(
    files: Annotated[
        list[str], typer.Argument(help="Files, folders or quoted globs: 'exports/*.zip'.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="auto | gdelt (raw exports) | dyad | csv.")
    ] = "auto",
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Dataset name (default: the layout's).")
    ] = None,
    engine: _Engine = "duckdb",
    scheduler: _Scheduler = None,
    workers: _Workers = None,
    quarantine: Annotated[
        Path | None,
        typer.Option("--quarantine", help="Write bad rows here (CSV) and import the rest."),
    ] = None,
) -> None:
    """Import event files atomically (all or nothing unless --quarantine)."""
    from hedgewatch.workflows import import_events

    fmt = opt.choice(fmt, "--format", FORMATS)
    engine = opt.choice(engine, "--engine", ENGINES)
    quarantine = opt.output(quarantine, "--quarantine")

    with progress_on_stderr("reading") as say:

        def progress(done: int, total: int, name: str) -> None:
            say(name, done, total)

        rep = import_events(
            files,
            format=fmt,
            dataset=dataset,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            quarantine=quarantine,
            progress=progress,
        )
    rate = rep.rows / rep.seconds if rep.seconds else 0
    typer.echo(
        f"{rep.dataset} ({rep.layout}, engine {rep.engine}): {rep.files} file(s) imported, "
        f"{rep.skipped} already in the store; {rep.rows:,} rows read, {rep.dyadic:,} between "
        f"two states; {rep.seconds:.1f} s ({rate:,.0f} rows/s)."
    )
    if rep.rejected:
        typer.echo(f"{rep.rejected} bad row(s) or file(s) set aside in {rep.quarantine}.")
    if rep.layout != "dyad":
        typer.echo(_unmapped_line(rep.unmapped))


def fetch_cmd(
    start: Annotated[
        str, typer.Option("--from", metavar="DATE", help="First day (2023-09-01, or a year).")
    ],
    end: Annotated[
        str, typer.Option("--to", metavar="DATE", help="Last day, inclusive (2023-09-30).")
    ],
    keep_raw: Annotated[
        bool, typer.Option("--keep-raw", help="Keep the downloaded zips after import.")
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Parallel downloads.")] = 4,
    batch: Annotated[
        int, typer.Option("--batch", min=1, help="Files per import transaction (96 = a day).")
    ] = 96,
    index: Annotated[
        str | None,
        typer.Option("--index", help="URL or path of masterfilelist.txt (default GDELT's)."),
    ] = None,
    dest: Annotated[
        Path | None, typer.Option("--dest", help="Download folder (default: data home).")
    ] = None,
    engine: _Engine = "duckdb",
    scheduler: _Scheduler = None,
    workers: _Workers = None,
    dataset: Annotated[str, typer.Option("--dataset", help="Dataset name.")] = "gdelt",
) -> None:
    """Download GDELT 2.0 exports (MD5-checked, resumable) and import them incrementally."""
    from hedgewatch.workflows import fetch_events

    first, last = opt.span(start, end, opt.date)
    engine = opt.choice(engine, "--engine", ENGINES)

    with progress_on_stderr("reading the file list") as say:

        def progress(done: int, total: int, what: str) -> None:
            say(what, done, total)

        rep = fetch_events(
            first,
            last,
            index=index,
            dest=dest,
            keep_raw=keep_raw,
            jobs=jobs,
            batch=batch,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            dataset=dataset,
            progress=progress,
        )
    typer.echo(
        f"{rep.listed} export(s) listed from {start} to {end}: {rep.already} already imported, "
        f"{rep.imported} downloaded and imported ({rep.dyadic:,} events between two states), "
        f"{len(rep.failed)} failed; {rep.seconds:.1f} s."
    )
    if rep.rejected:
        typer.echo(f"{rep.rejected} bad row(s) set aside in {rep.folder}/quarantine-*.csv")
    typer.echo(_unmapped_line(rep.unmapped))
    if rep.failed:
        for name, why in rep.failed[:10]:
            typer.echo(f"failed: {name}: {why}", err=True)
        raise HedgewatchError(
            f"{len(rep.failed)} file(s) failed and were not imported (listed above); run the "
            "same fetch again to retry them."
        )


def hedge_cmd(
    state: Annotated[str, typer.Argument(help="The state, e.g. PRK.")],
    between: Annotated[
        list[str], typer.Option("--between", "-b", help="Two powers: --between CHN RUS.")
    ],
    more: Annotated[list[str] | None, typer.Argument(hidden=True)] = None,
    by: Annotated[str, typer.Option("--by", help="day | week | month | quarter | year.")] = "year",
    measure: Annotated[
        str, typer.Option("--measure", "-m", help="weight | cooperation | goldstein.")
    ] = "weight",
    start: Annotated[str | None, typer.Option("--from", help="First day or year.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day or year.")] = None,
    dataset: _Dataset = None,
    n_boot: opt.NBoot = 200,
    block: Annotated[int, typer.Option("--block", min=1, help="Bootstrap block, in days.")] = 7,
    seed: opt.Seed = 0,
    penalty: Annotated[
        str, typer.Option("--penalty", help="Pivot penalty: bic | aic | number.")
    ] = "bic",
    min_size: Annotated[
        int, typer.Option("--min-size", min=1, help="Shortest regime, in periods.")
    ] = 3,
    plot: opt.Plot = None,
    csv: opt.Csv = None,
) -> None:
    """Where does a state stand between two powers in event data, and when did it move?"""
    from hedgewatch.workflows import event_hedge

    code = opt.country(state, "STATE")
    powers = opt.powers(between, more, code)
    if len(powers) != 2:
        raise opt.fail("--between", "two powers", " ".join(powers))
    by = opt.choice(by, "--by", PERIODS)
    measure = opt.choice(measure, "--measure", MEASURES)
    first, last = opt.span(start, end, opt.year_or_date)
    plot, csv = opt.output(plot, "--plot"), opt.output(csv, "--csv")
    try:
        pen: str | float = float(penalty)
    except ValueError:
        pen = opt.choice(penalty, "--penalty", ("bic", "aic"))
    res = event_hedge(
        code,
        powers,
        by=by,
        measure=measure,
        start=first,
        end=last,
        dataset=dataset,
        n_boot=n_boot,
        block=block,
        seed=seed,
        penalty=pen,
        min_size=min_size,
    )
    console.print(_hedge_table(res))
    if res.pivots.empty:
        console.print(f"No change point in the position clears the {penalty} penalty.")
    else:
        console.print(pivot_table(res.pivots, "Change points of the position (PELT)"))
    if csv is not None:
        res.index.to_csv(csv, index=False)
        console.print(f"Wrote {escape(str(csv))}")
    if plot is not None:
        res.plot().savefig(plot, dpi=120)
        console.print(f"Wrote {escape(str(plot))}")


def _hedge_table(res) -> Table:
    a, b = res.powers
    t = Table(
        title=escape(
            f"Event position of {res.state} ({res.dataset}, {res.measure}): "
            f"-1 = {a}, +1 = {b}; value = net / state's volume"
        )
    )
    for c in ("period", "days", f"{a}", f"{b}", "position", "95% CI", "neither"):
        t.add_column(c, justify="left" if c == "period" else "right")
    for _, r in res.index.iterrows():
        t.add_row(
            str(r["period"]),
            str(int(r["days"])),
            _fmt(r[f"value_{a}"]),
            _fmt(r[f"value_{b}"]),
            _fmt(r["position"], 2),
            f"{_fmt(r.get('position_lo'), 2)}..{_fmt(r.get('position_hi'), 2)}",
            _fmt(r["other_share"], 2),
        )
    notes = [f"{r['period']}: {r['note']}" for _, r in res.index.iterrows() if r["note"]]
    if notes:
        t.caption = escape("Notes: " + "; ".join(notes[:6]))
    return t


def align_cmd(
    countries: Annotated[list[str], typer.Argument(help="A state, then partners: PRK CHN RUS.")],
    by: _By = "year",
    measure: _Measure = "weight",
    start: opt.From = None,
    end: opt.To = None,
    dataset: _Dataset = None,
    csv: opt.Csv = None,
) -> None:
    """A state's net cooperation with each partner, per unit of its event volume."""
    from hedgewatch.events import event_alignment
    from hedgewatch.store import event_days

    codes = opt.countries(countries, "COUNTRIES", at_least=2)
    by = opt.choice(by, "--by", PERIODS)
    measure = opt.choice(measure, "--measure", MEASURES)
    first, last = opt.span(start, end, opt.year_or_date)
    csv = opt.output(csv, "--csv")
    daily = event_days([codes[0]], dataset=dataset, start=first, end=last)
    frame = event_alignment(daily, codes[0], codes[1:], by=by, measure=measure)
    wide = frame.pivot_table(index="period", columns="country_b", values="value", sort=True)
    t = Table(title=escape(f"{frame['country_a'].iloc[0]}: net {measure} per unit of volume"))
    t.add_column("period")
    for p in wide.columns:
        t.add_column(escape(str(p)), justify="right")
    for period, row in wide.iterrows():
        t.add_row(str(period), *(_fmt(v) for v in row))
    console.print(t)
    if csv is not None:
        frame.to_csv(csv, index=False)
        console.print(f"Wrote {escape(str(csv))}")


def info_cmd() -> None:
    """What event data the store holds: datasets, days covered, files, unmapped codes."""
    from hedgewatch.store import event_datasets, event_unmapped

    ds = event_datasets()
    if ds.empty:
        typer.echo(
            "No event data imported yet: 'hedgewatch events import FILES' or "
            "'hedgewatch events fetch --from DATE --to DATE'."
        )
        return
    t = Table(title="Event datasets")
    for c in ("dataset", "layout", "directed", "files", "first", "last", "rows"):
        t.add_column(c)
    for r in ds.itertuples():
        t.add_row(
            escape(str(r.dataset)), str(r.layout), str(r.directed), str(r.files), str(r.first)[:10],
            str(r.last)[:10], f"{r.rows:,}",
        )  # fmt: skip
    console.print(t)
    um = event_unmapped()
    if len(um):
        typer.echo(_unmapped_line(um))


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
    events = typer.Typer(
        help="Dyadic event data (GDELT 2.0 exports, daily dyad files, event CSV): import, "
        "fetch, and a state's event position between powers.",
        no_args_is_help=True,
    )
    app.add_typer(events, name="events")
    events.command("import")(import_cmd)
    events.command("fetch")(fetch_cmd)
    events.command("hedge")(hedge_cmd)
    events.command("align")(align_cmd)
    events.command("info")(info_cmd)
