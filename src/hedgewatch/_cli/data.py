"""CLI commands for the data store: ``hedgewatch data info|import|update``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console
from rich.table import Table

console = Console()


_FILL_HINT = (
    "Fill the gaps with 'hedgewatch data update' (the newest UN Digital Library file) or "
    "'hedgewatch data import FILE' (a Library file in any layout)."
)


def _show_info(sessions: bool = False) -> None:
    from hedgewatch.store import council_info, coverage
    from hedgewatch.store import info as store_info

    facts = store_info()
    table = Table(title="UN General Assembly record in the store", show_header=False)
    for key in (
        "store",
        "sessions",
        "roll_calls",
        "votes",
        "absences",
        "countries",
        "first_date",
        "last_date",
    ):
        value = facts[key]
        table.add_row(key.replace("_", " "), f"{value:,}" if isinstance(value, int) else str(value))
    sources = cast(dict[str, int], facts["sources"])
    table.add_row("sources", ", ".join(f"{k}: {v:,}" for k, v in sources.items()))
    table.add_row("coverage", str(facts["coverage"]))
    sc = council_info()
    table.add_row(
        "Security Council",
        f"{sc['resolutions']:,} adopted resolutions ({sc['resolution_years']}), "
        f"{sc['votes']:,} votes; {sc['vetoes']:,} vetoes of {sc['vetoed_drafts']:,} drafts "
        f"({sc['vetoes_from']} to {sc['vetoes_to']})",
    )
    console.print(table)
    cov = coverage()
    if sessions:
        by = Table(title="Roll calls by session")
        for col in ("session", "first date", "last date", "years", "roll calls"):
            by.add_column(col, justify="right")
        for r in cov.to_frame().to_dict("records"):
            by.add_row(
                str(r["session"]),
                str(r["first_date"].date()),
                str(r["last_date"].date()),
                ", ".join(map(str, r["years"])),
                f"{r['roll_calls']:,}",
            )
        console.print(by)
    if cov.missing_years:
        console.print(f"[yellow]Gaps:[/] {cov.describe().split('; ', 1)[1]}. {_FILL_HINT}")


def info_cmd(
    sessions: Annotated[
        bool, typer.Option("--sessions", help="List every session's roll calls.")
    ] = False,
) -> None:
    """Show the stored record: figures, coverage by session with the gaps, the Council."""
    _show_info(sessions)


def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Vote files (or an unvotes .rda folder).")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="voeten | unvotes | undl | undl-long | undl-wide | vetoes | bridges "
            "(default: detected from the header).",
        ),
    ] = None,
) -> None:
    """Import vote files atomically: a bad row leaves the store unchanged."""
    from hedgewatch.workflows import import_file

    for path in paths:
        with console.status(f"Importing {path} ..."):
            counts = import_file(str(path), format=format)
        _show_counts(f"[green]Imported[/] {path}", counts)
    _show_info()


def _show_counts(head: str, counts: dict[str, object]) -> None:
    numbers = {k: v for k, v in counts.items() if isinstance(v, int)}
    console.print(
        f"{head}: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in numbers.items())
    )
    if "row_check" in counts:
        console.print(f"Row check: {counts['row_check']}")
    for note in cast(list[str], counts.get("notes") or []):
        console.print(f"Note: {note}")


def update_cmd(
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="Record page to read (default: the UN Digital Library record 4060887)."
        ),
    ] = None,
) -> None:
    """Download the newest official GA voting file (UN Digital Library) and import it."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from hedgewatch.workflows import update_votes

    with Progress(TextColumn("Downloading"), BarColumn(), DownloadColumn(), console=console) as bar:
        task = bar.add_task("download", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        path, counts = update_votes(url, progress=progress)
    console.print(f"Downloaded {path}")
    _show_counts("Imported", counts)
    _show_info()


def register(app: typer.Typer) -> None:
    """Add the ``data`` group to the main app."""
    data = typer.Typer(
        help="Inspect, import and update the vote record in the store.", no_args_is_help=True
    )
    app.add_typer(data, name="data")
    data.command("info")(info_cmd)
    data.command("import")(import_cmd)
    data.command("update")(update_cmd)
