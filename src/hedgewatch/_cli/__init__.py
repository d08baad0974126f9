"""CLI commands, one module per topic. Each module exposes ``register(app)``."""

from __future__ import annotations

from collections.abc import Callable

import typer

from hedgewatch._cli import (
    align,
    council,
    data,
    events,
    idealpoints,
    report,
    rhetoric,
    statements,
    strategy,
    web,
)

TOPICS: list[Callable[[typer.Typer], None]] = [
    data.register,
    align.register,
    idealpoints.register,
    rhetoric.register,
    statements.register,
    events.register,
    strategy.register,
    council.register,
    report.register,
    web.register,
]
