"""Synchronised adoption of narratives by two or more actors, with a permutation test.

An actor *takes up* a narrative on day t (an onset) when it mentions the narrative on t after
at least ``quiet`` days without mentioning it. Two actors are synchronised on a narrative when
their onsets fall within ``window`` days of each other. For each pair of actors and each
narrative the statistic is the number of onset pairs (a, b) with ``|t_b - t_a| <= window``.

Null distribution (``null=``):

``"shuffle"`` (default)
    Actor b's timeline is cut into blocks of ``block`` days (default 7, always a multiple of
    7) and the blocks are permuted at random, every narrative together. Keeps b's volume,
    weekday pattern, within-block bursts and cross-narrative structure; breaks only the
    alignment with a (and bursts longer than a block). Many permutations are possible, so
    p-values as small as 1 / (n_perm + 1) are attainable.
``"shift"``
    Actor b's whole timeline (every narrative at once) is shifted circularly by a multiple
    of 7 days over the common period. This keeps each actor's volume, weekday pattern,
    bursts and cross-narrative structure and breaks only the alignment between the actors.
    With T days there are about T/7 distinct shifts; when ``n_perm`` is larger, all are used
    (an exact conditional test), so the smallest attainable p-value is about 7/T.
    It keeps long bursts intact, but the smallest p-value, about 7/T (0.02 for a year), is
    too coarse to survive a correction over many narratives; use it for the overall test
    or with a few narratives.

p-values are ``(1 + #{null >= observed}) / (1 + n_null)``; q-values are Benjamini-Hochberg
over the narratives of one actor pair that each actor takes up at least ``min_onsets`` times
(a filter on the margins only, which keeps the correction valid; other narratives get no
q-value, as they could not reach significance). Effect sizes: ``ratio`` = observed / expected (mean of
the null) and ``z`` = (observed - expected) / sd of the null (missing when the null has no
spread, i.e. the narrative has no onsets for one actor).

The pairwise stage works on (narrative x day) arrays: cost O(K T log T) for K narratives and T
days, independent of the number of statements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, cast

import numpy as np
import pandas as pd

from hedgewatch import countries as _countries
from hedgewatch._deprecation import deprecated_args
from hedgewatch._validation import check_duration, check_param, validated
from hedgewatch.errors import InsufficientDataError
from hedgewatch.statements._narratives import NarrativeResult, narratives, prepare

NULLS = ("shift", "shuffle")


# -- plain-array stage ---------------------------------------------------------------------
def day_matrix(
    narrative: np.ndarray, day: np.ndarray, n_narratives: int, n_days: int
) -> np.ndarray:
    """Boolean (narratives x days) matrix: did the actor mention narrative k on day t?"""
    M = np.zeros((n_narratives, n_days), dtype=bool)
    ok = (day >= 0) & (day < n_days) & (narrative >= 0)
    M[narrative[ok], day[ok]] = True
    return M


def onset_matrix(M: np.ndarray, quiet: int, censor: int = 0) -> np.ndarray:
    """Onsets: a mention after ``quiet`` silent days; days before ``censor`` are unknown."""
    if quiet == 0:
        out = M.copy()
    else:
        c = np.cumsum(np.pad(M, ((0, 0), (1, 0))).astype(np.int32), axis=1)
        t = np.arange(M.shape[1])
        before = c[:, t] - c[:, np.maximum(t - quiet, 0)]
        out = M & (before == 0)
    out[:, : max(censor, 0)] = False
    return out


def _window_sum(B: np.ndarray, window: int, circular: bool) -> np.ndarray:
    """Bc[k, u] = number of B onsets within ``window`` days of u."""
    T = B.shape[1]
    if circular:
        idx = (np.arange(T)[:, None] + np.arange(-window, window + 1)[None, :]) % T
        return (
            B[:, idx].sum(axis=2, dtype=np.int32)
            if window < T
            else np.repeat(B.sum(axis=1, keepdims=True), T, axis=1)
        )
    c = np.cumsum(np.pad(B, ((0, 0), (1, 0))).astype(np.int32), axis=1)
    t = np.arange(T)
    return c[:, np.minimum(t + window + 1, T)] - c[:, np.maximum(t - window, 0)]


def pair_counts(A: np.ndarray, B: np.ndarray, window: int) -> np.ndarray:
    """Per narrative: onset pairs (a, b) with |t_b - t_a| <= window."""
    return (A * _window_sum(B, window, circular=False)).sum(axis=1)


def shift_null(A: np.ndarray, B: np.ndarray, window: int, shifts: np.ndarray) -> np.ndarray:
    """Counts under circular shifts of B: array (len(shifts), narratives), via the FFT."""
    Bc = _window_sum(B, window, circular=True).astype(np.float64)
    corr = np.fft.irfft(
        np.fft.rfft(A.astype(np.float64), axis=1) * np.conj(np.fft.rfft(Bc, axis=1)),
        n=A.shape[1],
        axis=1,
    )
    return np.rint(corr[:, shifts].T).astype(np.int64)


def shuffle_null(
    A: np.ndarray,
    B: np.ndarray,
    window: int,
    n_perm: int,
    rng: np.random.Generator,
    block: int = 7,
) -> np.ndarray:
    """Counts when whole blocks of ``block`` days of B are permuted: (n_perm, narratives).

    The last ``T mod block`` days stay in place (padding them into a full block would move
    empty days into the period and bias the null downwards). Permutations are processed in
    batches, each vectorised over permutations x narratives x days (about 20 million cells).
    """
    K, T = B.shape
    n_blocks = T // block
    full = n_blocks * block
    head = B[:, :full].reshape(K, n_blocks, block)
    tail = B[:, full:]
    perms = np.argsort(rng.random((n_perm, n_blocks)), axis=1)
    out = np.empty((n_perm, K), dtype=np.int64)
    batch = max(1, 20_000_000 // max(1, K * T))
    t = np.arange(T)
    hi, lo = np.minimum(t + window + 1, T), np.maximum(t - window, 0)
    Ab = A[:, None, :]
    for s in range(0, n_perm, batch):
        P = perms[s : s + batch]
        Bs = np.concatenate(
            [
                head[:, P, :].reshape(K, len(P), full),
                np.broadcast_to(tail[:, None, :], (K, len(P), T - full)),
            ],
            axis=2,
        )
        c = np.zeros((K, len(P), T + 1), dtype=np.int32)
        np.cumsum(Bs, axis=2, out=c[:, :, 1:])
        out[s : s + batch] = (Ab * (c[:, :, hi] - c[:, :, lo])).sum(axis=2).T
    return out


def admissible_shifts(n_days: int, window: int) -> np.ndarray:
    """Circular shifts (multiples of 7 days) that move every onset by more than ``window``."""
    s = np.arange(7, n_days, 7)
    return s[np.minimum(s, n_days - s) > window]


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg q-values."""
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    q = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(q[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def permutation_test(
    A: np.ndarray,
    B: np.ndarray,
    window: int,
    *,
    null: str = "shuffle",
    n_perm: int = 999,
    seed: int = 0,
    block: int = 7,
    refine: int = 19_999,
    refine_below: float = 0.01,
) -> dict[str, np.ndarray]:
    """Observed counts, null moments and p-values per narrative and overall.

    Parameters
    ----------
    A, B
        Boolean onset matrices (narratives x days) of the two actors, same shape.
    window
        Largest lag in days.
    null, n_perm, seed, block
        See the module docstring (``block``: days per shuffled block, a multiple of 7).
    refine, refine_below
        Narratives whose p-value from the first ``n_perm`` draws is at most ``refine_below``
        get ``refine`` fresh draws (``"shuffle"`` only), and their p-value is taken from
        those alone; without this the floor 1 / (n_perm + 1) could never pass a correction
        over hundreds of narratives. The result stays a valid p-value for any level up to
        ``refine_below`` (Besag & Clifford 1991).

    Returns
    -------
    dict with ``observed, expected, sd, p_value`` (per narrative) and ``total_observed,
    total_expected, total_sd, total_p_value, n_null``.

    References
    ----------
    Good, P. (2005). Permutation, Parametric, and Bootstrap Tests of Hypotheses, 3rd ed.
    Springer. Besag, J. & Clifford, P. (1991). Sequential Monte Carlo p-values. Biometrika
    78(2), 301-304. Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate.
    Journal of the Royal Statistical Society B 57(1), 289-300.
    """
    rng = np.random.default_rng(seed)
    K = A.shape[0]
    rows = np.flatnonzero(A.any(axis=1) & B.any(axis=1))  # others count 0 under any shuffle
    A, B = A[rows], B[rows]
    obs = pair_counts(A, B, window)
    if null == "shift":
        shifts = admissible_shifts(A.shape[1], window)
        if len(shifts) == 0:
            raise InsufficientDataError(
                f"The common period ({A.shape[1]} days) is too short for a shift test with a "
                f"{window}-day window; use a longer period or null='shuffle'."
            )
        if len(shifts) > n_perm:
            shifts = rng.choice(shifts, n_perm, replace=False)
        N = shift_null(A, B, window, shifts)
    else:
        N = shuffle_null(A, B, window, n_perm, rng, block)
    tot, tot_null = obs.sum(), N.sum(axis=1)
    p = (1 + (obs[None, :] <= N).sum(axis=0)) / (1 + len(N))
    n_draws = np.full(len(rows), len(N))
    low = (
        np.flatnonzero(p <= refine_below)
        if null == "shuffle" and refine > n_perm
        else np.empty(0, dtype=np.int64)
    )
    if len(low):  # fresh draws for the few small p-values, so they can survive correction
        N2 = shuffle_null(A[low], B[low], window, refine, rng, block)
        p[low] = (1 + (obs[low][None, :] <= N2).sum(axis=0)) / (1 + refine)
        n_draws[low] = refine

    def full(x: np.ndarray, fill: float) -> np.ndarray:
        out = np.full(K, fill, dtype=np.float64)
        out[rows] = x
        return out

    return {
        "observed": full(obs, 0).astype(np.int64),
        "expected": full(N.mean(axis=0), 0.0),
        "sd": full(N.std(axis=0), 0.0),
        "p_value": full(p, 1.0),
        "n_draws": full(n_draws, 0).astype(np.int64),
        "total_observed": tot,
        "total_expected": tot_null.mean(),
        "total_sd": tot_null.std(),
        "total_p_value": (1 + (tot_null >= tot).sum()) / (1 + len(N)),
        "n_null": len(N),
    }


def onset_pairs(A: np.ndarray, B: np.ndarray, window: int) -> pd.DataFrame:
    """All onset pairs within the window: columns ``narrative, day_a, day_b``."""
    ka, ta = np.nonzero(A)
    kb, tb = np.nonzero(B)
    a = pd.DataFrame({"narrative": ka, "day_a": ta})
    b = pd.DataFrame({"narrative": kb, "day_b": tb})
    m = a.merge(b, on="narrative")  # onsets per narrative are few (at most T / quiet)
    return m[(m["day_b"] - m["day_a"]).abs() <= window].reset_index(drop=True)


# -- DataFrame layer -----------------------------------------------------------------------
@dataclass(frozen=True)
class SyncResult:
    """Result of :func:`synchronisation`.

    Attributes
    ----------
    events
        One row per synchronised onset pair: ``narrative, label, country_a, date_a,
        country_b, date_b, lag_days, title_a, title_b, p_value, q_value``.
    summary
        One row per pair of countries and narrative: ``country_a, country_b, narrative,
        label, onsets_a, onsets_b, observed, expected, ratio, z, p_value, q_value``.
    overall
        One row per pair of countries: totals over narratives with their own p-value.

    The pair columns were ``actor_a, actor_b`` before this release.
    """

    events: pd.DataFrame
    summary: pd.DataFrame
    overall: pd.DataFrame
    narratives: NarrativeResult = field(repr=False)
    window: int = 3
    quiet: int = 14
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    null: str = "shuffle"
    n_null: int = 0
    method: str = "tfidf"

    def to_frame(self) -> pd.DataFrame:
        """The per-narrative summary."""
        return self.summary.copy()

    @deprecated_args(keyword_only=True)
    def describe_events(self, *, n: int = 10, max_q: float = 0.05) -> list[str]:
        """Plain-text lines such as ``RUS 2015-06-11, PRK 2015-06-12: 'biological weapons'``."""
        ev = self.events[self.events["q_value"] <= max_q].head(n)
        return [
            f"{r.country_a} {r.date_a:%Y-%m-%d}, {r.country_b} {r.date_b:%Y-%m-%d}: {r.label!r}"
            for r in ev.itertuples()
        ]


def _bounds(
    df: pd.DataFrame, actors: list[str], start: object, end: object
) -> tuple[pd.Timestamp, pd.Timestamp]:
    spans = df.groupby("actor")["date"].agg(["min", "max"]).reindex(actors)
    missing = spans.index[spans["min"].isna()].tolist()
    if missing:
        raise InsufficientDataError(
            f"No statements for {', '.join(missing)} in the selection; import a corpus for "
            "them ('hedgewatch statements import FILE --actor ...') or widen the dates."
        )
    lo = pd.Timestamp(cast(Any, start)) if start is not None else spans["min"].max()
    hi = pd.Timestamp(cast(Any, end)) if end is not None else spans["max"].min()
    if hi - lo < pd.Timedelta(days=14):
        raise InsufficientDataError(
            f"The actors' statements overlap only from {lo:%Y-%m-%d} to {hi:%Y-%m-%d}; "
            "synchronisation needs at least two weeks in common."
        )
    return lo.normalize(), hi.normalize()


def _onsets_for(
    member: pd.DataFrame,
    actor: str,
    first: pd.Timestamp,
    lo: pd.Timestamp,
    K: int,
    T: int,
    quiet: int,
) -> np.ndarray:
    m = member[member["actor"] == actor]
    day = ((m["date"] - lo).dt.days + quiet).to_numpy()
    M = day_matrix(m["narrative"].to_numpy(), day, K, T + quiet)
    censor = quiet + max(0, (first - lo).days + quiet) if quiet else 0
    return onset_matrix(M, quiet, censor=min(censor, T + quiet))[:, quiet:]


@deprecated_args(renamed={"actors": "countries"})
@validated
def synchronisation(
    statements: pd.DataFrame,
    countries: Sequence[str],
    *,
    window: object = "3d",
    start: object = None,
    end: object = None,
    n_perm: int = 999,
    seed: int = 0,
    quiet: object = "14d",
    null: str = "shuffle",
    block: object = "1w",
    min_onsets: int = 2,
    method: str = "auto",
    narratives_result: NarrativeResult | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> SyncResult:
    """Narratives that two or more countries take up within ``window`` days, beyond chance.

    Parameters
    ----------
    statements
        Normalised statements (``statement_id, actor, date, title, text, language``), e.g.
        from :func:`hedgewatch.store.statements`.
    countries
        Two or more countries (ISO3 or anything :func:`hedgewatch.countries.resolve` takes),
        matched against the statements' ``actor`` column; every pair is tested, in the order
        given (``country_a`` before ``country_b``). ``actors=`` is the deprecated keyword.
    window
        Largest lag between the two onsets (``"3d"``, ``3``, ``"1w"``).
    start, end
        Period analysed; default: the span all the countries cover.
    n_perm
        Null draws (with ``null="shift"``: at most, all admissible shifts when fewer).
    seed
        Seed of the permutation draws and the clustering.
    quiet
        Silence before a mention for it to count as taking up the narrative; ``0`` counts
        every day with a mention.
    null
        ``"shuffle"`` (default) or ``"shift"`` (module docstring).
    block
        Block length of the ``"shuffle"`` null, a multiple of 7 days (``"1w"``, ``"4w"``).
    min_onsets
        Narratives enter the false-discovery correction (get a q-value) only when each actor
        takes them up at least this often. The filter uses the margins only, so it keeps the
        correction valid, and drops narratives that could never reach significance.
    method
        Narrative representation: ``"auto"``, ``"phrases"``, ``"tfidf"`` or ``"concepts"``.
    narratives_result
        Narratives already found for these statements (skips that stage).
    progress
        Called as ``progress(step, done, total)`` before the narratives are found and before
        each pair is tested.

    Returns
    -------
    SyncResult

    References
    ----------
    Quian Quiroga, R., Kreuz, T. & Grassberger, P. (2002). Event synchronization: a simple and
    fast method to measure synchronicity and time delay patterns. Physical Review E 66,
    041908. Amarasingham, A., Harrison, M. T., Hatsopoulos, N. G. & Geman, S. (2012).
    Conditional modeling and the jitter method of spike resampling. Journal of
    Neurophysiology 107(2), 517-531.
    """
    w = check_duration(window, "window")
    q = check_duration(quiet, "quiet")
    check_param(null in NULLS, "null", f"one of {NULLS}", null)
    check_param(
        isinstance(min_onsets, int | np.integer) and min_onsets >= 1,
        "min_onsets",
        "a positive integer",
        min_onsets,
    )
    blk = check_duration(block, "block")
    check_param(
        blk >= 7 and blk % 7 == 0,
        "block",
        "a positive multiple of 7 days such as '1w' or '28d'",
        block,
    )
    check_param(
        isinstance(n_perm, int | np.integer) and n_perm >= 19,
        "n_perm",
        "an integer >= 19",
        n_perm,
    )
    acts = [_countries.resolve(c, where="countries") for c in countries]
    check_param(len(set(acts)) >= 2, "countries", "two or more countries", countries)
    statements = prepare(statements)
    df = statements[statements["actor"].isin(acts)]
    lo, hi = _bounds(df, acts, start, end)
    firsts = df.groupby("actor")["date"].min()
    sel = df[(df["date"] >= lo - pd.Timedelta(days=q)) & (df["date"] <= hi)]
    pairs = list(combinations(acts, 2))
    say = progress or (lambda step, done, total: None)
    say(f"finding narratives in {len(sel):,} statements", 0, len(pairs) + 1)
    nr = narratives_result or narratives(sel, method=method, seed=seed)
    member = nr.membership
    K, T = int(nr.narratives["narrative"].max()) + 1, (hi - lo).days + 1
    onsets = {a: _onsets_for(member, a, firsts[a], lo, K, T, q) for a in acts}
    labels = nr.narratives.set_index("narrative")["label"]
    summaries, overall, events = [], [], []
    for i, (a, b) in enumerate(pairs, start=1):
        say(f"testing {a}-{b} against {n_perm} null draws", i, len(pairs) + 1)
        r = permutation_test(
            onsets[a], onsets[b], w, null=null, n_perm=n_perm, seed=seed, block=blk
        )
        s = _summary(a, b, onsets[a], onsets[b], r, labels, min_onsets)
        summaries.append(s)
        overall.append(_overall(a, b, r))
        events.append(_events(a, b, onsets[a], onsets[b], w, lo, s, sel, member))
    return SyncResult(
        events=pd.concat(events, ignore_index=True),
        summary=pd.concat(summaries, ignore_index=True),
        overall=pd.DataFrame(overall),
        narratives=nr,
        window=w,
        quiet=q,
        start=lo,
        end=hi,
        null=null,
        n_null=int(r["n_null"]),
        method=nr.method,
    )


def _ratio(obs: np.ndarray, exp: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(exp > 0, obs / np.where(exp > 0, exp, 1), np.nan)


def _summary(
    a: str, b: str, A: np.ndarray, B: np.ndarray, r: dict, labels: pd.Series, min_onsets: int
) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(r["sd"] > 0, (r["observed"] - r["expected"]) / r["sd"], np.nan)
    s = pd.DataFrame(
        {
            "country_a": a,
            "country_b": b,
            "narrative": np.arange(A.shape[0]),
            "label": labels.reindex(np.arange(A.shape[0])).to_numpy(),
            "onsets_a": A.sum(axis=1),
            "onsets_b": B.sum(axis=1),
            "observed": r["observed"],
            "expected": r["expected"],
            "ratio": _ratio(r["observed"], r["expected"]),
            "z": z,
            "p_value": r["p_value"],
        }
    )
    testable = (s["onsets_a"] >= min_onsets) & (s["onsets_b"] >= min_onsets)
    s["q_value"] = np.nan
    s.loc[testable, "q_value"] = _bh(s.loc[testable, "p_value"].to_numpy())
    s = s[(s["onsets_a"] > 0) | (s["onsets_b"] > 0)]
    return s.sort_values(["p_value", "observed"], ascending=[True, False]).reset_index(drop=True)


def _overall(a: str, b: str, r: dict) -> dict:
    sd = r["total_sd"]
    return {
        "country_a": a,
        "country_b": b,
        "observed": int(r["total_observed"]),
        "expected": float(r["total_expected"]),
        "ratio": float(_ratio(np.array([r["total_observed"]]), np.array([r["total_expected"]]))[0]),
        "z": (r["total_observed"] - r["total_expected"]) / sd if sd > 0 else np.nan,
        "p_value": float(r["total_p_value"]),
        "n_null": int(r["n_null"]),
    }


def _events(
    a: str,
    b: str,
    A: np.ndarray,
    B: np.ndarray,
    w: int,
    lo: pd.Timestamp,
    s: pd.DataFrame,
    sel: pd.DataFrame,
    member: pd.DataFrame,
) -> pd.DataFrame:
    p = onset_pairs(A, B, w)
    ev = pd.DataFrame(
        {
            "narrative": p["narrative"],
            "country_a": a,
            "date_a": lo + pd.to_timedelta(p["day_a"], unit="D"),
            "country_b": b,
            "date_b": lo + pd.to_timedelta(p["day_b"], unit="D"),
            "lag_days": p["day_b"] - p["day_a"],
        }
    )
    ev = ev.merge(s[["narrative", "label", "p_value", "q_value"]], on="narrative")
    titles = (
        member.merge(sel.reindex(columns=["statement_id", "title", "text"]), on="statement_id")
        .assign(title=lambda d: d["title"].fillna(d["text"].str.slice(0, 80)))
        .sort_values("date")
        .drop_duplicates(["narrative", "actor", "date"])
        .set_index(["narrative", "actor", "date"])["title"]
    )
    ev["title_a"] = titles.reindex(
        pd.MultiIndex.from_arrays([ev["narrative"], ev["country_a"], ev["date_a"]])
    ).to_numpy()
    ev["title_b"] = titles.reindex(
        pd.MultiIndex.from_arrays([ev["narrative"], ev["country_b"], ev["date_b"]])
    ).to_numpy()
    cols = [
        "narrative",
        "label",
        "country_a",
        "date_a",
        "country_b",
        "date_b",
        "lag_days",
        "title_a",
        "title_b",
        "p_value",
        "q_value",
    ]
    return ev[cols].sort_values(["q_value", "date_a"]).reset_index(drop=True)
