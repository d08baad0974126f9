"""CLI commands for the data store (filled in by the foundation issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""

    @app.command("version", hidden=True)
    def _version() -> None:
        from hedgewatch import __version__

        typer.echo(__version__)
