"""A figure of the hedging index: agreement with each power, position and free agency."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from hedgewatch._periods import with_gaps
from hedgewatch._validation import validated
from hedgewatch.errors import InsufficientDataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _band(ax, frame: pd.DataFrame, col: str, label: str, **kw) -> None:
    x = frame["period"]
    line = ax.plot(x, frame[col], marker="o", ms=3, label=label, **kw)[0]
    if f"{col}_lo" in frame:
        ax.fill_between(
            x,
            frame[f"{col}_lo"],
            frame[f"{col}_hi"],
            color=line.get_color(),
            alpha=0.2,
            linewidth=0,
        )


@validated
def plot_hedging(
    index: pd.DataFrame,
    pivots: pd.DataFrame | None = None,
    *,
    state: str | None = None,
    title: str | None = None,
) -> Figure:
    """Plot a :func:`hedging_index` frame (two or more powers) with optional pivots.

    Parameters
    ----------
    index
        Output of :func:`hedging_index` (numeric periods: ``by="year"`` or ``"session"``).
    pivots
        Output of :func:`pivots`; each pivot is drawn as a dashed vertical line.
    state
        Name of the state, for the title.
    title
        Figure title; default built from ``state`` and the powers.

    Returns
    -------
    matplotlib Figure with two panels: agreement with each power (top), and position on
    the axis of the first two powers with free agency (bottom), with bootstrap bands.
    Periods missing between the first and last (years without votes) break the lines.
    """
    from matplotlib.figure import Figure

    agree = [c for c in index.columns if c.startswith("agree_") and c.count("_") == 1]
    if index.empty or not agree:
        raise InsufficientDataError(
            "plot_hedging(): the index is empty or lacks agree_<power> columns; pass the "
            "output of hedging_index()."
        )
    powers = [c.split("_", 1)[1] for c in agree]
    # Missing years (a hole in the record) break the lines instead of being bridged.
    index = with_gaps(index, "period")
    pos = "position" if "position" in index else f"position_{powers[0]}_{powers[1]}"
    fig = Figure(figsize=(8, 6), constrained_layout=True)
    top, bottom = fig.subplots(2, 1, sharex=True)
    for col, p in zip(agree, powers, strict=True):
        _band(top, index, col, f"agreement with {p}")
    top.set_ylabel("agreement")
    top.legend(loc="lower left", fontsize=8)
    _band(bottom, index, pos, f"position (-1 = {powers[0]}, +1 = {powers[1]})")
    _band(bottom, index, "free_agency", "free agency", linestyle="--")
    bottom.axhline(0, color="grey", linewidth=0.5)
    bottom.set_ylim(-1.05, 1.05)
    bottom.set_ylabel("index")
    bottom.set_xlabel("period")
    bottom.legend(loc="lower left", fontsize=8)
    if pivots is not None and not pivots.empty:
        for ax in (top, bottom):
            for p in pivots["period"]:
                ax.axvline(p, color="black", linestyle=":", linewidth=1)
    who = state or "state"
    fig.suptitle(title or f"Hedging index of {who} between {' and '.join(powers)}")
    return fig
