"""A figure of the event position: position with its band, change points, and the levels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from hedgewatch.errors import InsufficientDataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plot_event_position(
    index: pd.DataFrame,
    pivots: pd.DataFrame | None = None,
    *,
    state: str | None = None,
    title: str | None = None,
) -> Figure:
    """Plot an :func:`~hedgewatch.events.event_position` frame with optional pivots.

    Returns
    -------
    matplotlib Figure with two panels: the position (-1 first power, +1 second) with its
    bootstrap band and the change points as dashed lines (top); each power's normalised
    level ``value_<P>`` (bottom). Periods are placed in order, labelled as given.
    """
    from matplotlib.figure import Figure

    values = [c for c in index.columns if c.startswith("value_")]
    if index.empty or "position" not in index or len(values) != 2:
        raise InsufficientDataError(
            "plot_event_position(): pass the output of event_position() (non-empty)."
        )
    fig = Figure(figsize=(8, 5.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    x = np.arange(len(index))
    labels = index["period"].astype(str).tolist()
    top.plot(x, index["position"], marker="o", ms=3, color="#4c4c9c", label="position")
    if "position_lo" in index:
        top.fill_between(x, index["position_lo"], index["position_hi"], color="#4c4c9c",
                         alpha=0.2, linewidth=0)  # fmt: skip
    top.axhline(0, color="grey", lw=0.8)
    top.set_ylim(-1.05, 1.05)
    a, b = (c.removeprefix("value_") for c in values)
    top.set_ylabel(f"position (-1 {a}, +1 {b})")
    if pivots is not None and len(pivots):
        where = {p: i for i, p in enumerate(labels)}
        for p in pivots["period"].astype(str):
            if p in where:
                top.axvline(where[p] - 0.5, ls="--", color="#aa3333", lw=1)
    for col in values:
        bottom.plot(x, index[col], marker="o", ms=3, label=f"with {col.removeprefix('value_')}")
    bottom.axhline(0, color="grey", lw=0.8)
    bottom.set_ylabel("net / state's volume")
    bottom.legend(loc="best", fontsize=8)
    step = max(1, len(x) // 12)
    bottom.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    fig.suptitle(title or f"Event position of {state or 'the state'} between {a} and {b}")
    return fig
