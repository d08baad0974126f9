"""Figures of fitted ideal points."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from hedgewatch._validation import validated
from hedgewatch.idealpoints.dynamic import IdealPointResult, check_countries


def _with_missing_sessions(d: pd.DataFrame) -> pd.DataFrame:
    """One country's rows by session, with a NaN row for every session skipped."""
    d = d.sort_values("session")
    if d.empty:
        return d
    full = pd.RangeIndex(int(d["session"].min()), int(d["session"].max()) + 1, name="session")
    out = d.set_index("session").reindex(full).reset_index()
    gap = out["year"].isna()
    out.loc[gap, "year"] = out.loc[gap, "session"] + 1945  # a session opens in September
    return out


@validated
def plot_ideal_points(
    result: IdealPointResult,
    countries: Sequence[str],
    *,
    dim: int = 1,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Ideal points over time, one line per country with its interval as a band.

    Sessions missing from the record (77-78 in the bundled data) break the lines: no
    position is drawn for them (the model's random walk spans the hole, its variance
    growing with the number of sessions skipped, but there are no votes to place a state).

    Parameters
    ----------
    result
        A fitted :class:`IdealPointResult`.
    countries
        ISO3 codes (or names) to draw.
    dim
        Which dimension (1 or 2).
    ax
        A matplotlib Axes to draw on; default a new figure.
    title
        Figure title (default names the model).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    if ax is None:
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    codes = check_countries(result, countries, "countries")
    sfx = "" if dim == 1 else f"_{dim}"
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 4.8))
    else:
        fig = ax.figure
    pts = result.points
    for code in codes:
        d: pd.DataFrame = _with_missing_sessions(pts[pts["country"] == code])
        line = ax.plot(d["year"], d["ideal_point" + sfx], label=code, lw=1.8)[0]
        if d["se" + sfx].notna().any():
            ax.fill_between(
                d["year"],
                d["lower" + sfx],
                d["upper" + sfx],
                color=line.get_color(),
                alpha=0.18,
                lw=0,
            )
    level = result.info.get("level", 0.95)
    ax.set_xlabel("Year (General Assembly session opening)")
    ax.set_ylabel(
        "Ideal point (higher = closer to the US-led order)"
        if dim == 1
        else f"Ideal point, dimension {dim}"
    )
    ax.set_title(title or f"Dynamic ideal points (bands: {level:.0%} intervals)")
    ax.axhline(0, color="0.6", lw=0.8, zorder=0)
    ax.legend(frameon=False, ncol=min(len(codes), 6))
    fig.tight_layout()
    return fig


@validated
def plot_calibration(
    tables: Mapping[str, pd.DataFrame],
    *,
    title: str = "",
    ax: Any = None,
) -> Any:
    """Reliability diagram: forecast probability against the share of votes cast as
    forecast, one line per table (e.g. ``{"1-D": t1, "2-D": t2}``), with the diagonal of a
    perfectly calibrated forecast and the votes per bin as marker sizes.

    Parameters
    ----------
    tables
        Label -> :func:`~hedgewatch.idealpoints.calibration_table` output.
    title
        Axes title.
    ax
        Matplotlib axes to draw on (a new figure otherwise).

    Returns
    -------
    The matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 4.4))
    else:
        fig = ax.figure
    ax.plot([1 / 3, 1], [1 / 3, 1], color="0.6", lw=0.8, ls="--", label="calibrated")
    for label, t in tables.items():
        if t.empty:
            continue
        size = 12 + 120 * t["n_votes"] / max(float(t["n_votes"].max()), 1.0)
        line = ax.plot(t["mean_probability"], t["observed"], lw=1.6, label=label)[0]
        ax.scatter(t["mean_probability"], t["observed"], s=size, color=line.get_color(), zorder=3)
    ax.set_xlim(1 / 3 - 0.02, 1.01)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("forecast probability of the most likely vote")
    ax.set_ylabel("share of those votes cast as forecast")
    if title:
        ax.set_title(title)
    ax.legend(frameon=False, loc="upper left")
    fig.tight_layout()
    return fig
