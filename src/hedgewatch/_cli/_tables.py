"""Rich tables shared by several CLI topics."""

from __future__ import annotations

import pandas as pd
from rich.table import Table


def fmt(x: object, digits: int = 3) -> str:
    """A number with ``digits`` decimals; a dash for None, NaN or anything not a number."""
    if not isinstance(x, int | float) or x != x:
        return "—"
    return f"{x:.{digits}f}"


def pivot_table(piv: pd.DataFrame, title: str) -> Table:
    """The change points of a position (``pivots``' frame) as a table."""
    table = Table(title=title)
    for c in ("from period", "before", "after", "size", "direction", "stability"):
        table.add_column(c, justify="left" if c in ("from period", "direction") else "right")
    for _, r in piv.iterrows():
        table.add_row(
            str(r["period"]),
            fmt(r["before"]),
            fmt(r["after"]),
            f"{r['size']:+.3f}",
            str(r["direction"]),
            f"{r['stability']:.0%}",
        )
    return table
