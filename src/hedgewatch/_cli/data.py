"""CLI commands for the data store: ``hedgewatch data info|import|update``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def _show_info() -> None:
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
    console.print(table)


def info_cmd() -> None:
    """Show sessions, roll calls, votes, countries and first/last date of the stored record."""
    _show_info()


def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Vote files (or an unvotes .rda folder).")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="voeten | unvotes | undl | bridges (default: detected)."
        ),
    ] = None,
) -> None:
    """Import vote files atomically: a bad row leaves the store unchanged."""
    from hedgewatch.workflows import import_file

    for path in paths:
        with console.status(f"Importing {path} ..."):
            counts = import_file(str(path), format=format)
        console.print(
            f"[green]Imported[/] {path}: "
            + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in counts.items())
        )
    _show_info()


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
    console.print(
        "Imported: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in counts.items())
    )
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
