"""Calibrating the strategic models from measured positions (DataFrames in, models out).

Mappings (also in ``docs/strategy.md``):

The state is the model's client and the two powers its patrons A (the guarantor) and B.

* Outbidding, from a hedging index (``hedgewatch.alignment.hedging_index``): the client's
  ideal alignment is ``a0 = (1 + position) / 2``, where ``position`` in [-1, 1] is -1 when the
  client votes as the first patron and +1 when it votes as the second.
* Outbidding, from ideal points (``hedgewatch.idealpoints``): ``a0 = (theta_client -
  theta_A) / (theta_B - theta_A)`` clipped to [0, 1], the client's projection on the segment
  from patron A to patron B.
* Outbidding, fallback from raw votes (:func:`agreement_position`): ``a0 = agree_B / (agree_A
  + agree_B)``, with ``agree_P`` the share of roll calls in the year on which the client cast
  the same vote (yes, abstain or no) as patron P.
* Bargaining positions from ideal points (:func:`scenario_from_ideal_points`): ``position =
  100 (theta - min) / (max - min)``, with min and max over every country with an ideal point
  that year, so 0 and 100 are the Assembly's two extremes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import caller, check_columns, check_param, validated
from hedgewatch.errors import InsufficientDataError, ScenarioError
from hedgewatch.strategy.outbidding import OutbiddingModel
from hedgewatch.strategy.scenario import Scenario


def _year_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    col = "year" if "year" in frame.columns else "period" if "period" in frame.columns else None
    check_param(
        col is not None,
        "data",
        "a DataFrame with a 'year' (or 'period') column",
        list(frame.columns),
    )
    years = pd.to_numeric(frame[col], errors="coerce")
    rows = frame[years == int(year)]
    if rows.empty:
        from hedgewatch._periods import ranges

        # A year inside the range but missing from the record (2022-2024 in the bundled
        # data) is refused like one outside it: no value is made up for it.
        span = ranges(int(y) for y in years.dropna().unique())
        raise InsufficientDataError(
            f"{caller()}(): no row for year {year} in the data given (years present: {span}). "
            "Pick a year that is present, or import the missing years "
            "('hedgewatch data update')."
        )
    return rows


@validated
def alignment_from_hedging(hedging: pd.DataFrame, year: int) -> float:
    """Ideal alignment ``a0 = (1 + position) / 2`` from a hedging-index table for one year."""
    check_param(
        "position" in hedging.columns,
        "hedging",
        "a hedging-index table with a 'position' column",
        list(hedging.columns),
    )
    pos = float(_year_rows(hedging, year)["position"].iloc[0])
    if not np.isfinite(pos):
        raise InsufficientDataError(
            f"{caller()}(): the hedging position for {year} is NaN (the patrons voted identically, "
            "or too few common votes); pick another year."
        )
    return float(np.clip((1.0 + pos) / 2.0, 0.0, 1.0))


@deprecated_args(renamed={"client": "state", "patrons": "powers"})
@validated
def alignment_from_ideal_points(
    ideal_points: pd.DataFrame, year: int, state: str, powers: Sequence[str]
) -> float:
    """Ideal alignment: the state's projection on the power A -> power B ideal-point axis.

    ``client=``/``patrons=`` are the deprecated keywords of ``state``/``powers``.
    """
    theta = _ideal_point_map(ideal_points, year)
    a, b = powers
    _require_actors([state, a, b], theta, year)
    if theta[b] == theta[a]:
        raise InsufficientDataError(
            f"{caller()}(): {a} and {b} have the same ideal point in {year}; there is no axis."
        )
    return float(np.clip((theta[state] - theta[a]) / (theta[b] - theta[a]), 0.0, 1.0))


@deprecated_args(renamed={"client": "state", "patrons": "powers"}, keyword_only=True)
@validated
def agreement_position(
    votes: pd.DataFrame, state: str, powers: Sequence[str], *, year: int | None = None
) -> pd.DataFrame:
    """The simple fallback measure: per year, how often the state votes as each power.

    Parameters
    ----------
    votes : DataFrame
        Tidy votes ``rcid, year, country, vote`` (as from :func:`hedgewatch.votes`).
    state : str
        The state (the model's client; ``client=`` is the deprecated keyword).
    powers : (str, str)
        Powers A and B (the patrons; ``patrons=`` is the deprecated keyword).
    year : int, optional
        Keep one year only.

    Returns
    -------
    DataFrame
        ``year, n_votes, agree_<A>, agree_<B>, position`` with ``position = 2 a0 - 1`` and
        ``a0 = agree_B / (agree_A + agree_B)`` (NaN, with the reason in ``note``, when the
        client agreed with neither patron on any vote).
    """
    check_param(len(powers) == 2, "powers", "two countries", powers)
    a, b = powers
    v = votes[votes["vote"].astype(str).isin(["yes", "abstain", "no"])]
    if year is not None:
        v = v[v["year"] == int(year)]
    wide = v.pivot_table(
        index=["year", "rcid"], columns="country", values="vote", aggfunc="first", observed=True
    )
    missing = [c for c in (state, a, b) if c not in wide.columns]
    if missing:
        raise InsufficientDataError(
            f"{caller()}(): no yes/abstain/no votes for {missing}"
            + (f" in {year}" if year is not None else "")
            + ". Check the country codes and the year."
        )
    wide = wide[[state, a, b]].dropna().astype(str)
    agree = pd.DataFrame(
        {
            "year": wide.index.get_level_values("year"),
            f"agree_{a}": (wide[state] == wide[a]).to_numpy(float),
            f"agree_{b}": (wide[state] == wide[b]).to_numpy(float),
        }
    )
    out = (
        agree.groupby("year")
        .agg(
            n_votes=(f"agree_{a}", "size"),
            **{f"agree_{a}": (f"agree_{a}", "mean"), f"agree_{b}": (f"agree_{b}", "mean")},
        )
        .reset_index()
    )
    total = out[f"agree_{a}"] + out[f"agree_{b}"]
    share = np.where(total > 0, out[f"agree_{b}"] / total.where(total > 0, 1.0), np.nan)
    out["position"] = 2.0 * share - 1.0
    out["note"] = np.where(total > 0, "", f"{state} agreed with neither power")
    return out


@deprecated_args(renamed={"client": "state", "patrons": "powers"})
@validated
def calibrate_outbidding(
    data: pd.DataFrame,
    year: int,
    *,
    state: str | None = None,
    powers: Sequence[str] | None = None,
    **params: Any,
) -> OutbiddingModel:
    """An :class:`OutbiddingModel` whose client, the state, starts where the data put it.

    Parameters
    ----------
    data : DataFrame
        Either a hedging index (``year``/``period``, ``position`` in [-1, 1], ``free_agency``,
        ...; from ``hedgewatch.alignment.hedging_index`` or :func:`agreement_position`) or
        ideal points (``country, year, ideal_point``).
    year : int
    state : str, optional
        The state, the model's client: its label, and its code in ideal points (default
        label ``"client"``). ``client=`` is the deprecated keyword.
    powers : (str, str), optional
        Power A, the guarantor patron (alignment 0), and power B (alignment 1); labels, and
        codes in ideal points (default ``("A", "B")``). ``patrons=`` is the deprecated
        keyword.
    **params
        Any other :class:`OutbiddingModel` parameter (``guarantee``, ``united_front``, ...).

    Returns
    -------
    OutbiddingModel
        With ``ideal_alignment`` set from the data and ``labels = (state, A, B)``.
    """
    ideal = "ideal_point" in data.columns
    state = "client" if state is None else state
    powers = ("A", "B") if powers is None else powers
    check_param(len(powers) == 2, "powers", "two countries", powers)
    check_param(
        "ideal_alignment" not in params,
        "ideal_alignment",
        "left to the data (omit it)",
        params.get("ideal_alignment"),
    )
    if ideal:
        a0 = alignment_from_ideal_points(data, year, state, powers)
    else:
        a0 = alignment_from_hedging(data, year)
    labels = (state, str(powers[0]), str(powers[1]))
    return OutbiddingModel(ideal_alignment=a0, labels=labels, **params)


@validated
def scenario_from_ideal_points(
    ideal_points: pd.DataFrame,
    year: int,
    actors: pd.DataFrame | Mapping[str, Mapping[str, float]],
    *,
    name: str | None = None,
) -> Scenario:
    """A bargaining scenario with positions taken from measured ideal points.

    Parameters
    ----------
    ideal_points : DataFrame
        ``country, year, ideal_point`` (a country's points within the year are averaged).
    year : int
    actors : DataFrame or mapping
        Capability and salience of each actor: a DataFrame ``actor, capability, salience``
        or ``{"CHN": {"capability": 0.3, "salience": 80}, ...}``. Positions come from the data.
    name : str, optional

    Returns
    -------
    Scenario
        Positions ``100 (theta - min) / (max - min)`` with min and max over every country
        with an ideal point in ``year``.
    """
    theta = _ideal_point_map(ideal_points, year)
    table: list[dict[Any, Any]] = (
        actors.to_dict("records")
        if isinstance(actors, pd.DataFrame)
        else [{"actor": k, **dict(v)} for k, v in actors.items()]
    )
    names = [str(r.get("actor", r.get("name"))) for r in table]
    _require_actors(names, theta, year)
    lo, hi = min(theta.values()), max(theta.values())
    if hi <= lo:
        raise InsufficientDataError(f"All ideal points in {year} are equal; no scale to map.")
    records = [
        {
            "name": n,
            "capability": r.get("capability"),
            "salience": r.get("salience"),
            "position": 100.0 * (theta[n] - lo) / (hi - lo),
            **({"risk": r["risk"]} if r.get("risk") is not None else {}),
        }
        for n, r in zip(names, table, strict=True)
    ]
    return Scenario.from_records(records, name=name or f"ideal points {year}")


def _ideal_point_map(frame: pd.DataFrame, year: int) -> dict[str, float]:
    check_columns(frame, "ideal_points", ("country", "year", "ideal_point"))
    rows = _year_rows(frame, year).dropna(subset=["ideal_point"])
    # Two sessions can fall in one year: average a country's points within the year.
    means = rows.groupby(rows["country"].astype(str))["ideal_point"].mean()
    return {str(k): float(v) for k, v in means.items()}


def _require_actors(names: Sequence[str], theta: Mapping[str, float], year: int) -> None:
    unknown = [n for n in names if n not in theta]
    if unknown:
        have = sorted(theta)
        shown = ", ".join(have[:20]) + (f", ... ({len(have)} in all)" if len(have) > 20 else "")
        raise ScenarioError(
            f"unknown actor(s) {unknown}: no ideal point in {year}. "
            f"Countries with one that year: {shown}."
        )
