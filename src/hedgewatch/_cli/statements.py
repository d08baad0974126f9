"""CLI commands for statements (filled in by its issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this topic's commands to the main app."""
